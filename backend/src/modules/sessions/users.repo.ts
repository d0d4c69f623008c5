import type { Role } from '../../../contract/policy.js';
import type { Db } from '../../db/database.js';
import { newUuid } from '../../ids.js';
import { hashPassword } from './passwords.js';
import { findRow } from '../../db/rows.js';

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

/** An account's users by name, never their password hashes: what `c2m user list` prints. */
export function listUsernames(db: Db, accountId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'role', 'created_at'])
    .where('account_id', '=', accountId)
    .orderBy('username')
    .execute();
}
