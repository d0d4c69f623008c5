// engine: postgres
// The README's "Running several nodes", as shipped: two c2m nodes behind nginx with
// docs/deploy/nginx.conf and behind HAProxy with docs/deploy/haproxy.cfg (only the ports changed):
// the IVR API signed for the balancer's URL, the agent widget's WebSocket through it, and a node
// stopped without the client noticing; then the backup with pg_dump, restored into a database of
// its own, serving the same account.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { EligibilityResponse } from '../contract/deflection.js';
import {
  adminSession,
  ivrClient,
  seedAccount,
  startTestC2m,
  waitFor,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';
import { agentWidget, freePort, root, startNodeProcess, type NodeProcess } from './node-process.js';
import { freshPhone } from './sandbox-phone.js';
import { dropEngineData, engineEnv, schemaOf, testDatabaseUrl, withSchema } from './test-engine.js';

/** A shipped config with the example's ports (8080 in front, 3001 and 3002 behind) replaced. */
function shipped(file: string, front: number, back: [number, number]): string {
  return readFileSync(join(root, 'docs/deploy', file), 'utf8')
    .replaceAll(':8080', `:${front}`)
    .replaceAll('listen 8080', `listen 127.0.0.1:${front}`)
    .replaceAll('127.0.0.1:3001', `127.0.0.1:${back[0]}`)
    .replaceAll('127.0.0.1:3002', `127.0.0.1:${back[1]}`);
}

/** Runs a balancer in the foreground until the test ends; resolves once it accepts connections. */
async function startBalancer(
  command: string,
  args: string[],
  front: number,
): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`${command} exited: ${output}`);
      const res = await fetch(`http://127.0.0.1:${front}/healthz`).catch(() => undefined);
      return res?.status === 200 || undefined;
    },
    `${command} in front`,
    15_000,
  );
  return child;
}

async function stopBalancer(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((ok) => child.once('exit', ok));
  child.kill('SIGTERM');
  await exited;
}

describe('running several nodes as the README says', () => {
  const clusterDir = mkdtempSync(join(tmpdir(), 'c2m-deploy-'));
  const work = mkdtempSync(join(tmpdir(), 'c2m-deploy-work-'));
  let env: Record<string, string>;
  let seed: TestC2m;
  let a: SeededAccount;
  const nodes: NodeProcess[] = [];
  const sockets: { disconnect(): unknown }[] = [];

  before(async () => {
    env = await engineEnv(clusterDir);
    seed = await startTestC2m({ C2M_OUTBOX_WORKER: '0' }, { dataDir: clusterDir });
    a = await seedAccount(seed, { permissions: ['ivr', 'admin'] });
    const ports = [await freePort(), await freePort()];
    for (const [i, port] of ports.entries()) {
      nodes.push(await startNodeProcess(`node${i + 1}`, port, env));
    }
  });

  after(async () => {
    for (const s of sockets) s.disconnect();
    await Promise.all(nodes.map((n) => n.kill()));
    await seed?.close();
    rmSync(clusterDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
    await dropEngineData(clusterDir);
  });

  /** Eligibility, invite and the widget's live message, all through the balancer at `front`. */
  async function deflectThrough(front: number): Promise<void> {
    const balancer = { url: `http://127.0.0.1:${front}` };
    const { socket, seen } = await agentWidget(balancer.url, await adminSession(seed, a, 'agent'));
    sockets.push(socket);
    const phone = freshPhone();
    await socket.timeout(5000).emitWithAck('widget:subscribe', { consumerPhoneNumber: phone });
    // several calls, so round robin sends them to both nodes
    for (let i = 0; i < 4; i++) {
      const ivr = ivrClient(balancer, a);
      const res = await ivr.eligibility({
        skill: 'sales',
        consumerPhoneNumber: i === 0 ? phone : freshPhone(),
        handoffId: a.handoffs.sms,
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const { callId } = res.body as EligibilityResponse;
      const invited = await ivr.invite({ callId });
      assert.equal(invited.status, 200, JSON.stringify(invited.body));
      if (i === 0) {
        await waitFor(
          () => seen.find((m) => m.callId === callId && m.status === 'delivered'),
          'the widget told of the delivery through the balancer',
          10_000,
        );
      }
    }
    socket.disconnect();
  }

  /** With node 2 stopped, the balancer still answers every call; then node 2 comes back. */
  async function survivesANodeStopping(front: number): Promise<void> {
    const second = nodes[1];
    await second.kill();
    const balancer = { url: `http://127.0.0.1:${front}` };
    for (let i = 0; i < 4; i++) {
      const res = await ivrClient(balancer, a).eligibility({
        skill: 'sales',
        consumerPhoneNumber: freshPhone(),
        handoffId: a.handoffs.sms,
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    nodes[1] = await startNodeProcess('node2', second.port, env);
  }

  it('serves the IVR API and the widget behind nginx with docs/deploy/nginx.conf', async () => {
    const front = await freePort();
    const dir = mkdtempSync(join(work, 'nginx-'));
    writeFileSync(
      join(dir, 'c2m.conf'),
      shipped('nginx.conf', front, [nodes[0].port, nodes[1].port]),
    );
    // the main file a distribution ships, reduced to what a foreground nginx in a temp dir needs
    writeFileSync(
      join(dir, 'nginx.conf'),
      `pid ${dir}/nginx.pid;
      error_log ${dir}/error.log;
      events {}
      http {
        access_log off;
        client_body_temp_path ${dir}/body;
        proxy_temp_path ${dir}/proxy;
        include ${dir}/c2m.conf;
      }`,
    );
    const nginx = await startBalancer(
      'nginx',
      ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log'), '-g', 'daemon off;'],
      front,
    );
    try {
      await deflectThrough(front);
      await survivesANodeStopping(front);
    } finally {
      await stopBalancer(nginx);
    }
  });

  it('serves the IVR API and the widget behind HAProxy with docs/deploy/haproxy.cfg', async () => {
    const front = await freePort();
    const file = join(work, 'haproxy.cfg');
    writeFileSync(file, shipped('haproxy.cfg', front, [nodes[0].port, nodes[1].port]));
    const haproxy = await startBalancer('haproxy', ['-f', file, '-db'], front);
    try {
      await deflectThrough(front);
      await survivesANodeStopping(front);
    } finally {
      await stopBalancer(haproxy);
    }
  });

  it('backs up with pg_dump and serves the same account from the restored copy', async () => {
    const schema = schemaOf(clusterDir);
    const dump = join(work, 'c2m.dump');
    // the README's command, limited to this test's schema (a cluster's database holds only c2m)
    const dumped = spawnSync('pg_dump', [
      '--format=custom',
      `--schema=${schema}`,
      `--file=${dump}`,
      testDatabaseUrl,
    ]);
    assert.equal(dumped.status, 0, dumped.stderr.toString());

    const restoredDb = `${schema}_restored`;
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    let restoredNode: NodeProcess | undefined;
    try {
      await admin.query(`create database ${restoredDb}`);
      const restoredUrl = new URL(testDatabaseUrl);
      restoredUrl.pathname = `/${restoredDb}`;
      const restored = spawnSync('pg_restore', [
        '--no-owner',
        `--dbname=${restoredUrl.toString()}`,
        dump,
      ]);
      assert.equal(restored.status, 0, restored.stderr.toString());
      restoredNode = await startNodeProcess('restored', await freePort(), {
        ...env,
        C2M_DATABASE_URL: withSchema(restoredUrl.toString(), schema),
        C2M_REDIS_PREFIX: `${env.C2M_REDIS_PREFIX}restored:`,
      });
      // the account, its handoffs and its credentials came back: the IVR's call is answered
      const res = await ivrClient(restoredNode, a).eligibility({
        skill: 'sales',
        consumerPhoneNumber: freshPhone(),
        handoffId: a.handoffs.sms,
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal((res.body as EligibilityResponse).eligible, true);
    } finally {
      await restoredNode?.kill();
      await admin.query(`drop database if exists ${restoredDb} with (force)`);
      await admin.end();
    }
  });
});
