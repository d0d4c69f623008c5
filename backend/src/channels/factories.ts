import type { ProviderName } from '../../contract/providers.js';
import type { ProviderFactory } from './registry.js';

/** Every provider c2m can send through, by the name used in the provider settings. */
export const providerFactories: Partial<Record<ProviderName, ProviderFactory>> = {};
