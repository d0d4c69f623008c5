import type { Db } from '../../db/database.js';
import { cachedRead, forgetCachedReads } from '../../db/read-cache.js';

export interface Skill {
  name: string;
  routingEnabled: boolean;
}

export async function insertSkill(
  db: Db,
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
  forgetCachedReads();
}

export function findSkill(db: Db, accountId: string, name: string): Promise<Skill | undefined> {
  return cachedRead(db, `skill:${accountId}:${name}`, () => readSkill(db, accountId, name));
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
