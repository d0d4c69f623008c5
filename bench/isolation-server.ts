// The c2m under the isolation bench, as its own process: account A with a long history (the
// reporting bench's generator) and its read-only, agent and reporting credentials; account B,
// the one measured. Tells the parent everything over IPC.
import { DAY_MS } from '../backend/contract/reporting.js';
import { loadConfig } from '../backend/src/config.js';
import { databaseFile } from '../backend/src/db/database.js';
import { mintSession } from '../backend/src/modules/sessions/admin-auth.js';
import { createOAuth2Credential } from '../backend/src/modules/accounts/credentials.service.js';
import { startC2m } from '../backend/src/server.js';
import { sendToParent, type ReadyMessage } from './children.js';
import { generate } from './history.js';
import { seedBenchAccount, type BenchAccount } from './seed.js';

export interface IsolationReady extends ReadyMessage {
  a: { accountId: string; readOnlyToken: string; agentToken: string; reporting: string[] };
  b: BenchAccount;
  calls: number;
  generatedMs: number;
  /** The 59-day window A's heavy requests ask for. */
  window: { attemptedStartTime: number; attemptedEndTime: number };
}

const rows = Number(process.env.BENCH_ROWS ?? 300_000);
const config = loadConfig({
  ...process.env,
  PORT: '0',
  HOST: '127.0.0.1',
  C2M_DEMO: '0',
  C2M_OUTBOX_WORKER: '0',
  C2M_LOG_LEVEL: process.env.C2M_LOG_LEVEL ?? 'warn',
});
const c2m = await startC2m(config);
const a = await seedBenchAccount(c2m.deps, 'A: long history');
const b = await seedBenchAccount(c2m.deps, 'B: measured');
const end = Math.floor(Date.now() / DAY_MS) * DAY_MS;
const generated = generate(databaseFile(config.dataDir), a.accountId, end - 60 * DAY_MS, rows);
const reporting = await createOAuth2Credential(c2m.deps.db, {
  accountId: a.accountId,
  name: 'isolation bench',
  permissions: ['reporting'],
  now: Date.now(),
});
const session = (role: 'read_only' | 'agent') =>
  mintSession(c2m.deps, { accountId: a.accountId, userId: role, role, ttlSeconds: 3600 }).token;

const stop = () =>
  void c2m.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);

const message: IsolationReady = {
  type: 'ready',
  port: c2m.port,
  a: {
    accountId: a.accountId,
    readOnlyToken: session('read_only'),
    agentToken: session('agent'),
    reporting: [reporting.clientId, reporting.clientSecret],
  },
  b,
  calls: rows,
  generatedMs: generated.ms,
  window: { attemptedStartTime: end - 59 * DAY_MS, attemptedEndTime: end },
};
sendToParent(message);
