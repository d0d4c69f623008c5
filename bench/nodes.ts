// The c2m processes of one bench setup (bench/engines.ts): SQLite's one node on its own data dir,
// or N nodes on one fresh PostgreSQL schema and Redis prefix, started one after another (the first
// migrates the schema and seeds the bench account, the others are handed it), stopped together.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { C2mReady } from './c2m-server.js';
import { startChild, type Child } from './children.js';
import {
  createPostgresInstallation,
  DEFAULT_DATABASE_URL,
  DEFAULT_REDIS_URL,
  type PostgresInstallation,
  type Setup,
} from './engines.js';
import type { BenchAccount } from './seed.js';

export interface Nodes {
  children: Child<C2mReady>[];
  /** Each node's C2M_DATA_DIR (on SQLite, where its database file is). */
  dataDirs: string[];
  installation: PostgresInstallation | undefined;
  /** Stops the nodes, then removes the installation; once, however often it is called. */
  stop(): Promise<void>;
}

export async function startNodes(
  setup: Setup,
  runDir: string,
  opts: {
    env: Record<string, string>;
    execArgv: string[];
    /** Told of each child as soon as it runs, and of the nodes before any: for a clean-up. */
    started: (child: Child<C2mReady>) => void;
    created: (nodes: Nodes) => void;
  },
): Promise<Nodes> {
  const installation =
    setup.engine === 'postgres'
      ? await createPostgresInstallation(
          process.env.BENCH_DATABASE_URL || DEFAULT_DATABASE_URL,
          process.env.BENCH_REDIS_URL || DEFAULT_REDIS_URL,
        )
      : undefined;
  let stopped: Promise<void> | undefined;
  const nodes: Nodes = {
    children: [],
    dataDirs: [],
    installation,
    stop: () =>
      (stopped ??= Promise.all(nodes.children.map((c) => c.stop(5000))).then(() =>
        installation?.remove(),
      )),
  };
  opts.created(nodes);
  let account: BenchAccount | undefined;
  for (let i = 0; i < setup.nodes; i++) {
    const name = setup.engine === 'sqlite' ? 'c2m' : `c2m ${setup.label} node ${i + 1}`;
    const dataDir = join(runDir, `${setup.engine}-${setup.nodes}-node-${i + 1}`);
    mkdirSync(dataDir);
    const child = await startChild<C2mReady>(name, './c2m-server.ts', {
      env: {
        ...opts.env,
        ...installation?.env,
        C2M_DATA_DIR: dataDir,
        ...(account && { BENCH_ACCOUNT: JSON.stringify(account) }),
      },
      execArgv: opts.execArgv,
      // the first node on an empty schema runs every migration
      timeoutMs: 60_000,
    });
    nodes.children.push(child);
    nodes.dataDirs.push(dataDir);
    opts.started(child);
    const { accountId, skill, handoffId, oauth2 } = child.ready;
    account ??= { accountId, skill, handoffId, oauth2 };
  }
  return nodes;
}
