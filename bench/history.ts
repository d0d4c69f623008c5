// A contact center's history written straight into c2m's schema: calls, their transactions, every
// event a real invite records (events.repo.ts) and the message it sent (outbox/messages.repo.ts),
// the conversations of those who replied. Used by bench:reporting, bench:isolation and
// `npm run bench -- --history N`.
import SqliteDatabase from 'better-sqlite3';
import { DAY_MS } from '../backend/contract/reporting.js';

export const HISTORY_DAYS = 60;
const HOUR_MS = 3_600_000;
/** accounts.receipt_timeout_hours' default: older messages without a receipt were failed. */
const RECEIPT_TIMEOUT_MS = 72 * HOUR_MS;

/**
 * The history's consumers live in area code 628, none in the deflection bench's 415
 * (bench/targets.ts): an open conversation or an opt-out of the history never makes a bench
 * eligibility request ineligible.
 */
export const HISTORY_AREA_CODE = '628';

/**
 * A contact center's shape: 8 handoffs, each with its channels (most SMS, some WhatsApp first,
 * in-app, Apple, RCS) and the 2–3 skills its queues route to; 24 IVR numbers, each the line of
 * one handoff. So a day has a few hundred channel × skill × handoff × IVR combinations at most.
 */
const HANDOFFS = [
  { channels: ['sms'], skills: ['sales', 'vip'] },
  { channels: ['sms'], skills: ['billing', 'retention'] },
  { channels: ['wa', 'sms'], skills: ['support', 'tech', 'sales'] },
  { channels: ['wa', 'sms'], skills: ['claims', 'billing'] },
  { channels: ['inapp'], skills: ['support', 'travel'] },
  { channels: ['apple', 'sms'], skills: ['vip', 'sales'] },
  { channels: ['rcs', 'sms'], skills: ['travel', 'retention'] },
  { channels: ['sms'], skills: ['tech', 'support', 'claims'] },
].map((h, i) => ({ ...h, id: `H${String(100000000000000 + i)}` }));
const IVR_NUMBERS = Array.from({ length: 24 }, (_, i) => ({
  number: `+1800555${String(1000 + i)}`,
  handoff: HANDOFFS[i % HANDOFFS.length],
}));
/** The provider each channel's messages went through (the adapters' `provider`). */
const PROVIDER: Record<string, string> = {
  sms: 'twilio',
  wa: 'whatsapp-cloud',
  inapp: 'push-proxy',
  apple: 'apple-link',
  rcs: 'rbm',
};
const INVITE_TEXT = 'Hi Ana, reply here to chat with us.';

/** A small deterministic generator, so two runs measure the same data. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface Generated {
  ms: number;
  sumsRows: number;
  calls: number;
  transactions: number;
  events: number;
  messages: number;
  conversations: number;
}

/** The transaction a history invite ended in, and when each step happened. */
interface Outcome {
  status: 'sent' | 'delivered' | 'read' | 'replied' | 'failed';
  sent: number | null;
  delivered: number | null;
  read: number | null;
  replied: number | null;
  failed: number | null;
  error: { source: string; code: string; message: string } | null;
}

/**
 * Writes calls, transactions, events, messages and conversations straight into the schema on a
 * second connection (WAL lets a running server keep its own), in the proportions of a busy contact
 * center: 85 % eligible, 70 % invited, most delivered, a third of WhatsApp read, 12 % replied.
 * An invite older than the receipt timeout that never got its receipt is failed as the
 * housekeeping sweep would have (c2m 5403), so no sweep rewrites history during a measurement.
 * The event-webhook cursor is moved past the history: it was fanned out long ago.
 */
export function generate(
  file: string,
  accountId: string,
  start: number,
  rows: number,
  now = Date.now(),
): Generated {
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('busy_timeout = 10000');
  const rnd = random(42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
  const insertCall = sqlite.prepare(`insert into calls (id, account_id, handoff_id, skill,
    consumer_phone, consumer_id, ivr_number, sdes_json, template_vars_json, eligible,
    decisions_json, created_at, expires_at, source, report_channel, report_outcome, report_error)
    values (?, ?, ?, ?, ?, null, ?, '[]', '{}', ?, '[]', ?, ?, 'API', ?, ?, ?)`);
  const insertTransaction = sqlite.prepare(`insert into transactions (id, account_id, call_id,
    handoff_id, skill, channel, consumer_phone, consumer_id, ivr_number, status, error_source,
    error_code, error_message, consent_json, attempted_at, eligible_at, invited_at, sent_at,
    delivered_at, read_at, failed_at, updated_at, replied_at)
    values (?, ?, ?, ?, ?, ?, ?, null, ?, ?, ?, ?, ?, '{}', ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertConversation = sqlite.prepare(`insert into conversations (id, account_id,
    transaction_id, consumer_phone, consumer_id, channel, skill, status, opened_at, closed_at,
    handoff_id, deflection, context_json, sink_seq)
    values (?, ?, ?, ?, null, ?, ?, ?, ?, ?, ?, 1, '{}', 0)`);
  const insertEvent = sqlite.prepare(`insert into events (account_id, type, transaction_id,
    payload_json, at) values (?, ?, ?, ?, ?)`);
  const insertMessage = sqlite.prepare(`insert into messages (id, account_id, transaction_id,
    conversation_id, channel, provider, direction, to_address, from_address, body, status,
    provider_message_id, error_code, error_message, created_at, updated_at)
    values (?, ?, ?, ?, ?, ?, 'outbound', ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const counts = { calls: 0, transactions: 0, events: 0, messages: 0, conversations: 0 };
  const event = (type: string, tx: string, payload: object, at: number) => {
    insertEvent.run(accountId, type, tx, JSON.stringify(payload), at);
    counts.events++;
  };

  const t0 = performance.now();
  const span = HISTORY_DAYS * DAY_MS;
  const batch = sqlite.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = `call-${String(i).padStart(8, '0')}`;
      const at = start + Math.floor((i / rows) * span);
      const line = pick(IVR_NUMBERS);
      const ivr = line.number;
      const handoff = line.handoff.id;
      // the first channel mostly; the second when the first was not reachable
      const channel = rnd() < 0.8 ? line.handoff.channels[0] : pick(line.handoff.channels);
      const skill = pick(line.handoff.skills);
      const phone = `+1${HISTORY_AREA_CODE}${String(2000000 + (i % 8000000))}`;
      const r = rnd();
      const outcome = r < 0.85 ? 'eligible' : r < 0.97 ? 'ineligible' : 'opted_out';
      const error = outcome === 'ineligible' ? (r < 0.95 ? 'c2m_1001' : 'c2m_1400') : null;
      insertCall.run(
        id,
        accountId,
        handoff,
        skill,
        phone,
        ivr,
        outcome === 'eligible' ? 1 : 0,
        at,
        at + HOUR_MS,
        channel,
        outcome,
        error,
      );
      counts.calls++;
      if (outcome !== 'eligible' || rnd() > 0.82) continue;

      const o = invited(rnd(), channel, at, now);
      const tx = `tx-${String(i).padStart(8, '0')}`;
      const updated = o.failed ?? o.replied ?? o.read ?? o.delivered ?? o.sent ?? at;
      insertTransaction.run(
        tx,
        accountId,
        id,
        handoff,
        skill,
        channel,
        phone,
        ivr,
        o.status,
        o.error?.source ?? null,
        o.error?.code ?? null,
        o.error?.message ?? null,
        at,
        at,
        at,
        o.sent,
        o.delivered,
        o.read,
        o.failed,
        updated,
        o.replied,
      );
      counts.transactions++;

      // the events a real invite records, in order (invite.service.ts, moveTransaction)
      event('transaction.queued', tx, { callId: id, channel, skill }, at);
      let from = 'queued';
      const step = (status: string, when: number, extra: object = {}) => {
        event('transaction.status_changed', tx, { from, status, at: when, ...extra }, when);
        from = status;
      };
      if (o.sent !== null) step('sent', o.sent, { channel });
      if (o.delivered !== null) step('delivered', o.delivered);
      if (o.read !== null) step('read', o.read);
      let conversation: string | null = null;
      if (o.replied !== null) {
        conversation = `conv-${i}`;
        const closed = rnd() < 0.8;
        insertConversation.run(
          conversation,
          accountId,
          tx,
          phone,
          channel,
          skill,
          closed ? 'closed' : 'open',
          o.replied,
          closed ? o.replied + 900_000 : null,
          handoff,
        );
        counts.conversations++;
        step('replied', o.replied);
        const ref = { conversationId: conversation };
        event('conversation.opened', tx, { ...ref, skill, deflection: true }, o.replied);
        if (closed) event('conversation.closed', tx, ref, o.replied + 900_000);
      }
      if (o.failed !== null) step('failed', o.failed, { error: o.error });

      // the invite message (messages.repo.ts storeOutbound, then markSent / receipts / markFailed)
      const message = o.replied !== null ? (o.read !== null ? 'read' : 'delivered') : o.status;
      const providerId = o.sent === null ? null : `SM${String(i).padStart(30, '0')}`;
      insertMessage.run(
        `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
        accountId,
        tx,
        conversation,
        channel,
        PROVIDER[channel],
        phone,
        channel === 'sms' ? '+15005550006' : null,
        INVITE_TEXT,
        message,
        providerId,
        o.error?.code ?? null,
        o.error?.message ?? null,
        at,
        o.failed ?? o.read ?? o.delivered ?? o.sent ?? at,
      );
      counts.messages++;
    }
  });
  for (let from = 0; from < rows; from += 20_000) batch(from, Math.min(rows, from + 20_000));
  // the history was fanned out to the event webhooks when it happened
  sqlite
    .prepare(
      `update webhook_cursor set last_event_id = max(last_event_id,
        (select coalesce(max(id), 0) from events)) where name = 'events'`,
    )
    .run();
  const ms = performance.now() - t0;
  const sumsRows = (sqlite.prepare('select count(*) as n from report_daily').get() as { n: number })
    .n;
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.close();
  return { ms, sumsRows, ...counts };
}

/** What became of an invite sent at `at`, drawn from `s` in [0, 1). */
function invited(s: number, channel: string, at: number, now: number): Outcome {
  if (s < 0.05) {
    const error = {
      source: 'outbound_twilio',
      code: '30003',
      message: 'Unreachable destination handset',
    };
    return {
      status: 'failed',
      sent: null,
      delivered: null,
      read: null,
      replied: null,
      failed: at + 900,
      error,
    };
  }
  const sent = at + 800;
  const delivered = s < 0.93 ? at + 4_000 : null;
  const read = delivered && channel === 'wa' && s < 0.4 ? at + 60_000 : null;
  const replied = delivered && s > 0.05 && s < 0.17 ? at + 180_000 : null;
  if (delivered === null && sent + RECEIPT_TIMEOUT_MS < now) {
    const error = { source: 'c2m', code: '5403', message: 'no delivery receipt within 72 h' };
    const failed = sent + RECEIPT_TIMEOUT_MS;
    return { status: 'failed', sent, delivered, read, replied, failed, error };
  }
  const status = replied ? 'replied' : read ? 'read' : delivered ? 'delivered' : 'sent';
  return { status, sent, delivered, read, replied, failed: null, error: null };
}
