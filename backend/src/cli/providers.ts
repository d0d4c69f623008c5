import { readFileSync } from 'node:fs';
import { ChannelName } from '../../contract/channels.js';
import { SinkSettingsInput } from '../../contract/sink.js';
import { ProviderSettings } from '../../contract/providers.js';
import { presentProviderSettings } from '../modules/providers/providers.presenter.js';
import {
  listProviders,
  removeProvider,
  saveProvider,
  saveSink,
} from '../modules/providers/providers.service.js';
import { parseInput } from '../http/validate.js';
import { UsageError, type Flags, type FlagSpec } from './args.js';
import { accountFlag, ACCOUNT, type Command } from './context.js';

const CHANNEL: FlagSpec = { value: 'NAME', help: 'sms, wa, inapp, apple or rcs (required)' };

function channelFlag(flags: Flags): ChannelName {
  const parsed = ChannelName.safeParse(flags.required('channel'));
  if (!parsed.success) throw new UsageError(`--channel: one of ${ChannelName.options.join(', ')}`);
  return parsed.data;
}

/** Settings JSON from `--settings '{…}'` or `--settings-file path` (keeps secrets out of shell history). */
function settingsFlag(flags: Flags): ProviderSettings {
  const file = flags.optional('settings-file', 4096);
  const text = file ? readFileSync(file, 'utf8') : flags.required('settings', 64 * 1024);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`--${file ? 'settings-file' : 'settings'}: not valid JSON`);
  }
  return parseInput(ProviderSettings, json);
}

export const providerCommands: Command[] = [
  {
    name: 'provider set',
    summary: "set the provider that sends a channel's messages (secrets are stored encrypted)",
    flags: {
      account: ACCOUNT,
      channel: CHANNEL,
      settings: {
        value: 'JSON',
        help: 'e.g. {"provider":"twilio","accountSid":"AC…","authToken":"…"}',
      },
      'settings-file': { value: 'PATH', help: 'the same JSON read from a file' },
    },
    // the service names a field inside the settings JSON
    flagOf: (field) => `--settings: ${field}`,
    async run(ctx, flags) {
      const account = await accountFlag(ctx, flags);
      const saved = await saveProvider(ctx, account.id, channelFlag(flags), settingsFlag(flags));
      ctx.out(JSON.stringify(presentProviderSettings(saved)));
      ctx.out(
        `webhook URL for the provider: ${ctx.baseUrl}/webhooks/${saved.settings.provider}/${account.id}`,
      );
    },
  },
  {
    name: 'provider list',
    summary: "list an account's providers (without secrets)",
    flags: { account: ACCOUNT },
    async run(ctx, flags) {
      const account = await accountFlag(ctx, flags);
      const stored = await listProviders(ctx, account.id);
      if (stored.length === 0) ctx.out('every channel uses the sandbox');
      for (const s of stored) ctx.out(JSON.stringify(presentProviderSettings(s)));
    },
  },
  {
    name: 'provider remove',
    summary: 'return a channel to the sandbox',
    flags: { account: ACCOUNT, channel: CHANNEL },
    async run(ctx, flags) {
      const account = await accountFlag(ctx, flags);
      const channel = channelFlag(flags);
      await removeProvider(ctx, account.id, channel);
      ctx.out(`${channel} of account ${account.id} now uses the sandbox`);
    },
  },
  {
    name: 'sink set',
    summary: "where conversation events go: the brand's contact center webhook",
    flags: {
      account: ACCOUNT,
      url: { value: 'URL', help: 'https URL receiving signed POSTs (required)' },
      secret: { value: 'TEXT', help: 'HMAC secret, at least 16 characters (required)' },
    },
    async run(ctx, flags) {
      const account = await accountFlag(ctx, flags);
      const input = parseInput(SinkSettingsInput, {
        url: flags.required('url', 2048),
        secret: flags.required('secret', 1024),
      });
      await saveSink(ctx, account.id, input);
      ctx.out(`conversation events of account ${account.id} go to ${input.url}`);
    },
  },
];
