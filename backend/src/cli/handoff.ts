import { ChannelName } from '../../contract/channels.js';
import { Handoff, type HandoffChannel } from '../../contract/handoffs.js';
import { isValidE164 } from '../channels/phone.js';
import { newHandoffId } from '../ids.js';
import { insertHandoff } from '../modules/handoffs/handoffs.repo.js';
import { UsageError, type Flags } from './args.js';
import { accountFlag, isUniqueViolation, type Command } from './context.js';

const DEFAULT_MESSAGE = 'Thanks for calling. Reply to this message to keep chatting with us.';
/** Channels that send from a phone number of the brand's. */
const NUMBERED: readonly ChannelName[] = ['sms', 'wa', 'rcs'];
const MAX_APPS = 3;

/** The handoff's channels in priority order, checked against the product's rules. */
function channelsFrom(flags: Flags): HandoffChannel[] {
  const names = flags.list('channels', ChannelName.options);
  if (names.includes('inapp') && (names.includes('sms') || names.includes('wa'))) {
    throw new UsageError('--channels: inapp cannot be combined with sms or wa');
  }
  const message = flags.optional('message', 1600) ?? DEFAULT_MESSAGE;
  const outboundNumber = flags.optional('outbound-number', 16);
  if (outboundNumber !== undefined) {
    if (!isValidE164(outboundNumber)) {
      throw new UsageError('--outbound-number: must be E.164, e.g. +14155550100');
    }
    if (!names.some((n) => NUMBERED.includes(n))) {
      throw new UsageError(`--outbound-number: only for the ${NUMBERED.join(', ')} channels`);
    }
  }
  const apps = flags.all('app', 128);
  if (apps.length > 0 && !names.includes('inapp')) {
    throw new UsageError('--app: only for the inapp channel');
  }
  if (apps.length > MAX_APPS) throw new UsageError(`--app: at most ${MAX_APPS} apps`);
  return names.map((name) => ({
    name,
    enabled: true,
    message,
    ...(NUMBERED.includes(name) && outboundNumber !== undefined && { outboundNumber }),
    ...(name === 'inapp' && apps.length > 0 && { apps }),
  }));
}

function titleFrom(flags: Flags): string {
  const title = flags.required('title');
  if (/[<>]/.test(title)) throw new UsageError('--title: must not contain < or >');
  return title;
}

export const handoffCreate: Command = {
  name: 'handoff create',
  summary: 'create a handoff (the channels and message of a deflection); prints its id',
  usage: [
    ['--account ID', 'the account (required)'],
    ['--title T', 'unique per account, no < or > (required)'],
    ['--channels LIST', 'in priority order, from sms, wa, inapp, apple, rcs (required);'],
    ['', 'inapp cannot be combined with sms or wa'],
    ['--message TEXT', 'the outbound message; {{1}}, {{2}} … come from templateVariables'],
    ['--lookback-minutes N', '60 to 43200 (30 days), default 1440'],
    ['--outbound-number +E164', 'the number sms, wa and rcs messages are sent from'],
    ['--app ID', 'an app of the inapp channel; repeat for up to 3'],
  ],
  options: {
    account: { type: 'string' },
    title: { type: 'string' },
    channels: { type: 'string' },
    message: { type: 'string' },
    'lookback-minutes': { type: 'string' },
    'outbound-number': { type: 'string' },
    app: { type: 'string', multiple: true },
  },
  async run(ctx, flags) {
    const account = await accountFlag(ctx, flags);
    const handoff = Handoff.parse({
      id: newHandoffId(),
      title: titleFrom(flags),
      active: true,
      lookbackMinutes: flags.int('lookback-minutes', { min: 60, max: 30 * 24 * 60 }, 24 * 60),
      channels: channelsFrom(flags),
    });
    try {
      await insertHandoff(ctx.db, { ...handoff, accountId: account.id, now: ctx.now() });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      throw new UsageError(
        `--title: account ${account.id} already has a handoff '${handoff.title}'`,
      );
    }
    const off = handoff.channels.filter(
      (c) => !account.channels.some((a) => a.name === c.name && a.enabled),
    );
    if (off.length > 0) {
      ctx.err(`note: ${off.map((c) => c.name).join(', ')} disabled on account ${account.id}`);
    }
    ctx.out(handoff.id);
  },
};
