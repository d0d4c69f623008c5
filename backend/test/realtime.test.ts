// The agent widget's live channel: Socket.IO on c2m's own server. Only a session of a widget role
// connects; a subscribe is checked and answered with the current messages; the invite, the sandbox
// receipt and the consumer's reply arrive live — and never at another account's sockets, even one
// following the same phone number.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import SqliteDatabase from 'better-sqlite3';
import { io as connect, type Socket } from 'socket.io-client';
import { outboundView } from '../src/modules/widget/outbound.query.js';
import type { OutboundMessageView } from '../contract/outbound.js';
import type {
  Ack,
  ClientToServerEvents,
  ServerToClientEvents,
  WidgetSubject,
} from '../contract/realtime.js';
import {
  adminSession,
  seedAccount,
  startTestC2m,
  waitFor,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';
import { accountApi, deflect, freshPhone, transactionOf } from './sandbox-phone.js';
import { onPostgres } from './test-engine.js';

type WidgetSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
interface Seen {
  event: string;
  payload: unknown;
}

describe('realtime', () => {
  let t: TestC2m;
  let a: SeededAccount;
  let b: SeededAccount;
  const sockets: WidgetSocket[] = [];

  before(async () => {
    t = await startTestC2m();
    a = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    b = await seedAccount(t, { permissions: ['ivr', 'admin'] });
  });
  after(async () => {
    for (const s of sockets) s.disconnect();
    await t?.close();
  });

  /** A widget's socket, not yet connected, that records every broadcast it gets. */
  function widget(
    token: string | undefined,
    on: TestC2m = t,
  ): { socket: WidgetSocket; seen: Seen[] } {
    const socket: WidgetSocket = connect(on.url, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      autoConnect: false,
      ...(token !== undefined && { auth: { token } }),
    });
    sockets.push(socket);
    const seen: Seen[] = [];
    socket.onAny((event: string, payload: unknown) => seen.push({ event, payload }));
    return { socket, seen };
  }

  /** Resolves on connect, rejects with the server's reason on connect_error. */
  function open(socket: WidgetSocket): Promise<void> {
    return new Promise((ok, fail) => {
      socket.once('connect', () => ok());
      socket.once('connect_error', (err) => fail(err));
      socket.connect();
    });
  }

  async function subscribe(
    socket: WidgetSocket,
    subject: unknown,
  ): Promise<Ack<OutboundMessageView[]>> {
    return (await socket
      .timeout(5000)
      .emitWithAck('widget:subscribe', subject as WidgetSubject)) as Ack<OutboundMessageView[]>;
  }

  const arrived = (seen: Seen[], event: string, match: (m: OutboundMessageView) => boolean) =>
    waitFor(
      () =>
        seen.find((s) => s.event === event && match(s.payload as OutboundMessageView))?.payload as
          OutboundMessageView | undefined,
      event,
    );

  it('refuses a socket without a token, with a bad one, or of a role without the widget', async () => {
    const readOnly = await adminSession(t, a, 'read_only');
    for (const token of [undefined, 'not-a-token', readOnly]) {
      const { socket } = widget(token);
      await assert.rejects(open(socket), { message: 'unauthorized' });
      assert.equal(socket.connected, false);
    }
  });

  it("brings an account's invite, receipt and reply live, and nothing to another account", async () => {
    const phone = freshPhone();
    const agentA = widget(await adminSession(t, a, 'agent'));
    const agentB = widget(await adminSession(t, b, 'agent'));
    await Promise.all([open(agentA.socket), open(agentB.socket)]);
    assert.deepEqual(await subscribe(agentA.socket, { consumerPhoneNumber: phone }), { data: [] });
    assert.deepEqual(await subscribe(agentB.socket, { consumerPhoneNumber: phone }), { data: [] });

    const { callId } = await deflect(t, a, phone, {
      eligibility: { ivrNumber: '+18005550100', sdes: [{ type: 'personal', info: {} }] },
    });
    const created = await arrived(agentA.seen, 'outbound:created', (m) => m.callId === callId);
    assert.equal(created.consumerPhoneNumber, phone);
    assert.equal(created.handoffId, a.handoffs.sms);
    assert.equal(created.ivrNumber, '+18005550100');
    assert.deepEqual(created.sdes, [{ type: 'personal', info: {} }]);

    const delivered = await arrived(
      agentA.seen,
      'outbound:status-changed',
      (m) => m.id === created.id && m.status === 'delivered',
    );
    assert.equal(delivered.channel, 'sms');
    assert.match(delivered.text, /reply here to chat with us/);
    assert.notEqual(delivered.sentAt, null);

    const reply = await accountApi(t, a).post('/sandbox/inbound', {
      channel: 'sms',
      from: phone,
      text: 'Hi, a question',
    });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    const replied = await arrived(agentA.seen, 'outbound:replied', (m) => m.id === created.id);
    assert.equal(replied.status, 'replied');
    assert.deepEqual(
      replied.statusHistory.map((h) => h.status),
      ['queued', 'sent', 'delivered', 'replied'],
    );
    // the reply opened the deflection conversation: the widget shows its id, channel and start
    assert.equal(replied.conversation?.status, 'open');
    assert.equal(replied.conversation?.channel, 'sms');
    assert.match(replied.conversation?.openedAt ?? '', /^\d{4}-\d\d-\d\dT/);
    const opened = await waitFor(
      () => agentA.seen.find((s) => s.event === 'conversation:opened'),
      'conversation:opened',
    );
    assert.equal((opened.payload as { transactionId: string }).transactionId, created.id);

    // everything of A has arrived at A: B, following the same number, got none of it
    assert.deepEqual(agentB.seen, []);
    assert.deepEqual(await subscribe(agentB.socket, { consumerPhoneNumber: phone }), { data: [] });
    const again = await subscribe(agentA.socket, { consumerPhoneNumber: phone });
    assert.ok('data' in again);
    assert.deepEqual(
      again.data.map((m) => [m.id, m.status]),
      [[created.id, 'replied']],
    );
  });

  it('answers an invalid subject with an error naming the field', async () => {
    const agent = widget(await adminSession(t, a, 'agent_manager'));
    await open(agent.socket);
    const none = await subscribe(agent.socket, {});
    assert.ok('error' in none);
    assert.match(none.error.message, /consumerPhoneNumber, consumerId or conversationId/);
    const bad = await subscribe(agent.socket, { consumerPhoneNumber: '0123' });
    assert.ok('error' in bad);
    assert.equal(bad.error.code, 'invalid_request');
    assert.match(bad.error.message, /^consumerPhoneNumber: /);
    const tooMany = await subscribe(agent.socket, { consumerId: 'c-1', limit: 500 });
    assert.ok('error' in tooMany);
    assert.match(tooMany.error.message, /^limit: /);
  });

  it('reads nothing to broadcast while nobody follows the account, and broadcasts once a widget does', async () => {
    // a server of its own: the statements it prepares show what its publisher read
    const own = await startTestC2m();
    const prepared = new Set<string>();
    // the library's own method, called with its connection as `this` and put back afterwards
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const prepare = SqliteDatabase.prototype.prepare;
    const recordInto = (into: Set<string>) => {
      SqliteDatabase.prototype.prepare = function record(this: SqliteDatabase.Database, sql) {
        into.add(sql);
        return prepare.call(this, sql);
      } as typeof prepare;
    };
    try {
      const c = await seedAccount(own, { permissions: ['ivr', 'admin'] });
      // the statements are SQLite's to record; on PostgreSQL the broadcast half below still runs
      if (!onPostgres) recordInto(prepared);
      const unfollowed = await deflect(own, c, freshPhone());
      const tx = await transactionOf(own, unfollowed.callId);
      await waitFor(
        async () =>
          (await transactionOf(own, unfollowed.callId)).status === 'delivered' || undefined,
        'the unfollowed invite delivered',
      );
      if (!onPostgres) {
        // what the publisher would have read: outboundView's statements, recorded apart
        const viewStatements = new Set<string>();
        recordInto(viewStatements);
        assert.equal((await outboundView(own.c2m.deps.db, c.accountId, tx.id))?.id, tx.id);
        SqliteDatabase.prototype.prepare = prepare;
        assert.ok(viewStatements.size > 0, 'the view was prepared before: the publisher read it');
        for (const sql of viewStatements) assert.ok(!prepared.has(sql), `read anyway: ${sql}`);
      }

      // a widget following any consumer of the account: the next invite to it is broadcast
      const phone = freshPhone();
      const agent = widget(await adminSession(own, c, 'agent'), own);
      await open(agent.socket);
      assert.deepEqual(await subscribe(agent.socket, { consumerPhoneNumber: phone }), { data: [] });
      const { callId } = await deflect(own, c, phone);
      const created = await arrived(agent.seen, 'outbound:created', (m) => m.callId === callId);
      assert.equal(created.consumerPhoneNumber, phone);
      agent.socket.disconnect();
    } finally {
      SqliteDatabase.prototype.prepare = prepare;
      await own.close();
    }
  });
});
