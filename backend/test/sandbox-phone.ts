// Test helpers for the messaging flows: an account's own API (OAuth 1.0a signed, any method), the
// sandbox phone a consumer holds, and the conversations API.
import assert from 'node:assert/strict';
import type { ChannelName } from '../contract/channels.js';
import type { EligibilityResponse } from '../contract/deflection.js';
import { call, ivrClient, oauth1Header, type SeededAccount, type TestC2m } from './helpers.js';

/** One request to `/api/account/:accountId…`, signed with the account's OAuth 1.0a credential. */
export function accountApi(t: Pick<TestC2m, 'url'>, account: SeededAccount) {
  const base = `${t.url}/api/account/${account.accountId}`;
  const request = (method: string, path: string, body?: unknown) => {
    const url = `${base}${path}`;
    return call(url, { method, body, authorization: oauth1Header(account.oauth1, method, url) });
  };
  return {
    base,
    get: (path: string) => request('GET', path),
    post: (path: string, body?: unknown) => request('POST', path, body ?? {}),
    put: (path: string, body: unknown) => request('PUT', path, body),
    delete: (path: string, body?: unknown) => request('DELETE', path, body),
  };
}
export type AccountApi = ReturnType<typeof accountApi>;

/** A message as the sandbox phone shows it. */
export interface PhoneMessage {
  id: string;
  direction: 'inbound' | 'outbound';
  channel: ChannelName;
  to: string;
  from: string | null;
  text: string;
  status: string;
  errorCode: string | null;
  conversationId: string | null;
  createdAt: string;
}

/** The consumer's handset on the sandbox provider: what it received, its receipts, its replies. */
export function sandboxPhone(api: AccountApi, address: string) {
  const all = async (): Promise<PhoneMessage[]> => {
    const res = await api.get(`/sandbox/messages?address=${encodeURIComponent(address)}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body as { messages: PhoneMessage[] }).messages;
  };
  return {
    address,
    all,
    /** Messages c2m sent to this phone, oldest first. */
    received: async () => (await all()).filter((m) => m.direction === 'outbound').reverse(),
    /** Reports a receipt as the handset (through the provider) would. */
    report: async (
      messageId: string,
      status: 'delivered' | 'read' | 'failed',
      error: { errorCode?: string; errorMessage?: string } = {},
    ) => {
      const res = await api.post(`/sandbox/messages/${messageId}/status`, { status, ...error });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return (res.body as { outcome: string }).outcome;
    },
    /** The consumer types a message. */
    send: async (text: string, channel: ChannelName = 'sms') => {
      const res = await api.post('/sandbox/inbound', { channel, from: address, text });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return (res.body as { outcome: string }).outcome;
    },
  };
}
export type SandboxPhone = ReturnType<typeof sandboxPhone>;

export interface ConversationView {
  id: string;
  status: 'open' | 'closed';
  channel: ChannelName;
  skill: string;
  deflection: boolean;
  consumerPhoneNumber: string | null;
  consumerId: string | null;
  handoffId: string | null;
  transactionId: string | null;
  context: Record<string, unknown>;
  openedAt: string;
  closedAt: string | null;
}

export interface TranscriptEntry {
  id: string;
  author: 'consumer' | 'c2m' | 'agent';
  channel: ChannelName;
  text: string;
  status: string;
  errorCode: string | null;
  at: string;
}

/** The contact center's side: the conversations API of one account. */
export function conversationsApi(api: AccountApi) {
  return {
    list: async (status: 'open' | 'closed' = 'open') => {
      const res = await api.get(`/conversations?status=${status}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return (res.body as { conversations: ConversationView[] }).conversations;
    },
    get: async (id: string) => {
      const res = await api.get(`/conversations/${id}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body as ConversationView & { transcript: TranscriptEntry[] };
    },
    post: async (id: string, text: string) => {
      const res = await api.post(`/conversations/${id}/messages`, { text });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      return (res.body as { messageId: string }).messageId;
    },
    close: async (id: string) => {
      const res = await api.post(`/conversations/${id}/close`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body as ConversationView;
    },
  };
}

/** Eligibility then invite for one caller; both must succeed. Returns the callId. */
export async function deflect(
  t: TestC2m,
  account: SeededAccount,
  phone: string,
  opts: {
    handoff?: string;
    skill?: string;
    eligibility?: Record<string, unknown>;
    invite?: Record<string, unknown>;
  } = {},
): Promise<{ callId: string; eligibility: EligibilityResponse }> {
  const ivr = ivrClient(t, account);
  const res = await ivr.eligibility({
    skill: opts.skill ?? 'sales',
    consumerPhoneNumber: phone,
    handoffId: opts.handoff ?? account.handoffs.sms,
    ...opts.eligibility,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const eligibility = res.body as EligibilityResponse;
  assert.equal(eligibility.eligible, true, JSON.stringify(eligibility));
  const invited = await ivr.invite({ callId: eligibility.callId, ...opts.invite });
  assert.equal(invited.status, 200, JSON.stringify(invited.body));
  return { callId: eligibility.callId, eligibility };
}

/** The transaction of a call, straight from the database. */
export function transactionOf(t: TestC2m, callId: string) {
  return t.c2m.deps.db
    .selectFrom('transactions')
    .selectAll()
    .where('call_id', '=', callId)
    .executeTakeFirstOrThrow();
}

/** A fresh E.164 number whose ending the sandbox does not script (…0000 to …0004 are scripted). */
let nextNumber = 0;
export function freshPhone(): string {
  nextNumber += 1;
  const tail = String(1000 + ((process.pid * 7 + nextNumber) % 9000)).padStart(4, '0');
  return `+1415${String(200 + (nextNumber % 700)).padStart(3, '0')}${tail}`;
}
