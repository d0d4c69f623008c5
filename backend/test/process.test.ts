// c2m as a real process (`node --import tsx backend/src/main.ts`): health, the SIGKILL restart
// that must send exactly once, and a SIGTERM that lets the request in flight finish.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request, Agent, type IncomingMessage } from 'node:http';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import type { DemoCredentials } from '../src/modules/demo-page/bootstrap.js';
import { once } from 'node:events';
import { startPushProxyFake } from './fakes/push-proxy-server.js';
import { call, oauth1Header, waitFor } from './helpers.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const STARTUP_MS = 60_000;

interface C2mProcess {
  child: ChildProcess;
  url: string;
  port: number;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<C2mProcess>();
const dataDirs: string[] = [];

after(async () => {
  for (const p of running) p.child.kill('SIGKILL');
  await Promise.all([...running].map((p) => p.exited));
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'c2m-process-'));
  dataDirs.push(dir);
  return dir;
}

/** A port nobody listens on: PORT=0 would work, but then the test could not know the port. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise((ok) => server.close(ok));
  return port;
}

/** Starts c2m and waits until /healthz answers; the child dies with the test if it hangs. */
async function startProcess(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<C2mProcess> {
  const port = await freePort();
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('C2M_')),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', 'backend/src/main.ts'], {
    cwd: root,
    env: {
      ...clean,
      PORT: String(port),
      HOST: '127.0.0.1',
      C2M_DATA_DIR: dataDir,
      C2M_LOG_LEVEL: 'info',
      C2M_OUTBOX_POLL_MS: '20',
      C2M_OUTBOX_BACKOFF_MS: '5',
      C2M_SANDBOX_RECEIPT_MS: '0',
      ...env,
    },
    timeout: 180_000,
    killSignal: 'SIGKILL',
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) =>
    child.once('exit', (code, signal) => {
      done = true;
      ok({ code, signal });
    }),
  );
  const p: C2mProcess = {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    exited,
  };
  running.add(p);
  void exited.then(() => running.delete(p));
  await waitFor(
    async () => {
      if (done) throw new Error(`c2m exited during startup:\n${output}`);
      return fetch(`${p.url}/healthz`).then(
        (res) => res.ok,
        () => undefined,
      );
    },
    'c2m to answer /healthz',
    STARTUP_MS,
  );
  return p;
}

/** The demo file, once the first start has written it completely. */
function demoCredentials(dataDir: string): Promise<DemoCredentials> {
  return waitFor(() => {
    try {
      return JSON.parse(
        readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8'),
      ) as DemoCredentials;
    } catch {
      return undefined;
    }
  }, 'demo-credentials.json');
}

/** Eligibility then invite (the demo's SMS handoff unless told), signed with its OAuth 1.0a keys. */
async function deflect(
  p: C2mProcess,
  demo: DemoCredentials,
  phone: string,
  opts: { handoffId?: string; consumerId?: string } = {},
): Promise<string> {
  const secrets = { id: '', ...demo.oauth1 };
  const api = `${p.url}/api/account/${demo.accountId}`;
  const eligibility = await call(`${api}/eligibility?v=2.0`, {
    authorization: oauth1Header(secrets, 'POST', `${api}/eligibility?v=2.0`),
    body: {
      skill: 'sales',
      consumerPhoneNumber: phone,
      handoffId: opts.handoffId ?? demo.handoffs.sms,
      ...(opts.consumerId && { consumerId: opts.consumerId }),
    },
  });
  assert.equal(eligibility.status, 200, JSON.stringify(eligibility.body));
  const { callId } = eligibility.body as { callId: string };
  const invite = await call(`${api}/invite?v=2.0`, {
    authorization: oauth1Header(secrets, 'POST', `${api}/invite?v=2.0`),
    body: { callId },
  });
  assert.equal(invite.status, 200, JSON.stringify(invite.body));
  return callId;
}

/** Reads the data dir's database directly, as an operator would after a crash. */
function inspect(dataDir: string) {
  const sqlite = new SqliteDatabase(join(dataDir, 'c2m.sqlite'));
  sqlite.pragma('busy_timeout = 5000');
  const transaction = (callId: string) =>
    sqlite.prepare('select id, status from transactions where call_id = ?').get(callId) as
      { id: string; status: string } | undefined;
  return {
    transaction,
    sendJob: (transactionId: string) =>
      sqlite
        .prepare(
          "select id, status from outbox where kind = 'send' and json_extract(payload_json, '$.transactionId') = ?",
        )
        .get(transactionId) as { id: number; status: string },
    outboundMessages: (transactionId: string) =>
      (
        sqlite
          .prepare(
            "select count(*) as n from messages where transaction_id = ? and direction = 'outbound'",
          )
          .get(transactionId) as { n: number }
      ).n,
    delivered: (callId: string) => transaction(callId)?.status === 'delivered' || undefined,
    sent: (callId: string) => transaction(callId)?.status === 'sent' || undefined,
    claim: (jobId: number, leaseUntil: number) =>
      sqlite
        .prepare("update outbox set status = 'running', locked_until = ? where id = ?")
        .run(leaseUntil, jobId),
    close: () => sqlite.close(),
  };
}

const PROXY_SECRET = 'brand-proxy-secret-0123456789';

/** The account's in-app provider, set as an operator does: the CLI on the data dir. */
async function setInappProvider(dataDir: string, accountId: string, url: string): Promise<void> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('C2M_')),
  );
  const settings = JSON.stringify({ provider: 'push-proxy', url, secret: PROXY_SECRET });
  const child = spawn(
    process.execPath,
    [
      ...['--import', 'tsx', 'backend/src/cli/main.ts', 'provider', 'set'],
      ...['--account', accountId, '--channel', 'inapp', '--settings', settings],
    ],
    {
      cwd: root,
      env: { ...clean, C2M_DATA_DIR: dataDir, C2M_ALLOW_LOOPBACK_URLS: '1' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 0, 'c2m provider set');
}

async function kill9(p: C2mProcess): Promise<void> {
  p.child.kill('SIGKILL');
  assert.equal((await p.exited).signal, 'SIGKILL');
}

async function stop(p: C2mProcess): Promise<void> {
  p.child.kill('SIGTERM');
  assert.deepEqual(await p.exited, { code: 0, signal: null }, p.output());
}

describe('c2m process', { timeout: 300_000 }, () => {
  it('answers /healthz and /readyz', async () => {
    const p = await startProcess(tempDataDir(), { C2M_DEMO: '0' });
    const health = await call(`${p.url}/healthz`, { method: 'GET' });
    assert.equal(health.status, 200);
    const ready = await call(`${p.url}/readyz`, { method: 'GET' });
    assert.equal(ready.status, 200);
    const readiness = ready.body as { status: string; checks: Record<string, string> };
    assert.equal(readiness.status, 'ready');
    assert.ok(Object.keys(readiness.checks).length > 0);
    for (const [name, answer] of Object.entries(readiness.checks)) assert.equal(answer, 'ok', name);
    await stop(p);
  });

  it('sends exactly once after a SIGKILL between invite and send', async () => {
    const dataDir = tempDataDir();
    let p = await startProcess(dataDir, { C2M_OUTBOX_WORKER: '0' });
    const demo = await demoCredentials(dataDir);
    const callId = await deflect(p, demo, '+14155550160');
    await kill9(p);

    const db = inspect(dataDir);
    try {
      const tx = db.transaction(callId);
      assert.equal(tx?.status, 'queued');
      assert.equal(db.sendJob(tx.id).status, 'pending');
      assert.equal(db.outboundMessages(tx.id), 0);

      p = await startProcess(dataDir);
      await waitFor(() => db.delivered(callId), 'the queued invite to be delivered', 20_000);
      assert.equal(db.outboundMessages(tx.id), 1);
      await stop(p);

      // a third start sends nothing again: once a later invite is delivered, the worker has run
      p = await startProcess(dataDir);
      const later = await deflect(p, demo, '+14155550161');
      await waitFor(() => db.delivered(later), 'a later invite to be delivered', 20_000);
      assert.equal(db.outboundMessages(tx.id), 1);
      assert.equal(db.sendJob(tx.id).status, 'done');
      await stop(p);
    } finally {
      db.close();
    }
  });

  it('sends exactly once when the job was claimed (running, lease not expired) at the SIGKILL', async () => {
    const dataDir = tempDataDir();
    let p = await startProcess(dataDir, { C2M_OUTBOX_WORKER: '0' });
    const demo = await demoCredentials(dataDir);
    const callId = await deflect(p, demo, '+14155550162');
    await kill9(p);

    const db = inspect(dataDir);
    try {
      const tx = db.transaction(callId);
      assert.ok(tx);
      const job = db.sendJob(tx.id);
      db.claim(job.id, Date.now() + 300);
      assert.equal(db.sendJob(tx.id).status, 'running');

      p = await startProcess(dataDir, { C2M_OUTBOX_LEASE_MS: '300' });
      await waitFor(() => db.delivered(callId), 'the claimed invite to be delivered', 20_000);
      assert.equal(db.outboundMessages(tx.id), 1);
      assert.equal(db.sendJob(tx.id).status, 'done');
      await stop(p);
    } finally {
      db.close();
    }
  });

  it('sends once when c2m dies during the provider call: the retry carries the same id', async () => {
    // the brand's push proxy takes the first request, and c2m dies before the answer comes back
    const proxy = await startPushProxyFake({ secret: PROXY_SECRET, onRepeat: 'conflict' });
    proxy.script('take-and-hang');
    const dataDir = tempDataDir();
    // both processes hold a claimed job 1.5 s: the restarted one takes it over after that
    const env = {
      C2M_ALLOW_LOOPBACK_URLS: '1',
      C2M_OUTBOX_LEASE_MS: '1500',
      C2M_PROVIDER_TIMEOUT_MS: '60000',
    };
    let p = await startProcess(dataDir, env);
    const db = inspect(dataDir);
    try {
      const demo = await demoCredentials(dataDir);
      await setInappProvider(dataDir, demo.accountId, proxy.url);
      const callId = await deflect(p, demo, '+14155550163', {
        handoffId: demo.handoffs.inapp,
        consumerId: 'consumer-crash-1',
      });
      await waitFor(() => proxy.requests.length === 1 || undefined, 'the push to leave c2m');
      await kill9(p);
      const tx = db.transaction(callId);
      assert.equal(tx?.status, 'queued');
      assert.equal(db.sendJob(tx.id).status, 'running');

      p = await startProcess(dataDir, env);
      await waitFor(() => db.sent(callId), 'the retried push to count as sent', 20_000);
      const keys = proxy.requests.map((r) => r.headers['idempotency-key']);
      assert.equal(keys.length, 2);
      assert.equal(keys[0], keys[1], 'the retry carries the first attempt’s Idempotency-Key');
      assert.equal(proxy.delivered.length, 1, 'the consumer is notified once');
      assert.equal(db.outboundMessages(tx.id), 1);
      // the job is closed just after the transaction is marked sent
      await waitFor(() => db.sendJob(tx.id).status === 'done' || undefined, 'the send job done');
      await stop(p);
    } finally {
      db.close();
      await proxy.close();
    }
  });

  it('on SIGTERM finishes the request in flight, refuses new connections and exits 0', async () => {
    const dataDir = tempDataDir();
    const p = await startProcess(dataDir);
    const demo = await demoCredentials(dataDir);
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: demo.oauth2.clientId,
      client_secret: demo.oauth2.clientSecret,
    }).toString();

    // a keep-alive client: shutdown must not wait for its idle timeout either
    const agent = new Agent({ keepAlive: true });
    const req = request({
      host: '127.0.0.1',
      port: p.port,
      method: 'POST',
      path: '/oauth/token',
      agent,
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': Buffer.byteLength(body),
        // the 100 answer proves the server holds the request before the signal is sent
        Expect: '100-continue',
      },
    });
    const response = new Promise<{ res: IncomingMessage; text: string }>((ok, fail) => {
      req.once('error', fail);
      req.once('response', (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.once('end', () => ok({ res, text }));
      });
    });
    try {
      await new Promise((ok) => req.once('continue', ok));
      req.write(body.slice(0, 20));

      p.child.kill('SIGTERM');
      await waitFor(() => refused(p.port), 'the listener to close');

      req.end(body.slice(20));
      const { res, text } = await response;
      assert.equal(res.statusCode, 200, text);
      assert.equal(res.headers.connection, 'close');
      assert.equal((JSON.parse(text) as { token_type: string }).token_type, 'Bearer');
      assert.deepEqual(await p.exited, { code: 0, signal: null }, p.output());
      assert.equal(await refused(p.port), true);
    } finally {
      agent.destroy();
    }
  });
});

/** True when a TCP connection to the port is refused. */
function refused(port: number): Promise<boolean | undefined> {
  return new Promise((ok) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      ok(undefined);
    });
    socket.once('error', (err: NodeJS.ErrnoException) =>
      ok(err.code === 'ECONNREFUSED' || undefined),
    );
  });
}
