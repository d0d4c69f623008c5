import type { ChannelName } from '../../../contract/channels.js';
import type { SinkSettingsInput } from '../../../contract/sink.js';
import {
  ProviderSettings,
  SECRET_FIELDS,
  type ProviderChange,
  type ProviderName,
} from '../../../contract/providers.js';
import { invalidRequest } from '../../errors.js';
import { parseInput } from '../../http/validate.js';
import type { OutboundGuard } from '../../outbound/outbound-fetch.js';
import { saveSinkSettings } from '../conversations/sink.js';
import type { AppDeps } from '../deps.js';
import type { ChannelRegistry } from './channel-registry.js';
import { providerUrlRefusal } from './provider-urls.js';
import {
  deleteProviderSettings,
  loadProviderSettings,
  saveProviderSettings,
  type StoredProvider,
} from './providers.repo.js';

// An account's set-up as the admin API and the CLI change it: which provider sends each channel,
// and where conversation events go. Secrets go in encrypted and never come out.

/** Which providers can serve which channel. */
export const PROVIDERS_OF: Record<ChannelName, ProviderName[]> = {
  sms: ['sandbox', 'twilio'],
  wa: ['sandbox', 'whatsapp-cloud'],
  inapp: ['sandbox', 'fcm', 'push-proxy'],
  apple: ['sandbox', 'apple-link'],
  rcs: ['sandbox', 'rbm'],
};

export type SetupDeps = Pick<AppDeps, 'db' | 'clock'> & {
  keys: Pick<AppDeps['keys'], 'secrets'>;
  /** The save-time check of every URL c2m will call. */
  outbound: Pick<OutboundGuard, 'check'>;
  /** Told after a change, so the next send uses it (the CLI, with no adapters, ignores it). */
  channels: Pick<ChannelRegistry, 'invalidate'>;
};

export function listProviders(deps: SetupDeps, accountId: string): Promise<StoredProvider[]> {
  return loadProviderSettings(deps.db, deps.keys.secrets, accountId);
}

/** Stores the provider of a channel, if it can serve it and every URL it names may be called. */
export async function saveProvider(
  deps: SetupDeps,
  accountId: string,
  channel: ChannelName,
  settings: ProviderSettings,
): Promise<StoredProvider> {
  if (!PROVIDERS_OF[channel].includes(settings.provider)) {
    throw invalidRequest(
      `provider: ${settings.provider} cannot serve ${channel} (use ${PROVIDERS_OF[channel].join(' or ')})`,
    );
  }
  const refusal = await providerUrlRefusal(settings, deps.outbound.check);
  if (refusal) throw invalidRequest(refusal);
  const updatedAt = deps.clock();
  await saveProviderSettings(deps.db, deps.keys.secrets, {
    accountId,
    channel,
    settings,
    now: updatedAt,
  });
  deps.channels.invalidate(accountId);
  return { channel, settings, updatedAt };
}

/**
 * The admin element's change of a channel's provider: each secret it leaves out is the one stored
 * for the same provider (it never saw it to send it back); then saved as `saveProvider` does.
 */
export async function changeProvider(
  deps: SetupDeps,
  accountId: string,
  channel: ChannelName,
  change: ProviderChange,
): Promise<StoredProvider> {
  const stored = (await listProviders(deps, accountId)).find((p) => p.channel === channel);
  const kept: Record<string, unknown> = {};
  if (stored?.settings.provider === change.provider) {
    const old = stored.settings as Record<string, unknown>;
    for (const field of SECRET_FIELDS) {
      if ((change as Record<string, unknown>)[field] === undefined && old[field] !== undefined) {
        kept[field] = old[field];
      }
    }
  }
  const settings = parseInput(ProviderSettings, { ...change, ...kept });
  return saveProvider(deps, accountId, channel, settings);
}

/** The channel goes back to the sandbox. */
export async function removeProvider(
  deps: SetupDeps,
  accountId: string,
  channel: ChannelName,
): Promise<void> {
  await deleteProviderSettings(deps.db, accountId, channel);
  deps.channels.invalidate(accountId);
}

/** Where conversation events go: a URL the outbound guard allows, and the secret that signs. */
export async function saveSink(
  deps: Omit<SetupDeps, 'channels'>,
  accountId: string,
  input: SinkSettingsInput,
): Promise<void> {
  const check = await deps.outbound.check(input.url);
  if (!check.ok) throw invalidRequest(`url: ${check.reason}`);
  await saveSinkSettings(deps.db, deps.keys.secrets, { accountId, ...input, now: deps.clock() });
}
