import { inTransaction, type Db } from '../../db/database.js';
import type { CachedDb } from '../../db/read-cache.js';

export interface Skill {
  name: string;
  routingEnabled: boolean;
}

export async function insertSkill(
  { db, reads }: CachedDb,
  s: { accountId: string; name: string; routingEnabled?: boolean; now: number },
): Promise<void> {
  await db
    .insertInto('skills')
    .values({
      account_id: s.accountId,
      name: s.name,
      routing_enabled: s.routingEnabled === false ? 0 : 1,
      created_at: s.now,
    })
    .execute();
  reads.forget();
}

export function findSkill(
  { db, reads }: CachedDb,
  accountId: string,
  name: string,
): Promise<Skill | undefined> {
  return reads.read(db, `skill:${accountId}:${name}`, () => readSkill(db, accountId, name));
}

async function readSkill(db: Db, accountId: string, name: string): Promise<Skill | undefined> {
  const row = await db
    .selectFrom('skills')
    .select(['name', 'routing_enabled'])
    .where('account_id', '=', accountId)
    .where('name', '=', name)
    .executeTakeFirst();
  return row && { name: row.name, routingEnabled: row.routing_enabled === 1 };
}

/** Every skill of an account, by name: the settings page's routing list. */
export async function listSkills(db: Db, accountId: string): Promise<Skill[]> {
  const rows = await db
    .selectFrom('skills')
    .select(['name', 'routing_enabled'])
    .where('account_id', '=', accountId)
    .orderBy('name')
    .execute();
  return rows.map((r) => ({ name: r.name, routingEnabled: r.routing_enabled === 1 }));
}

/** Turns routing on or off for the named skills; names the account does not have are ignored. */
export async function setRouting(
  { db, reads }: CachedDb,
  accountId: string,
  changes: readonly Skill[],
): Promise<void> {
  await inTransaction(db, async (tx) => {
    for (const on of [true, false]) {
      const names = changes.filter((c) => c.routingEnabled === on).map((c) => c.name);
      if (names.length === 0) continue;
      await tx
        .updateTable('skills')
        .set({ routing_enabled: on ? 1 : 0 })
        .where('account_id', '=', accountId)
        .where('name', 'in', names)
        .execute();
    }
  });
  reads.forget();
}
