import { sql, type Expression, type Selectable, type SqlBool } from 'kysely';
import type { Db } from '../../db/database.js';
import type { HandoffTable, TemplateTable } from '../../db/schema.js';
import type { CachedDb } from '../../db/read-cache.js';
import type { ChannelName } from '../../../contract/channels.js';
import type { Handoff, HandoffChannel } from '../../../contract/handoffs.js';
import { deleteRows, findRow } from '../../db/rows.js';
import { isPostgres } from '../../db/engine.js';
import { caseFolded, jsonElements, jsonIsTrue, jsonText } from '../../db/portable-sql.js';

/** A handoff as the admin API sees it: the configuration plus when it was made and last changed. */
export type HandoffRecord = Handoff & { createdAt: number; updatedAt: number };

export type HandoffSort = 'title' | 'id' | 'createdAt' | 'updatedAt' | 'lookback' | 'channels';

export interface HandoffListFilter {
  offset: number;
  limit: number;
  sort: HandoffSort;
  order: 'asc' | 'desc';
  /** Case-insensitive substring of the title. */
  title?: string;
  /** Only handoffs that have this channel enabled. */
  channel?: ChannelName;
}

export async function insertHandoff(
  { db, reads }: CachedDb,
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
  reads.forget();
}

/** Replaces everything but the id and creation time; false when the account has no such handoff. */
export async function updateHandoff(
  { db, reads }: CachedDb,
  h: Handoff & { accountId: string; now: number },
): Promise<boolean> {
  const result = await db
    .updateTable('handoffs')
    .set({
      title: h.title,
      active: h.active ? 1 : 0,
      lookback_minutes: h.lookbackMinutes,
      channels_json: JSON.stringify(h.channels),
      updated_at: h.now,
    })
    .where('account_id', '=', h.accountId)
    .where('id', '=', h.id)
    .executeTakeFirst();
  reads.forget();
  return result.numUpdatedRows > 0n;
}

/** False when the account has no such handoff. */
export async function deleteHandoff(
  { db, reads }: CachedDb,
  accountId: string,
  id: string,
): Promise<boolean> {
  const deleted = await deleteRows(db, 'handoffs', { account_id: accountId, id });
  reads.forget();
  return deleted > 0;
}

/** A handoff of this account only: another account's id reads as absent. */
export function findHandoff(
  { db, reads }: CachedDb,
  accountId: string,
  id: string,
): Promise<Handoff | undefined> {
  return reads.read(db, `handoff:${accountId}:${id}`, () => readHandoff(db, accountId, id));
}

/** The same, uncached and with its times: what an administrator edits must be the latest. */
export async function readHandoff(
  db: Db,
  accountId: string,
  id: string,
): Promise<HandoffRecord | undefined> {
  const row = await findRow(db, 'handoffs', { account_id: accountId, id });
  return row && toRecord(row);
}

/** Every handoff's id and title, for the title rule (which folds case beyond ASCII). */
export function listHandoffTitles(
  db: Db,
  accountId: string,
): Promise<{ id: string; title: string }[]> {
  return db
    .selectFrom('handoffs')
    .select(['id', 'title'])
    .where('account_id', '=', accountId)
    .execute();
}

/** The name of the first enabled channel, in the handoff's priority order. */
const firstEnabledChannel = (db: Db) => sql<string | null>`(select ${jsonText(db, 'c', 'name')}
  from ${jsonElements(db, 'handoffs.channels_json', 'c')}
  where ${jsonIsTrue(db, 'c', 'enabled')} order by c.key limit 1)`;

const SORT_COLUMNS: Record<HandoffSort, (db: Db) => Expression<unknown>> = {
  title: (db) => caseFolded(db, 'handoffs.title'),
  id: () => sql`handoffs.id`,
  createdAt: () => sql`handoffs.created_at`,
  updatedAt: () => sql`handoffs.updated_at`,
  lookback: () => sql`handoffs.lookback_minutes`,
  channels: firstEnabledChannel,
};

/** One page of the account's handoffs and how many match the filters in all. */
export async function listHandoffs(
  db: Db,
  accountId: string,
  f: HandoffListFilter,
): Promise<{ items: HandoffRecord[]; total: number }> {
  let query = db.selectFrom('handoffs').where('account_id', '=', accountId);
  if (f.title) {
    // letter case aside (SQLite's LIKE, PostgreSQL's ILIKE); a `%` or `_` typed by the user is
    // matched literally
    const pattern = `%${f.title.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const like = sql.raw(isPostgres(db) ? 'ilike' : 'like');
    query = query.where(sql<SqlBool>`handoffs.title ${like} ${pattern} escape '\\'`);
  }
  if (f.channel) {
    query = query.where(
      sql<SqlBool>`exists (select 1 from ${jsonElements(db, 'handoffs.channels_json', 'c')}
        where ${jsonText(db, 'c', 'name')} = ${f.channel}
        and ${jsonIsTrue(db, 'c', 'enabled')})`,
    );
  }
  const [rows, count] = await Promise.all([
    query
      .selectAll()
      .orderBy(SORT_COLUMNS[f.sort](db), f.order)
      .orderBy('handoffs.id', f.order)
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toRecord), total: Number(count.n) };
}

export interface StoredTemplate {
  name: string;
  language: string;
  status: TemplateTable['status'];
  body: string;
}

/** The account's WhatsApp templates of this name, one per language. */
export function findTemplatesNamed(
  db: Db,
  accountId: string,
  name: string,
): Promise<StoredTemplate[]> {
  return db
    .selectFrom('templates')
    .select(['name', 'language', 'status', 'body'])
    .where('account_id', '=', accountId)
    .where('name', '=', name)
    .orderBy('language')
    .execute();
}

/** The template a WhatsApp channel sends, in the channel's language, whatever its status now. */
export async function findChannelTemplate(
  db: Db,
  accountId: string,
  channel: Pick<HandoffChannel, 'templateName' | 'templateLanguage'>,
): Promise<StoredTemplate | undefined> {
  if (!channel.templateName) return undefined;
  const templates = await findTemplatesNamed(db, accountId, channel.templateName);
  return templates.find((t) => t.language === (channel.templateLanguage ?? 'en'));
}

function toRecord(row: Selectable<HandoffTable>): HandoffRecord {
  return {
    id: row.id,
    title: row.title,
    active: row.active === 1,
    lookbackMinutes: row.lookback_minutes,
    channels: JSON.parse(row.channels_json) as HandoffChannel[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
