// Shared set-up of the handoffs admin API tests (admin-handoffs-*.test.ts): a c2m with two accounts,
// the WhatsApp templates the rules need, channel and body builders, and the "refused, nothing
// stored" check.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { HandoffChannel, HandoffView } from '../contract/handoffs.js';
import { newUuid } from '../src/ids.js';
import {
  adminApi,
  adminSession,
  seedAccount,
  startTestC2m,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';
import { expectFieldError, type Api, type Page } from './admin-templates-fixtures.js';

// the admin API answers field errors and pages alike for every resource
export { expectFieldError, type Api };

export type HandoffPage = Page<HandoffView>;

export const OPT_OUT = 'Reply STOP to opt out.'; // the account's default opt-out text

export const sms = (over: Partial<HandoffChannel> = {}): HandoffChannel => ({
  name: 'sms',
  enabled: true,
  message: 'Hi {{1}}, reply here to keep chatting with us.',
  outboundNumber: '+14155550100',
  defaults: { '1': 'there' },
  ...over,
});
export const wa = (over: Partial<HandoffChannel> = {}): HandoffChannel => ({
  name: 'wa',
  enabled: true,
  message: 'Hello Jane, your order 42 is ready.',
  templateName: 'order_ready',
  templateLanguage: 'en',
  ...over,
});
export const inapp = (over: Partial<HandoffChannel> = {}): HandoffChannel => ({
  name: 'inapp',
  enabled: true,
  message: 'Continue in the app.',
  apps: ['com.example.app'],
  ...over,
});

let titleN = 0;
export const input = (over: Record<string, unknown> = {}) => ({
  title: `Handoff ${++titleN}`,
  lookback: { days: 1, hours: 2 },
  channels: [sms()],
  ...over,
});

// The suite's c2m and accounts. node:test runs each test file in a process of its own, so these belong
// to the one file that called useHandoffsFixture(); they are set before its first test.
export let t: TestC2m;
export let account: SeededAccount;
export let other: SeededAccount;
export let api: Api;

/** Starts c2m with `account` (an admin session in `api`) and `other`, and their templates. */
export function useHandoffsFixture(): void {
  before(async () => {
    t = await startTestC2m();
    account = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    other = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    api = adminApi(t, account.accountId, await adminSession(t, account, 'admin'));
    await addTemplate(account.accountId, {
      name: 'order_ready',
      language: 'en',
      body: 'Hello {{1}}, your order {{2}} is ready.',
    });
    await addTemplate(account.accountId, {
      name: 'order_ready',
      language: 'es',
      body: 'Hola {{1}}, su pedido {{2}} está listo.',
    });
    await addTemplate(account.accountId, { name: 'plain_hello', body: 'Hello from us!' });
    await addTemplate(account.accountId, {
      name: 'awaiting',
      body: 'Hi {{1}}',
      status: 'pending',
    });
    // approved, but in the other account: not a template of this one
    await addTemplate(other.accountId, { name: 'elsewhere', body: 'Hi {{1}}' });
  });
  after(() => t?.close());
}

export async function addTemplate(
  accountId: string,
  tpl: { name: string; body: string; language?: string; status?: 'approved' | 'pending' },
) {
  const now = t.clock.now();
  await t.c2m.deps.db
    .insertInto('templates')
    .values({
      id: newUuid(),
      account_id: accountId,
      name: tpl.name,
      category: 'UTILITY',
      language: tpl.language ?? 'en',
      waba_id: '1234567890',
      phone_number: '+14155550100',
      body: tpl.body,
      examples_json: '{}',
      status: tpl.status ?? 'approved',
      status_reason: null,
      provider_template_id: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

export const storedRows = (accountId = account.accountId) =>
  t.c2m.deps.db
    .selectFrom('handoffs')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('id')
    .execute();

/** A refused create: 400 naming the field and the rule, and not one row more. */
export async function expectRefused(body: unknown, field: string, rule: string | RegExp) {
  const before = await storedRows();
  expectFieldError(await api.post('/handoffs', body), field, rule);
  assert.deepEqual(await storedRows(), before);
}

export async function create(body: unknown = input()): Promise<HandoffView> {
  const res = await api.post('/handoffs', body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as HandoffView;
}
