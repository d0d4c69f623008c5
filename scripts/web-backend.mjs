// A @web/test-runner plugin that starts a real c2m backend for the browser tests of <c2m-admin>
// and <c2m-cx-widget> (backend/test/web-backend.ts), tells it the test page's origins so its CORS
// allow-list admits them, and serves what it printed (API base, account id, session tokens) at
// /__c2m/backend.json. The IVR credential it also printed stays here in Node: a widget test asks,
// on the test runner's own origin, for the IVR and the consumer's sandbox phone to act —
//   POST /__c2m/deflect {phone, skill?, ivrNumber?, handoff?}  eligibility + invite on the SMS
//        handoff (or, with handoff 'waSms', WhatsApp then SMS) → {callId}
//   POST /__c2m/status  {phone, status}  the phone's receipt for the latest message it received
//   POST /__c2m/reply   {phone, text}    the consumer answers by SMS
//   POST /__c2m/revoke  {}               an admin revokes the credential of tokens.revocable_agent
//   POST /__c2m/login   {username, password}  a sign-in on c2m's own page (same-origin there) → {status}
//   POST /__c2m/widget-key {}            an admin creates a widget installation key → {id, key}
//   POST /__c2m/widget-key-revoke {id}   an admin revokes it
//   POST /__c2m/widget-session {key}     POST /api/widget/sessions → {token} or {status}
//   POST /__c2m/short-session {ttlSeconds, widgetKeyId?}  an agent session of any length → {token}
// Each answers 200 with {ok: true, ...} or {error} (the dev server's serve hook has no status).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const BACKEND_JSON = '/__c2m/backend.json';
const ACTIONS = {
  '/__c2m/deflect': deflect,
  '/__c2m/status': reportStatus,
  '/__c2m/reply': reply,
  '/__c2m/revoke': revoke,
  '/__c2m/login': login,
  '/__c2m/widget-key': widgetKey,
  '/__c2m/widget-key-revoke': widgetKeyRevoke,
  '/__c2m/widget-session': widgetSession,
  '/__c2m/short-session': shortSession,
};
const START_TIMEOUT_MS = 30_000;

/** Resolves with the first line of `stream` that parses as JSON; rejects on exit or timeout. */
function firstJsonLine(child) {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => {
      reject(new Error(`c2m web backend printed nothing within ${START_TIMEOUT_MS / 1000} s`));
    }, START_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      lines.close();
    };
    lines.on('line', (line) => {
      try {
        const info = JSON.parse(line);
        done();
        resolve(info);
      } catch {
        process.stderr.write(`[c2m web backend] ${line}\n`);
      }
    });
    child.once('exit', (code, signal) => {
      done();
      reject(new Error(`c2m web backend exited early (code ${code}, signal ${signal})`));
    });
  });
}

/** One call to the account's IVR / sandbox API with the IVR bearer token; throws unless 2xx. */
async function ivrCall(backend, method, path, body) {
  const res = await fetch(`${backend.apiBase}/api/account/${backend.accountId}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${backend.ivr.bearer}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(answer)}`);
  return answer;
}

async function deflect(backend, { phone, skill = 'sales', ivrNumber, handoff }) {
  const eligibility = await ivrCall(backend, 'POST', '/eligibility?v=2.0', {
    skill,
    consumerPhoneNumber: phone,
    handoffId: handoff === 'waSms' ? backend.ivr.waSmsHandoffId : backend.ivr.smsHandoffId,
    ...(handoff === 'waSms' && { templateVariables: { 1: 'Ana' } }),
    ...(ivrNumber && { ivrNumber }),
  });
  if (!eligibility.eligible) throw new Error(`not eligible: ${JSON.stringify(eligibility)}`);
  await ivrCall(backend, 'POST', '/invite?v=2.0', { callId: eligibility.callId });
  return { callId: eligibility.callId };
}

async function reportStatus(backend, { phone, status }) {
  const { messages } = await ivrCall(
    backend,
    'GET',
    `/sandbox/messages?address=${encodeURIComponent(phone)}`,
  );
  // newest first: the receipt is for the latest message the phone received
  const message = messages.find((m) => m.direction === 'outbound');
  if (!message) throw new Error(`the sandbox phone ${phone} has received nothing`);
  const { outcome } = await ivrCall(backend, 'POST', `/sandbox/messages/${message.id}/status`, {
    status,
  });
  return { messageId: message.id, outcome };
}

async function reply(backend, { phone, text }) {
  const { outcome } = await ivrCall(backend, 'POST', '/sandbox/inbound', {
    channel: 'sms',
    from: phone,
    text,
  });
  return { outcome };
}

/** Revokes, as the account's admin, the credential that minted `tokens.revocable_agent`. */
async function revoke(backend) {
  const path = `/api/admin/account/${backend.accountId}/credentials/${backend.ivr.revocableCredentialId}`;
  const res = await fetch(`${backend.apiBase}${path}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${backend.tokens.admin}` },
  });
  if (res.status !== 204) throw new Error(`DELETE ${path}: ${res.status} ${await res.text()}`);
  return {};
}

/** Signs in on c2m's own page, as a person would there: only the status is told. */
async function login(backend, { username, password }) {
  const res = await fetch(`${backend.apiBase}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ accountId: backend.accountId, username, password }),
  });
  return { status: res.status };
}

/** One admin API call as the account's admin; throws unless `expected`. */
async function adminCall(backend, method, path, expected, body) {
  const url = `${backend.apiBase}/api/admin/account/${backend.accountId}${path}`;
  const res = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${backend.tokens.admin}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status !== expected)
    throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? {} : res.json();
}

async function widgetKey(backend) {
  const { id, key } = await adminCall(backend, 'POST', '/widget-keys', 201, { name: 'test' });
  return { id, key };
}

async function widgetKeyRevoke(backend, { id }) {
  return adminCall(backend, 'DELETE', `/widget-keys/${id}`, 204);
}

/** What the Agent Workspace page does with its key (same-origin there; from Node here). */
async function widgetSession(backend, { key }) {
  const res = await fetch(`${backend.apiBase}/api/widget/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key }),
  });
  return res.ok ? { token: (await res.json()).token } : { status: res.status };
}

async function shortSession(backend, body) {
  const res = await fetch(backend.ivr.mintUrl, { method: 'POST', body: JSON.stringify(body) });
  return res.json();
}

/** The request's JSON body (the dev server's Koa has no body parser). */
async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

const json = (value) => ({
  body: JSON.stringify(value),
  type: 'application/json',
  headers: { 'cache-control': 'no-store' },
});

/**
 * @param {{ script?: string }} [options] the backend entry, relative to the working directory
 * @returns {import('@web/dev-server-core').Plugin}
 */
export function c2mBackendPlugin({ script = 'backend/test/web-backend.ts' } = {}) {
  let child;
  let info;
  return {
    name: 'c2m-backend',

    async serverStart({ config }) {
      const hosts = new Set(['localhost', '127.0.0.1', config.hostname ?? 'localhost']);
      const origins = [...hosts].map((host) => `http://${host}:${config.port}`);
      child = spawn(process.execPath, ['--import', 'tsx', script], {
        env: { ...process.env, C2M_WEB_ORIGINS: origins.join(',') },
        // stdin stays open: the backend exits when it closes, even if this process crashes
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      info = await firstJsonLine(child);
    },

    async serve(context) {
      if (context.path === BACKEND_JSON) {
        return json({ ...info, ivr: undefined });
      }
      const action = ACTIONS[context.path];
      if (!action || context.method !== 'POST') return undefined;
      try {
        return json({ ok: true, ...(await action(info, await readJson(context.req))) });
      } catch (err) {
        return json({ error: err instanceof Error ? err.message : String(err) });
      }
    },

    async serverStop() {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
