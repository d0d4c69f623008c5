// engine: postgres
// Background work on several nodes of one installation (two apps on one PostgreSQL schema; the
// embedded SQLite default is one process, and a second c2m on its data dir is refused, see
// ops-startup.test.ts): every invite sent once, every event webhook delivered once and
// in order per transaction, a dead node's leased work taken over once its lease runs out, and a
// node that stops gracefully handing back what it leased but had not started.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WebhookEvent } from '../contract/webhooks.js';
import { claimDue } from '../src/outbox/outbox.repo.js';
import { CLAIM_LIMIT } from '../src/outbox/worker.js';
import { claimDueDeliveries } from '../src/modules/webhooks/deliveries.repo.js';
import { fanOutEvents } from '../src/modules/webhooks/fan-out.js';
import {
  seedAccount,
  startTestC2m,
  TestClock,
  waitFor,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';
import { deflect, freshPhone, transactionOf } from './sandbox-phone.js';
import { webhooksApi } from './event-webhooks-client.js';
import { dropEngineData } from './test-engine.js';

const TRANSACTION_EVENTS = ['transaction.queued', 'transaction.sent', 'transaction.delivered'];
const LEASE_MS = 30_000;

/**
 * A brand's webhook endpoint that records each delivery and, while `hold` is set, keeps its
 * answer until `release()`: a delivery in flight on a node that is asked to stop.
 */
async function startReceiver() {
  const got: WebhookEvent[] = [];
  let held: (() => void)[] = [];
  const receiver = {
    got,
    url: '',
    hold: false,
    release() {
      receiver.hold = false;
      for (const answer of held) answer();
      held = [];
    },
    close: () =>
      new Promise<void>((ok) => {
        receiver.release();
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookEvent);
      const answer = () => res.writeHead(200).end();
      if (receiver.hold) held.push(answer);
      else answer();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** One installation: nodes started on one data dir with one clock, all closed at the end. */
function cluster() {
  const dataDir = mkdtempSync(join(tmpdir(), 'c2m-cluster-'));
  const clock = new TestClock();
  const nodes: TestC2m[] = [];
  return {
    clock,
    async node(env: Record<string, string> = {}): Promise<TestC2m> {
      const t = await startTestC2m(
        { C2M_OUTBOX_LEASE_MS: String(LEASE_MS), ...env },
        {
          dataDir,
          clock,
        },
      );
      nodes.push(t);
      return t;
    },
    /** Stops a node as SIGTERM does, and forgets it. */
    async stop(t: TestC2m): Promise<void> {
      nodes.splice(nodes.indexOf(t), 1);
      await t.close();
    },
    async close(): Promise<void> {
      for (const t of nodes.splice(0)) await t.close();
      rmSync(dataDir, { recursive: true, force: true });
      await dropEngineData(dataDir);
    },
  };
}

/** A subscription to the transaction events, made through one node's API. */
async function subscribe(t: TestC2m, account: SeededAccount, receiver: Receiver) {
  await webhooksApi(t, account).create({ url: receiver.url, events: TRANSACTION_EVENTS });
}

/** The receiver's deliveries of one transaction's events, by type, in arrival order. */
const typesOf = (receiver: Receiver, transactionId: string) =>
  receiver.got.filter((e) => e.data.transactionId === transactionId).map((e) => e.type);

/**
 * Each transaction's invite sent exactly once: one outbound message, one `sent` event, and one
 * delivery receipt queued by the sandbox (it queues one per send it is asked for).
 */
async function assertSentOnce(t: TestC2m, transactionIds: string[]): Promise<void> {
  const { db } = t.c2m.deps;
  for (const id of transactionIds) {
    const messages = await db
      .selectFrom('messages')
      .select('id')
      .where('transaction_id', '=', id)
      .where('direction', '=', 'outbound')
      .execute();
    assert.equal(messages.length, 1, `messages of ${id}`);
    const receipts = await db
      .selectFrom('outbox')
      .select('payload_json')
      .where('kind', '=', 'receipt')
      .execute();
    const mine = receipts.filter((r) => r.payload_json.includes(messages[0].id));
    assert.equal(mine.length, 1, `sends of ${id}`);
    const sent = await db
      .selectFrom('events')
      .select('id')
      .where('transaction_id', '=', id)
      .where('payload_json', 'like', '%"status":"sent"%')
      .execute();
    assert.equal(sent.length, 1, `sent events of ${id}`);
  }
}

/** Every delivery received once, and each transaction's events in their order. */
function assertDeliveredOnceInOrder(receiver: Receiver, transactionIds: string[]): void {
  const ids = receiver.got.map((e) => e.id);
  assert.equal(new Set(ids).size, ids.length, 'a delivery arrived twice');
  for (const id of transactionIds) assert.deepEqual(typesOf(receiver, id), TRANSACTION_EVENTS);
}

describe('background work on two nodes of one installation', () => {
  let c: ReturnType<typeof cluster> | undefined;
  let receiver: Receiver | undefined;
  afterEach(async () => {
    await receiver?.close();
    await c?.close();
    c = receiver = undefined;
  });
  after(() => receiver?.close());

  it('sends every invite once and delivers every event webhook once, in order', async () => {
    c = cluster();
    receiver = await startReceiver();
    const nodes = [await c.node({ C2M_ALLOW_PRIVATE_WEBHOOKS: '1' }), await c.node()];
    const account = await seedAccount(nodes[0], { permissions: ['ivr', 'admin'] });
    await subscribe(nodes[1], account, receiver);

    // the invites arrive at both nodes, several at a time, while both nodes' workers run
    const callIds: string[] = [];
    for (let round = 0; round < 6; round++) {
      const burst = await Promise.all(
        [0, 1, 2, 3].map((i) => deflect(nodes[i % 2], account, freshPhone())),
      );
      callIds.push(...burst.map((b) => b.callId));
    }
    const transactionIds = await waitFor(
      async () => {
        const txs = await Promise.all(callIds.map((id) => transactionOf(nodes[0], id)));
        return txs.every((tx) => tx.status === 'delivered') ? txs.map((tx) => tx.id) : undefined;
      },
      'every invite delivered',
      20_000,
    );
    await waitFor(
      () => receiver!.got.length >= transactionIds.length * 3 || undefined,
      'every event delivered',
      20_000,
    );
    // a late second delivery would show up here
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(receiver.got.length, transactionIds.length * 3);
    assertDeliveredOnceInOrder(receiver, transactionIds);
    await assertSentOnce(nodes[0], transactionIds);
  });

  it('takes over a dead node’s leased job and delivery once their lease has run out', async () => {
    c = cluster();
    receiver = await startReceiver();
    // the node that will die: it takes requests, but its loops only run when the test says
    const dying = await c.node({ C2M_ALLOW_PRIVATE_WEBHOOKS: '1', C2M_OUTBOX_WORKER: '0' });
    const account = await seedAccount(dying, { permissions: ['ivr', 'admin'] });
    await subscribe(dying, account, receiver);
    const { callId } = await deflect(dying, account, freshPhone());
    const { db } = dying.c2m.deps;
    const now = c.clock.now();
    // it claims the invite's send and the `queued` event's delivery, then dies holding both
    const jobs = await claimDue(db, { now, leaseMs: LEASE_MS, limit: 10, abandoned: false });
    assert.equal(jobs.length, 1);
    await waitFor(
      async () => (await fanOutEvents(db, now)).queued === 1 || undefined,
      'the queued event fanned out',
    );
    const leased = await claimDueDeliveries(db, { now, leaseMs: LEASE_MS, limit: 10 });
    assert.equal(leased.length, 1);
    await c.stop(dying);

    const survivor = await c.node();
    const { id: transactionId } = await transactionOf(survivor, callId);
    // while the leases last, neither is taken: the job is the dead node's, and so is the delivery
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await transactionOf(survivor, callId)).status, 'queued');
    assert.deepEqual(receiver.got, []);

    c.clock.advance(LEASE_MS + 1);
    survivor.c2m.worker.nudge();
    await waitFor(
      async () => (await transactionOf(survivor, callId)).status === 'delivered',
      'the invite sent by the survivor',
      10_000,
    );
    await waitFor(() => receiver!.got.length >= 3 || undefined, 'three events', 10_000);
    await new Promise((r) => setTimeout(r, 300));
    assertDeliveredOnceInOrder(receiver, [transactionId]);
    await assertSentOnce(survivor, [transactionId]);
  });

  it('hands back, on a graceful stop, the deliveries it leased but had not started', async () => {
    c = cluster();
    receiver = await startReceiver();
    // a first node queues three deflections' events (its loops driven by the test), then stops
    const first = await c.node({ C2M_ALLOW_PRIVATE_WEBHOOKS: '1', C2M_OUTBOX_WORKER: '0' });
    const account = await seedAccount(first, { permissions: ['ivr', 'admin'] });
    await subscribe(first, account, receiver);
    const callIds: string[] = [];
    for (let i = 0; i < 3; i++) callIds.push((await deflect(first, account, freshPhone())).callId);
    await first.c2m.worker.drain();
    // (on PostgreSQL a round fans out only the events whose transactions are older than every
    // one still running on the server, other tests' included: a few rounds may take them all)
    let queued = 0;
    const now = c.clock.now();
    await waitFor(async () => {
      queued += (await fanOutEvents(first.c2m.deps.db, now)).queued;
      return queued >= 9 || undefined;
    }, 'nine deliveries queued');
    assert.equal(queued, 9);
    const transactionIds = await Promise.all(
      callIds.map(async (id) => (await transactionOf(first, id)).id),
    );
    await c.stop(first);

    // the stopping node leases the three `queued` deliveries (first of their transactions) in one
    // claim and is stopped while the receiver holds the first
    receiver.hold = true;
    const stopping = await c.node();
    const leasedBy = () =>
      stopping.c2m.deps.db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('locked_until', 'is not', null)
        .execute();
    await waitFor(() => receiver!.got.length === 1 || undefined, 'the first delivery in flight');
    assert.equal((await leasedBy()).length, 3);
    const stopped = c.stop(stopping);
    // the delivery in flight finishes; the two not started go back (the receiver would hold them)
    receiver.release();
    receiver.hold = true;
    const waited = setTimeout(() => receiver!.release(), 5000);
    await stopped;
    clearTimeout(waited);
    assert.equal(receiver.got.length, 1, 'the stop waited for deliveries it had not started');
    receiver.hold = false;

    const next = await c.node();
    const leased = await next.c2m.deps.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('locked_until', 'is not', null)
      .execute();
    assert.deepEqual(leased, []);
    // the clock stands still: the next node can take them only because they were handed back
    await waitFor(() => receiver!.got.length >= 9 || undefined, 'every event delivered', 10_000);
    await new Promise((r) => setTimeout(r, 300));
    assertDeliveredOnceInOrder(receiver, transactionIds);
  });

  it('hands back, on a graceful stop, the outbox jobs it claimed but had not started', async () => {
    c = cluster();
    const first = await c.node({ C2M_OUTBOX_WORKER: '0' });
    const account = await seedAccount(first);
    const callIds: string[] = [];
    for (let i = 0; i < 120; i++) {
      callIds.push((await deflect(first, account, freshPhone())).callId);
    }
    await c.stop(first);

    // the stopping node claims a batch of sends and is stopped once its first slice commits
    const stopping = await c.node();
    const stopped = new Promise<void>((ok) =>
      stopping.c2m.deps.domainEvents.once('transaction-changed', () => ok(c!.stop(stopping))),
    );
    await stopped;

    const next = await c.node({ C2M_OUTBOX_WORKER: '0' });
    const { db } = next.c2m.deps;
    const byStatus = await db
      .selectFrom('outbox')
      .select(['status', 'locked_until'])
      .where('kind', '=', 'send')
      .execute();
    // none left leased; a fresh worker's first claim takes CLAIM_LIMIT jobs, and the stop came
    // after the first slice of them
    assert.deepEqual(
      byStatus.filter((j) => j.status === 'running' || j.locked_until !== null),
      [],
    );
    const done = byStatus.filter((j) => j.status === 'done').length;
    assert.ok(done > 0 && done < CLAIM_LIMIT, `${done} sends ran before the stop`);
    // the clock stands still: another worker can take them only because they were handed back
    await next.c2m.worker.drain();
    const transactionIds: string[] = [];
    for (const id of callIds) {
      const tx = await transactionOf(next, id);
      assert.equal(tx.status, 'delivered');
      transactionIds.push(tx.id);
    }
    await assertSentOnce(next, transactionIds);
  });
});
