import type { Db } from '../../db/database.js';
import type { ChannelDecision, Sde } from '../../../contract/deflection.js';
import type { z } from 'zod';
import type { AppUnitOfWork } from '../events/domain-events.js';
import { attemptReport } from '../reporting/outcome.js';
import { findRow } from '../../db/rows.js';

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

/** Stores the call and tells, after the commit, that the reporting funnel has a new attempt. */
export function insertCall(uow: AppUnitOfWork, c: Call): Promise<void> {
  const report = attemptReport(c.decisions);
  return uow.run(async (w) => {
    await w.db
      .insertInto('calls')
      .values({
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
      })
      .execute();
    w.emit(['call-created', c.accountId, c.id]);
  });
}

/** A call of this account only: another account's callId reads as unknown. */
export async function findCall(db: Db, accountId: string, id: string): Promise<Call | undefined> {
  const row = await findRow(db, 'calls', { account_id: accountId, id });
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

/** An open conversation with this consumer on any channel: by phone, or by app user id. */
export async function hasOpenConversation(
  db: Db,
  accountId: string,
  phone: string,
  consumerId?: string | null,
): Promise<boolean> {
  const row = await db
    .selectFrom('conversations')
    .select('id')
    .where('account_id', '=', accountId)
    .where('status', '=', 'open')
    .where((eb) =>
      consumerId
        ? eb.or([eb('consumer_phone', '=', phone), eb('consumer_id', '=', consumerId)])
        : eb('consumer_phone', '=', phone),
    )
    .executeTakeFirst();
  return row !== undefined;
}

/** Invites to this number in the window, for the per-number frequency cap. */
export async function countRecentInvites(
  db: Db,
  accountId: string,
  phone: string,
  sinceMs: number,
): Promise<number> {
  const row = await db
    .selectFrom('transactions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .where('consumer_phone', '=', phone)
    .where('invited_at', '>=', sinceMs)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
