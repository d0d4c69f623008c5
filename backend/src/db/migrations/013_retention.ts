import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../engine.js';

const DIMS = ['account_id', 'day', 'source', 'channel', 'skill', 'handoff_id', 'ivr_number'];
const COUNTS = [
  'attempted',
  'eligible',
  'invited',
  'sent',
  'delivered',
  'read',
  'failed',
  'skipped',
  'responded',
  'closed',
];

/**
 * Retention (modules/retention): rows older than the installation's retention are deleted in
 * small batches by one node at a time.
 *
 * - `maintenance_leases`: one row per job run by one node at a time across the cluster; a node
 *   takes the row's lease by an atomic update, and another may take it once it runs out.
 * - The daily sums (report_daily, report_daily_errors) of pruned calls are kept: they hold no
 *   consumer data, and a year-on-year trend needs them. A fact row whose call is gone (pruned) is
 *   deleted without taking its counts out of the sums; a fact deleted while its call exists still
 *   is (004's rule).
 * - Indexes on the times the job prunes by, so each batch finds its oldest rows at once.
 *
 * Also `accounts.timezone`: the IANA zone whose days reporting counts the account's calls in.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // and the zone an account's reporting days are counted in (UTC, as before, until set)
  await db.schema
    .alterTable('accounts')
    .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .execute();
  await db.schema
    .createTable('maintenance_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('locked_until', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`insert into maintenance_leases (name, locked_until) values ('retention', 0)`.execute(
    db,
  );

  const byTime: [string, string][] = [
    ['calls', 'created_at'],
    ['transactions', 'attempted_at'],
    ['messages', 'created_at'],
    ['conversations', 'closed_at'],
    ['events', 'at'],
    ['webhook_deliveries', 'created_at'],
    ['sink_deliveries', 'created_at'],
    ['webhook_receipts', 'received_at'],
    ['report_facts', 'attempted_at'],
  ];
  for (const [table, column] of byTime) {
    await db.schema.createIndex(`${table}_retention`).on(table).column(column).execute();
  }

  const pg = isPostgres(db);
  const current = (table: string, column: string) => (pg ? `${table}.${column}` : column);
  const dims = DIMS.map((c) => `OLD.${c}`).join(', ');
  const flags = COUNTS.slice(1)
    .map((f) => `-1 * OLD.${f}`)
    .join(', ');
  const sets = COUNTS.map((c) => `${c} = ${current('report_daily', c)} + excluded.${c}`).join(', ');
  const subtract = `
    insert into report_daily (${DIMS.join(', ')}, ${COUNTS.join(', ')})
    values (${dims}, -1, ${flags})
    on conflict (${DIMS.join(', ')}) do update set ${sets};
    insert into report_daily_errors (${DIMS.join(', ')}, error_key, count)
    select ${dims}, OLD.error_key, -1 where OLD.error_key is not null
    on conflict (${DIMS.join(', ')}, error_key)
      do update set count = ${current('report_daily_errors', 'count')} + excluded.count;`;
  const callExists = 'exists (select 1 from calls where calls.id = OLD.call_id)';
  if (pg) {
    // the trigger stays; its function now subtracts only while the call exists
    await sql
      .raw(
        `create or replace function report_fact_deleted() returns trigger language plpgsql as $$
        begin
          if ${callExists} then
            ${subtract}
          end if;
          return null;
        end $$`,
      )
      .execute(db);
  } else {
    await sql`drop trigger report_fact_deleted`.execute(db);
    await sql
      .raw(
        `create trigger report_fact_deleted after delete on report_facts when ${callExists} begin
          ${subtract}
        end`,
      )
      .execute(db);
  }
}
