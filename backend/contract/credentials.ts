import { z } from 'zod';
import { Permission } from './policy.js';

// An IVR's API keys, as the admin element's credentials page creates, lists and revokes them.

/** `oauth1`: OAuth 1.0a keys, the product's default; `oauth2`: client credentials for a JWT. */
export const CredentialKind = z.enum(['oauth1', 'oauth2']);

export const CredentialInput = z.object({
  kind: CredentialKind,
  name: z.string().trim().min(1).max(100),
  /** `ivr` is the product's "IVR Engagement" option, which deflection requires. */
  permissions: z
    .array(Permission)
    .min(1)
    .refine((ps) => new Set(ps).size === ps.length, 'each permission at most once')
    .default(['ivr']),
});
export type CredentialInput = z.infer<typeof CredentialInput>;

/** A credential as listed: its public key id (consumer key or client id), never a secret. */
export const CredentialView = z.object({
  id: z.string(),
  kind: CredentialKind,
  name: z.string(),
  keyId: z.string(),
  permissions: z.array(z.string()),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type CredentialView = z.infer<typeof CredentialView>;

/** What an IVR needs to call c2m; answered once, when the credential is created or rotated. */
export const CredentialSecrets = z.union([
  z.object({
    consumerKey: z.string(),
    consumerSecret: z.string(),
    token: z.string(),
    tokenSecret: z.string(),
  }),
  z.object({ clientId: z.string(), clientSecret: z.string(), tokenUrl: z.string() }),
]);

export const CreatedCredential = CredentialView.extend({ secrets: CredentialSecrets });
export type CreatedCredential = z.infer<typeof CreatedCredential>;
