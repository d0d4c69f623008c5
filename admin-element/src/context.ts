import { createContext } from '@lit/context';
import type { Role } from '../../backend/contract/policy.js';
import type { AdminClient } from './api/admin-client.js';

/** The admin API of the signed-in account, provided by <c2m-admin> (or a test's provider). */
export const adminClientContext = createContext<AdminClient | undefined>(
  Symbol('c2m-admin-client'),
);

/** The session's role: it decides which controls are offered (the server stays the authority). */
export const roleContext = createContext<Role | undefined>(Symbol('c2m-admin-role'));
