// A WhatsApp handoff's template variables: the IVR's templateVariables win, the values saved with
// the handoff (as <c2m-admin> saves them) are defaults for the ones it did not send, and the text
// stored, shown on the sandbox phone and in the agent's widget is the text the provider is sent.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { HandoffChannel, HandoffView } from '../contract/handoffs.js';
import type { OutboundMessageView } from '../contract/outbound.js';
import { insertApprovedTemplate } from './template-rows.js';
import {
  adminApi,
  adminSession,
  bearerToken,
  call,
  ivrClient,
  seedAccount,
  startTestC2m,
  waitFor,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';
import { TEMPLATES, startMeta, whatsAppSettings } from './fakes/whatsapp-fixtures.js';
import type { FakeWhatsApp } from './fakes/whatsapp-server.js';
import { accountApi, deflect, freshPhone, sandboxPhone } from './sandbox-phone.js';

const BODY = 'Hi {{1}}, your order {{2}} is ready.';
const text = (name: string, order: string) => `Hi ${name}, your order ${order} is ready.`;

const waChannel = (message: string): HandoffChannel => ({
  name: 'wa',
  enabled: true,
  message,
  templateName: 'call_followup',
  templateLanguage: 'en_US',
});

describe('WhatsApp template variables: the IVR’s values win, saved values are defaults', () => {
  let t: TestC2m;
  let meta: FakeWhatsApp;
  let sandbox: SeededAccount;
  let cloud: SeededAccount;

  /** The template, approved, and a WA handoff made through the admin API as the editor saves it. */
  async function waHandoff(account: SeededAccount, message: string, title = 'WA'): Promise<string> {
    await insertApprovedTemplate(t.c2m.deps.db, account.accountId, {
      name: 'call_followup',
      language: 'en_US',
      body: BODY,
      examples: ['Ada', 'A-1'],
      now: t.clock.now(),
    });
    const api = adminApi(t, account.accountId, await adminSession(t, account, 'admin'));
    const res = await api.post('/handoffs', {
      title,
      lookback: { days: 1, hours: 0 },
      channels: [waChannel(message)],
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return (res.body as HandoffView).id;
  }

  /** The agent's widget list for a phone: the text of its newest message. */
  async function widgetText(account: SeededAccount, phone: string): Promise<string> {
    const token = await adminSession(t, account, 'agent');
    const res = await call(
      `${t.url}/api/widget/account/${account.accountId}/outbound?consumerPhoneNumber=${encodeURIComponent(phone)}`,
      { method: 'GET', authorization: `Bearer ${token}` },
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const items = (res.body as { items: OutboundMessageView[] }).items;
    assert.ok(items.length > 0, 'the widget lists the message');
    return items[0].text;
  }

  async function sandboxSees(handoff: string, variables: Record<string, string>, expected: string) {
    const phone = freshPhone();
    await deflect(t, sandbox, phone, {
      handoff,
      eligibility: { templateVariables: variables },
    });
    const handset = sandboxPhone(accountApi(t, sandbox), phone);
    const [received] = await waitFor(async () => {
      const got = await handset.received();
      return got.length > 0 ? got : undefined;
    }, 'the sandbox message');
    assert.equal(received.channel, 'wa');
    assert.equal(received.text, expected, 'the sandbox phone');
    assert.equal(await widgetText(sandbox, phone), expected, 'the agent’s widget');
  }

  before(async () => {
    meta = await startMeta(TEMPLATES);
    t = await startTestC2m();
    sandbox = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    cloud = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    const token = await bearerToken(t.url, cloud.oauth2);
    const put = await call(`${t.url}/api/account/${cloud.accountId}/providers/wa`, {
      method: 'PUT',
      authorization: `Bearer ${token}`,
      body: whatsAppSettings(meta.url),
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
  });
  after(async () => {
    await t?.close();
    await meta?.close();
  });

  it('sandbox: the IVR’s values replace the saved ones on the phone and in the widget', async () => {
    const handoff = await waHandoff(sandbox, text('Ada', 'A-1'), 'saved values');
    await sandboxSees(handoff, { 1: 'Grace', 2: 'Z-9' }, text('Grace', 'Z-9'));
    // a variable the IVR did not send takes the saved value
    await sandboxSees(handoff, { 1: 'Grace' }, text('Grace', 'A-1'));
    await sandboxSees(handoff, {}, text('Ada', 'A-1'));
  });

  it('Cloud API: the template parameters and the stored text are the same values', async () => {
    const handoff = await waHandoff(cloud, text('Ada', 'A-1'), 'cloud saved values');
    for (const [variables, expected] of [
      [{ 1: 'Grace', 2: 'Z-9' }, ['Grace', 'Z-9']],
      [{ 2: 'Z-9' }, ['Ada', 'Z-9']],
    ] as const) {
      const phone = freshPhone();
      await deflect(t, cloud, phone, { handoff, eligibility: { templateVariables: variables } });
      const sent = await waitFor(
        () => meta.sent.find((m) => m.to === phone.slice(1)),
        'the template send',
      );
      assert.deepEqual(sent.parameters, expected);
      const stored = await waitFor(
        () =>
          t.c2m.deps.db
            .selectFrom('messages')
            .select('body')
            .where('to_address', '=', phone)
            .executeTakeFirst(),
        'the stored message',
      );
      assert.equal(stored.body, text(expected[0], expected[1]));
      assert.equal(await widgetText(cloud, phone), text(expected[0], expected[1]));
    }
  });

  it('a variable without a saved value may be left to the IVR; eligibility names it if missing', async () => {
    const handoff = await waHandoff(sandbox, 'Hi {{1}}, your order A-1 is ready.', 'IVR sends 1');
    await sandboxSees(handoff, { 1: 'Grace' }, text('Grace', 'A-1'));

    const calls = () =>
      t.c2m.deps.db
        .selectFrom('calls')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
    const before = await calls();
    const res = await ivrClient(t, sandbox).eligibility({
      skill: 'sales',
      consumerPhoneNumber: freshPhone(),
      handoffId: handoff,
      templateVariables: { 2: 'Z-9' },
    });
    assert.equal(res.status, 400, JSON.stringify(res.body));
    const body = res.body as { errorCode: number; errorMessage: string };
    assert.equal(body.errorCode, 1000);
    assert.match(body.errorMessage, /^templateVariables\.1: /);
    assert.deepEqual(await calls(), before, 'nothing stored');
  });

  it('saving the handoff again (any field changed) keeps the IVR’s values winning', async () => {
    const handoff = await waHandoff(sandbox, text('Ada', 'A-1'), 'edited later');
    const api = adminApi(t, sandbox.accountId, await adminSession(t, sandbox, 'admin'));
    const saved = (await api.get(`/handoffs/${handoff}`)).body as HandoffView;
    const put = await api.put(`/handoffs/${handoff}`, {
      title: 'edited later, renamed',
      lookback: { days: 2, hours: 3 },
      active: true,
      channels: saved.channels,
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    await sandboxSees(handoff, { 1: 'Grace', 2: 'Z-9' }, text('Grace', 'Z-9'));
  });
});
