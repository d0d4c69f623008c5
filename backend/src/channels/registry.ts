import type { ChannelName } from '../../contract/channels.js';
import type { ChannelAdapter } from './types.js';

/**
 * Which adapter serves a channel for an account. Every channel of every account uses the sandbox
 * until a provider is configured for it.
 */
export interface ChannelRegistry {
  adapterFor(accountId: string, channel: ChannelName): ChannelAdapter;
}

export function singleAdapterRegistry(adapter: ChannelAdapter): ChannelRegistry {
  return { adapterFor: () => adapter };
}
