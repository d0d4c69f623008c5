import type { Db } from '../../db/database.js';
import type { ChannelDecision, Sde } from '../../../contract/deflection.js';
import type { z } from 'zod';
import type { AppUnitOfWork } from '../events/domain-events.js';
import { attemptReport } from '../reporting/outcome.js';
import type { Insertable } from 'kysely';
import { columnsOf, statement } from '../../db/statement.js';
import type { CallTable } from '../../db/schema.js';

/** The stored call context: what the IVR said at eligibility, and what c2m decided. */
export interface Call {
  id: string;
  accountId: string;
  handoffId: string;
  skill: string;
  consumerPhone: string;
  consumerId: string | null;
  ivrNumber: string | null;
  sdes: z.infer<typeof Sde>[];
  templateVariables: Record<string, string>;
  eligible: boolean;
  decisions: ChannelDecision[];
  createdAt: number;
  expiresAt: number;
}

type CallRow = Insertable<Omit<CallTable, 'source'>>;
const CALL_COLUMNS = [
  'id',
  'account_id',
  'handoff_id',
  'skill',
  'consumer_phone',
  'consumer_id',
  'ivr_number',
  'sdes_json',
  'template_vars_json',
  'eligible',
  'decisions_json',
  'created_at',
  'expires_at',
  'report_channel',
  'report_outcome',
  'report_error',
] as const satisfies readonly (keyof CallRow)[];
const insertCallRow = statement((db, row: Required<CallRow>) =>
  db.insertInto('calls').values(columnsOf(row, CALL_COLUMNS)),
);

/** Stores the call and tells, after the commit, that the reporting funnel has a new attempt. */
export function insertCall(uow: AppUnitOfWork, c: Call): Promise<void> {
  const report = attemptReport(c.decisions);
  return uow.run(async (w) => {
    await insertCallRow.run(w.db, {
      id: c.id,
      account_id: c.accountId,
      handoff_id: c.handoffId,
      skill: c.skill,
      consumer_phone: c.consumerPhone,
      consumer_id: c.consumerId,
      ivr_number: c.ivrNumber,
      sdes_json: JSON.stringify(c.sdes),
      template_vars_json: JSON.stringify(c.templateVariables),
      eligible: c.eligible ? 1 : 0,
      decisions_json: JSON.stringify(c.decisions),
      created_at: c.createdAt,
      expires_at: c.expiresAt,
      report_channel: report.channel,
      report_outcome: report.outcome,
      report_error: report.error,
    });
    w.emit(['call-created', c.accountId, c.id]);
  });
}

const callById = statement((db, p: { accountId: string; id: string }) =>
  db.selectFrom('calls').selectAll().where('account_id', '=', p.accountId).where('id', '=', p.id),
);

/** A call of this account only: another account's callId reads as unknown. */
export async function findCall(db: Db, accountId: string, id: string): Promise<Call | undefined> {
  const row = await callById.first(db, { accountId, id });
  if (!row) return undefined;
  return {
    id: row.id,
    accountId: row.account_id,
    handoffId: row.handoff_id,
    skill: row.skill,
    consumerPhone: row.consumer_phone,
    consumerId: row.consumer_id,
    ivrNumber: row.ivr_number,
    sdes: JSON.parse(row.sdes_json) as Call['sdes'],
    templateVariables: JSON.parse(row.template_vars_json) as Record<string, string>,
    eligible: row.eligible === 1,
    decisions: JSON.parse(row.decisions_json) as ChannelDecision[],
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

interface ConsumerKey {
  accountId: string;
  phone: string;
  consumerId: string;
}
const openConversationOf = (byConsumerId: boolean) =>
  statement((db, p: ConsumerKey) =>
    db
      .selectFrom('conversations')
      .select('id')
      .where('account_id', '=', p.accountId)
      .where('status', '=', 'open')
      .where((eb) =>
        byConsumerId
          ? eb.or([eb('consumer_phone', '=', p.phone), eb('consumer_id', '=', p.consumerId)])
          : eb('consumer_phone', '=', p.phone),
      )
      .limit(1),
  );
const openConversation = { byPhone: openConversationOf(false), either: openConversationOf(true) };

/** An open conversation with this consumer on any channel: by phone, or by app user id. */
export async function hasOpenConversation(
  db: Db,
  accountId: string,
  phone: string,
  consumerId?: string | null,
): Promise<boolean> {
  const row = consumerId
    ? await openConversation.either.first(db, { accountId, phone, consumerId })
    : await openConversation.byPhone.first(db, { accountId, phone, consumerId: '' });
  return row !== undefined;
}

const recentInvites = statement((db, p: { accountId: string; phone: string; since: number }) =>
  db
    .selectFrom('transactions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', p.accountId)
    .where('consumer_phone', '=', p.phone)
    .where('invited_at', '>=', p.since),
);

/** Invites to this number in the window, for the per-number frequency cap. */
export async function countRecentInvites(
  db: Db,
  accountId: string,
  phone: string,
  sinceMs: number,
): Promise<number> {
  const row = await recentInvites.first(db, { accountId, phone, since: sinceMs });
  return Number(row?.n ?? 0);
}
