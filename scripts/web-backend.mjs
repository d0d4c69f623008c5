// A @web/test-runner plugin that starts a real c2m backend for the browser tests of <c2m-admin>
// (backend/test/web-backend.ts), tells it the test page's origins so its CORS allow-list admits
// them, and serves what it printed (API base, account id, session tokens) at /__c2m/backend.json.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const BACKEND_JSON = '/__c2m/backend.json';
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

    serve(context) {
      if (context.path !== BACKEND_JSON) return undefined;
      return {
        body: JSON.stringify(info),
        type: 'application/json',
        headers: { 'cache-control': 'no-store' },
      };
    },

    async serverStop() {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
