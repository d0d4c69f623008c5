import { loadConfig } from './config.js';
import { startC2m } from './server.js';

// Reads the environment, starts c2m, and stops it cleanly on SIGTERM / SIGINT. Nothing else.
const config = loadConfig();
const c2m = await startC2m(config);
c2m.deps.log.info(
  { url: c2m.url, dataDir: config.dataDir, demo: config.demo },
  `c2m listening on ${c2m.url} (data in ${config.dataDir})`,
);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    c2m.deps.log.info({ signal }, 'shutting down');
    c2m.close().then(
      () => process.exit(0),
      (err: unknown) => {
        c2m.deps.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
