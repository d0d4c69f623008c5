import type { Role } from '../../../contract/admin.js';
import type { Db } from '../../db/database.js';
import { newUuid } from '../../ids.js';
import { hashPassword } from './passwords.js';

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
  return db
    .selectFrom('users')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('username', '=', username)
    .executeTakeFirst();
}
