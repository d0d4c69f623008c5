import type { Generated } from 'kysely';

/** Row types as stored: snake_case columns, epoch-millisecond times, JSON in *_json text columns. */
export interface AccountTable {
  id: string;
  name: string;
  /** Account-wide channels in priority order: [{name, enabled}]. */
  channels_json: string;
  device_check: number;
  frequency_cap_per_hour: number;
  rate_limit_per_sec: number;
  sms_opt_out_text: string;
  help_text: string;
  default_skill: string | null;
  created_at: number;
  receipt_timeout_hours: Generated<number>;
  /** Origins allowed to call the admin API from a browser (the brand's portal). */
  allowed_origins_json: Generated<string>;
  /** Days a WhatsApp refusal as "not on WhatsApp" (131026) keeps `wa` not reachable. */
  wa_unreachable_days: Generated<number>;
  /** The IANA zone reporting counts the account's days in (013). */
  timezone: Generated<string>;
}

export interface SkillTable {
  id: Generated<number>;
  account_id: string;
  name: string;
  routing_enabled: number;
  created_at: number;
}

export interface HandoffTable {
  id: string;
  account_id: string;
  title: string;
  active: number;
  lookback_minutes: number;
  /** Handoff channels in priority order: [{name, enabled, message, outboundNumber?, templateName?, apps?}]. */
  channels_json: string;
  created_at: number;
  updated_at: number;
}

export interface CredentialTable {
  id: string;
  account_id: string;
  kind: 'oauth1' | 'oauth2';
  name: string;
  /** OAuth 1.0a consumer key, or OAuth 2.0 client id. */
  key_id: string;
  /** OAuth 1.0a: consumer secret, encrypted (needed to check HMAC). OAuth 2.0: null. */
  secret_enc: string | null;
  /** OAuth 2.0: client secret, SHA-256 hashed. OAuth 1.0a: null. */
  secret_hash: string | null;
  token: string | null;
  token_secret_enc: string | null;
  permissions_json: string;
  created_at: number;
  revoked_at: number | null;
}

/** A widget installation key (migration 011): only its hash is kept. */
export interface WidgetKeyTable {
  id: string;
  account_id: string;
  name: string;
  /** SHA-256 of the whole key (auth/secrets.ts hashSecret). */
  secret_hash: string;
  created_at: number;
  revoked_at: number | null;
}

/** A session ended before its token's expiry (sign-out, migration 014), kept until that expiry. */
export interface EndedSessionTable {
  /** The token's `sid` claim (for a token without one, `tok:` and the SHA-256 of the token). */
  id: string;
  account_id: string;
  /** When the token expires, in epoch ms: the row is deleted after. */
  expires_at: number;
}

export interface CallTable {
  id: string;
  account_id: string;
  handoff_id: string;
  skill: string;
  consumer_phone: string;
  consumer_id: string | null;
  ivr_number: string | null;
  sdes_json: string;
  template_vars_json: string;
  eligible: number;
  /** Decisions per channel, in priority order: [{name, eligible, reason}]. */
  decisions_json: string;
  created_at: number;
  expires_at: number;
  /** Reporting: where the attempt came from (the product's API / UI / LPWF). */
  source: Generated<string>;
  /** Reporting: the channel an attempt counts under until an invite picks the final one. */
  report_channel: Generated<string>;
  /** Reporting: eligible, ineligible, or opted_out (counted as skipped). */
  report_outcome: Generated<'eligible' | 'ineligible' | 'opted_out'>;
  /** Reporting: `errorSource_errorCode` of an ineligible attempt, e.g. `c2m_1400`. */
  report_error: string | null;
}

export interface TransactionTable {
  id: string;
  account_id: string;
  call_id: string;
  handoff_id: string;
  skill: string;
  channel: string;
  consumer_phone: string;
  consumer_id: string | null;
  ivr_number: string | null;
  status: 'queued' | 'sent' | 'delivered' | 'read' | 'replied' | 'failed' | 'skipped';
  error_source: string | null;
  error_code: string | null;
  error_message: string | null;
  consent_json: string;
  attempted_at: number;
  eligible_at: number | null;
  invited_at: number;
  sent_at: number | null;
  delivered_at: number | null;
  read_at: number | null;
  failed_at: number | null;
  updated_at: number;
  replied_at: Generated<number | null>;
}

export interface MessageTable {
  id: string;
  account_id: string;
  transaction_id: string | null;
  channel: string;
  provider: string;
  direction: 'outbound' | 'inbound';
  to_address: string;
  from_address: string | null;
  body: string;
  status: 'queued' | 'sent' | 'delivered' | 'read' | 'failed' | 'received';
  provider_message_id: string | null;
  error_code: string | null;
  created_at: number;
  updated_at: number;
  conversation_id: Generated<string | null>;
  error_message: Generated<string | null>;
}

export interface OutboxTable {
  id: Generated<number>;
  account_id: string;
  kind: string;
  payload_json: string;
  status: 'pending' | 'running' | 'done' | 'dead';
  attempts: number;
  next_attempt_at: number;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

export interface OptOutTable {
  account_id: string;
  phone: string;
  source: string;
  opted_out_at: number;
}

export interface OptOutLedgerTable {
  id: Generated<number>;
  account_id: string;
  phone: string;
  action: 'opt_out' | 'opt_in';
  source: string;
  keyword: string | null;
  at: number;
}

export interface ConversationTable {
  id: string;
  account_id: string;
  transaction_id: string | null;
  consumer_phone: string | null;
  consumer_id: string | null;
  channel: string;
  skill: string;
  status: 'open' | 'closed';
  opened_at: number;
  closed_at: number | null;
  handoff_id: Generated<string | null>;
  /** 1 when the conversation came from a deflection within its lookback; counted in reporting. */
  deflection: Generated<number>;
  /** The call context carried to the agent: SDEs, IVR number, handoff, first outbound message. */
  context_json: Generated<string>;
  /** Last sequence number given to a sink delivery: the sink's order per conversation. */
  sink_seq: Generated<number>;
}

export interface IdempotencyKeyTable {
  account_id: string;
  key: string;
  route: string;
  request_hash: string;
  status: number | null;
  response_json: string | null;
  created_at: number;
}

export interface EventTable {
  id: Generated<number>;
  account_id: string;
  type: string;
  transaction_id: string | null;
  payload_json: string;
  at: number;
  // PostgreSQL only: `xid` (xid8), the transaction that wrote it, for the fan-out (fan-out.ts)
}

export interface ProviderSettingsTable {
  account_id: string;
  channel: string;
  provider: string;
  settings_enc: string;
  updated_at: number;
}

export interface WebhookReceiptTable {
  provider: string;
  event_id: string;
  account_id: string;
  received_at: number;
}

export interface DeviceTable {
  account_id: string;
  consumer_id: string;
  app_id: string;
  platform: 'ios' | 'android' | 'web';
  token: string;
  updated_at: number;
}

export interface SinkSettingsTable {
  account_id: string;
  url: string;
  secret_enc: string;
  updated_at: number;
}

export interface SinkDeliveryTable {
  id: string;
  account_id: string;
  conversation_id: string;
  seq: number;
  type: string;
  body_json: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
  /** While a node attempts it, until when (a lease: past it, another node may). */
  locked_until: number | null;
}

export interface UserTable {
  id: string;
  account_id: string;
  username: string;
  role: string;
  password_hash: string;
  created_at: number;
}

export interface TemplateTable {
  id: string;
  account_id: string;
  name: string;
  category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  language: string;
  waba_id: string;
  phone_number: string;
  body: string;
  examples_json: string;
  status: 'draft' | 'pending' | 'approved' | 'rejected' | 'paused' | 'disabled';
  status_reason: string | null;
  provider_template_id: string | null;
  created_at: number;
  updated_at: number;
}

/** What an account learned about a number on WhatsApp from its own sends (the last verdict). */
export interface WaReachabilityTable {
  account_id: string;
  phone: string;
  state: 'reachable' | 'unreachable';
  learned_at: number;
}

export interface Database {
  accounts: AccountTable;
  skills: SkillTable;
  handoffs: HandoffTable;
  credentials: CredentialTable;
  widget_keys: WidgetKeyTable;
  ended_sessions: EndedSessionTable;
  calls: CallTable;
  transactions: TransactionTable;
  messages: MessageTable;
  outbox: OutboxTable;
  optouts: OptOutTable;
  optout_ledger: OptOutLedgerTable;
  conversations: ConversationTable;
  idempotency_keys: IdempotencyKeyTable;
  events: EventTable;
  provider_settings: ProviderSettingsTable;
  webhook_receipts: WebhookReceiptTable;
  devices: DeviceTable;
  sink_settings: SinkSettingsTable;
  sink_deliveries: SinkDeliveryTable;
  users: UserTable;
  templates: TemplateTable;
  report_facts: ReportFactTable;
  report_daily: ReportDailyTable;
  report_daily_errors: ReportDailyErrorTable;
  webhook_subscriptions: WebhookSubscriptionTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_cursor: WebhookCursorTable;
  wa_reachability: WaReachabilityTable;
  maintenance_leases: MaintenanceLeaseTable;
}

/** The dimensions every reporting count is kept by (ivr_number '' when the IVR sent none). */
export interface ReportDimensions {
  account_id: string;
  /** UTC day number of the attempt: floor(attempted_at / 86 400 000). */
  day: number;
  source: string;
  channel: string;
  skill: string;
  handoff_id: string;
  ivr_number: string;
}

/** The funnel flags of one call (0 or 1 each); report_daily holds their sums. */
export interface ReportFlags {
  eligible: number;
  invited: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  skipped: number;
  responded: number;
  closed: number;
}

/** One row per call, kept by triggers on calls, transactions and conversations (004_reporting). */
export interface ReportFactTable extends ReportDimensions, ReportFlags {
  call_id: string;
  attempted_at: number;
  error_key: string | null;
}

/** Running sums of report_facts, kept by triggers: analytics reads only these. */
export interface ReportDailyTable extends ReportDimensions, ReportFlags {
  attempted: number;
}

export interface ReportDailyErrorTable extends ReportDimensions {
  error_key: string;
  count: number;
}

/** A brand's event webhook (005_event_webhooks). */
export interface WebhookSubscriptionTable {
  id: string;
  account_id: string;
  url: string;
  events_json: string;
  secret_enc: string;
  description: string | null;
  enabled: number;
  from_event_id: number;
  created_at: number;
  updated_at: number;
}

/** One event for one subscription: signed and sent in order of event_id per order_key. */
export interface WebhookDeliveryTable {
  id: string;
  subscription_id: string;
  account_id: string;
  event_id: number;
  type: string;
  order_key: string;
  body_json: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: number;
  expires_at: number;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
  /** While a node attempts it, until when (a lease: past it, another node may). */
  locked_until: number | null;
}

export interface WebhookCursorTable {
  name: string;
  last_event_id: number;
  // PostgreSQL only: `last_xid` (xid8), the transaction of the last event fanned out (fan-out.ts)
}

/** A job one node runs at a time across the cluster (retention), leased until `locked_until`. */
export interface MaintenanceLeaseTable {
  name: string;
  locked_until: number;
}
