import { sql, type Selectable } from 'kysely';
import type { WebhookEventType } from '../../../contract/webhooks.js';
import { decryptSecret, encryptSecret } from '../../auth/secrets.js';
import type { Db } from '../../db/database.js';
import { isPostgres } from '../../db/engine.js';
import type { WebhookSubscriptionTable } from '../../db/schema.js';
import { deleteRows, findRow } from '../../db/rows.js';

export interface Subscription {
  id: string;
  accountId: string;
  url: string;
  events: WebhookEventType[];
  description: string | null;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

type Row = Selectable<WebhookSubscriptionTable>;

// the secret stays in the row: only the dispatcher decrypts it, through loadSigningTarget
const toSubscription = (r: Row): Subscription => ({
  id: r.id,
  accountId: r.account_id,
  url: r.url,
  events: JSON.parse(r.events_json) as WebhookEventType[],
  description: r.description,
  enabled: r.enabled === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Binds a ciphertext to its subscription, so it cannot be moved to another row. */
const secretAad = (id: string) => `webhook:${id}`;

export async function insertSubscription(
  db: Db,
  key: Buffer,
  s: Omit<Subscription, 'createdAt' | 'updatedAt'> & { secret: string; now: number },
): Promise<Subscription> {
  if (isPostgres(db)) {
    // the fan-out's cursor is held while from_event_id is read (fan-out.ts skipUnwantedEvents)
    return db.transaction().execute(async (tx) => {
      await sql`select 1 from webhook_cursor where name = 'events' for share`.execute(tx);
      return insertRow(tx, key, s);
    });
  }
  return insertRow(db, key, s);
}

async function insertRow(
  db: Db,
  key: Buffer,
  s: Omit<Subscription, 'createdAt' | 'updatedAt'> & { secret: string; now: number },
): Promise<Subscription> {
  const row = await db
    .insertInto('webhook_subscriptions')
    .values({
      id: s.id,
      account_id: s.accountId,
      url: s.url,
      events_json: JSON.stringify(s.events),
      secret_enc: encryptSecret(s.secret, key, secretAad(s.id)),
      description: s.description,
      enabled: s.enabled ? 1 : 0,
      // events recorded before the subscription existed are not its to receive
      from_event_id: sql<number>`(select coalesce(max(id), 0) from events)`,
      created_at: s.now,
      updated_at: s.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toSubscription(row);
}

export async function listSubscriptions(db: Db, accountId: string): Promise<Subscription[]> {
  const rows = await db
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toSubscription);
}

export async function findSubscription(
  db: Db,
  accountId: string,
  id: string,
): Promise<Subscription | undefined> {
  const row = await findRow(db, 'webhook_subscriptions', { account_id: accountId, id });
  return row && toSubscription(row);
}

export interface SubscriptionChange {
  url?: string;
  events?: WebhookEventType[];
  secret?: string;
  description?: string;
  enabled?: boolean;
}

/** Applies the given fields; undefined when the account has no such subscription. */
export async function updateSubscription(
  db: Db,
  key: Buffer,
  accountId: string,
  id: string,
  change: SubscriptionChange,
  now: number,
): Promise<Subscription | undefined> {
  const row = await db
    .updateTable('webhook_subscriptions')
    .set({
      ...(change.url !== undefined && { url: change.url }),
      ...(change.events !== undefined && { events_json: JSON.stringify(change.events) }),
      ...(change.secret !== undefined && {
        secret_enc: encryptSecret(change.secret, key, secretAad(id)),
      }),
      ...(change.description !== undefined && { description: change.description }),
      ...(change.enabled !== undefined && { enabled: change.enabled ? 1 : 0 }),
      updated_at: now,
    })
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && toSubscription(row);
}

/** Deletes the subscription and, by cascade, its deliveries; false when there was none. */
export async function deleteSubscription(db: Db, accountId: string, id: string): Promise<boolean> {
  return (await deleteRows(db, 'webhook_subscriptions', { account_id: accountId, id })) > 0;
}

/** Where and with what a delivery is sent, read at each attempt so a fixed URL applies at once. */
export async function loadSigningTarget(
  db: Db,
  key: Buffer,
  id: string,
): Promise<{ url: string; secret: string } | undefined> {
  const row = await db
    .selectFrom('webhook_subscriptions')
    .select(['url', 'secret_enc'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && { url: row.url, secret: decryptSecret(row.secret_enc, key, secretAad(id)) };
}

/** The enabled subscriptions of these accounts, for the fan-out. */
export async function subscribersOf(
  db: Db,
  accountIds: string[],
): Promise<{ id: string; accountId: string; events: string[]; fromEventId: number }[]> {
  if (accountIds.length === 0) return [];
  const rows = await db
    .selectFrom('webhook_subscriptions')
    .select(['id', 'account_id', 'events_json', 'from_event_id'])
    .where('account_id', 'in', accountIds)
    .where('enabled', '=', 1)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    accountId: r.account_id,
    events: JSON.parse(r.events_json) as string[],
    fromEventId: r.from_event_id,
  }));
}
