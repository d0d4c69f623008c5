import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../engine.js';

const DIMS = ['account_id', 'day', 'source', 'channel', 'skill', 'handoff_id', 'ivr_number'];
const FLAGS = [
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
 * Reporting that is current to the commit: one fact row per call, kept by triggers on calls,
 * transactions and conversations, and running sums per day × dimensions kept by triggers on the
 * facts. Analytics reads only the sums, so a 60-day question costs the same for 1 000 or 10 000 000
 * calls; the triggers mean no write path can forget to count.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  // SQLite's integer holds any number and the sums' tables keep their rows in primary-key order;
  // PostgreSQL's milliseconds need bigint, and has no `without rowid`
  const int = pg ? 'bigint' : 'integer';
  const withoutRowid = sql.raw(pg ? '' : 'without rowid');
  const dims = sql.raw(DIMS.map((d) => `${d} ${d === 'day' ? int : 'text'} not null`).join(', '));
  const flags = sql.raw(FLAGS.map((f) => `${f} ${int} not null default 0`).join(', '));
  await sql`alter table calls add column source text not null default 'API'`.execute(db);
  await sql`alter table calls add column report_channel text not null default ''`.execute(db);
  await sql`alter table calls add column report_outcome text not null default 'eligible'`.execute(
    db,
  );
  await sql`alter table calls add column report_error text`.execute(db);
  await db.schema
    .createIndex('calls_account_created')
    .on('calls')
    .columns(['account_id', 'created_at'])
    .execute();
  // the opt-out and opt-in times of each reporting record
  await db.schema
    .createIndex('optout_ledger_phone_action_at')
    .on('optout_ledger')
    .columns(['account_id', 'phone', 'action', 'at'])
    .execute();
  await db.schema
    .createIndex('optout_ledger_account_at')
    .on('optout_ledger')
    .columns(['account_id', 'at'])
    .execute();

  await sql`create table report_facts (
    call_id text primary key,
    attempted_at ${sql.raw(int)} not null,
    ${dims},
    ${flags},
    error_key text
  ) ${withoutRowid}`.execute(db);
  // the first and last day of a window that starts or ends inside a day are counted from facts
  await db.schema
    .createIndex('report_facts_account_attempted')
    .on('report_facts')
    .columns(['account_id', 'attempted_at'])
    .execute();
  await sql`create table report_daily (
    ${dims},
    attempted ${sql.raw(int)} not null default 0,
    ${flags},
    primary key (${sql.raw(DIMS.join(', '))})
  ) ${withoutRowid}`.execute(db);
  await sql`create table report_daily_errors (
    ${dims},
    error_key text not null,
    count ${sql.raw(int)} not null default 0,
    primary key (${sql.raw([...DIMS, 'error_key'].join(', '))})
  ) ${withoutRowid}`.execute(db);

  const dialect = pg ? POSTGRES : SQLITE;
  for (const trigger of triggers(dialect)) await sql.raw(trigger).execute(db);

  await backfill(db, dialect);
}

/** What the trigger SQL says differently on each engine. */
interface TriggerDialect {
  /** A condition as the 0/1 a flag column holds: SQLite's comparisons are numbers already. */
  flag(condition: string): string;
  /** The sums' row being updated, as an upsert's SET names it. */
  current(table: string, column: string): string;
  /**
   * A trigger running `body` for each row: `event` is `insert`, `update of …` or `delete`, and
   * `when` an optional condition on NEW.
   */
  trigger(name: string, event: string, table: string, body: string, when?: string): string[];
}

const SQLITE: TriggerDialect = {
  flag: (condition) => condition,
  current: (_table, column) => column,
  trigger: (name, event, table, body, when) => [
    `create trigger ${name} after ${event} on ${table} ${when ? `when ${when}` : ''} begin
      ${body}
    end`,
  ],
};

/** PostgreSQL runs a trigger's statements as a function, one per trigger. */
const POSTGRES: TriggerDialect = {
  flag: (condition) => `(${condition})::int`,
  current: (table, column) => `${table}.${column}`,
  trigger: (name, event, table, body, when) => [
    `create function ${name}() returns trigger language plpgsql as $$
    begin
      ${body}
      return null;
    end $$`,
    `create trigger ${name} after ${event} on ${table} for each row
      ${when ? `when (${when})` : ''} execute function ${name}()`,
  ],
};

/** Adds (sign 1) or removes (sign -1) one fact row's contribution to the sums. */
function addToSums(d: TriggerDialect, row: 'NEW' | 'OLD', sign: 1 | -1): string {
  const dims = DIMS.map((c) => `${row}.${c}`).join(', ');
  const values = [`${sign}`, ...FLAGS.map((f) => `${sign} * ${row}.${f}`)].join(', ');
  const sets = ['attempted', ...FLAGS]
    .map((c) => `${c} = ${d.current('report_daily', c)} + excluded.${c}`)
    .join(', ');
  return `
    insert into report_daily (${DIMS.join(', ')}, attempted, ${FLAGS.join(', ')})
    values (${dims}, ${values})
    on conflict (${DIMS.join(', ')}) do update set ${sets};
    insert into report_daily_errors (${DIMS.join(', ')}, error_key, count)
    select ${dims}, ${row}.error_key, ${sign} where ${row}.error_key is not null
    on conflict (${DIMS.join(', ')}, error_key)
      do update set count = ${d.current('report_daily_errors', 'count')} + excluded.count;`;
}

/** The transaction's part of its call's fact: final channel and skill, and how far it got. */
const fromTransaction = (d: TriggerDialect) => `
  channel = NEW.channel,
  skill = NEW.skill,
  invited = 1,
  sent = ${d.flag('NEW.sent_at is not null')},
  delivered = ${d.flag('NEW.delivered_at is not null')},
  read = ${d.flag('NEW.read_at is not null')},
  failed = ${d.flag(`NEW.status = 'failed'`)},
  skipped = ${d.flag(`NEW.status = 'skipped'`)},
  error_key = case when NEW.status = 'failed'
    then coalesce(NEW.error_source, 'c2m') || '_' || coalesce(NEW.error_code, '5000') end`;

function triggers(d: TriggerDialect): string[] {
  const conversationReplied = `
      update report_facts set responded = 1, closed = ${d.flag(`NEW.status = 'closed'`)}
        where call_id = (select call_id from transactions where id = NEW.transaction_id);`;
  return [
    ...d.trigger(
      'report_call_inserted',
      'insert',
      'calls',
      `insert into report_facts (call_id, attempted_at, ${DIMS.join(', ')}, eligible, failed,
        skipped, error_key)
      values (NEW.id, NEW.created_at, NEW.account_id, NEW.created_at / 86400000, NEW.source, NEW.report_channel,
        NEW.skill, NEW.handoff_id, coalesce(NEW.ivr_number, ''),
        ${d.flag(`NEW.report_outcome = 'eligible'`)}, ${d.flag(`NEW.report_outcome = 'ineligible'`)},
        ${d.flag(`NEW.report_outcome = 'opted_out'`)}, NEW.report_error);`,
    ),
    ...d.trigger(
      'report_transaction_inserted',
      'insert',
      'transactions',
      `update report_facts set ${fromTransaction(d)} where call_id = NEW.call_id;`,
    ),
    ...d.trigger(
      'report_transaction_updated',
      `update of status, channel, skill, sent_at, delivered_at, read_at, failed_at,
        error_source, error_code`,
      'transactions',
      `update report_facts set ${fromTransaction(d)} where call_id = NEW.call_id;`,
    ),
    ...d.trigger(
      'report_conversation_inserted',
      'insert',
      'conversations',
      conversationReplied,
      'NEW.transaction_id is not null',
    ),
    ...d.trigger(
      'report_conversation_updated',
      'update of status',
      'conversations',
      conversationReplied,
      'NEW.transaction_id is not null',
    ),
    ...d.trigger('report_fact_inserted', 'insert', 'report_facts', addToSums(d, 'NEW', 1)),
    ...d.trigger(
      'report_fact_updated',
      'update',
      'report_facts',
      `${addToSums(d, 'OLD', -1)}
      ${addToSums(d, 'NEW', 1)}`,
    ),
    ...d.trigger('report_fact_deleted', 'delete', 'report_facts', addToSums(d, 'OLD', -1)),
  ];
}

/** Calls recorded before reporting existed: classify them, then let the triggers count them. */
async function backfill(db: Kysely<unknown>, d: TriggerDialect): Promise<void> {
  const calls = await sql<{ id: string; decisions_json: string }>`
    select id, decisions_json from calls`.execute(db);
  for (const call of calls.rows) {
    const report = classify(JSON.parse(call.decisions_json) as StoredDecision[]);
    await sql`update calls set report_channel = ${report.channel},
      report_outcome = ${report.outcome}, report_error = ${report.error}
      where id = ${call.id}`.execute(db);
  }
  await sql`insert into report_facts (call_id, attempted_at, ${sql.raw(DIMS.join(', '))},
      eligible, failed, skipped, error_key)
    select id, created_at, account_id, created_at / 86400000, source, report_channel, skill, handoff_id,
      coalesce(ivr_number, ''), ${sql.raw(d.flag(`report_outcome = 'eligible'`))},
      ${sql.raw(d.flag(`report_outcome = 'ineligible'`))},
      ${sql.raw(d.flag(`report_outcome = 'opted_out'`))}, report_error
    from calls`.execute(db);
  await sql`update transactions set status = status`.execute(db);
  await sql`update conversations set status = status where transaction_id is not null`.execute(db);
}

/** A channel decision as calls.decisions_json held it when this migration was written. */
interface StoredDecision {
  name: string;
  eligible: boolean;
  reason?: string;
}

/**
 * The funnel's rule as it stood for this migration, written out here so that the migration keeps
 * doing what it did when the live rule (modules/reporting/outcome.ts) changes: a migration is
 * frozen and imports no live code.
 */
function classify(decisions: readonly StoredDecision[]): {
  channel: string;
  outcome: 'eligible' | 'ineligible' | 'opted_out';
  error: string | null;
} {
  const eligible = decisions.find((d) => d.eligible);
  if (eligible) return { channel: eligible.name, outcome: 'eligible', error: null };
  const first = decisions[0];
  const channel = first?.name ?? 'none';
  if (first?.reason === 'opted_out') return { channel, outcome: 'opted_out', error: null };
  const errors: Record<string, string> = {
    open_conversation: 'c2m_1400',
    frequency_cap: 'c2m_1029',
  };
  return { channel, outcome: 'ineligible', error: errors[first?.reason ?? ''] ?? 'c2m_1001' };
}
