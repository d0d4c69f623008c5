import type { ChannelName } from '../../../contract/channels.js';
import type { ProviderName, ProviderSettings } from '../../../contract/providers.js';
import type { Db } from '../../db/database.js';
import { localBus, type ClusterBus } from '../../shared-state/bus.js';
import { loadProviderSettings } from './providers.repo.js';
import type {
  AdapterContext,
  ChannelAdapter,
  ProviderFactory,
  WebhookReceiver,
} from '../../channels/types.js';

/**
 * Which adapter serves a channel for an account: the provider configured for it, else the
 * sandbox. Settings are read from the database (decrypted) and cached briefly per account; a save
 * through the API invalidates the cache at once, on every node (`bus`).
 */
export interface ChannelRegistry {
  adapterFor(accountId: string, channel: ChannelName): Promise<ChannelAdapter>;
  /** The webhook receiver of a provider configured on the account, and the channel it serves. */
  receiverFor(
    accountId: string,
    provider: string,
  ): Promise<{ receiver: WebhookReceiver; channel: ChannelName } | undefined>;
  invalidate(accountId: string): void;
}

export interface RegistryDeps {
  db: Db;
  key: Buffer;
  sandbox: ChannelAdapter;
  ctx: AdapterContext;
  factories: Partial<Record<ProviderName, ProviderFactory>>;
  cacheMs?: number;
  bus?: ClusterBus;
}

interface Cached {
  at: number;
  settings: Map<ChannelName, ProviderSettings>;
  adapters: Map<ChannelName, Promise<ChannelAdapter>>;
}

export function createChannelRegistry(deps: RegistryDeps): ChannelRegistry {
  const cache = new Map<string, Cached>();
  const cacheMs = deps.cacheMs ?? 5000;
  const bus = deps.bus ?? localBus;
  bus.hear('providers-changed', (accountId) => cache.delete(accountId));

  async function entry(accountId: string): Promise<Cached> {
    const hit = cache.get(accountId);
    if (hit && deps.ctx.now() - hit.at < cacheMs) return hit;
    const stored = await loadProviderSettings(deps.db, deps.key, accountId);
    const fresh: Cached = {
      at: deps.ctx.now(),
      settings: new Map(stored.map((s) => [s.channel, s.settings])),
      adapters: new Map(),
    };
    cache.set(accountId, fresh);
    return fresh;
  }

  async function adapterFor(accountId: string, channel: ChannelName): Promise<ChannelAdapter> {
    const e = await entry(accountId);
    const built = e.adapters.get(channel);
    if (built) return built;
    const settings = e.settings.get(channel);
    const factory = settings && deps.factories[settings.provider];
    const adapter =
      settings && factory
        ? Promise.resolve(factory.adapter(settings, deps.ctx, (c) => adapterFor(accountId, c)))
        : Promise.resolve(deps.sandbox);
    e.adapters.set(channel, adapter);
    return adapter;
  }

  return {
    adapterFor,
    async receiverFor(accountId, provider) {
      const e = await entry(accountId);
      for (const [channel, settings] of e.settings) {
        const factory = settings.provider === provider ? deps.factories[provider] : undefined;
        if (factory?.receiver)
          return { receiver: factory.receiver(settings, deps.ctx.now), channel };
      }
      return undefined;
    },
    invalidate(accountId) {
      cache.delete(accountId);
      bus.tell('providers-changed', accountId);
    },
  };
}
