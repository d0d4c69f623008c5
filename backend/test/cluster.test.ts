// engine: postgres
// Three c2m processes on one PostgreSQL and one Redis, on three loopback ports, the client spreading
// its requests over them as a load balancer would: the IVR's two calls land on different nodes, a
// widget on one node sees what webhooks at another produce, limits and nonces hold for the cluster,
// a node killed with SIGKILL while invites flow loses and doubles nothing, and a Redis that stops
// for a few seconds is answered with 503 and Retry-After, then served again without a restart.
// The Redis here is a server of the test's own, on a port of its own, so stopping it touches no one.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EligibilityResponse } from '../contract/deflection.js';
import type { WebhookEvent } from '../contract/webhooks.js';
import {
  adminSession,
  ivrClient,
  oauth1Header,
  seedAccount,
  startTestC2m,
  waitFor,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';
import { accountApi, freshPhone, sandboxPhone } from './sandbox-phone.js';
import { startSinkReceiver, type SinkReceiver } from './sink-receiver.js';
import { webhooksApi } from './event-webhooks-client.js';
import { dropEngineData, engineEnv } from './test-engine.js';
import {
  agentWidget,
  freePort,
  OwnRedis,
  startNodeProcess,
  type NodeProcess,
} from './node-process.js';

/** A POST to `url` as a load balancer would forward it: to the node on `port`, Host unchanged. */
function postVia(
  port: number,
  url: string,
  authorization: string,
  body: unknown,
): Promise<{ status: number; text: string }> {
  const u = new URL(url);
  return new Promise((ok, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `${u.pathname}${u.search}`,
        headers: {
          Host: u.host,
          Authorization: authorization,
          'Content-Type': 'application/json',
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => ok({ status: res.statusCode ?? 0, text }));
      },
    );
    req.once('error', fail);
    req.end(JSON.stringify(body));
  });
}

describe('a cluster of three c2m nodes on one PostgreSQL and one Redis', () => {
  const clusterDir = mkdtempSync(join(tmpdir(), 'c2m-cluster-'));
  let redis: OwnRedis;
  let env: Record<string, string>;
  /** In this process: seeds the account and reads the database; serves nothing the test uses. */
  let seed: TestC2m;
  let a: SeededAccount;
  const nodes: NodeProcess[] = [];
  const sockets: { disconnect(): unknown }[] = [];

  const startNode = (name: string, port: number) => startNodeProcess(name, port, env);

  const node = (i: number) => ({ url: nodes[i].url });

  before(async () => {
    redis = new OwnRedis(await freePort());
    await redis.start();
    env = { ...(await engineEnv(clusterDir)), C2M_REDIS_URL: redis.url };
    // migrates the cluster's schema and seeds the account; its own worker stays off
    seed = await startTestC2m(
      { C2M_REDIS_URL: redis.url, C2M_OUTBOX_WORKER: '0' },
      { dataDir: clusterDir },
    );
    a = await seedAccount(seed, { permissions: ['ivr', 'admin'], rateLimitPerSec: 0 });
    const ports = await Promise.all([freePort(), freePort(), freePort()]);
    for (const [i, port] of ports.entries()) nodes.push(await startNode(`node${i + 1}`, port));
  });

  after(async () => {
    for (const s of sockets) s.disconnect();
    await Promise.all(nodes.map((n) => n.kill()));
    await seed?.close();
    await redis?.stop();
    rmSync(clusterDir, { recursive: true, force: true });
    await dropEngineData(clusterDir);
  });

  async function eligibility(on: number, phone: string): Promise<EligibilityResponse> {
    const res = await ivrClient(node(on), a).eligibility({
      skill: 'sales',
      consumerPhoneNumber: phone,
      handoffId: a.handoffs.sms,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as EligibilityResponse;
  }

  async function messagesTo(phone: string) {
    return seed.c2m.deps.db
      .selectFrom('messages')
      .select(['id', 'status', 'transaction_id'])
      .where('to_address', '=', phone)
      .where('direction', '=', 'outbound')
      .execute();
  }

  it('answers eligibility on one node and the invite on another', async () => {
    const phone = freshPhone();
    const { callId, eligible } = await eligibility(0, phone);
    assert.equal(eligible, true);
    const invited = await ivrClient(node(1), a).invite({ callId });
    assert.equal(invited.status, 200, JSON.stringify(invited.body));
    // and the same callId once more at the third node is the same invite, not a second one
    const again = await ivrClient(node(2), a).invite({ callId });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    await waitFor(async () => (await messagesTo(phone)).length === 1 || undefined, 'the send');
    assert.equal((await messagesTo(phone)).length, 1);
  });

  it('shows a widget on node 1 the statuses that webhooks at node 3 produce', async () => {
    const { socket, seen } = await agentWidget(nodes[0].url, await adminSession(seed, a, 'agent'));
    sockets.push(socket);
    const phone = freshPhone();
    const ack = (await socket
      .timeout(5000)
      .emitWithAck('widget:subscribe', { consumerPhoneNumber: phone })) as { data?: unknown[] };
    assert.deepEqual(ack, { data: [] });

    const { callId } = await eligibility(1, phone);
    assert.equal((await ivrClient(node(1), a).invite({ callId })).status, 200);
    const statusOf = (status: string) =>
      waitFor(
        () => seen.find((m) => m.callId === callId && m.status === status),
        `${status} on node 1`,
        10_000,
      );
    await statusOf('delivered');
    // the consumer's handset reports through node 3: read, then a reply
    const phoneAtNode3 = sandboxPhone(accountApi(node(2), a), phone);
    const [message] = await phoneAtNode3.received();
    assert.ok(message);
    await phoneAtNode3.report(message.id, 'read');
    await statusOf('read');
    assert.equal(await phoneAtNode3.send('yes please'), 'conversation');
    await statusOf('replied');
  });

  it('holds the account rate limit across the cluster, not per node', async () => {
    const limited = await seedAccount(seed, { permissions: ['ivr'], rateLimitPerSec: 5 });
    // 30 requests at once, ten at each node: per-node counters would let 15 through
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        ivrClient(node(i % 3), limited).eligibility({
          skill: 'sales',
          consumerPhoneNumber: freshPhone(),
          handoffId: limited.handoffs.sms,
        }),
      ),
    );
    const passed = answers.filter((r) => r.status === 200).length;
    const limitedCount = answers.filter((r) => r.status === 429).length;
    assert.equal(passed + limitedCount, 30);
    // the burst may straddle two one-second windows: at most twice the limit
    assert.ok(passed >= 1 && passed <= 10, `${passed} passed`);
    for (const r of answers.filter((x) => x.status === 429)) {
      assert.ok(Number(r.headers.get('retry-after')) >= 1);
    }
  });

  it('refuses an OAuth 1.0a nonce replayed to another node', async () => {
    // behind a load balancer every node is reached at one public URL, so a signature made for it
    // is good at any node: the Host header says that URL (node 1's here) whichever node answers
    const publicUrl = `${nodes[0].url}/api/account/${a.accountId}/eligibility?v=2.0`;
    const signed = oauth1Header(a.oauth1, 'POST', publicUrl);
    const body = { skill: 'sales', consumerPhoneNumber: freshPhone(), handoffId: a.handoffs.sms };
    const atNode2 = await postVia(nodes[1].port, publicUrl, signed, body);
    assert.equal(atNode2.status, 200, atNode2.text);
    const replayedAtNode3 = await postVia(nodes[2].port, publicUrl, signed, body);
    assert.equal(replayedAtNode3.status, 401, replayedAtNode3.text);
  });

  it('sends every answered invite exactly once, delivers every webhook once, while a node is killed and restarted', async () => {
    const receiver: SinkReceiver<WebhookEvent> = await startSinkReceiver<WebhookEvent>();
    try {
      await webhooksApi(node(0), a).create({
        url: receiver.url,
        events: ['transaction.queued', 'transaction.sent', 'transaction.delivered'],
      });
      const answered: { phone: string; callId: string }[] = [];
      let stop = false;
      // the load balancer: round robin over the nodes that answer
      const flow = (async () => {
        for (let i = 0; !stop; i++) {
          const phone = freshPhone();
          const on = [0, 2][i % 2];
          const res = await ivrClient(node(on), a)
            .eligibility({ skill: 'sales', consumerPhoneNumber: phone, handoffId: a.handoffs.sms })
            .catch(() => undefined);
          if (res?.status !== 200) continue;
          const { callId } = res.body as EligibilityResponse;
          const invited = await ivrClient(node([2, 0][i % 2]), a)
            .invite({ callId })
            .catch(() => undefined);
          if (invited?.status === 200) answered.push({ phone, callId });
        }
      })();
      // node 2 also sends, until it is killed mid-flow
      const killed = nodes[1];
      const inFlight = Array.from({ length: 20 }, async () => {
        const phone = freshPhone();
        const res = await ivrClient(node(1), a)
          .eligibility({ skill: 'sales', consumerPhoneNumber: phone, handoffId: a.handoffs.sms })
          .catch(() => undefined);
        if (res?.status !== 200) return;
        const { callId } = res.body as EligibilityResponse;
        const invited = await ivrClient(node(1), a)
          .invite({ callId })
          .catch(() => undefined);
        if (invited?.status === 200) answered.push({ phone, callId });
      });
      await new Promise((r) => setTimeout(r, 300));
      await killed.kill();
      await Promise.allSettled(inFlight);
      await new Promise((r) => setTimeout(r, 1000));
      nodes[1] = await startNode('node2', killed.port);
      await new Promise((r) => setTimeout(r, 1000));
      stop = true;
      await flow;
      assert.ok(answered.length >= 10, `only ${answered.length} invites answered`);

      // every answered invite: exactly one message, and it reached the handset
      await waitFor(
        async () => {
          for (const { phone } of answered) {
            const sent = await messagesTo(phone);
            if (sent.length !== 1 || sent[0].status !== 'delivered') return undefined;
          }
          return true;
        },
        'every answered invite delivered',
        30_000,
      );
      for (const { phone } of answered) assert.equal((await messagesTo(phone)).length, 1, phone);

      // every webhook event once: three per answered invite, none twice
      const events = () => receiver.accepted().map((d) => d.event!);
      await waitFor(
        () => {
          const ids = new Set(
            events()
              .filter((e) => answered.some((x) => x.callId === e.data.callId))
              .map((e) => e.id),
          );
          return ids.size >= answered.length * 3 || undefined;
        },
        'every webhook delivered',
        30_000,
      );
      const ids = events().map((e) => e.id);
      assert.equal(new Set(ids).size, ids.length, 'a webhook event delivered twice');
    } finally {
      await receiver.close();
    }
  });

  it('answers 503 with Retry-After while Redis is stopped, and serves again once it is back', async () => {
    const phone = freshPhone();
    await eligibility(0, phone);
    await redis.stop();
    const during = await ivrClient(node(0), a).eligibility({
      skill: 'sales',
      consumerPhoneNumber: freshPhone(),
      handoffId: a.handoffs.sms,
    });
    assert.equal(during.status, 503, JSON.stringify(during.body));
    assert.ok(Number(during.headers.get('retry-after')) >= 1);
    const ready = await fetch(`${nodes[0].url}/readyz`);
    assert.equal(ready.status, 503);
    await new Promise((r) => setTimeout(r, 2000));
    await redis.start();
    for (const n of [0, 1, 2]) {
      await waitFor(
        async () => {
          const res = await ivrClient(node(n), a).eligibility({
            skill: 'sales',
            consumerPhoneNumber: freshPhone(),
            handoffId: a.handoffs.sms,
          });
          return res.status === 200 || undefined;
        },
        `node ${n + 1} serving again`,
        15_000,
      );
    }
  });
});
