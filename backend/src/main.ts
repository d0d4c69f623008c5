import { readFileSync } from 'node:fs';
import { loadConfig } from './config.js';
import {
  demoCredentialsFile,
  isEmpty,
  type DemoCredentials,
} from './modules/demo-page/bootstrap.js';
import { createLogger, logFormat } from './log.js';
import { startC2m } from './server.js';
import { StartupError } from './startup-error.js';
import { startupFields, startupText, type Startup } from './startup.js';

// Reads the environment, starts c2m, says where it is, and stops it cleanly on SIGTERM / SIGINT.
// A wrong setting stops it with its one line on stderr (startup-error.ts), no stack trace.
const config = startupStep(() => loadConfig());
const format = logFormat(config, process.stdout.isTTY === true);
const log = createLogger(config, format);
const c2m = await startupStep(() => startC2m(config, { log }));

const startup: Startup = {
  url: c2m.url,
  dataDir: config.dataDir,
  demo: demoAccount(),
  empty: await isEmpty(c2m.deps.db),
};
if (format === 'json') log.info(startupFields(startup), `c2m listening on ${c2m.url}`);
else log.info(startupText(startup));

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    c2m.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}

/** The demo account, made on this start or an earlier one, as its credentials file names it. */
function demoAccount(): Startup['demo'] {
  // C2M_DEMO=0: the demo is not advertised, even when an earlier start made its account
  if (!config.demo) return undefined;
  const credentialsFile = demoCredentialsFile(config.dataDir);
  const page = c2m.demoPageUrl
    ? { url: c2m.demoPageUrl }
    : {
        off:
          config.demoPage === 'off' && config.demo
            ? `listening on ${config.host}, not loopback (HOST=127.0.0.1, or C2M_DEMO=1 to serve it anyway)`
            : 'C2M_DEMO=0',
      };
  if (c2m.demoCreated) {
    const created = c2m.demoCreated;
    return { accountId: created.accountId, credentialsFile, page, created };
  }
  try {
    const { accountId } = JSON.parse(readFileSync(credentialsFile, 'utf8')) as DemoCredentials;
    return { accountId, credentialsFile, page };
  } catch {
    return undefined; // C2M_DEMO=0 from the first start, or the file was removed
  }
}

/** `step`'s result; a StartupError ends the process with its one line, anything else is thrown. */
function startupStep<T>(step: () => T): T {
  const stop = (err: unknown): never => {
    if (!(err instanceof StartupError)) throw err;
    process.stderr.write(`c2m: ${err.message}\n`);
    process.exit(1);
  };
  try {
    const result = step();
    return (result instanceof Promise ? result.catch(stop) : result) as T;
  } catch (err) {
    return stop(err);
  }
}
