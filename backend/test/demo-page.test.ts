// The demo page's server side (/demo/...): there only with the demo on and for requests from this
// machine; the IVR simulator's answers are the IVR API's own; the phone plays the sandbox phone;
// no credential of the demo account ever reaches the page.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DemoCredentials } from '../src/modules/demo-page/bootstrap.js';
import type { DemoContext } from '../contract/demo.js';
import type { SandboxMessageView } from '../src/modules/sandbox/sandbox.service.js';
import { loadConfig } from '../src/config.js';
import { DEMO_KEY_HEADER } from '../contract/demo.js';
import { bearerToken, call, startTestC2m, waitFor, type TestC2m } from './helpers.js';

/** This start's demo key, as the page reads it from the URL c2m printed. */
let demoKey = '';
const withKey = (headers?: Record<string, string>) => ({ [DEMO_KEY_HEADER]: demoKey, ...headers });
const get = (url: string, headers?: Record<string, string>) =>
  call(url, { method: 'GET', headers: withKey(headers) });
const post = (url: string, body: unknown, headers?: Record<string, string>) =>
  call(url, { method: 'POST', body, headers: withKey(headers) });

/** A GET with a Host header of our choosing, which fetch() would replace. */
function getWithHost(
  url: string,
  host: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { ...headers, Host: host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('demo page routes with the demo off', () => {
  let t: TestC2m;
  before(async () => {
    t = await startTestC2m({ C2M_DEMO: '0' });
  });
  after(() => t?.close());

  it('answers 404 on every /demo route, like any unknown path', async () => {
    const notFound = { errorCode: 1004, errorMessage: 'Not Found' };
    for (const res of [
      await get(`${t.url}/demo/context`),
      await get(`${t.url}/demo/phone/messages?address=%2B14155550123`),
      await post(`${t.url}/demo/ivr/eligibility`, {}),
      await post(`${t.url}/demo/ivr/invite`, {}),
      await post(`${t.url}/demo/phone/inbound`, { from: '+14155550123', text: 'STOP' }),
    ]) {
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, notFound);
    }
  });

  it('still serves the page and its script, which then explains the demo is not there', async () => {
    const page = await get(`${t.url}/`);
    assert.equal(page.status, 200);
    assert.match(String(page.body), /src="\/demo\/assets\/demo\.js"/);
    const script = await get(`${t.url}/demo/assets/demo.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
    for (const name of ['nope.js', '..%2Fadmin.html', 'demo.html']) {
      assert.equal((await get(`${t.url}/demo/assets/${name}`)).status, 404, name);
    }
  });
});

describe('demo page routes with the demo on', () => {
  let t: TestC2m;
  let demo: DemoCredentials;
  let ivrBearer: string;

  before(async () => {
    t = await startTestC2m({ C2M_DEMO: '1' });
    demoKey = new URL(t.c2m.demoPageUrl ?? 'http://x/').hash.replace(/^#demo=/, '');
    assert.match(demoKey, /^[A-Za-z0-9_-]{24,}$/, 'the start-up URL carries the demo key');
    demo = JSON.parse(
      readFileSync(join(t.dataDir, 'demo-credentials.json'), 'utf8'),
    ) as DemoCredentials;
    ivrBearer = await bearerToken(t.url, { id: 'demo', ...demo.oauth2 });
  });
  after(() => t?.close());

  const api = (op: 'eligibility' | 'invite', body: unknown) =>
    call(`${t.url}/api/account/${demo.accountId}/${op}?v=2.0`, {
      body,
      authorization: `Bearer ${ivrBearer}`,
    });
  const phoneMessages = async (address: string) => {
    const res = await get(`${t.url}/demo/phone/messages?address=${encodeURIComponent(address)}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body as { messages: SandboxMessageView[] }).messages;
  };
  const withoutCallId = (body: unknown) => ({ ...(body as object), callId: undefined });

  it('gives the demo account, its handoffs and skills, and short sessions, never a secret', async () => {
    const res = await get(`${t.url}/demo/context`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const context = res.body as DemoContext;
    assert.equal(context.accountId, demo.accountId);
    assert.deepEqual(context.handoffs.map((h) => h.id).sort(), Object.values(demo.handoffs).sort());
    assert.deepEqual(context.handoffs.find((h) => h.id === demo.handoffs.waSms)?.channels, [
      'wa',
      'sms',
    ]);
    assert.deepEqual(context.skills, ['billing', 'sales']);
    const text = JSON.stringify(context);
    for (const secret of [
      demo.oauth1.consumerSecret,
      demo.oauth1.tokenSecret,
      demo.oauth2.clientSecret,
    ]) {
      assert.ok(!text.includes(secret), 'a credential secret reached the page');
    }
    const expiresIn = Date.parse(context.sessions.admin.expiresAt) - t.clock.now();
    assert.ok(expiresIn > 0 && expiresIn <= 900_000, `admin session lasts ${expiresIn} ms`);

    // the sessions are real: the admin one for the admin API, the agent one for the widget's
    const admin = await get(`${t.url}/api/admin/account/${demo.accountId}/handoffs`, {
      Authorization: `Bearer ${context.sessions.admin.token}`,
    });
    assert.equal(admin.status, 200, JSON.stringify(admin.body));
    const agent = await get(
      `${t.url}/api/widget/account/${demo.accountId}/outbound?consumerPhoneNumber=%2B14155550123`,
      { Authorization: `Bearer ${context.sessions.agent.token}` },
    );
    assert.equal(agent.status, 200, JSON.stringify(agent.body));
    const agentAsAdmin = await get(`${t.url}/api/admin/account/${demo.accountId}/settings`, {
      Authorization: `Bearer ${context.sessions.agent.token}`,
    });
    assert.equal(agentAsAdmin.status, 403);
  });

  it('answers eligibility exactly as the IVR API does, errors included', async () => {
    const request = (phone: string) => ({
      skill: 'sales',
      consumerPhoneNumber: phone,
      handoffId: demo.handoffs.waSms,
      templateVariables: { 1: 'Ada' },
    });
    for (const [viaApi, viaDemo] of [
      ['+14155550201', '+14155550202'], // eligible on both channels
      ['+14155551001', '+14155552001'], // …0001: not on WhatsApp
      ['+14155551000', '+14155552000'], // …0000: reachable on no channel
    ]) {
      const expected = await api('eligibility', request(viaApi));
      const actual = await post(`${t.url}/demo/ivr/eligibility`, request(viaDemo));
      assert.equal(actual.status, expected.status);
      assert.deepEqual(withoutCallId(actual.body), withoutCallId(expected.body));
    }
    for (const bad of [
      { ...request('+1415'), consumerPhoneNumber: '4155550123' },
      { ...request('+14155550203'), handoffId: 'H000000000000000' },
      { ...request('+14155550203'), skill: 'nope' },
      { handoffId: demo.handoffs.sms },
    ]) {
      const expected = await api('eligibility', bad);
      const actual = await post(`${t.url}/demo/ivr/eligibility`, bad);
      assert.equal(actual.status, expected.status, JSON.stringify(bad));
      assert.deepEqual(actual.body, expected.body);
    }
  });

  it('plays the journey: invite, the phone, a read receipt, a reply, STOP, refused', async () => {
    const phone = '+14155550210';
    const eligibility = await post(`${t.url}/demo/ivr/eligibility`, {
      skill: 'billing',
      consumerPhoneNumber: phone,
      handoffId: demo.handoffs.sms,
      templateVariables: { 1: 'Ada' },
    });
    const { callId } = eligibility.body as { callId: string };
    const invited = await post(`${t.url}/demo/ivr/invite`, { callId });
    assert.deepEqual(invited, { ...invited, status: 200, body: { callId } });

    const message = await waitFor(async () => {
      const [m] = await phoneMessages(phone);
      return m?.status === 'delivered' ? m : undefined;
    }, 'the invite delivered to the sandbox phone');
    assert.equal(message.direction, 'outbound');
    assert.equal(message.channel, 'sms');
    assert.match(message.text, /^Hi Ada, thanks for calling Demo Brand/);

    const read = await post(`${t.url}/demo/phone/messages/${message.id}/status`, {
      status: 'read',
    });
    assert.deepEqual(read.body, { outcome: 'applied' });
    const replied = await post(`${t.url}/demo/phone/inbound`, { from: phone, text: 'Hi there' });
    assert.deepEqual(replied.body, { outcome: 'conversation' });
    const stopped = await post(`${t.url}/demo/phone/inbound`, { from: phone, text: 'STOP' });
    assert.deepEqual(stopped.body, { outcome: 'opted_out' });
    await waitFor(
      async () => (await phoneMessages(phone)).find((m) => /unsubscribed/.test(m.text)),
      'the opt-out confirmation on the phone',
    );

    const again = await post(`${t.url}/demo/ivr/eligibility`, {
      skill: 'sales',
      consumerPhoneNumber: phone,
      handoffId: demo.handoffs.waSms,
    });
    assert.equal((again.body as { eligible: boolean }).eligible, false, JSON.stringify(again.body));
    assert.deepEqual((again.body as { channels: unknown }).channels, [
      { name: 'wa', eligible: false, reason: 'opted_out', reachability: 'unknown' },
      { name: 'sms', eligible: false, reason: 'opted_out' },
    ]);
    const refused = await post(`${t.url}/demo/ivr/invite`, {
      callId: (again.body as { callId: string }).callId,
    });
    assert.equal(refused.status, 400);
    assert.equal((refused.body as { errorCode: number }).errorCode, 1400);
  });

  it('checks the phone input like the sandbox API and finds no other message', async () => {
    const noAddress = await get(`${t.url}/demo/phone/messages`);
    assert.equal(noAddress.status, 400);
    assert.match((noAddress.body as { errorMessage: string }).errorMessage, /^address: /);
    assert.deepEqual(await phoneMessages('+14155550299'), []);
    const unknown = await post(
      `${t.url}/demo/phone/messages/00000000-0000-4000-8000-000000000000/status`,
      { status: 'read' },
    );
    assert.equal(unknown.status, 404);
    const empty = await post(`${t.url}/demo/phone/inbound`, { from: '+14155550299', text: '' });
    assert.equal(empty.status, 400);
  });

  it('gives no session to a request that looks like nginx proxy_pass on this host, without the key', async () => {
    // nginx's default `proxy_pass http://127.0.0.1:3000`: a loopback peer, Host localhost:3000 and
    // no X-Forwarded-* header; only the key printed at start-up tells the developer's own page apart
    const url = `${t.url}/demo/context`;
    const proxied = await getWithHost(url, `localhost:${t.c2m.port}`);
    assert.notEqual(proxied.status, 200);
    assert.doesNotMatch(proxied.body, /token/);
    const wrongKey = await getWithHost(url, `localhost:${t.c2m.port}`, {
      [DEMO_KEY_HEADER]: 'x'.repeat(24),
    });
    assert.equal(wrongKey.status, 401);
    assert.doesNotMatch(wrongKey.body, /token/);
    for (const path of ['/demo/ivr/eligibility', '/demo/phone/inbound']) {
      const res = await call(`${t.url}${path}`, { body: { from: '+14155550297', text: 'STOP' } });
      assert.equal(res.status, 401, path);
    }
    const withKey = await getWithHost(url, `localhost:${t.c2m.port}`, {
      [DEMO_KEY_HEADER]: demoKey,
    });
    assert.equal(withKey.status, 200);
  });

  it('is not there for requests from elsewhere: proxied, another host name, another site', async () => {
    const url = `${t.url}/demo/context`;
    const elsewhere: Record<string, string>[] = [
      { 'X-Forwarded-For': '203.0.113.7' },
      { 'X-Forwarded-For': '127.0.0.1' },
      { Forwarded: 'for=203.0.113.7' },
      { 'X-Real-IP': '203.0.113.7' },
      { 'Sec-Fetch-Site': 'cross-site' },
      { Origin: 'https://evil.example' },
    ];
    for (const headers of elsewhere) {
      const res = await get(url, headers);
      assert.equal(res.status, 404, JSON.stringify(headers));
      assert.deepEqual(res.body, { errorCode: 1004, errorMessage: 'Not Found' });
    }
    // a page on evil.example whose name was rebound to 127.0.0.1
    assert.equal((await getWithHost(url, `evil.example:${t.c2m.port}`, withKey())).status, 404);
    assert.equal((await getWithHost(url, `localhost:${t.c2m.port}`, withKey())).status, 200);
    const crossSitePost = await post(
      `${t.url}/demo/phone/inbound`,
      { from: '+14155550298', text: 'STOP' },
      { Origin: 'https://evil.example' },
    );
    assert.equal(crossSitePost.status, 404);
    assert.deepEqual(await phoneMessages('+14155550298'), []);
    // the page's own requests pass
    const own = await get(url, { Origin: t.url, 'Sec-Fetch-Site': 'same-origin' });
    assert.equal(own.status, 200);
  });
});

describe('where the demo page is on', () => {
  const page = (env: Record<string, string>) => loadConfig(env).demoPage;

  it('is on by itself only on a loopback listener, on every interface only when asked for', () => {
    assert.equal(page({}), 'this-machine', 'the default HOST is loopback');
    assert.equal(page({ HOST: '::1' }), 'this-machine');
    assert.equal(page({ HOST: '0.0.0.0' }), 'off');
    assert.equal(page({ HOST: '192.0.2.10' }), 'off');
    assert.equal(page({ HOST: '0.0.0.0', C2M_DEMO: '1' }), 'any-host');
    assert.equal(page({ HOST: '127.0.0.1', C2M_DEMO: '0' }), 'off');
    // the demo account is still made on a first start: its IVR credentials work from anywhere
    assert.equal(loadConfig({ HOST: '0.0.0.0' }).demo, true);
  });

  it('serves no demo route on every interface unless asked, and asked, needs the key', async () => {
    const quiet = await startTestC2m({ HOST: '0.0.0.0', C2M_DEMO: 'on' });
    try {
      const key = new URL(quiet.c2m.demoPageUrl ?? 'http://x/').hash.replace(/^#demo=/, '');
      const url = `http://127.0.0.1:${quiet.c2m.port}/demo/context`;
      // asked for: reachable through a proxy too, so the key is what keeps it
      const proxied = { 'X-Forwarded-For': '203.0.113.7' };
      assert.equal((await call(url, { method: 'GET', headers: proxied })).status, 401);
      const withKey = { ...proxied, [DEMO_KEY_HEADER]: key };
      assert.equal((await call(url, { method: 'GET', headers: withKey })).status, 200);
      const crossSite = { ...withKey, Origin: 'https://evil.example' };
      assert.equal((await call(url, { method: 'GET', headers: crossSite })).status, 404);
    } finally {
      await quiet.close();
    }
    const notAsked = await startTestC2m({ HOST: '0.0.0.0', C2M_DEMO: undefined });
    try {
      assert.equal(notAsked.c2m.demoPageUrl, undefined);
      const res = await call(`http://127.0.0.1:${notAsked.c2m.port}/demo/context`, {
        method: 'GET',
      });
      assert.equal(res.status, 404);
    } finally {
      await notAsked.close();
    }
  });
});
