// Submitting templates through Meta's WhatsApp Business Management API (a local fake that speaks
// its contract): the request as Meta documents it, Meta's answer stored (status, id, category), a
// rejected template edited in place at Meta, Meta's refusals and outages answered without changing
// the template, the sandbox review closed to such an account, and Meta's later status updates.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { TemplateView } from '../contract/templates.js';
import { recordTemplateStatus } from '../src/modules/templates/templates.service.js';
import { API_VERSION, NUMBER, SECRETS, whatsAppSettings } from './fakes/whatsapp-fixtures.js';
import {
  startFakeTemplateApi,
  TEMPLATE_ERRORS,
  type FakeTemplateApi,
} from './fakes/whatsapp-templates-fake.js';
import { expectError, templateInput, type Api } from './admin-templates-fixtures.js';
import {
  adminApi,
  adminSession,
  bearerToken,
  call,
  seedAccount,
  startTestC2m,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';

/** Templates on the account's own WhatsApp Business Account. */
const input = (over: Record<string, unknown> = {}) =>
  templateInput({
    wabaId: NUMBER.wabaId,
    phoneNumber: '+15550783881',
    body: 'Hi {{1}}, {{2}} here: continue your call on WhatsApp.',
    examples: ['Ada', 'Acme'],
    ...over,
  });

describe('templates admin API with a WhatsApp Cloud provider', () => {
  let t: TestC2m;
  let meta: FakeTemplateApi;
  let account: SeededAccount;
  let admin: Api;

  async function useProvider(a: SeededAccount, settings: object) {
    const res = await call(`${t.url}/api/account/${a.accountId}/providers/wa`, {
      method: 'PUT',
      authorization: `Bearer ${await bearerToken(t.url, a.oauth2)}`,
      body: settings,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  }

  before(async () => {
    meta = await startFakeTemplateApi({
      wabaId: NUMBER.wabaId,
      accessToken: SECRETS.accessToken,
      apiVersion: API_VERSION,
    });
    t = await startTestC2m({ C2M_PROVIDER_TIMEOUT_MS: '300' });
    account = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    await useProvider(account, whatsAppSettings(meta.url));
    admin = adminApi(t, account.accountId, await adminSession(t, account, 'admin'));
  });
  after(async () => {
    await t?.close();
    await meta?.close();
  });

  async function draft(over: Record<string, unknown> = {}): Promise<TemplateView> {
    const res = await admin.post('/templates', input(over));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as TemplateView;
  }
  const read = async (id: string) => (await admin.get(`/templates/${id}`)).body as TemplateView;
  const submit = (id: string) => admin.post(`/templates/${id}/submit`);

  it('creates the template at Meta as documented and stores its answer (pending, id)', async () => {
    const tpl = await draft();
    const seen = meta.requests.length;
    const res = await submit(tpl.id);
    assert.equal(res.status, 200, JSON.stringify(res.body));

    assert.equal(meta.requests.length, seen + 1, 'one call');
    const req = meta.requests.at(-1)!;
    assert.equal(req.method, 'POST');
    assert.equal(req.path, `/${API_VERSION}/${NUMBER.wabaId}/message_templates`);
    assert.equal(req.headers.authorization, `Bearer ${SECRETS.accessToken}`);
    assert.match(req.headers['content-type'] ?? '', /^application\/json/);
    assert.deepEqual(JSON.parse(req.rawBody), {
      name: tpl.name,
      language: 'en_US',
      category: 'UTILITY',
      components: [
        {
          type: 'BODY',
          text: 'Hi {{1}}, {{2}} here: continue your call on WhatsApp.',
          example: { body_text: [['Ada', 'Acme']] },
        },
      ],
    });

    const stored = meta.templates.at(-1)!;
    const view = res.body as TemplateView;
    assert.deepEqual(
      [view.status, view.providerTemplateId, view.statusReason],
      ['pending', stored.id, null],
    );
    assert.deepEqual(await read(tpl.id), view);
  });

  it('sends no example for a body without variables', async () => {
    const tpl = await draft({ body: 'Continue your call on WhatsApp.', examples: [] });
    assert.equal((await submit(tpl.id)).status, 200);
    const body = JSON.parse(meta.requests.at(-1)!.rawBody) as { components: object[] };
    assert.deepEqual(body.components, [{ type: 'BODY', text: 'Continue your call on WhatsApp.' }]);
  });

  it('stores an immediate approval and the category Meta assigned', async () => {
    const tpl = await draft({ category: 'UTILITY' });
    meta.answerNext({ status: 'APPROVED', category: 'MARKETING' });
    const view = (await submit(tpl.id)).body as TemplateView;
    assert.deepEqual([view.status, view.category], ['approved', 'MARKETING']);
  });

  it('edits a rejected template in place at Meta when it is resubmitted', async () => {
    const tpl = await draft();
    meta.answerNext({ status: 'REJECTED' });
    const rejected = (await submit(tpl.id)).body as TemplateView;
    assert.deepEqual(
      [rejected.status, rejected.statusReason],
      ['rejected', 'Rejected by WhatsApp'],
    );
    const metaId = rejected.providerTemplateId;
    assert.ok(metaId);

    const fixed = input({
      name: tpl.name,
      body: 'Hi {{1}}, please continue here.',
      examples: ['Ada'],
    });
    assert.equal((await admin.put(`/templates/${tpl.id}`, fixed)).status, 200);
    const res = await submit(tpl.id);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const req = meta.requests.at(-1)!;
    assert.equal(req.path, `/${API_VERSION}/${metaId}`);
    assert.deepEqual(JSON.parse(req.rawBody), {
      category: 'UTILITY',
      components: [
        {
          type: 'BODY',
          text: 'Hi {{1}}, please continue here.',
          example: { body_text: [['Ada']] },
        },
      ],
    });
    const view = res.body as TemplateView;
    assert.deepEqual(
      [view.status, view.providerTemplateId, view.statusReason],
      ['pending', metaId, null],
    );
  });

  it('creates a new template at Meta when a rejected one was renamed', async () => {
    const tpl = await draft();
    meta.answerNext({ status: 'REJECTED' });
    const rejected = (await submit(tpl.id)).body as TemplateView;
    const renamed = input();
    const edited = (await admin.put(`/templates/${tpl.id}`, renamed)).body as TemplateView;
    assert.equal(edited.providerTemplateId, null, 'Meta never renames a template');
    const view = (await submit(tpl.id)).body as TemplateView;
    assert.equal(meta.requests.at(-1)!.path, `/${API_VERSION}/${NUMBER.wabaId}/message_templates`);
    assert.notEqual(view.providerTemplateId, rejected.providerTemplateId);
    assert.equal(view.status, 'pending');
  });

  it('answers 409 when Meta already has the name in that language; the draft stays a draft', async () => {
    const first = await draft();
    assert.equal((await submit(first.id)).status, 200);
    // deleted here, but Meta keeps it: a new draft of the same name collides there
    assert.equal((await admin.delete(`/templates/${first.id}`)).status, 204);
    const again = await draft({ name: first.name });
    const res = await submit(again.id);
    expectError(res, 409, 'conflict', /WhatsApp already has a template .* \(WhatsApp error 100\)/);
    assert.deepEqual(await read(again.id), again);
  });

  it('answers 400 with Meta’s code and our words for it when Meta refuses the template', async () => {
    const tpl = await draft();
    meta.answerNext({ error: TEMPLATE_ERRORS.policy });
    const res = await submit(tpl.id);
    // the answer's own text is not echoed: it could come from any host the settings name
    expectError(
      res,
      400,
      'validation_failed',
      /^WhatsApp refused the template: invalid parameter in the request \(WhatsApp error 100\)$/,
    );
    assert.deepEqual(await read(tpl.id), tpl);
  });

  it('answers 503 when Meta fails or does not answer; the draft can be submitted later', async () => {
    const tpl = await draft();
    meta.answerNext({ error: TEMPLATE_ERRORS.server_error }, 'hang');
    const failed = await submit(tpl.id);
    expectError(failed, 503, 'unavailable', /try again later/);
    assert.equal(failed.headers.get('retry-after'), '30');
    expectError(await submit(tpl.id), 503, 'unavailable', /did not answer within 300 ms/);
    assert.deepEqual(await read(tpl.id), tpl);
    assert.equal(((await submit(tpl.id)).body as TemplateView).status, 'pending');
  });

  it('answers 502 when Meta refuses the account’s token, without showing it', async () => {
    const wrong = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    await useProvider(wrong, {
      ...whatsAppSettings(meta.url),
      accessToken: 'EAAG-wrong-token-0123456789',
    });
    const api = adminApi(t, wrong.accountId, await adminSession(t, wrong, 'admin'));
    const tpl = (await api.post('/templates', input())).body as TemplateView;
    const res = await api.post(`/templates/${tpl.id}/submit`);
    expectError(res, 502, 'internal', /credentials/);
    assert.ok(!JSON.stringify(res.body).includes('EAAG-wrong-token'), 'no token in the answer');
  });

  it('closes the sandbox review: Meta reviews this account’s templates', async () => {
    const tpl = await draft();
    await submit(tpl.id);
    const res = await admin.post(`/templates/${tpl.id}/review`, { decision: 'approve' });
    expectError(res, 409, 'conflict', /WhatsApp reviews this account/);
    assert.equal((await read(tpl.id)).status, 'pending');
  });

  it('records Meta’s later status updates by Meta’s template id', async () => {
    const tpl = await draft();
    const { providerTemplateId } = (await submit(tpl.id)).body as TemplateView;
    assert.ok(providerTemplateId);
    const deps = t.c2m.deps;
    const update = (status: 'approved' | 'paused', reason: string | null) =>
      recordTemplateStatus(deps, account.accountId, { providerTemplateId, status, reason });

    assert.equal(await update('approved', null), true);
    assert.equal((await read(tpl.id)).status, 'approved');
    assert.equal(await update('paused', 'Low quality rating'), true);
    const paused = await read(tpl.id);
    assert.deepEqual([paused.status, paused.statusReason], ['paused', 'Low quality rating']);
    const edit = await admin.put(`/templates/${tpl.id}`, input({ name: tpl.name }));
    expectError(edit, 409, 'conflict', /^paused templates are not editable: clone it/);

    const unknown = { providerTemplateId: '1', status: 'approved' as const, reason: null };
    assert.equal(await recordTemplateStatus(deps, account.accountId, unknown), false);
    const otherAccount = { ...unknown, providerTemplateId };
    assert.equal(await recordTemplateStatus(deps, 'another-account', otherAccount), false);
  });

  it('takes Meta’s signed message_template_status_update webhook through the real route', async () => {
    const tpl = await draft();
    const { providerTemplateId } = (await submit(tpl.id)).body as TemplateView;
    assert.ok(providerTemplateId);
    const payload = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: NUMBER.wabaId,
          changes: [
            {
              field: 'message_template_status_update',
              value: {
                event: 'REJECTED',
                message_template_id: Number(providerTemplateId),
                message_template_name: tpl.name,
                message_template_language: tpl.language,
                reason: 'INVALID_FORMAT',
              },
            },
          ],
        },
      ],
    });
    const sign = (secret: string) =>
      'sha256=' + createHmac('sha256', secret).update(payload).digest('hex');
    const post = (signature: string) =>
      fetch(`${t.url}/webhooks/whatsapp-cloud/${account.accountId}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signature },
        body: payload,
      });
    assert.equal((await post(sign('not-the-app-secret'))).status, 401);
    assert.equal((await read(tpl.id)).status, 'pending');
    assert.equal((await post(sign(SECRETS.appSecret))).status, 200);
    const rejected = await read(tpl.id);
    assert.deepEqual([rejected.status, rejected.statusReason], ['rejected', 'INVALID_FORMAT']);
  });
});
