import { z } from 'zod';
import { ChannelName } from './channels.js';
import { TimeZone } from './time-zone.js';

/**
 * The reporting API, on the product's Outbound Reporting API paths and shapes, plus what the
 * product cannot do: grouping by handoff and IVR number, exports of any window, the opt-out ledger.
 *
 * One reporting record per IVR call (`callId`): an eligibility answer is an attempt; an invite
 * makes it a transaction. Counts are current to the commit that changed them.
 */

export const DAY_MS = 86_400_000;
export const ANALYTICS_MAX_WINDOW_MS = 60 * DAY_MS;
export const TRANSACTIONS_MAX_WINDOW_MS = DAY_MS;
export const TRANSACTIONS_MAX_LIMIT = 5000;

const EpochMs = z.coerce
  .number({ error: 'must be a time in epoch milliseconds' })
  .int('must be a whole number of epoch milliseconds')
  .min(0, 'must be a time in epoch milliseconds');

/** `attemptedStartTime` / `attemptedEndTime` (query), start inclusive, end exclusive. */
export const ReportWindow = (maxMs: number, what: string) =>
  z
    .object({
      attemptedStartTime: EpochMs,
      attemptedEndTime: EpochMs,
      /** The zone whose days the rows are counted in (analytics); the account's when absent. */
      timezone: TimeZone.optional(),
    })
    .refine((w) => w.attemptedEndTime > w.attemptedStartTime, {
      message: 'must be later than attemptedStartTime',
      path: ['attemptedEndTime'],
    })
    .refine((w) => w.attemptedEndTime - w.attemptedStartTime <= maxMs, {
      message: `the window may span at most ${what} (attemptedEndTime - attemptedStartTime)`,
      path: ['attemptedEndTime'],
    });
export const AnalyticsWindow = ReportWindow(ANALYTICS_MAX_WINDOW_MS, '60 days');
export const TransactionsWindow = ReportWindow(TRANSACTIONS_MAX_WINDOW_MS, '24 hours');
/** Exports stream, so any window is allowed. */
export const ExportWindow = ReportWindow(Number.MAX_SAFE_INTEGER, 'any length');
export type ReportWindow = z.infer<typeof AnalyticsWindow>;

export const Source = z.enum(['API', 'UI', 'LPWF']);
export type Source = z.infer<typeof Source>;
/** Groupings beyond the product's fixed channel × skill × day. */
export const GroupBy = z.enum(['handoff', 'ivrnumber', 'source']);
export type GroupBy = z.infer<typeof GroupBy>;

const List = <T extends z.ZodType>(item: T) => z.array(item).max(100).optional();

export const AnalyticsFilters = z.strictObject({
  channels: List(ChannelName),
  skills: List(z.string().min(1).max(255)),
  handoffids: List(z.string().min(1).max(16)),
  ivrnumbers: List(z.string().min(1).max(32)),
  source: List(Source),
  groupby: z.array(GroupBy).max(3).optional(),
});
export type AnalyticsFilters = z.infer<typeof AnalyticsFilters>;

/** The product's body, or the older text's `{filters: {...}}` wrapper. */
export const AnalyticsBody = z.union([
  z.strictObject({ filters: AnalyticsFilters }),
  AnalyticsFilters,
]);

export const FUNNEL = [
  'attempted',
  'eligible',
  'invited',
  'skipped',
  'sent',
  'failed',
  'delivered',
  'read',
  'conversationscreated',
  'conversationsclosed',
] as const;
export type FunnelCount = (typeof FUNNEL)[number];

export const AnalyticsRow = z.object({
  channel: z.string(),
  skill: z.string(),
  /** `MM-DD-YYYY`, the UTC day of the attempt (as in the product's examples). */
  transactionday: z.string(),
  handoffid: z.string().optional(),
  ivrnumber: z.string().optional(),
  source: Source.optional(),
  attempted: z.number().int(),
  eligible: z.number().int(),
  /** Beyond the product's funnel: the caller pressed the key and the IVR invited. */
  invited: z.number().int(),
  skipped: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  delivered: z.number().int(),
  read: z.number().int(),
  conversationscreated: z.number().int(),
  conversationsclosed: z.number().int(),
  /** `errorSource_errorCode` → count, e.g. `c2m_1400`, `outbound_twilio_21610`. */
  error_aggregation: z.record(z.string(), z.number().int()),
});
export type AnalyticsRow = z.infer<typeof AnalyticsRow>;

export const RequestMetadata = z.object({
  accountId: z.string(),
  app: z.literal('c2m'),
  attemptedStartTime: z.number(),
  attemptedEndTime: z.number(),
  /** The IANA zone `transactionday` is a day of (analytics). */
  timezone: z.string().optional(),
  filters: z.record(z.string(), z.unknown()).optional(),
});

export const AnalyticsResponse = z.object({
  requestMetadata: RequestMetadata,
  analytics: z.array(AnalyticsRow),
});
export type AnalyticsResponse = z.infer<typeof AnalyticsResponse>;

/** The v2 `messagestatus` values, plus QUEUED (invited, not yet sent) and OFFERED (eligible, no invite). */
export const MessageStatus = z.enum([
  'FAILED',
  'SKIPPED',
  'SENT',
  'DELIVERED',
  'READ',
  'RESPONDED',
  'QUEUED',
  'OFFERED',
]);
export type MessageStatus = z.infer<typeof MessageStatus>;

export const TransactionsBody = z.strictObject({
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(TRANSACTIONS_MAX_LIMIT).default(100),
  filters: z
    .strictObject({
      channels: List(ChannelName),
      skills: List(z.string().min(1).max(255)),
      messagestatus: List(MessageStatus),
      transactionids: z.array(z.string().min(1).max(64)).max(1000).optional(),
    })
    .optional(),
});
export type TransactionsBody = z.infer<typeof TransactionsBody>;

const Time = z.string().nullable();

/**
 * One transaction as the product's reporting API lists it; times as ISO-8601, null until the step
 * happened.
 */
export const TransactionRecord = z.object({
  transactionId: z.string(),
  callId: z.string(),
  channel: z.string(),
  skill: z.string(),
  initialChannel: z.string(),
  initialSkill: z.string(),
  attemptedTime: z.string(),
  eligibleTime: Time,
  inviteTime: Time,
  sentTime: Time,
  deliveredTime: Time,
  readTime: Time,
  failedTime: Time,
  skippedTime: Time,
  cancelledTime: Time,
  conversationsCreatedTime: Time,
  conversationsClosedTime: Time,
  optInsTime: Time,
  optOutsTime: Time,
  conversationId: z.string().nullable(),
  consumerId: z.string().nullable(),
  handOffId: z.string(),
  ivrNumber: z.string().nullable(),
  source: Source,
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  errorSource: z.string().nullable(),
  messageStatus: MessageStatus,
});
export type TransactionRecord = z.infer<typeof TransactionRecord>;

export const TransactionsResponse = z.object({
  requestMetadata: RequestMetadata,
  page: z.object({ count: z.number().int(), offset: z.number().int(), limit: z.number().int() }),
  transactions: z.array(TransactionRecord),
});
export type TransactionsResponse = z.infer<typeof TransactionsResponse>;

export const ExportFormat = z.enum(['csv', 'ndjson']);
export type ExportFormat = z.infer<typeof ExportFormat>;

/** One row of the opt-out ledger export (the product has no such report). */
export const OptOutLedgerRecord = z.object({
  phone: z.string(),
  action: z.enum(['opt_out', 'opt_in']),
  source: z.string(),
  keyword: z.string().nullable(),
  time: z.string(),
});
export type OptOutLedgerRecord = z.infer<typeof OptOutLedgerRecord>;
