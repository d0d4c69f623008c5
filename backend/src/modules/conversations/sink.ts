import { decryptSecret, encryptSecret } from '../../auth/secrets.js';
import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import { isPostgres } from '../../db/engine.js';
import type { SinkDeliveryTable } from '../../db/schema.js';
import { newUuid } from '../../ids.js';
import { findRow } from '../../db/rows.js';

export type SinkEventType =
  | 'conversation.opened'
  | 'conversation.consumer_message'
  | 'conversation.agent_message'
  | 'conversation.closed';

/**
 * Queues one event for the account's conversation sink, numbered in the conversation's order.
 * Run inside the transaction that made the change, so an event exists exactly when its change does.
 */
export async function enqueueSinkEvent(
  db: Db,
  e: {
    accountId: string;
    conversationId: string;
    type: SinkEventType;
    data: Record<string, unknown>;
    now: number;
  },
): Promise<void> {
  const sink = await db
    .selectFrom('sink_settings')
    .select('account_id')
    .where('account_id', '=', e.accountId)
    .executeTakeFirst();
  if (!sink) return;
  const { sink_seq: seq } = await db
    .updateTable('conversations')
    .set((eb) => ({ sink_seq: eb('sink_seq', '+', 1) }))
    .where('id', '=', e.conversationId)
    .returning('sink_seq')
    .executeTakeFirstOrThrow();
  const id = newUuid();
  const body = {
    id,
    type: e.type,
    accountId: e.accountId,
    conversationId: e.conversationId,
    sequence: seq,
    occurredAt: new Date(e.now).toISOString(),
    data: e.data,
  };
  await db
    .insertInto('sink_deliveries')
    .values({
      id,
      account_id: e.accountId,
      conversation_id: e.conversationId,
      seq,
      type: e.type,
      body_json: JSON.stringify(body),
      status: 'pending',
      attempts: 0,
      next_attempt_at: e.now,
      last_error: null,
      created_at: e.now,
      delivered_at: null,
    })
    .execute();
}

export async function saveSinkSettings(
  db: Db,
  key: Buffer,
  s: { accountId: string; url: string; secret: string; now: number },
): Promise<void> {
  const row = {
    account_id: s.accountId,
    url: s.url,
    secret_enc: encryptSecret(s.secret, key, `sink:${s.accountId}`),
    updated_at: s.now,
  };
  await db
    .insertInto('sink_settings')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('account_id')
        .doUpdateSet({ url: row.url, secret_enc: row.secret_enc, updated_at: row.updated_at }),
    )
    .execute();
}

export async function loadSinkSettings(
  db: Db,
  key: Buffer,
  accountId: string,
): Promise<{ url: string; secret: string } | undefined> {
  const row = await findRow(db, 'sink_settings', { account_id: accountId });
  return row && { url: row.url, secret: decryptSecret(row.secret_enc, key, `sink:${accountId}`) };
}

export type SinkDeliveryRow = Selectable<SinkDeliveryTable>;

/**
 * Leases to this node, until `now + leaseMs`, up to `limit` deliveries due now that are first in
 * their conversation: one waits while an earlier one of its conversation is still pending (leased
 * to a node or not), so several nodes keep the order. One UPDATE … RETURNING, atomic on both
 * engines (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so two nodes never lease one row); a lease that
 * runs out makes the row due again. Returned oldest first.
 */
export async function claimDueSinkDeliveries(
  db: Db,
  claim: { now: number; leaseMs: number; limit: number },
): Promise<SinkDeliveryRow[]> {
  const { now, leaseMs, limit } = claim;
  const rows = await db
    .updateTable('sink_deliveries')
    .set({ locked_until: now + leaseMs })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('sink_deliveries as d')
        .select('d.id')
        .where('d.status', '=', 'pending')
        .where('d.next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('d.locked_until', 'is', null), eb('d.locked_until', '<', now)]))
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('sink_deliveries as e')
                .select('e.id')
                .whereRef('e.conversation_id', '=', 'd.conversation_id')
                .where('e.status', '=', 'pending')
                .whereRef('e.seq', '<', 'd.seq'),
            ),
          ),
        )
        .$if(isPostgres(db), (q) => q.forUpdate().skipLocked())
        .orderBy('d.created_at')
        .limit(limit),
    )
    .returningAll()
    .execute();
  // RETURNING promises no order
  return rows.sort((a, b) => a.created_at - b.created_at);
}

/** Hands back leased deliveries not attempted, due again at once; only those still under this lease. */
export async function releaseSinkDeliveries(
  db: Db,
  rows: readonly SinkDeliveryRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .updateTable('sink_deliveries')
    .set({ locked_until: null })
    .where(
      'id',
      'in',
      rows.map((d) => d.id),
    )
    .where('locked_until', '=', rows[0].locked_until)
    .execute();
}
