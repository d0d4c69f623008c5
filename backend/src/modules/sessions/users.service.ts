import { PasswordReset, UserInput, type UserView } from '../../../contract/users.js';
import type { Role } from '../../../contract/policy.js';
import { inTransaction } from '../../db/database.js';
import { onDuplicate } from '../../db/constraints.js';
import { conflict, fieldErrors, notFound } from '../../errors.js';
import type { AppDeps } from '../deps.js';
import { parseInput } from '../../http/validate.js';
import {
  createUser,
  deleteUser,
  findAccountUser,
  listUsers,
  lockUsersWithRole,
  setUserPassword,
} from './users.repo.js';

export { MAX_PASSWORD, MIN_PASSWORD } from '../../../contract/users.js';

/** As a form or the command line gives it: the role is checked with the rest. */
export interface NewUser {
  username: string;
  role: string;
  password: string;
}

/** A person who signs in on the admin page; the password is kept only as a hash. */
export async function addUser(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  accountId: string,
  input: NewUser,
): Promise<string> {
  const user = parseInput(UserInput, input);
  return createUser(deps.db, { accountId, ...user, now: deps.clock() }).catch(
    onDuplicate(() =>
      fieldErrors({ username: `account ${accountId} already has a user '${user.username}'` }),
    ),
  );
}

export async function listAccountUsers(
  deps: Pick<AppDeps, 'db'>,
  accountId: string,
): Promise<UserView[]> {
  const rows = await listUsers(deps.db, accountId);
  return rows.map((u) => ({
    id: u.id,
    username: u.username,
    role: u.role as Role,
    createdAt: new Date(Number(u.created_at)).toISOString(),
  }));
}

export async function viewUser(
  deps: Pick<AppDeps, 'db'>,
  accountId: string,
  id: string,
): Promise<UserView> {
  const user = (await listAccountUsers(deps, accountId)).find((u) => u.id === id);
  if (!user) throw notFound('No such user');
  return user;
}

/** The administrator sets a new password; the user's sessions go on until they end. */
export async function resetPassword(
  deps: Pick<AppDeps, 'db'>,
  accountId: string,
  id: string,
  input: PasswordReset,
): Promise<void> {
  const { password } = parseInput(PasswordReset, input);
  if (!(await setUserPassword(deps.db, accountId, id, password))) throw notFound('No such user');
}

/**
 * Removes a user of the account: never the one asking (they would lock themselves out), never
 * the account's last admin. Their sessions end within the session check's cache time.
 */
export async function removeUser(
  deps: Pick<AppDeps, 'db'>,
  accountId: string,
  id: string,
  askedBy: { userId: string; login?: boolean },
): Promise<void> {
  await inTransaction(deps.db, async (db) => {
    const user = await findAccountUser(db, accountId, id);
    if (!user) throw notFound('No such user');
    if (askedBy.login && askedBy.userId === id) {
      throw conflict('You cannot remove yourself: ask another administrator');
    }
    if (user.role === 'admin') {
      const admins = await lockUsersWithRole(db, accountId, 'admin');
      if (admins.length <= 1) {
        throw conflict('The account must keep at least one admin user');
      }
    }
    await deleteUser(db, accountId, id);
  });
}
