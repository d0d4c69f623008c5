// A typed client for c2m's IVR and reporting APIs, for Node 20+ and browsers (fetch and WebCrypto
// only). Request and response types are the server's own, from backend/contract.
export {
  createC2mClient,
  type C2mClient,
  type C2mClientOptions,
  type IdempotentCallOptions,
  type TransactionsQuery,
} from './client.js';
export type { C2mAuth } from './auth.js';
export { C2mError } from './errors.js';
export type { C2mRetryOptions } from './retry.js';
export {
  oauth1Authorization,
  type OAuth1Credentials,
  type OAuth1SignatureMethod,
  type OAuth1SignInput,
} from './oauth1.js';
