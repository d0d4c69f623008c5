// One tenant cannot use up another's capacity: every authenticated route and socket event counts
// against a per-account limit (429 + Retry-After, or a `rate_limited` ack), and each account has
// its own count.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { io as connect, type Socket } from 'socket.io-client';
import type { OutboundMessageView } from '../contract/outbound.js';
import {
  REPORTS_NAMESPACE,
  type Ack,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '../contract/realtime.js';
import {
  adminApi,
  adminSession,
  call,
  oauth1Header,
  seedAccount,
  startTestC2m,
  type ApiResponse,
  type TestC2m,
} from './helpers.js';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

describe('per-account limits', () => {
  let t: TestC2m;
  const sockets: ClientSocket[] = [];

  before(async () => {
    t = await startTestC2m({
      C2M_ADMIN_RATE_LIMIT: '3',
      C2M_API_RATE_LIMIT: '2',
      C2M_WIDGET_RATE_LIMIT: '2',
    });
  });
  after(async () => {
    for (const s of sockets) s.disconnect();
    await t.close();
  });

  const fresh = () => seedAccount(t, { permissions: ['ivr', 'admin'] });
  const limitedRest = (res: ApiResponse) => {
    assert.equal(res.status, 429, JSON.stringify(res.body));
    assert.match(res.headers.get('Retry-After') ?? '', /^[1-9]\d*$/);
  };

  it('admin API: every user of an account together, 429 rate_limited with Retry-After', async () => {
    const [a, b] = [await fresh(), await fresh()];
    const api = adminApi(t, a.accountId, await adminSession(t, a, 'admin'));
    const answers = await Promise.all(Array.from({ length: 5 }, () => api.get('/settings')));
    assert.deepEqual(answers.map((r) => r.status).sort(), [200, 200, 200, 429, 429]);
    const limited = answers.find((r) => r.status === 429)!;
    limitedRest(limited);
    assert.equal((limited.body as { error: { code: string } }).error.code, 'rate_limited');
    // another user of the same account shares the limit; another account does not
    const other = adminApi(t, a.accountId, await adminSession(t, a, 'read_only', 'user-2'));
    limitedRest(await other.get('/settings'));
    const bApi = adminApi(t, b.accountId, await adminSession(t, b, 'admin'));
    assert.equal((await bApi.get('/settings')).status, 200);
    // and the dashboard's analytics are admin routes too
    limitedRest(
      await api.post('/reports/analytics', { attemptedStartTime: 0, attemptedEndTime: 1000 }),
    );
    t.clock.advance(1000);
    assert.equal((await api.get('/settings')).status, 200);
  });

  it('holds the refusals of an account flooding past 3 times its limit until its window ends', async () => {
    const [a, b] = [await fresh(), await fresh()];
    const api = adminApi(t, a.accountId, await adminSession(t, a, 'admin'));
    const bApi = adminApi(t, b.accountId, await adminSession(t, b, 'admin'));
    // a whole second of the (standing) clock is left in this window: the hold is that second
    t.clock.advance(1000 - (t.clock.now() % 1000));
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await api.get('/settings')).status);
    assert.deepEqual(statuses, [200, 200, 200, 429, 429, 429, 429, 429, 429], 'answered at once');
    const finished: string[] = [];
    const started = performance.now();
    const held = api.get('/settings').then((res) => {
      finished.push('a');
      return res;
    });
    const other = bApi.get('/settings').then((res) => {
      finished.push('b');
      return res;
    });
    const [heldRes, otherRes] = await Promise.all([held, other]);
    limitedRest(heldRes);
    assert.equal(otherRes.status, 200);
    assert.deepEqual(finished, ['b', 'a'], 'the other account is not held behind the flood');
    assert.ok(performance.now() - started >= 900, 'the tenth request was held for the window');
    t.clock.advance(1000);
  });

  it('credential routes without their own limit (sandbox): 429 / 1029', async () => {
    const a = await fresh();
    const url = `${t.url}/api/account/${a.accountId}/sandbox/messages`;
    const get = () =>
      call(url, { method: 'GET', authorization: oauth1Header(a.oauth1, 'GET', url) });
    assert.equal((await get()).status, 200);
    assert.equal((await get()).status, 200);
    const limited = await get();
    limitedRest(limited);
    assert.deepEqual(limited.body, { errorCode: 1029, errorMessage: 'Rate limit hit' });
    const b = await fresh();
    const bUrl = `${t.url}/api/account/${b.accountId}/sandbox/messages`;
    const bRes = await call(bUrl, {
      method: 'GET',
      authorization: oauth1Header(b.oauth1, 'GET', bUrl),
    });
    assert.equal(bRes.status, 200);
  });

  it('widget REST and widget:subscribe share the widget limit; the ack says when to retry', async () => {
    const a = await fresh();
    const token = await adminSession(t, a, 'agent');
    const url = `${t.url}/api/widget/account/${a.accountId}/outbound?consumerPhoneNumber=%2B14155550100`;
    const rest = await call(url, { method: 'GET', authorization: `Bearer ${token}` });
    assert.equal(rest.status, 200, JSON.stringify(rest.body));

    const socket = await open(token);
    const subscribe = async () =>
      (await socket
        .timeout(5000)
        .emitWithAck('widget:subscribe', { consumerPhoneNumber: '+14155550100' })) as Ack<
        OutboundMessageView[]
      >;
    const first = await subscribe();
    assert.ok('data' in first, JSON.stringify(first));
    const second = await subscribe();
    assert.ok('error' in second, JSON.stringify(second));
    assert.equal(second.error.code, 'rate_limited');
    assert.ok((second.error.retryAfterSeconds ?? 0) >= 1);
    limitedRest(await call(url, { method: 'GET', authorization: `Bearer ${token}` }));

    t.clock.advance(1000);
    const later = await subscribe();
    assert.ok('data' in later, JSON.stringify(later));
  });

  it('the dashboard socket counts against the admin limit', async () => {
    const a = await fresh();
    const token = await adminSession(t, a, 'read_only');
    const socket = await open(token, REPORTS_NAMESPACE);
    const acks: Ack<{ accountId: string }>[] = [];
    for (let i = 0; i < 4; i++) {
      acks.push(
        (await socket.timeout(5000).emitWithAck('reports:subscribe')) as Ack<{ accountId: string }>,
      );
    }
    assert.equal(acks.filter((ack) => 'data' in ack).length, 3);
    const limited = acks[3];
    assert.ok('error' in limited && limited.error.code === 'rate_limited', JSON.stringify(limited));
  });

  async function open(token: string, namespace = ''): Promise<ClientSocket> {
    const socket: ClientSocket = connect(`${t.url}${namespace}`, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      auth: { token },
    });
    sockets.push(socket);
    await new Promise<void>((ok, fail) => {
      socket.once('connect', () => ok());
      socket.once('connect_error', fail);
    });
    return socket;
  }
});
