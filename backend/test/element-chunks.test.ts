// engine: sqlite
// (What is tested is the bundles and how c2m serves them; the engine plays no part.)
// The admin element as a brand's portal embeds it: the built bundle (`vite build`) served by a real
// c2m, loaded by a page of another origin in a real Chromium. Its first paint is the entry file
// alone; each view's module, and zod with the schemas, come as chunks next to the entry, from c2m's
// URL, when the view is first opened. Entry files are asked again each time; chunks, named by
// their content, are cacheable for good.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { updateAccountSettings } from '../src/modules/accounts/accounts.repo.js';
import {
  adminSession,
  seedAccount,
  startTestC2m,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BUNDLE_DIR = join(root, 'dist/web');
const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';

/** `npm test` builds before the node tests; a bare run of this file builds once here. */
function ensureBundles() {
  if (existsSync(join(BUNDLE_DIR, 'c2m-admin.js'))) return;
  const built = spawnSync('npx', ['vite', 'build'], { cwd: root, stdio: 'ignore' });
  assert.equal(built.status, 0, 'npx vite build failed');
}

/** The chunks of the admin bundle, as the build named them. */
const adminChunks = () => readdirSync(BUNDLE_DIR).filter((f) => /^c2m-admin-.+\.js$/.test(f));

describe('the element bundles and their chunks, served by c2m', { timeout: 60_000 }, () => {
  let t: TestC2m;
  let account: SeededAccount;
  let token: string;
  let portal: Server;
  let portalOrigin: string;
  let browser: Browser;

  before(async () => {
    ensureBundles();
    accessSync(CHROMIUM, constants.X_OK);
    t = await startTestC2m();
    account = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    token = await adminSession(t, account, 'admin');
    // the brand's portal: another origin (another port), which only serves its own page
    portal = createServer((_req, res) => {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(`<!doctype html>
<html lang="en">
  <head><title>Portal</title></head>
  <body>
    <script type="module" src="${t.url}/assets/c2m-admin.js"></script>
    <c2m-admin api-base="${t.url}" account-id="${account.accountId}" session-role="admin"></c2m-admin>
    <script type="module">
      document.querySelector('c2m-admin').token = ${JSON.stringify(token)};
    </script>
  </body>
</html>`);
    });
    await new Promise<void>((done) => portal.listen(0, '127.0.0.1', done));
    portalOrigin = `http://127.0.0.1:${(portal.address() as AddressInfo).port}`;
    await updateAccountSettings(t.c2m.deps, account.accountId, { allowedOrigins: [portalOrigin] });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
    });
  });

  after(async () => {
    await browser?.close();
    await new Promise((done) => portal?.close(done));
    await t?.close();
  });

  it('serves the entry to be asked again, each chunk to be kept, both to any origin', async () => {
    const entry = await fetch(`${t.url}/assets/c2m-admin.js`);
    assert.equal(entry.status, 200);
    assert.equal(entry.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(entry.headers.get('cache-control'), 'no-cache');
    assert.equal(entry.headers.get('access-control-allow-origin'), '*');
    const code = await entry.text();

    const chunks = adminChunks();
    assert.ok(
      chunks.some((f) => f.startsWith('c2m-admin-handoff-list.')),
      chunks.join(' '),
    );
    assert.ok(
      chunks.some((f) => f.startsWith('c2m-admin-zod.')),
      chunks.join(' '),
    );
    for (const name of chunks) {
      assert.match(name, /^c2m-admin-[a-z0-9-]+\.[a-z0-9]{8}\.js$/, 'named by its content');
      const res = await fetch(`${t.url}/assets/${name}`);
      assert.equal(res.status, 200, name);
      assert.equal(res.headers.get('content-type'), 'text/javascript; charset=utf-8');
      assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      assert.equal(await res.text(), readFileSync(join(BUNDLE_DIR, name), 'utf8'));
    }
    // the views are imported relative to the entry, so they come from wherever it came from
    const handoffList = chunks.find((f) => f.startsWith('c2m-admin-handoff-list.'));
    assert.ok(code.includes(`import(\`./${handoffList}\`)`), 'the entry imports the view lazily');
    assert.ok(!code.includes('c2m-admin-zod.'), 'the entry does not import zod’s chunk');
  });

  it('a portal on another origin embeds it from c2m’s URL; views come when opened', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    const loaded: string[] = [];
    page.on('requestfinished', (req) => {
      const url = new URL(req.url());
      if (url.origin === t.url && url.pathname.startsWith('/assets/')) {
        loaded.push(url.pathname.slice('/assets/'.length));
      }
    });
    try {
      await page.goto(portalOrigin);
      // the handoffs view, the first one an admin sees: the seeded account's handoffs are listed
      const admin = page.locator('c2m-admin');
      await admin.getByText(`sms ${account.accountId}`).first().waitFor({ timeout: 15_000 });
      const firstPaint = [...loaded];
      assert.ok(firstPaint.includes('c2m-admin.js'), firstPaint.join(' '));
      assert.ok(firstPaint.some((f) => f.startsWith('c2m-admin-handoff-list.')));
      // the list validates nothing: no zod, and no other view, has come yet
      assert.ok(!firstPaint.some((f) => f.startsWith('c2m-admin-zod.')), firstPaint.join(' '));
      assert.ok(!firstPaint.some((f) => f.startsWith('c2m-admin-settings.')));

      await admin.getByRole('button', { name: 'Settings' }).click();
      await admin.getByLabel('Sites that may embed C2M administration').waitFor();
      assert.ok(
        loaded.some((f) => f.startsWith('c2m-admin-settings.')),
        loaded.join(' '),
      );
      assert.ok(
        loaded.some((f) => f.startsWith('c2m-admin-zod.')),
        loaded.join(' '),
      );
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });
});
