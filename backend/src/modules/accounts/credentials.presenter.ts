import type { CredentialSummary } from './credentials.repo.js';
import type { CredentialView } from '../../../contract/credentials.js';
import { iso, isoOrNull } from '../../clock.js';

/** The listed shape: built from a summary that never selected a secret column. */
export function presentCredential(c: CredentialSummary): CredentialView {
  return {
    id: c.id,
    kind: c.kind,
    name: c.name,
    keyId: c.keyId,
    permissions: [...c.permissions],
    createdAt: iso(c.createdAt),
    revokedAt: isoOrNull(c.revokedAt),
  };
}
