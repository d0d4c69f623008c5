// Shared set-up of the handoffs admin API tests (admin-handoffs-*.test.ts): a c2m with two accounts,
// the WhatsApp templates the rules need, channel and body builders, and the "refused, nothing
// stored" check.
import assert from 'node:assert/strict';
import type { AdminErrorBody } from '../contract/errors.js';
import type { HandoffChannel, HandoffView } from '../contract/handoffs.js';
import { newUuid } from '../src/ids.js';
import {
  adminApi,
  adminSession,
  seedAccount,
  startTestC2m,
  type ApiResponse,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';

export type Api = ReturnType<typeof adminApi>;
export interface HandoffPage {
  items: HandoffView[];
  total: number;
  offset: number;
  limit: number;
}

export const OPT_OUT = 'Reply STOP to opt out.'; // the account's default opt-out text

export const sms = (over: Partial<HandoffChannel> = {}): HandoffChannel => ({
  name: 'sms',
  enabled: true,
  message: 'Hi {{1}}, reply here to keep chatting with us.',
  outboundNumber: '+14155550100',
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

export function expectFieldError(res: ApiResponse, field: string, rule: string | RegExp) {
  assert.equal(res.status, 400, JSON.stringify(res.body));
  const { error } = res.body as AdminErrorBody;
  assert.equal(error.code, 'validation_failed');
  const actual = error.details?.fieldErrors[field];
  assert.ok(actual !== undefined, `no error for ${field}: ${JSON.stringify(error.details)}`);
  if (typeof rule === 'string') assert.equal(actual, rule);
  else assert.match(actual, rule);
}

export type HandoffsFixture = Awaited<ReturnType<typeof startHandoffsFixture>>;

/** Starts c2m with `account` (an admin session in `api`) and `other`, and their templates. */
export async function startHandoffsFixture() {
  const t: TestC2m = await startTestC2m();
  const account: SeededAccount = await seedAccount(t, { permissions: ['ivr', 'admin'] });
  const other: SeededAccount = await seedAccount(t, { permissions: ['ivr', 'admin'] });
  const api: Api = adminApi(t, account.accountId, await adminSession(t, account, 'admin'));

  async function addTemplate(
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

  const storedRows = (accountId = account.accountId) =>
    t.c2m.deps.db
      .selectFrom('handoffs')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('id')
      .execute();

  /** A refused create: 400 naming the field and the rule, and not one row more. */
  async function expectRefused(body: unknown, field: string, rule: string | RegExp) {
    const before = await storedRows();
    expectFieldError(await api.post('/handoffs', body), field, rule);
    assert.deepEqual(await storedRows(), before);
  }

  async function create(body: unknown = input()): Promise<HandoffView> {
    const res = await api.post('/handoffs', body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as HandoffView;
  }

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

  return { t, account, other, api, addTemplate, storedRows, expectRefused, create };
}
