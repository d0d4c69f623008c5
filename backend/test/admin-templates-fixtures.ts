import assert from 'node:assert/strict';
import type { AdminErrorBody } from '../contract/errors.js';
import type { TemplateStatus, TemplateView } from '../contract/templates.js';
import type { adminApi, ApiResponse, TestC2m } from './helpers.js';

export type Api = ReturnType<typeof adminApi>;

export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
}

let nameN = 0;
/** A valid template input with a fresh name; `undefined` in `over` leaves a field out. */
export const templateInput = (over: Record<string, unknown> = {}) => ({
  name: `order_ready_${++nameN}`,
  category: 'UTILITY',
  language: 'en_US',
  wabaId: '102290129340398',
  phoneNumber: '+14155550100',
  body: 'Hello {{1}}, your order {{2}} is ready.',
  examples: ['Jane', '42'],
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

export function expectError(res: ApiResponse, status: number, code: string, message?: RegExp) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  const { error } = res.body as AdminErrorBody;
  assert.equal(error.code, code);
  if (message) assert.match(error.message, message);
}

/** Templates of one account made through its admin API, in any status, and counted in the DB. */
export function templateHelpers(t: TestC2m, admin: Api, accountId: string) {
  async function create(over: Record<string, unknown> = {}, api = admin): Promise<TemplateView> {
    const res = await api.post('/templates', templateInput(over));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as TemplateView;
  }

  /** Sandbox statuses through the API; Meta's own (paused, disabled) written directly. */
  async function inStatus(status: TemplateStatus, over: Record<string, unknown> = {}) {
    const tpl = await create(over);
    if (status === 'draft') return tpl;
    assert.equal((await admin.post(`/templates/${tpl.id}/submit`)).status, 200);
    if (status === 'approved' || status === 'rejected') {
      const decision = status === 'approved' ? 'approve' : 'reject';
      const res = await admin.post(`/templates/${tpl.id}/review`, { decision });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    if (status === 'paused' || status === 'disabled') {
      await t.c2m.deps.db
        .updateTable('templates')
        .set({ status, status_reason: 'Low quality' })
        .where('id', '=', tpl.id)
        .execute();
    }
    return (await admin.get(`/templates/${tpl.id}`)).body as TemplateView;
  }

  async function countTemplates(of = accountId): Promise<number> {
    const row = await t.c2m.deps.db
      .selectFrom('templates')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', of)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  return { create, inStatus, countTemplates };
}
