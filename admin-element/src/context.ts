import { createContext } from '@lit/context';
import type { Role } from '../../backend/contract/policy.js';
import type { AdminClient } from './api/admin-client.js';

/**
 * The signed-in session every view works in: the account's admin API, and the session's role,
 * which decides the controls offered (the server stays the authority). Provided by <c2m-admin>
 * (or a test's provider) through shared/session.ts.
 */
export interface AdminSession {
  readonly client?: AdminClient;
  readonly role?: Role;
}

export const sessionContext = createContext<AdminSession>(Symbol('c2m-admin-session'));
