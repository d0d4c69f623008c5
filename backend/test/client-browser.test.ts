// The client in a real Chromium (playwright-core driving Debian's chromium): bundled for browsers
// from client/src as vite builds dist/client/c2m-client.js, loaded by a page, and run against a real
// c2m with OAuth 1.0a (WebCrypto signing) and with client credentials. The page's server proxies
// the API, so the page and c2m share one origin as they would behind a brand's own gateway.
import assert from 'node:assert/strict';
import { accessSync, constants } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, type Rollup } from 'vite';
import type { C2mAuth } from '../../client/src/index.js';
import type { EligibilityRequest } from '../contract/deflection.js';
import { seedAccount, startTestC2m, type SeededAccount, type TestC2m } from './helpers.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';

/** The browser bundle, built in memory with the options vite.config.ts uses for dist/client. */
async function bundle(): Promise<string> {
  const result = (await build({
    root,
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      target: 'es2022',
      lib: { entry: 'client/src/index.ts', formats: ['es'], fileName: () => 'c2m-client.js' },
    },
  })) as Rollup.RollupOutput[];
  const [chunk] = result[0].output;
  assert.equal(chunk.type, 'chunk');
  return chunk.code;
}

/** Serves the page and the bundle, and passes everything else to c2m untouched (Host included). */
function pageServer(code: string, c2mUrl: string): Promise<Server> {
  const upstream = new URL(c2mUrl);
  const server = createServer((req, res) => {
    if (req.url === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>c2m</title>');
    } else if (req.url === '/c2m-client.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(code);
    } else {
      const proxied = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(proxied);
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

describe('client in a browser', { timeout: 60_000 }, () => {
  let t: TestC2m;
  let server: Server;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    accessSync(CHROMIUM, constants.X_OK);
    t = await startTestC2m();
    server = await pageServer(await bundle(), t.url);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
    });
    page = await browser.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  });
  after(async () => {
    await browser?.close();
    await new Promise((ok) => server?.close(ok));
    await t?.close();
  });

  /** eligibility then invite, run inside the page with the bundle; returns what the page saw. */
  const deflectInPage = (account: SeededAccount, auth: C2mAuth) =>
    page.evaluate(
      async ({ accountId, auth, req }) => {
        // a runtime path: the page's server answers it with the bundle
        const bundleUrl = '/c2m-client.js';
        const { createC2mClient, C2mError } = (await import(
          bundleUrl
        )) as typeof import('../../client/src/index.js');
        const c2m = createC2mClient({ baseUrl: location.origin, accountId, auth });
        const eligibility = await c2m.eligibility(req);
        const invite = await c2m.invite({ callId: eligibility.callId });
        let refused: unknown;
        try {
          await c2m.eligibility({ ...req, consumerPhoneNumber: '+1415' });
        } catch (err) {
          refused = err instanceof C2mError ? { name: err.name, code: err.errorCode } : String(err);
        }
        return { eligibility, invite, refused };
      },
      {
        accountId: account.accountId,
        auth,
        req: {
          skill: 'sales',
          consumerPhoneNumber: '+14155550123',
          handoffId: account.handoffs.sms,
        } satisfies EligibilityRequest,
      },
    );

  for (const [name, auth] of [
    ['OAuth 1.0a', (a: SeededAccount): C2mAuth => ({ type: 'oauth1', ...a.oauth1 })],
    ['client credentials', (a: SeededAccount): C2mAuth => ({ type: 'bearer', ...a.oauth2 })],
  ] as const) {
    it(`runs eligibility then invite with ${name}`, async () => {
      const account = await seedAccount(t);
      const seen = await deflectInPage(account, auth(account));
      assert.equal(seen.eligibility.eligible, true);
      assert.deepEqual(seen.invite, { callId: seen.eligibility.callId });
      assert.deepEqual(seen.refused, { name: 'C2mError', code: 1001 });
      assert.deepEqual(pageErrors, []);
    });
  }
});
