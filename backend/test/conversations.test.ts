// The conversations API the brand's contact center uses: read, post an agent message, close — and
// its errors: unknown or another account's conversation, closed conversation, bad text, missing
// permission. A refused request stores and sends nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IvrErrorCode, type IvrErrorBody } from '../contract/errors.js';
import { createOAuth1Credential } from '../src/modules/accounts/credentials.service.js';
import type { Permission } from '../contract/policy.js';
import {
  call,
  oauth1Header,
  seedAccount,
  startTestC2m,
  waitFor,
  type ApiResponse,
  type TestC2m,
} from './helpers.js';
import {
  accountApi,
  conversationsApi,
  freshPhone,
  sandboxPhone,
  type ConversationView,
} from './sandbox-phone.js';

describe('conversations API', () => {
  let t: TestC2m;

  before(async () => {
    t = await startTestC2m();
  });
  after(() => t?.close());

  /** An account whose consumer has written in: one open, ordinary conversation. */
  async function withConversation(permissions: Permission[] = ['conversations']) {
    const account = await seedAccount(t, { permissions: [...permissions, 'ivr'] });
    const api = accountApi(t, account);
    const phone = sandboxPhone(api, freshPhone());
    assert.equal(await phone.send('Hello?'), 'conversation');
    const conversations = conversationsApi(api);
    const [conversation] = await conversations.list('open');
    assert.ok(conversation);
    return { account, api, phone, conversations, conversation };
  }

  function expectError(res: ApiResponse, status: number, code: number, message?: RegExp) {
    assert.equal(res.status, status, JSON.stringify(res.body));
    const body = res.body as IvrErrorBody;
    assert.equal(body.errorCode, code, body.errorMessage);
    if (message) assert.match(body.errorMessage, message);
  }

  const transcriptTexts = async (conversations: ReturnType<typeof conversationsApi>, id: string) =>
    (await conversations.get(id)).transcript.map((m) => m.text);

  it('lists, reads, answers and closes a conversation', async () => {
    const { phone, conversations, conversation } = await withConversation();
    assert.equal(conversation.status, 'open');
    assert.equal(conversation.consumerPhoneNumber, phone.address);
    assert.equal(conversation.openedAt, new Date(t.clock.now()).toISOString());
    assert.equal(conversation.closedAt, null);

    const messageId = await conversations.post(conversation.id, '  How can I help?  ');
    const sent = await waitFor(
      async () => (await phone.received()).find((m) => m.id === messageId),
      'the agent message on the phone',
    );
    assert.equal(sent.text, 'How can I help?');
    assert.deepEqual(await transcriptTexts(conversations, conversation.id), [
      'Hello?',
      'How can I help?',
    ]);

    const closed = await conversations.close(conversation.id);
    assert.equal(closed.status, 'closed');
    assert.deepEqual(await conversations.list('open'), []);
    const [listed] = await conversations.list('closed');
    assert.equal(listed?.id, conversation.id);
  });

  it('answers 404 for an unknown conversation', async () => {
    const { api } = await withConversation();
    const unknown = '00000000-0000-4000-8000-000000000000';
    expectError(await api.get(`/conversations/${unknown}`), 404, IvrErrorCode.notFound);
    expectError(
      await api.post(`/conversations/${unknown}/messages`, { text: 'hi' }),
      404,
      IvrErrorCode.notFound,
    );
    expectError(await api.post(`/conversations/${unknown}/close`), 404, IvrErrorCode.notFound);
  });

  it('does not let one account read, answer or close another account’s conversation', async () => {
    const theirs = await withConversation();
    const mine = await withConversation();
    const id = theirs.conversation.id;

    // through my own account's path: the id is unknown here
    expectError(await mine.api.get(`/conversations/${id}`), 404, IvrErrorCode.notFound);
    expectError(
      await mine.api.post(`/conversations/${id}/messages`, { text: 'not yours' }),
      404,
      IvrErrorCode.notFound,
    );
    expectError(await mine.api.post(`/conversations/${id}/close`), 404, IvrErrorCode.notFound);
    assert.ok((await mine.conversations.list('open')).every((c) => c.id !== id));

    // through their account's path with my credential: forbidden
    const url = `${theirs.api.base}/conversations/${id}`;
    const res = await call(url, {
      method: 'GET',
      authorization: oauth1Header(mine.account.oauth1, 'GET', url),
    });
    expectError(res, 403, IvrErrorCode.forbidden);

    const after = await theirs.conversations.get(id);
    assert.equal(after.status, 'open');
    assert.deepEqual(
      after.transcript.map((m) => m.text),
      ['Hello?'],
    );
  });

  it('marks an agent message delivered when the sandbox phone receives it', async () => {
    const { phone, conversations, conversation } = await withConversation();
    await conversations.post(conversation.id, 'We are on it.');
    const delivered = await waitFor(async () => {
      const [m] = await phone.received();
      return m?.status === 'delivered' ? m : undefined;
    }, 'the agent message delivered');
    assert.equal(delivered.text, 'We are on it.');
  });

  it('refuses a message to a consumer who opted out with 409 and sends nothing', async () => {
    const { phone, conversations, conversation, api } = await withConversation();
    assert.equal(await phone.send('STOP'), 'opted_out');
    // the STOP confirmation is sent after commit: count once it has reached the phone
    const before = await waitFor(async () => {
      const received = await phone.received();
      return received.some((m) => /unsubscribed/.test(m.text)) ? received.length : undefined;
    }, 'the opt-out confirmation');
    expectError(
      await api.post(`/conversations/${conversation.id}/messages`, { text: 'Still there?' }),
      409,
      IvrErrorCode.cannotSend,
      /opted out/,
    );
    assert.equal((await phone.received()).length, before);
    assert.equal(
      await transcriptTexts(conversations, conversation.id).then((x) => x.includes('Still there?')),
      false,
    );
  });

  it('refuses a message to a closed conversation with 409 and sends nothing', async () => {
    const { account, api, phone, conversations, conversation } = await withConversation();
    await conversations.close(conversation.id);

    expectError(
      await api.post(`/conversations/${conversation.id}/messages`, { text: 'too late' }),
      409,
      IvrErrorCode.cannotSend,
      /closed/,
    );
    assert.deepEqual(await transcriptTexts(conversations, conversation.id), ['Hello?']);
    assert.deepEqual(await phone.received(), []);
    const replies = await t.c2m.deps.db
      .selectFrom('outbox')
      .select('id')
      .where('account_id', '=', account.accountId)
      .where('kind', '=', 'reply')
      .execute();
    assert.deepEqual(replies, []);
  });

  for (const [label, body, message] of [
    ['empty text', { text: '' }, /^text: /],
    ['blank text', { text: '   ' }, /^text: /],
    ['no text', {}, /^text: is required/],
    ['text that is not a string', { text: 42 }, /^text: /],
    ['text over 4096 characters', { text: 'x'.repeat(4097) }, /^text: at most 4096/],
  ] as const) {
    it(`refuses ${label} with 400 naming text, and stores nothing`, async () => {
      const { account, api, conversations, conversation } = await withConversation();
      expectError(
        await api.post(`/conversations/${conversation.id}/messages`, body),
        400,
        IvrErrorCode.invalidRequest,
        message,
      );
      assert.deepEqual(await transcriptTexts(conversations, conversation.id), ['Hello?']);
      const replies = await t.c2m.deps.db
        .selectFrom('outbox')
        .select('id')
        .where('account_id', '=', account.accountId)
        .where('kind', '=', 'reply')
        .execute();
      assert.deepEqual(replies, []);
    });
  }

  it('needs the conversations or admin permission', async () => {
    const { account: owner, conversation } = await withConversation();
    // an IVR credential of the same account: right account, wrong permission
    const ivrCredential = await createOAuth1Credential(t.c2m.deps.db, t.c2m.deps.keys.secrets, {
      accountId: owner.accountId,
      name: 'ivr only',
      permissions: ['ivr'],
      now: t.clock.now(),
    });
    const api = accountApi(t, { ...owner, oauth1: ivrCredential });
    expectError(await api.get('/conversations'), 403, IvrErrorCode.forbidden);
    expectError(await api.get(`/conversations/${conversation.id}`), 403, IvrErrorCode.forbidden);
    expectError(
      await api.post(`/conversations/${conversation.id}/messages`, { text: 'hi' }),
      403,
      IvrErrorCode.forbidden,
    );
    expectError(
      await api.post(`/conversations/${conversation.id}/close`),
      403,
      IvrErrorCode.forbidden,
    );

    // admin is enough
    const admin = await withConversation(['admin']);
    const view: ConversationView = await admin.conversations.get(admin.conversation.id);
    assert.equal(view.status, 'open');
  });

  it('needs a credential at all', async () => {
    const { api, conversation } = await withConversation();
    const res = await call(`${api.base}/conversations/${conversation.id}`, { method: 'GET' });
    expectError(res, 401, IvrErrorCode.invalidToken);
  });
});
