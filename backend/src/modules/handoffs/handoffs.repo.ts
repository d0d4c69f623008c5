import type { Db } from '../../db/database.js';
import { cachedRead, forgetCachedReads } from '../../db/read-cache.js';
import type { Handoff, HandoffChannel } from '../../../contract/handoffs.js';

export async function insertHandoff(
  db: Db,
  h: Handoff & { accountId: string; now: number },
): Promise<void> {
  await db
    .insertInto('handoffs')
    .values({
      id: h.id,
      account_id: h.accountId,
      title: h.title,
      active: h.active ? 1 : 0,
      lookback_minutes: h.lookbackMinutes,
      channels_json: JSON.stringify(h.channels),
      created_at: h.now,
      updated_at: h.now,
    })
    .execute();
  forgetCachedReads();
}

/** A handoff of this account only: another account's id reads as absent. */
export function findHandoff(db: Db, accountId: string, id: string): Promise<Handoff | undefined> {
  return cachedRead(db, `handoff:${accountId}:${id}`, () => readHandoff(db, accountId, id));
}

async function readHandoff(db: Db, accountId: string, id: string): Promise<Handoff | undefined> {
  const row = await db
    .selectFrom('handoffs')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    title: row.title,
    active: row.active === 1,
    lookbackMinutes: row.lookback_minutes,
    channels: JSON.parse(row.channels_json) as HandoffChannel[],
  };
}
