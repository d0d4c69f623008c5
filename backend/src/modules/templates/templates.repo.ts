import { sql, type Selectable } from 'kysely';
import type { TemplateCategory, TemplateStatus } from '../../../contract/templates.js';
import type { Db } from '../../db/database.js';
import type { TemplateTable } from '../../db/schema.js';
import { deleteRows, findRow, updateRows } from '../../db/rows.js';
import { containsFolded, jsonElements, jsonText } from '../../db/portable-sql.js';

/** A WhatsApp message template as the service works with it (times in epoch ms). */
export interface Template {
  id: string;
  accountId: string;
  name: string;
  category: TemplateCategory;
  language: string;
  wabaId: string;
  phoneNumber: string;
  body: string;
  examples: string[];
  status: TemplateStatus;
  statusReason: string | null;
  providerTemplateId: string | null;
  createdAt: number;
  updatedAt: number;
}

/** The fields a user writes; everything else is the status machine's or ours. */
export type TemplateFields = Pick<
  Template,
  'name' | 'category' | 'language' | 'wabaId' | 'phoneNumber' | 'body' | 'examples'
>;

const fromRow = (r: Selectable<TemplateTable>): Template => ({
  id: r.id,
  accountId: r.account_id,
  name: r.name,
  category: r.category,
  language: r.language,
  wabaId: r.waba_id,
  phoneNumber: r.phone_number,
  body: r.body,
  examples: JSON.parse(r.examples_json) as string[],
  status: r.status,
  statusReason: r.status_reason,
  providerTemplateId: r.provider_template_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const fieldColumns = (f: TemplateFields) => ({
  name: f.name,
  category: f.category,
  language: f.language,
  waba_id: f.wabaId,
  phone_number: f.phoneNumber,
  body: f.body,
  examples_json: JSON.stringify(f.examples),
});

/** The (account, name, language) UNIQUE constraint refuses a second template of a name. */
export { isUniqueViolation } from '../../db/constraints.js';

export async function insertTemplate(db: Db, t: Template): Promise<void> {
  await db
    .insertInto('templates')
    .values({
      id: t.id,
      account_id: t.accountId,
      ...fieldColumns(t),
      status: t.status,
      status_reason: t.statusReason,
      provider_template_id: t.providerTemplateId,
      created_at: t.createdAt,
      updated_at: t.updatedAt,
    })
    .execute();
}

/** A template of this account only: another account's id reads as absent. */
export async function findTemplate(
  db: Db,
  accountId: string,
  id: string,
): Promise<Template | undefined> {
  const row = await findRow(db, 'templates', { account_id: accountId, id });
  return row && fromRow(row);
}

export async function findTemplateByName(
  db: Db,
  accountId: string,
  name: string,
  language: string,
): Promise<Template | undefined> {
  const row = await findRow(db, 'templates', { account_id: accountId, name, language });
  return row && fromRow(row);
}

export async function findTemplateByProviderId(
  db: Db,
  accountId: string,
  providerTemplateId: string,
): Promise<Template | undefined> {
  const row = await findRow(db, 'templates', {
    account_id: accountId,
    provider_template_id: providerTemplateId,
  });
  return row && fromRow(row);
}

export interface TemplateFilter {
  offset: number;
  limit: number;
  status?: TemplateStatus;
  /** Part of the name, any case. */
  name?: string;
}

/** One page, by name then language, and how many match in all. */
export async function listTemplates(
  db: Db,
  accountId: string,
  f: TemplateFilter,
): Promise<{ items: Template[]; total: number }> {
  let query = db.selectFrom('templates').where('account_id', '=', accountId);
  if (f.status) query = query.where('status', '=', f.status);
  // not LIKE: `_` is a wildcard in LIKE and every other template name has one
  if (f.name) query = query.where(containsFolded(db, 'name', f.name));
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('name').orderBy('language').limit(f.limit).offset(f.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(fromRow), total: Number(count.n) };
}

/** Rewrites the user's fields; `keepProviderId` false forgets Meta's id (a new name or language). */
export async function updateTemplateFields(
  db: Db,
  accountId: string,
  id: string,
  f: TemplateFields & { keepProviderId: boolean; now: number },
): Promise<void> {
  await updateRows(
    db,
    'templates',
    { account_id: accountId, id },
    {
      ...fieldColumns(f),
      ...(!f.keepProviderId && { provider_template_id: null }),
      updated_at: f.now,
    },
  );
}

/**
 * Moves a template to `status` only if it is still in one of `from`: two concurrent changes
 * cannot both win. False when it had already moved on (or is gone).
 */
export async function changeTemplateStatus(
  db: Db,
  accountId: string,
  id: string,
  c: {
    from: readonly TemplateStatus[];
    status: TemplateStatus;
    reason: string | null;
    providerTemplateId?: string;
    category?: TemplateCategory;
    now: number;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('templates')
    .set({
      status: c.status,
      status_reason: c.reason,
      ...(c.providerTemplateId !== undefined && { provider_template_id: c.providerTemplateId }),
      ...(c.category && { category: c.category }),
      updated_at: c.now,
    })
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .where('status', 'in', c.from)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteTemplateRow(db: Db, accountId: string, id: string): Promise<void> {
  await deleteRows(db, 'templates', { account_id: accountId, id });
}

/**
 * Handoffs of the account whose WhatsApp channel (enabled or not) names this template. A channel
 * without a language sends in `en`, as the outbox worker does.
 */
export async function handoffsUsingTemplate(
  db: Db,
  accountId: string,
  name: string,
  language: string,
): Promise<{ id: string; title: string }[]> {
  const { rows } = await sql<{ id: string; title: string }>`
    select distinct h.id, h.title
    from handoffs h, ${jsonElements(db, 'h.channels_json', 'c')}
    where h.account_id = ${accountId}
      and ${jsonText(db, 'c', 'name')} = 'wa'
      and ${jsonText(db, 'c', 'templateName')} = ${name}
      and coalesce(${jsonText(db, 'c', 'templateLanguage')}, 'en') = ${language}
    order by h.title`.execute(db);
  return rows;
}
