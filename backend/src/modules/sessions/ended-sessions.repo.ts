import type { Db } from '../../db/database.js';
import { statement } from '../../db/statement.js';

/** Past-expiry rows deleted by each insert: a small, bounded share of the work. */
const PRUNE_BATCH = 100;

/**
 * Ends a session: its id is kept until its token's expiry (again: nothing changes), and a few
 * rows whose tokens have expired since are deleted.
 */
export async function insertEndedSession(
  db: Db,
  row: { id: string; accountId: string; expiresAt: number },
  now: number,
): Promise<void> {
  await db
    .insertInto('ended_sessions')
    .values({ id: row.id, account_id: row.accountId, expires_at: row.expiresAt })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  await db
    .deleteFrom('ended_sessions')
    .where('id', 'in', (q) =>
      q.selectFrom('ended_sessions').select('id').where('expires_at', '<=', now).limit(PRUNE_BATCH),
    )
    .execute();
}

const endedById = statement((db, p: { id: string }) =>
  db.selectFrom('ended_sessions').select('account_id').where('id', '=', p.id),
);

/** Whether the session was ended (by its primary key: one indexed lookup). */
export async function sessionEnded(db: Db, id: string): Promise<boolean> {
  return (await endedById.first(db, { id })) !== undefined;
}
