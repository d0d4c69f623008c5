// engine: sqlite
// (A layout test: the page looks the same on either engine, so the first pass is enough.)
// The demo page on a 390 px wide phone, in a real Chromium (playwright-core driving Debian's
// chromium) against a real c2m started the way `npm start` starts it, with the element bundles
// built from the current sources: before and after a deflection (the eligibility table, the
// message on the phone and in the widget), with the admin element's views, nothing scrolls
// sideways and nothing sticks out to the right (the same check the elements' tests use, run in the
// page through every shadow root).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { pino } from 'pino';
import { horizontalOverflow } from '../../admin-element/src/test-helpers/overflow.js';
import { loadConfig } from '../src/config.js';
import { startC2m, type RunningC2m } from '../src/server.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';
const PHONE = { width: 390, height: 844 };
const SOURCES = ['admin-element/src', 'widget/src', 'demo/src'].map((d) => join(root, d));
const BUNDLES = ['c2m-admin.js', 'c2m-cx-widget.js', 'demo.js'].map((f) =>
  join(root, 'dist/web', f),
);

/** The newest modification time of the files under `dir`, in ms. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** The page loads the built bundles: build them again when a source is newer (a style fixed). */
function ensureFreshBundles() {
  const built = (f: string) => {
    try {
      return statSync(f).mtimeMs;
    } catch {
      return 0;
    }
  };
  const oldest = Math.min(...BUNDLES.map(built));
  if (oldest > Math.max(...SOURCES.map(newest))) return;
  const run = spawnSync('npx', ['vite', 'build'], { cwd: root, stdio: 'ignore' });
  assert.equal(run.status, 0, 'npx vite build failed: the demo page needs dist/web');
}

/** What sticks out on the page, through the shadow roots of every element on it. */
async function overflow(page: Page, selector: string) {
  // tsx keeps function names with a helper the page does not have; the check needs none
  await page.evaluate('globalThis.__name ??= (f) => f');
  return page.$eval(selector, horizontalOverflow);
}

describe('the demo page on a 390 px wide screen', { timeout: 90_000 }, () => {
  let c2m: RunningC2m;
  let browser: Browser;
  let page: Page;
  const dataDir = mkdtempSync(join(tmpdir(), 'c2m-small-screen-'));

  before(async () => {
    ensureFreshBundles();
    accessSync(CHROMIUM, constants.X_OK);
    c2m = await startC2m(
      loadConfig({ C2M_DATA_DIR: dataDir, PORT: '0', C2M_LOG_LEVEL: 'silent' }),
      { log: pino({ level: 'silent' }) },
    );
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: PHONE, isMobile: true, hasTouch: true });
    page.setDefaultTimeout(10_000);
  });

  after(async () => {
    await browser?.close();
    await c2m?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('fits before and after a deflection, with each view of the admin element', async () => {
    assert.ok(c2m.demoPageUrl, 'the demo page is on for a loopback listener');
    await page.goto(c2m.demoPageUrl);
    await page.locator('#demo').waitFor({ state: 'visible' });
    await page.locator('c2m-admin').getByText('Demo WhatsApp then SMS').first().waitFor();
    assert.deepEqual(await overflow(page, 'c2m-demo'), [], 'the demo page as it opens');

    const ivr = page.getByRole('region', { name: 'IVR simulator' });
    await ivr
      .getByLabel('Handoff')
      .selectOption({ label: 'Demo WhatsApp then SMS — WhatsApp, SMS' });
    await ivr.getByLabel("Caller's mobile number").fill('+14155550142');
    await ivr.getByRole('button', { name: 'Check eligibility' }).click();
    await page.locator('#eligibility').getByText('Eligible').first().waitFor();
    assert.deepEqual(await overflow(page, 'c2m-demo'), [], 'with the eligibility answer');

    await ivr.getByRole('button', { name: 'Invite' }).click();
    await page.locator('#widget').getByText('Hi Ada, this is Demo Brand on WhatsApp').waitFor();
    const handset = page.getByRole('region', { name: "Consumer's phone" });
    await handset.getByLabel('Reply').fill('Hi, about my order');
    await handset.getByRole('button', { name: 'Send', exact: true }).click();
    await page.locator('#widget [part="conversation"]').waitFor();
    assert.deepEqual(await overflow(page, 'c2m-demo'), [], 'with the message and the reply');

    const nav = page.locator('c2m-admin [part="nav"] button');
    for (const label of await nav.allInnerTexts()) {
      await nav.getByText(label, { exact: true }).click();
      await page.waitForFunction(() => {
        const loading = (root: ParentNode): boolean =>
          [...root.querySelectorAll('*')].some(
            (el) =>
              (el.getAttribute('part') === 'state' &&
                /^Loading/.test(el.textContent?.trim() ?? '')) ||
              (el.shadowRoot !== null && loading(el.shadowRoot)),
          );
        return !loading(document);
      });
      assert.deepEqual(await overflow(page, 'c2m-demo'), [], `with the admin's ${label} view`);
    }
  });
});
