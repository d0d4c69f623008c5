// Opt-out keywords from the consumer's phone: STOP and its synonyms opt the number out of every
// channel of that account (ledger line, one confirmation, queued invites skipped), START / UNSTOP
// opt back in, HELP answers with the account's help text; anything else is a message for an agent.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EligibilityResponse } from '../contract/deflection.js';
import type { ChannelName } from '../contract/channels.js';
import {
  OPT_IN_CONFIRMATION,
  OPT_OUT_CONFIRMATION,
} from '../src/modules/messaging/inbound.service.js';
import {
  ivrClient,
  seedAccount,
  startTestC2m,
  waitFor,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';
import {
  accountApi,
  conversationsApi,
  deflect,
  freshPhone,
  sandboxPhone,
  transactionOf,
} from './sandbox-phone.js';

const STOP_SPELLINGS = [
  'STOP',
  'stop',
  ' Stop! ',
  '"stop."',
  'STOPALL',
  'Unsubscribe',
  'END',
  'quit',
  'Cancel',
  'OPTOUT',
  'opt-out',
  'revoke',
];

describe('opt-out keywords', () => {
  let t: TestC2m;

  before(async () => {
    t = await startTestC2m();
  });
  after(() => t?.close());

  const db = () => t.c2m.deps.db;

  async function setUp() {
    const account = await seedAccount(t);
    const api = accountApi(t, account);
    const phone = sandboxPhone(api, freshPhone());
    return { account, api, phone };
  }

  /** Eligibility on the two-channel handoff (WhatsApp, then SMS). */
  async function eligibility(account: SeededAccount, phone: string) {
    const res = await ivrClient(t, account).eligibility({
      skill: 'sales',
      consumerPhoneNumber: phone,
      handoffId: account.handoffs.waSms,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as EligibilityResponse;
  }

  /** The outbox has nothing left to do for the account: every reply has been sent. */
  const settled = (accountId: string) =>
    waitFor(async () => {
      const busy = await db()
        .selectFrom('outbox')
        .select('id')
        .where('account_id', '=', accountId)
        .where('status', 'in', ['pending', 'running'])
        .execute();
      return busy.length === 0;
    }, `the outbox of account ${accountId} to settle`);

  const ledgerOf = (accountId: string, phone: string) =>
    db()
      .selectFrom('optout_ledger')
      .select(['action', 'source', 'keyword', 'at'])
      .where('account_id', '=', accountId)
      .where('phone', '=', phone)
      .orderBy('id')
      .execute();

  const conversationsOf = (accountId: string) =>
    db().selectFrom('conversations').select('id').where('account_id', '=', accountId).execute();

  for (const text of STOP_SPELLINGS) {
    it(`opts the number out of every channel on ${JSON.stringify(text)}`, async () => {
      const { account, phone } = await setUp();
      assert.equal((await eligibility(account, phone.address)).eligible, true);

      assert.equal(await phone.send(text), 'opted_out');

      const answer = await eligibility(account, phone.address);
      assert.equal(answer.eligible, false);
      assert.deepEqual(answer.availableChannels, []);
      assert.deepEqual(
        answer.channels.map((c) => [c.name, c.eligible, c.reason]),
        [
          ['wa', false, 'opted_out'],
          ['sms', false, 'opted_out'],
        ],
      );
      assert.deepEqual(await ledgerOf(account.accountId, phone.address), [
        { action: 'opt_out', source: 'sms:sandbox', keyword: text.trim(), at: t.clock.now() },
      ]);

      await settled(account.accountId);
      const received = await phone.received();
      assert.deepEqual(
        received.map((m) => [m.channel, m.text]),
        [['sms', OPT_OUT_CONFIRMATION]],
      );
      assert.deepEqual(await conversationsOf(account.accountId), []);
    });
  }

  it('opts out of SMS too when STOP comes by WhatsApp', async () => {
    const { account, phone } = await setUp();
    assert.equal(await phone.send('STOP', 'wa' satisfies ChannelName), 'opted_out');

    const answer = await eligibility(account, phone.address);
    assert.equal(answer.eligible, false);
    assert.ok(answer.channels.every((c) => c.reason === 'opted_out'));
    const [line] = await ledgerOf(account.accountId, phone.address);
    assert.equal(line?.source, 'wa:sandbox');
    await settled(account.accountId);
    assert.deepEqual(
      (await phone.received()).map((m) => [m.channel, m.text]),
      [['wa', OPT_OUT_CONFIRMATION]],
    );
  });

  it('leaves the same number with another account untouched', async () => {
    const { account, phone } = await setUp();
    const other = await seedAccount(t);
    assert.equal(await phone.send('STOP'), 'opted_out');

    assert.equal((await eligibility(account, phone.address)).eligible, false);
    const theirs = await eligibility(other, phone.address);
    assert.equal(theirs.eligible, true);
    assert.deepEqual(theirs.availableChannels, ['wa', 'sms']);
    assert.deepEqual(await ledgerOf(other.accountId, phone.address), []);
  });

  it('refuses an invite for a call whose eligibility came before the STOP', async () => {
    const { account, phone } = await setUp();
    const { callId } = await eligibility(account, phone.address);
    assert.equal(await phone.send('stop'), 'opted_out');

    const res = await ivrClient(t, account).invite({ callId });
    assert.equal(res.status, 400);
    assert.match((res.body as { errorMessage: string }).errorMessage, /opted out/);
    const txs = await db()
      .selectFrom('transactions')
      .select('id')
      .where('call_id', '=', callId)
      .execute();
    assert.deepEqual(txs, []);
  });

  for (const text of ['START', 'unstop', ' Start. ']) {
    it(`opts the number back in on ${JSON.stringify(text)}`, async () => {
      const { account, phone } = await setUp();
      assert.equal(await phone.send('STOP'), 'opted_out');
      assert.equal((await eligibility(account, phone.address)).eligible, false);

      t.clock.advance(60_000);
      assert.equal(await phone.send(text), 'opted_in');
      const answer = await eligibility(account, phone.address);
      assert.equal(answer.eligible, true);
      assert.deepEqual(answer.availableChannels, ['wa', 'sms']);

      const ledger = await ledgerOf(account.accountId, phone.address);
      assert.deepEqual(
        ledger.map((l) => [l.action, l.source, l.keyword]),
        [
          ['opt_out', 'sms:sandbox', 'STOP'],
          ['opt_in', 'sms:sandbox', text.trim()],
        ],
      );
      assert.equal(ledger[1].at, t.clock.now());
      await settled(account.accountId);
      assert.deepEqual(
        (await phone.received()).map((m) => m.text),
        [OPT_OUT_CONFIRMATION, OPT_IN_CONFIRMATION],
      );
    });
  }

  for (const text of ['HELP', 'help?', ' Help ']) {
    it(`answers ${JSON.stringify(text)} with the account’s help text and opens no conversation`, async () => {
      const { account, phone } = await setUp();
      assert.equal(await phone.send(text), 'help');
      await settled(account.accountId);

      const { help_text: helpText } = await db()
        .selectFrom('accounts')
        .select('help_text')
        .where('id', '=', account.accountId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        (await phone.received()).map((m) => m.text),
        [helpText],
      );
      assert.deepEqual(await conversationsOf(account.accountId), []);
      assert.deepEqual(await ledgerOf(account.accountId, phone.address), []);
      assert.equal((await eligibility(account, phone.address)).eligible, true);
    });
  }

  it('takes "please stop texting" as a message for an agent, not a keyword', async () => {
    const { account, phone } = await setUp();
    assert.equal(await phone.send('please stop texting'), 'conversation');

    const conversations = await db()
      .selectFrom('conversations')
      .select(['consumer_phone', 'status'])
      .where('account_id', '=', account.accountId)
      .execute();
    assert.deepEqual(conversations, [{ consumer_phone: phone.address, status: 'open' }]);
    assert.deepEqual(await ledgerOf(account.accountId, phone.address), []);
    const optouts = await db()
      .selectFrom('optouts')
      .select('phone')
      .where('account_id', '=', account.accountId)
      .execute();
    assert.deepEqual(optouts, []);
    await settled(account.accountId);
    assert.deepEqual(await phone.received(), []);
  });
});

describe('keywords in the sandbox thread and the transcript', () => {
  let t: TestC2m;

  before(async () => {
    t = await startTestC2m();
  });
  after(() => t?.close());

  it("shows the consumer's STOP, START and HELP on the phone and in the open conversation", async () => {
    const account = await seedAccount(t, { permissions: ['ivr', 'conversations'] });
    const api = accountApi(t, account);
    const phone = sandboxPhone(api, freshPhone());
    await deflect(t, account, phone.address);
    assert.equal(await phone.send('Hi, about my order'), 'conversation');
    const [conversation] = await conversationsApi(api).list();
    assert.ok(conversation, 'the reply opened a conversation');

    assert.equal(await phone.send('STOP'), 'opted_out');
    assert.equal(await phone.send('START'), 'opted_in');
    assert.equal(await phone.send('HELP'), 'help');

    const thread = (await phone.all()).filter((m) => m.direction === 'inbound').reverse();
    assert.deepEqual(
      thread.map((m) => [m.text, m.status, m.conversationId]),
      [
        ['Hi, about my order', 'received', conversation.id],
        ['STOP', 'received', conversation.id],
        ['START', 'received', conversation.id],
        ['HELP', 'received', conversation.id],
      ],
    );
    const { transcript } = await conversationsApi(api).get(conversation.id);
    assert.deepEqual(
      transcript.filter((m) => m.author === 'consumer').map((m) => m.text),
      ['Hi, about my order', 'STOP', 'START', 'HELP'],
    );
  });

  it('shows a STOP without a conversation on the phone only, and opens none', async () => {
    const account = await seedAccount(t);
    const phone = sandboxPhone(accountApi(t, account), freshPhone());
    assert.equal(await phone.send(' Stop! '), 'opted_out');
    const inbound = (await phone.all()).filter((m) => m.direction === 'inbound');
    assert.deepEqual(
      inbound.map((m) => [m.text, m.from, m.conversationId]),
      [[' Stop! ', phone.address, null]],
    );
    const conversations = await t.c2m.deps.db
      .selectFrom('conversations')
      .select('id')
      .where('account_id', '=', account.accountId)
      .execute();
    assert.deepEqual(conversations, []);
  });
});

describe('opt-out with an invite already queued', () => {
  let t: TestC2m;

  before(async () => {
    // no worker: the invite stays queued until the test drains the outbox
    t = await startTestC2m({ C2M_OUTBOX_WORKER: '0' });
  });
  after(() => t?.close());

  it('records the queued invite as skipped and never sends it', async () => {
    const account = await seedAccount(t);
    const phone = sandboxPhone(accountApi(t, account), freshPhone());
    const ivr = ivrClient(t, account);
    const res = await ivr.eligibility({
      skill: 'sales',
      consumerPhoneNumber: phone.address,
      handoffId: account.handoffs.waSms,
    });
    const { callId } = res.body as EligibilityResponse;
    assert.equal((await ivr.invite({ callId })).status, 200);
    assert.equal((await transactionOf(t, callId)).status, 'queued');

    assert.equal(await phone.send('STOP'), 'opted_out');
    assert.ok((await t.c2m.worker.drain()) >= 2);

    const tx = await transactionOf(t, callId);
    assert.equal(tx.status, 'skipped');
    assert.equal(tx.error_code, 'opted_out');
    assert.equal(tx.sent_at, null);
    const invites = await t.c2m.deps.db
      .selectFrom('messages')
      .select('id')
      .where('transaction_id', '=', tx.id)
      .execute();
    assert.deepEqual(invites, []);
    assert.deepEqual(
      (await phone.received()).map((m) => m.text),
      [OPT_OUT_CONFIRMATION],
    );
  });
});
