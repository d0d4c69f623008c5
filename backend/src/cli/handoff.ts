import { HandoffInput, type HandoffChannel } from '../../contract/handoffs.js';
import { ChannelName } from '../../contract/channels.js';
import { variablesOf, withDefaults } from '../../contract/template-values.js';
import { parseInput } from '../http/validate.js';
import { channelTemplate, createHandoff } from '../modules/handoffs/handoffs.service.js';
import { UsageError, type Flags } from './args.js';
import { accountFlag, ACCOUNT, type CliContext, type Command } from './context.js';

// The flags only say what the handoff is; whether it is a valid one is for the handoffs service,
// the same rules as the admin API's (an approved WhatsApp template, enabled channels, a unique
// title …), its field errors worded here with the flag that set the field.

const DEFAULT_MESSAGE = 'Thanks for calling. Reply to this message to keep chatting with us.';
/** Channels that send from a phone number of the brand's. */
const NUMBERED: readonly ChannelName[] = ['sms', 'wa', 'rcs'];
const HOUR_MINUTES = 60;

/** `--wa-var 2=A-1` (`--var 2=A-1`): a default for the template's (the message's) `{{2}}`. */
function varDefaults(flags: Flags, flag = 'wa-var'): Record<number, string> {
  const defaults: Record<number, string> = {};
  for (const pair of flags.all(flag, 1100)) {
    const match = /^([1-9]\d?)=(.+)$/s.exec(pair);
    if (!match) throw new UsageError(`--${flag}: '${pair}' is not N=VALUE, e.g. 1=Ada`);
    const n = Number(match[1]);
    if (defaults[n] !== undefined) throw new UsageError(`--${flag}: {{${n}}} given twice`);
    defaults[n] = match[2];
  }
  return defaults;
}

/** The WhatsApp channel: its template's text with the defaults given, the rest kept as `{{n}}`. */
async function whatsApp(ctx: CliContext, accountId: string, flags: Flags) {
  const templateName = flags.optional('wa-template', 512);
  const templateLanguage = flags.optional('wa-language', 16);
  const defaults = varDefaults(flags);
  const template =
    templateName && (await channelTemplate(ctx, accountId, { templateName, templateLanguage }));
  const used = template ? variablesOf(template.body) : [];
  const unknown = Object.keys(defaults).find((n) => !used.includes(Number(n)));
  if (template && unknown) {
    throw new UsageError(`--wa-var: template ${template.name} has no {{${unknown}}}`);
  }
  return {
    // without a template the service says what is missing, naming the field
    message: template ? withDefaults(template.body, defaults) : '',
    ...(templateName && { templateName }),
    ...(templateLanguage && { templateLanguage }),
  };
}

async function channelsFrom(
  ctx: CliContext,
  accountId: string,
  flags: Flags,
): Promise<HandoffChannel[]> {
  const names = flags.list('channels', ChannelName.options);
  const only = (flag: string, channel: ChannelName) => {
    if (flags.has(flag) && !names.includes(channel)) {
      throw new UsageError(`--${flag}: only for the ${channel} channel`);
    }
  };
  ['wa-template', 'wa-language', 'wa-var'].forEach((flag) => only(flag, 'wa'));
  only('app', 'inapp');
  const message = flags.optional('message', 1600) ?? DEFAULT_MESSAGE;
  const outboundNumber = flags.optional('outbound-number', 32);
  if (outboundNumber !== undefined && !names.some((n) => NUMBERED.includes(n))) {
    throw new UsageError(`--outbound-number: only for the ${NUMBERED.join(', ')} channels`);
  }
  const apps = flags.all('app', 128);
  const wa = names.includes('wa') ? await whatsApp(ctx, accountId, flags) : undefined;
  const defaults = varDefaults(flags, 'var');
  const hasDefaults = Object.keys(defaults).length > 0;
  return names.map((name) => ({
    name,
    enabled: true,
    message,
    ...(name !== 'wa' && hasDefaults && { defaults }),
    ...(NUMBERED.includes(name) && outboundNumber !== undefined && { outboundNumber }),
    ...(name === 'inapp' && { apps }),
    ...(name === 'wa' && wa),
  }));
}

/** The lookback in whole hours, as the admin screen takes it (days and hours). */
function lookbackFrom(flags: Flags) {
  const minutes = flags.int('lookback-minutes') ?? 24 * HOUR_MINUTES;
  if (minutes % HOUR_MINUTES !== 0) {
    throw new UsageError('--lookback-minutes: must be whole hours (a multiple of 60)');
  }
  const hours = minutes / HOUR_MINUTES;
  return { days: Math.floor(hours / 24), hours: hours % 24 };
}

/** The flag of each channel field the service may name (`channels.0.templateName`). */
const CHANNEL_FLAGS: Record<string, string> = {
  templateName: '--wa-template',
  templateLanguage: '--wa-language',
  outboundNumber: '--outbound-number',
  apps: '--app',
  defaults: '--var',
};

export const handoffCreate: Command = {
  name: 'handoff create',
  summary: 'create a handoff (the channels and message of a deflection); prints its id',
  flags: {
    account: ACCOUNT,
    title: { value: 'T', help: 'unique per account, no < or > (required)' },
    channels: {
      value: 'LIST',
      help: [
        'in priority order, from sms, wa, inapp, apple, rcs (required);',
        'enabled on the account; inapp cannot be combined with sms or wa',
      ],
    },
    message: {
      value: 'TEXT',
      help: 'the outbound message; {{1}}, {{2}} … come from templateVariables',
    },
    'wa-template': {
      value: 'NAME',
      help: 'wa: an approved WhatsApp template of the account (required for wa)',
    },
    'wa-language': {
      value: 'CODE',
      help: "wa: the template's language, e.g. en_US (required for wa)",
    },
    'wa-var': {
      value: 'N=VALUE',
      help: [
        "wa: a default for the template's {{N}}, used when the IVR's",
        'templateVariables lack it; repeat per variable; without one the IVR must send it',
      ],
      multiple: true,
    },
    var: {
      value: 'N=VALUE',
      help: [
        "the message's {{N}} when the IVR's templateVariables lack it (required for each",
        '{{N}} the message uses); repeat per variable',
      ],
      multiple: true,
    },
    'lookback-minutes': {
      value: 'N',
      help: 'whole hours from 60 to 43200 (30 days), default 1440',
    },
    'outbound-number': {
      value: '+E164',
      help: 'the number sms, wa and rcs messages are sent from',
    },
    app: { value: 'ID', help: 'an app of the inapp channel; repeat for up to 3', multiple: true },
  },
  flagOf(field, flags) {
    const [head, index, key] = field.split('.');
    if (head === 'lookback') return '--lookback-minutes';
    if (head !== 'channels' || key === undefined) return `--${head}`;
    if (key === 'message') {
      const wa = flags.list('channels', ChannelName.options)[Number(index)] === 'wa';
      return wa ? '--wa-var' : '--message';
    }
    return CHANNEL_FLAGS[key] ?? '--channels';
  },
  async run(ctx, flags) {
    const account = await accountFlag(ctx, flags);
    const channels = await channelsFrom(ctx, account.id, flags);
    const input = parseInput(HandoffInput, {
      title: flags.required('title', 1000),
      lookback: lookbackFrom(flags),
      active: true,
      channels,
    });
    const handoff = await createHandoff(ctx, account.id, input);
    ctx.out(handoff.id);
  },
};
