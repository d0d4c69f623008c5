import type { Role } from '../../../contract/policy.js';
import type { Db } from '../../db/database.js';
import { newUuid } from '../../ids.js';
import { hashPassword } from './passwords.js';
import { findRow } from '../../db/rows.js';
import { isPostgres } from '../../db/engine.js';

export async function createUser(
  db: Db,
  u: { accountId: string; username: string; role: Role; password: string; now: number },
): Promise<string> {
  const id = newUuid();
  await db
    .insertInto('users')
    .values({
      id,
      account_id: u.accountId,
      username: u.username,
      role: u.role,
      password_hash: await hashPassword(u.password),
      created_at: u.now,
    })
    .execute();
  return id;
}

export async function findUser(db: Db, accountId: string, username: string) {
  return findRow(db, 'users', { account_id: accountId, username });
}

/** The account and role a user has now: what a login session of theirs must still match. */
export async function findUserStanding(db: Db, id: string) {
  return db
    .selectFrom('users')
    .select(['account_id', 'role'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The account's users, oldest first: never a password hash. */
export async function listUsers(db: Db, accountId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'role', 'created_at'])
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .orderBy('username')
    .execute();
}

/** One user of the account (another account's is not found). */
export async function findAccountUser(db: Db, accountId: string, id: string) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'role'])
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * The ids of the account's users with this role; inside a transaction on PostgreSQL the rows stay
 * locked until it ends, so two removals at once cannot both take the last admin.
 */
export async function lockUsersWithRole(db: Db, accountId: string, role: Role): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('account_id', '=', accountId)
    .where('role', '=', role)
    .$if(isPostgres(db), (q) => q.forUpdate())
    .execute();
  return rows.map((r) => r.id);
}

/** True when the user was there to change. */
export async function setUserPassword(
  db: Db,
  accountId: string,
  id: string,
  password: string,
): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ password_hash: await hashPassword(password) })
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteUser(db: Db, accountId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('users')
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
