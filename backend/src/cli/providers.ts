import { readFileSync } from 'node:fs';
import { ChannelName } from '../../contract/channels.js';
import { ProviderSettings } from '../../contract/providers.js';
import { describeIssue } from '../http/validate.js';
import { checkOutboundUrl } from '../outbound/outbound-url.js';
import { saveSinkSettings } from '../modules/conversations/sink.js';
import { providerUrlRefusal } from '../modules/providers/provider-urls.js';
import { PROVIDERS_OF } from '../modules/providers/providers.routes.js';
import {
  deleteProviderSettings,
  loadProviderSettings,
  presentProviderSettings,
  saveProviderSettings,
} from '../modules/providers/providers.repo.js';
import { UsageError, type Flags } from './args.js';
import { accountFlag, type CliContext, type Command } from './context.js';

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
  const parsed = ProviderSettings.safeParse(json);
  if (!parsed.success) throw new UsageError(`--settings: ${describeIssue(parsed.error)}`);
  return parsed.data;
}

/** The server's save-time rule for a URL c2m will call (outbound/outbound-url.ts). */
const outboundCheck = (ctx: CliContext, url: string) =>
  checkOutboundUrl(url, { allowLoopback: ctx.config.allowLoopbackUrls });

export const providerCommands: Command[] = [
  {
    name: 'provider set',
    summary: "set the provider that sends a channel's messages (secrets are stored encrypted)",
    usage: [
      ['--account ID', 'the account (required)'],
      ['--channel NAME', 'sms, wa, inapp, apple or rcs (required)'],
      ['--settings JSON', 'e.g. {"provider":"twilio","accountSid":"AC…","authToken":"…"}'],
      ['--settings-file PATH', 'the same JSON read from a file'],
    ],
    options: {
      account: { type: 'string' },
      channel: { type: 'string' },
      settings: { type: 'string' },
      'settings-file': { type: 'string' },
    },
    async run(ctx, flags) {
      const account = await accountFlag(ctx, flags);
      const channel = channelFlag(flags);
      const settings = settingsFlag(flags);
      if (!PROVIDERS_OF[channel].includes(settings.provider)) {
        throw new UsageError(
          `--settings: provider ${settings.provider} cannot serve ${channel} (use ${PROVIDERS_OF[channel].join(' or ')})`,
        );
      }
      const refusal = await providerUrlRefusal(settings, (url) => outboundCheck(ctx, url));
      if (refusal) throw new UsageError(`--settings: ${refusal}`);
      const now = ctx.now();
      await saveProviderSettings(ctx.db, ctx.encryptionKey, {
        accountId: account.id,
        channel,
        settings,
        now,
      });
      ctx.out(JSON.stringify(presentProviderSettings({ channel, settings, updatedAt: now })));
      ctx.out(
        `webhook URL for the provider: ${ctx.baseUrl}/webhooks/${settings.provider}/${account.id}`,
      );
    },
  },
  {
    name: 'provider list',
    summary: "list an account's providers (without secrets)",
    usage: [['--account ID', 'the account (required)']],
    options: { account: { type: 'string' } },
    async run(ctx, flags) {
      const account = await accountFlag(ctx, flags);
      const stored = await loadProviderSettings(ctx.db, ctx.encryptionKey, account.id);
      if (stored.length === 0) ctx.out('every channel uses the sandbox');
      for (const s of stored) ctx.out(JSON.stringify(presentProviderSettings(s)));
    },
  },
  {
    name: 'provider remove',
    summary: 'return a channel to the sandbox',
    usage: [
      ['--account ID', 'the account (required)'],
      ['--channel NAME', 'sms, wa, inapp, apple or rcs (required)'],
    ],
    options: { account: { type: 'string' }, channel: { type: 'string' } },
    async run(ctx, flags) {
      const account = await accountFlag(ctx, flags);
      const channel = channelFlag(flags);
      await deleteProviderSettings(ctx.db, account.id, channel);
      ctx.out(`${channel} of account ${account.id} now uses the sandbox`);
    },
  },
  {
    name: 'sink set',
    summary: "where conversation events go: the brand's contact center webhook",
    usage: [
      ['--account ID', 'the account (required)'],
      ['--url URL', 'https URL receiving signed POSTs (required)'],
      ['--secret TEXT', 'HMAC secret, at least 16 characters (required)'],
    ],
    options: { account: { type: 'string' }, url: { type: 'string' }, secret: { type: 'string' } },
    async run(ctx, flags) {
      const account = await accountFlag(ctx, flags);
      const url = flags.required('url', 2048);
      const secret = flags.required('secret');
      if (secret.length < 16) throw new UsageError('--secret: at least 16 characters');
      const check = await outboundCheck(ctx, url);
      if (!check.ok) throw new UsageError(`--url: ${check.reason}`);
      await saveSinkSettings(ctx.db, ctx.encryptionKey, {
        accountId: account.id,
        url,
        secret,
        now: ctx.now(),
      });
      ctx.out(`conversation events of account ${account.id} go to ${url}`);
    },
  },
];
