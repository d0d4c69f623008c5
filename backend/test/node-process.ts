// c2m nodes as real processes (`node --import tsx backend/src/main.ts`) on fixed loopback ports,
// for the tests of several nodes on one PostgreSQL and Redis (cluster.test.ts, deploy.test.ts), and
// the agent widget's socket they reach through any node.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io as connect, type Socket } from 'socket.io-client';
import type { OutboundMessageView } from '../contract/outbound.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../contract/realtime.js';
import { waitFor } from './helpers.js';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A port nobody listens on: a node keeps its port across a restart, as behind a balancer. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise((ok) => server.close(ok));
  return port;
}

/** A start-up that failed as it should: exit 1, one line on stderr, `c2m: ` first, no stack. */
export function assertOneLine(res: { code: number | null; stderr: string }, expected: RegExp) {
  assert.equal(res.code, 1, res.stderr);
  const lines = res.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, res.stderr);
  assert.match(lines[0], /^c2m: /);
  assert.match(lines[0], expected);
  assert.doesNotMatch(res.stderr, /\n\s+at /);
}

export interface NodeProcess {
  name: string;
  url: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  exited: Promise<unknown>;
  /** SIGKILL, as a crash would: nothing is handed back. */
  kill(): Promise<void>;
}

/** The settings every test node shares: quick polls and leases, loopback receivers allowed. */
const TEST_NODE_ENV = {
  HOST: '127.0.0.1',
  C2M_DEMO: '0',
  C2M_LOG_LEVEL: 'warn',
  C2M_LOG_FORMAT: 'json',
  C2M_OUTBOX_POLL_MS: '20',
  C2M_OUTBOX_BACKOFF_MS: '5',
  // a node that dies holding a job has it taken over after this long
  C2M_OUTBOX_LEASE_MS: '2000',
  C2M_SANDBOX_RECEIPT_MS: '0',
  C2M_ALLOW_LOOPBACK_URLS: '1',
  C2M_ADMIN_RATE_LIMIT: '0',
  C2M_API_RATE_LIMIT: '0',
  C2M_WIDGET_RATE_LIMIT: '0',
};

/**
 * Starts a node with `env` (the cluster's database, Redis and secret) on `port` and a data dir of
 * its own, and waits until /readyz answers 200.
 */
export async function startNodeProcess(
  name: string,
  port: number,
  env: Record<string, string>,
): Promise<NodeProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), `c2m-${name}-`));
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('C2M_')),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', 'backend/src/main.ts'], {
    cwd: root,
    env: { ...clean, ...TEST_NODE_ENV, ...env, PORT: String(port), C2M_DATA_DIR: dataDir },
    timeout: 600_000,
    killSignal: 'SIGKILL',
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise((ok) => child.once('exit', ok)).finally(() =>
    rmSync(dataDir, { recursive: true, force: true }),
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited: ${output}`);
      const res = await fetch(`${url}/readyz`).catch(() => undefined);
      return res?.status === 200 || undefined;
    },
    `${name} ready`,
    60_000,
  );
  return {
    name,
    url,
    port,
    child,
    output: () => output,
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * An agent widget's socket on `url` (a node, or a balancer in front of nodes), connected, that
 * keeps every outbound message view it is sent: created, status changed, replied.
 */
export async function agentWidget(
  url: string,
  token: string,
): Promise<{
  socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  seen: OutboundMessageView[];
}> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(url, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    auth: { token },
  });
  const seen: OutboundMessageView[] = [];
  socket.on('outbound:created', (m) => seen.push(m));
  socket.on('outbound:status-changed', (m) => seen.push(m));
  socket.on('outbound:replied', (m) => seen.push(m));
  await new Promise<void>((ok, fail) => {
    socket.once('connect', () => ok());
    socket.once('connect_error', fail);
  });
  return { socket, seen };
}

/**
 * A Redis server of a test's own, on a port of its own: it can be stopped (as a crash would) and
 * started again on the same port without touching the Redis other tests share. `args` are added
 * to the server's (e.g. `--enable-debug-command local`).
 */
export class OwnRedis {
  private child: ChildProcess | undefined;
  constructor(
    readonly port: number,
    private readonly args: readonly string[] = [],
  ) {}
  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        ...['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        ...this.args,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    await new Promise<void>((ok, fail) => {
      let out = '';
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Ready to accept connections')) ok();
      });
      child.once('exit', (code) => fail(new Error(`redis-server exited ${code}: ${out}`)));
    });
  }
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((ok) => child.once('exit', ok));
    child.kill('SIGKILL');
    await exited;
  }
}
