// GET /api/admin/account/:accountId/senders: the numbers and WhatsApp Business Account ids the
// handoff editor offers, from the account's providers and templates, for roles that see handoffs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { saveProvider } from '../src/modules/providers/providers.service.js';
import { adminApi, adminSession, seedAccount, startTestC2m, type TestC2m } from './helpers.js';

describe('admin senders', () => {
  let t: TestC2m;
  before(async () => {
    t = await startTestC2m();
  });
  after(() => t?.close());

  it("lists the SMS provider's number and the templates' numbers and ids, for handoff viewers only", async () => {
    const account = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    const admin = adminApi(t, account.accountId, await adminSession(t, account, 'admin'));
    assert.deepEqual((await admin.get('/senders')).body, { numbers: [], wabaIds: [] });

    await saveProvider(t.c2m.deps, account.accountId, 'sms', {
      provider: 'twilio',
      accountSid: `AC${'a'.repeat(32)}`,
      authToken: 'x'.repeat(32),
      fromNumber: '+14155550111',
      baseUrl: 'https://api.twilio.com',
    });
    const template = await admin.post('/templates', {
      name: 'senders_test',
      category: 'UTILITY',
      language: 'en',
      wabaId: '1234567890',
      phoneNumber: '+14155550100',
      body: 'Hello',
    });
    assert.equal(template.status, 201, JSON.stringify(template.body));
    assert.deepEqual((await admin.get('/senders')).body, {
      numbers: [
        { number: '+14155550111', channel: 'sms' },
        { number: '+14155550100', channel: 'wa' },
      ],
      wabaIds: ['1234567890'],
    });

    const agent = adminApi(t, account.accountId, await adminSession(t, account, 'agent'));
    assert.equal((await agent.get('/senders')).status, 403);
  });
});
