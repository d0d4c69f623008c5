// GET /metrics against a real c2m: the counters move with the right labels after real requests,
// sends and webhook deliveries; the outbox and socket gauges read the live state; and a request
// that came through a proxy needs C2M_METRICS_TOKEN.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { io as connect } from 'socket.io-client';
import { IvrErrorCode, type IvrErrorBody } from '../contract/errors.js';
import { adminSession, call, seedAccount, startTestC2m, waitFor, type TestC2m } from './helpers.js';
import { accountApi, deflect, freshPhone, sandboxPhone } from './sandbox-phone.js';
import { startSinkReceiver, type SinkReceiver } from './sink-receiver.js';

const TOKEN = 'metrics-token-0123456789';
const NOT_ON_WHATSAPP = '+14155550001';
const WHATSAPP_FAILS = '+14155550002';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of Prometheus' text format: `name{label="value",…} number`, comments skipped. */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[k] = v;
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

/** The sum of the samples named `name` whose labels include `labels`: 0 when there are none. */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

async function scrape(t: TestC2m, headers: Record<string, string> = {}) {
  const res = await fetch(`${t.url}/metrics`, { headers });
  return { res, samples: parseExposition(await res.text()) };
}

describe('metrics', () => {
  let t: TestC2m;
  /** With the outbox worker off, so a queued job stays queued. */
  let idle: TestC2m;
  let receiver: SinkReceiver;

  before(async () => {
    t = await startTestC2m({ C2M_METRICS_TOKEN: TOKEN, C2M_ALLOW_PRIVATE_WEBHOOKS: '1' });
    idle = await startTestC2m({ C2M_OUTBOX_WORKER: '0' });
    receiver = await startSinkReceiver();
  });
  after(async () => {
    await receiver?.close();
    await t?.close();
    await idle?.close();
  });

  /** Runs `action`, then answers how much each asked-for sample moved. */
  async function moved(action: () => Promise<void>, c2m = t) {
    const before = (await scrape(c2m)).samples;
    await action();
    const after = (await scrape(c2m)).samples;
    return (name: string, labels: Record<string, string> = {}) =>
      valueOf(after, name, labels) - valueOf(before, name, labels);
  }

  it('serves the exposition format on loopback, process metrics included', async () => {
    const { res, samples } = await scrape(t);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    assert.ok(samples.some((s) => s.name === 'c2m_process_cpu_user_seconds_total'));
    assert.ok(samples.some((s) => s.name === 'c2m_nodejs_heap_size_used_bytes'));
  });

  it('counts requests by route template and status, and decisions by channel and reason', async () => {
    const account = await seedAccount(t);
    const route = '/api/account/:accountId/eligibility';
    const delta = await moved(async () => {
      await deflect(t, account, NOT_ON_WHATSAPP, { handoff: account.handoffs.waSms });
      const unsigned = await call(`${t.url}/api/account/${account.accountId}/eligibility?v=2.0`, {
        body: {},
      });
      assert.equal(unsigned.status, 401);
      assert.equal((await fetch(`${t.url}/no/such/${account.accountId}`)).status, 404);
    });

    assert.equal(delta('c2m_http_requests_total', { method: 'POST', route, status: '200' }), 1);
    // the auth middleware answered this one: still the route's template, not its own pattern
    assert.equal(delta('c2m_http_requests_total', { method: 'POST', route, status: '401' }), 1);
    assert.equal(
      delta('c2m_http_requests_total', {
        method: 'POST',
        route: '/api/account/:accountId/invite',
        status: '200',
      }),
      1,
    );
    assert.equal(
      delta('c2m_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' }),
      1,
    );
    assert.equal(
      delta('c2m_http_request_duration_seconds_count', { method: 'POST', route, status: '200' }),
      1,
    );
    assert.equal(
      delta('c2m_eligibility_decisions_total', { channel: 'wa', reason: 'not_reachable' }),
      1,
    );
    assert.equal(
      delta('c2m_eligibility_decisions_total', { channel: 'sms', reason: 'eligible' }),
      1,
    );

    const { samples } = await scrape(t);
    const routes = samples.flatMap((s) => (s.labels.route === undefined ? [] : [s.labels.route]));
    assert.ok(routes.length > 0);
    assert.ok(!routes.some((r) => r.includes(account.accountId)), 'no raw path in a route label');
  });

  it('counts each provider send by channel and result', async () => {
    const account = await seedAccount(t);
    const before = (await scrape(t)).samples;
    const sent = (s: Sample[]) => valueOf(s, 'c2m_sends_total', { channel: 'sms', result: 'sent' });
    // WhatsApp refuses this number for good; the invite falls back to SMS
    await deflect(t, account, WHATSAPP_FAILS, { handoff: account.handoffs.waSms });
    const after = await waitFor(async () => {
      const { samples } = await scrape(t);
      return sent(samples) > sent(before) ? samples : undefined;
    }, 'the SMS send to be counted');

    assert.equal(sent(after) - sent(before), 1);
    const failed = { channel: 'wa', result: 'error' };
    assert.equal(
      valueOf(after, 'c2m_sends_total', failed) - valueOf(before, 'c2m_sends_total', failed),
      1,
    );
  });

  it('shows a queued job as outbox depth, and its age once it is overdue', async () => {
    const account = await seedAccount(idle);
    const delta = await moved(() => deflect(idle, account, freshPhone()).then(() => {}), idle);
    assert.equal(delta('c2m_outbox_jobs', { status: 'pending' }), 1);

    idle.clock.advance(90_000);
    const { samples } = await scrape(idle);
    assert.ok(valueOf(samples, 'c2m_outbox_oldest_due_age_seconds') >= 90);
    assert.equal(valueOf(samples, 'c2m_outbox_jobs', { status: 'running' }), 0);
  });

  it('counts conversation sink deliveries by result', async () => {
    const account = await seedAccount(t, { permissions: ['admin'] });
    const api = accountApi(t, account);
    const res = await api.put('/sink', {
      url: receiver.url,
      secret: 'sink-secret-0123456789abcdef',
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const deliveries = async (result: string) =>
      valueOf((await scrape(t)).samples, 'c2m_webhook_deliveries_total', { kind: 'sink', result });

    const delivered = await deliveries('delivered');
    assert.equal(await sandboxPhone(api, freshPhone()).send('Hello?'), 'conversation');
    await waitFor(
      async () => (await deliveries('delivered')) > delivered || undefined,
      'a delivery',
    );

    receiver.respond = () => 503;
    const retrying = await deliveries('retrying');
    assert.equal(await sandboxPhone(api, freshPhone()).send('Anyone?'), 'conversation');
    await waitFor(async () => (await deliveries('retrying')) > retrying || undefined, 'a retry');
    receiver.respond = () => 200;
  });

  it('counts connected widget sockets', async () => {
    const account = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    const token = await adminSession(t, account, 'agent');
    const connected = async () => valueOf((await scrape(t)).samples, 'c2m_sockets_connected');
    assert.equal(await connected(), 0);

    const socket = connect(t.url, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      auth: { token },
    });
    try {
      await new Promise<void>((ok, fail) => {
        socket.once('connect', ok);
        socket.once('connect_error', fail);
      });
      assert.equal(await connected(), 1);
    } finally {
      socket.disconnect();
    }
    await waitFor(async () => (await connected()) === 0 || undefined, 'the socket to be gone');
  });

  it('answers a proxied request only with the bearer token', async () => {
    // a reverse proxy on this host connects from loopback: its X-Forwarded-For gives it away
    const proxied = { 'X-Forwarded-For': '203.0.113.7' };
    const refused = await fetch(`${t.url}/metrics`, { headers: proxied });
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as IvrErrorBody).errorCode, IvrErrorCode.forbidden);

    const wrong = await scrape(t, { ...proxied, Authorization: `Bearer ${TOKEN}x` });
    assert.equal(wrong.res.status, 403);
    const right = await scrape(t, { ...proxied, Authorization: `Bearer ${TOKEN}` });
    assert.equal(right.res.status, 200);
    assert.ok(right.samples.some((s) => s.name === 'c2m_http_requests_total'));

    // without C2M_METRICS_TOKEN no token opens it
    const untokened = await scrape(idle, { ...proxied, Authorization: `Bearer ${TOKEN}` });
    assert.equal(untokened.res.status, 403);
  });
});
