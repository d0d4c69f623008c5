import type { Db } from '../../db/database.js';
import type { ChannelDecision, Sde } from '../../../contract/deflection.js';
import type { z } from 'zod';
import type { AppUnitOfWork } from '../events/domain-events.js';
import { attemptReport } from '../reporting/outcome.js';
import type { Insertable } from 'kysely';
import { columnsOf, statement } from '../../db/statement.js';
import { optOutOf } from '../optouts/optouts.repo.js';
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

/** What stands between a consumer and an invite, as one snapshot. */
export interface ConsumerStanding {
  /** Their number, or their app user id, opted out. */
  optedOut: boolean;
  /** A conversation with them is open on any channel: by phone, or by app user id. */
  openConversation: boolean;
  /** Invites to their number since the window's start, for the per-number frequency cap. */
  recentInvites: number;
}

interface StandingKey {
  accountId: string;
  phone: string;
  consumerId: string;
  since: number;
}
const standingOf = (byConsumerId: boolean) =>
  statement((db, p: StandingKey) =>
    db.selectNoFrom((eb) => [
      (byConsumerId
        ? eb.or([
            eb.exists(optOutOf(db, p.accountId, p.phone)),
            eb.exists(optOutOf(db, p.accountId, p.consumerId)),
          ])
        : eb.exists(optOutOf(db, p.accountId, p.phone))
      ).as('opted_out'),
      eb
        .exists(
          db
            .selectFrom('conversations')
            .select('id')
            .where('account_id', '=', p.accountId)
            .where('status', '=', 'open')
            .where((c) =>
              byConsumerId
                ? c.or([c('consumer_phone', '=', p.phone), c('consumer_id', '=', p.consumerId)])
                : c('consumer_phone', '=', p.phone),
            ),
        )
        .as('open_conversation'),
      db
        .selectFrom('transactions')
        .select((t) => t.fn.countAll<number>().as('n'))
        .where('account_id', '=', p.accountId)
        .where('consumer_phone', '=', p.phone)
        .where('invited_at', '>=', p.since)
        .as('recent_invites'),
    ]),
  );
const standing = { byPhone: standingOf(false), either: standingOf(true) };

/**
 * A consumer's opt-out, open conversation and recent invites, read in one statement (one
 * snapshot, one trip through the driver: eligibility and invite both ask it).
 */
export async function consumerStanding(
  db: Db,
  accountId: string,
  phone: string,
  consumerId: string | null | undefined,
  sinceMs: number,
): Promise<ConsumerStanding> {
  const key = { accountId, phone, consumerId: consumerId ?? '', since: sinceMs };
  const row = await (consumerId ? standing.either : standing.byPhone).first(db, key);
  return {
    optedOut: Boolean(row?.opted_out),
    openConversation: Boolean(row?.open_conversation),
    recentInvites: Number(row?.recent_invites ?? 0),
  };
}
