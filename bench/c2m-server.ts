// The c2m under test, as its own process: the real startC2m on a file database in the data dir the
// parent gives (C2M_DATA_DIR), plus one bench account. Tells the parent its port over IPC.
import { loadConfig } from '../backend/src/config.js';
import { startC2m } from '../backend/src/server.js';
import { sendToParent, type ReadyMessage } from './children.js';
import { seedBenchAccount, type BenchAccount } from './seed.js';

export interface C2mReady extends ReadyMessage, BenchAccount {}

const config = loadConfig({
  ...process.env,
  PORT: '0',
  HOST: '127.0.0.1',
  C2M_DEMO: '0',
  C2M_LOG_LEVEL: process.env.C2M_LOG_LEVEL ?? 'warn',
});
const c2m = await startC2m(config);
const seeded = await seedBenchAccount(c2m.deps, 'Bench');

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  // process.exit (not a natural end) so --cpu-prof still writes its profile
  c2m.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop); // the parent died: do not outlive it

sendToParent({ type: 'ready', port: c2m.port, ...seeded } satisfies C2mReady);
