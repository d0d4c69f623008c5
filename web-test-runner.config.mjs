// @web/test-runner 0.20.x (Node 20): the Lit elements' tests in Debian Chromium via puppeteer-core,
// TypeScript via esbuild with the project's tsconfig (legacy decorators). Verified setup:
// docs in reference/toolchain.md §3.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter } from '@web/test-runner';
import { c2mBackendPlugin } from './scripts/web-backend.mjs';

const chromiumFlags = [
  '--no-sandbox', // we run as root
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking', // no internet: stop Chromium phoning home
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
];

/** Prints one plain closing line "web: N passed, N failed[, N skipped]" for CI log readers. */
function summaryReporter() {
  const count = (suite, acc) => {
    for (const t of suite?.tests ?? [])
      acc[t.skipped ? 'skipped' : t.passed ? 'passed' : 'failed']++;
    for (const s of suite?.suites ?? []) count(s, acc);
    return acc;
  };
  return {
    stop({ sessions }) {
      const acc = { passed: 0, failed: 0, skipped: 0 };
      for (const s of sessions) {
        const before = acc.passed + acc.failed + acc.skipped;
        count(s.testResults, acc);
        // a file that failed to load or timed out has errors but no test results
        if (!s.passed && acc.passed + acc.failed + acc.skipped === before) acc.failed++;
      }
      const skipped = acc.skipped ? `, ${acc.skipped} skipped` : '';
      // printed at exit so it is the very last line, after the progress bar
      process.once('exit', () =>
        console.log(`web: ${acc.passed} passed, ${acc.failed} failed${skipped}`),
      );
    },
  };
}

export default {
  // a pattern that matches nothing (admin-element before its first test) is simply skipped
  files: ['widget/src/**/*.test.ts', 'admin-element/src/**/*.test.ts', 'demo/src/**/*.test.ts'],
  // resolve as a bundler for the web does: packages' `browser` maps apply (engine.io-client maps its
  // Node transports, which import `ws`, to the browser's WebSocket), and no `development` condition
  // (it picks socket.io's debug builds, which import the CommonJS `debug`)
  nodeResolve: { browser: true, exportConditions: ['browser'] },
  // c2mBackendPlugin starts a real c2m for the admin element's and the widget's backend tests
  plugins: [esbuildPlugin({ ts: true, tsconfig: './tsconfig.json' }), c2mBackendPlugin()],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
        headless: true,
        args: chromiumFlags,
      },
    }),
  ],
  reporters: [defaultReporter(), summaryReporter()],
  // fail fast instead of the default 120 s when a test file hangs
  testsFinishTimeout: 30000,
  testFramework: { config: { timeout: 5000 } },
};
