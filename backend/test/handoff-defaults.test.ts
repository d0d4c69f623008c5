// A handoff message's {{n}} the IVR may leave out: the handoff saves a default for each variable it
// uses, and an invite fills each variable with the IVR's value, else that default — never a blank
// ("Hi , thanks…").
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EligibilityResponse } from '../contract/deflection.js';
import type { HandoffView } from '../contract/handoffs.js';
import {
  account,
  api,
  expectFieldError,
  input,
  sms,
  t,
  useHandoffsFixture,
} from './admin-handoffs-fixtures.js';
import { ivrClient, waitFor } from './helpers.js';

const MOBILE = '+14155550123';
const OPT_OUT = 'Reply STOP to opt out.';

describe('handoff variable defaults', () => {
  useHandoffsFixture();

  async function inviteBody(handoffId: string, templateVariables?: Record<string, string>) {
    const ivr = ivrClient(t, account);
    const res = await ivr.eligibility({
      skill: 'sales',
      consumerPhoneNumber: MOBILE,
      handoffId,
      ...(templateVariables && { templateVariables }),
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const { callId } = res.body as EligibilityResponse;
    assert.equal((await ivr.invite({ callId })).status, 200);
    const row = await waitFor(
      () =>
        t.c2m.deps.db
          .selectFrom('messages')
          .innerJoin('transactions', 'transactions.id', 'messages.transaction_id')
          .select('messages.body')
          .where('transactions.call_id', '=', callId)
          .executeTakeFirst(),
      'the invite',
    );
    return row.body;
  }

  it("sends the handoff's default where the IVR sends no value, and the IVR's where it does", async () => {
    const channel = sms({ message: 'Hi {{1}}, thanks for calling.', defaults: { '1': 'there' } });
    const res = await api.post('/handoffs', input({ channels: [channel] }));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const saved = res.body as HandoffView;

    assert.equal(await inviteBody(saved.id), `Hi there, thanks for calling. ${OPT_OUT}`);
    assert.equal(
      await inviteBody(saved.id, { '1': '  ' }),
      `Hi there, thanks for calling. ${OPT_OUT}`,
    );
    assert.equal(
      await inviteBody(saved.id, { '1': 'Ada' }),
      `Hi Ada, thanks for calling. ${OPT_OUT}`,
    );
    assert.deepEqual(saved.channels[0].defaults, { '1': 'there' });
  });

  it('refuses a message variable without a default, naming it, and stores nothing', async () => {
    const title = `No default ${Date.now()}`;
    const res = await api.post(
      '/handoffs',
      input({
        title,
        channels: [sms({ message: 'Hi {{1}}, order {{2}}', defaults: { '1': 'x' } })],
      }),
    );
    expectFieldError(res, 'channels.0.defaults.2', /^is required/);
    const list = (await api.get(`/handoffs?title=${encodeURIComponent(title)}`)).body as {
      items: unknown[];
    };
    assert.equal(list.items.length, 0);
  });
});
