// The demo page's whole journey in a real Chromium (playwright-core driving Debian's chromium),
// against a real c2m started the way `npm start` starts it: demo on, sandbox channel, built element
// bundles. The IVR simulator deflects a caller, the message arrives on the sandbox phone, the
// consumer replies, the agent's widget shows it without a reload, the consumer sends STOP and the
// next eligibility is refused with opted_out. A screenshot of each step lands in
// test-artifacts/e2e/ (gitignored); their paths are printed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { startC2m, type RunningC2m } from '../src/server.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ARTIFACTS = join(root, 'test-artifacts/e2e');
const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';
const BUNDLES = ['c2m-admin.js', 'c2m-cx-widget.js', 'demo.js'].map((f) =>
  join(root, 'dist/web', f),
);
/** How long one visible change may take to show: a send, a receipt, a broadcast. */
const STEP_MS = 10_000;
/** A mobile number whose ending the sandbox does not script (…0000 to …0004 are). */
const CALLER = '+14155550142';

/** `npm start` builds the bundles first; a bare test run may not have, so build them once here. */
function ensureBundles() {
  if (BUNDLES.every((f) => existsSync(f))) return;
  const built = spawnSync('npx', ['vite', 'build'], { cwd: root, stdio: 'inherit' });
  assert.equal(built.status, 0, 'npx vite build failed: the demo page needs dist/web');
  for (const f of BUNDLES) assert.ok(existsSync(f), `${f} is missing after npx vite build`);
}

function ensureChromium() {
  try {
    accessSync(CHROMIUM, constants.X_OK);
  } catch {
    assert.fail(
      `No Chromium at ${CHROMIUM}: install Debian's chromium package or set CHROME_PATH ` +
        '(playwright-core never downloads a browser here)',
    );
  }
}

describe('the demo page, end to end in Chromium', { timeout: 60_000 }, () => {
  let c2m: RunningC2m;
  let browser: Browser;
  let page: Page;
  const dataDir = mkdtempSync(join(tmpdir(), 'c2m-e2e-demo-'));
  const pageErrors: string[] = [];
  const shots: string[] = [];

  const shoot = async (name: string) => {
    const path = join(ARTIFACTS, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    shots.push(path);
  };

  before(async () => {
    ensureBundles();
    ensureChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
    // what `npm start` runs, on a fresh data dir and a free loopback port
    c2m = await startC2m(
      loadConfig({ C2M_DATA_DIR: dataDir, PORT: '0', C2M_LOG_LEVEL: 'silent' }),
      { log: pino({ level: process.env.TEST_LOG ?? 'silent' }) },
    );
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.setDefaultTimeout(STEP_MS);
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });

  after(async () => {
    await browser?.close();
    await c2m?.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (shots.length > 0) console.log(`e2e screenshots:\n  ${shots.join('\n  ')}`);
  });

  it('deflects a caller, shows the reply live in the widget, and honours STOP', async () => {
    // the URL `npm start` prints, with this start's demo key
    assert.ok(c2m.demoPageUrl, 'the demo page is on for a loopback listener');
    await page.goto(c2m.demoPageUrl);
    await page.locator('#demo').waitFor({ state: 'visible' });
    // the admin element, signed in as the demo admin, lists the demo handoffs
    await page.locator('c2m-admin').getByText('Demo WhatsApp then SMS').first().waitFor();
    await page.evaluate(() => {
      (window as unknown as { stillTheSamePage: boolean }).stillTheSamePage = true;
    });
    await shoot('01-demo-page');

    // IVR: handoff, skill, the caller's mobile number, eligibility with a reason per channel
    const ivr = page.getByRole('region', { name: 'IVR simulator' });
    await ivr
      .getByLabel('Handoff')
      .selectOption({ label: 'Demo WhatsApp then SMS — WhatsApp, SMS' });
    await ivr.getByLabel('Skill').selectOption('sales');
    await ivr.getByLabel("Caller's mobile number").fill(CALLER);
    await ivr.getByRole('button', { name: 'Check eligibility' }).click();
    const answer = page.locator('#eligibility');
    await answer.getByText('Eligible — recommended channel: WhatsApp').waitFor();
    const rows = answer.locator('tbody tr');
    assert.deepEqual(await rows.allInnerTexts().then((r) => r.map(cells)), [
      ['WhatsApp', 'yes', 'eligible can be used'],
      ['SMS', 'yes', 'eligible can be used'],
    ]);
    await shoot('02-eligible');

    // invite: the WhatsApp message arrives on the consumer's phone, and the widget sees it
    await ivr.getByRole('button', { name: 'Invite' }).click();
    const handset = page.getByRole('region', { name: "Consumer's phone" });
    const phone = handset.getByRole('list', { name: 'Messages on the phone' });
    const received = phone.locator('[data-direction="outbound"]');
    await received.getByText('Hi Ada, this is Demo Brand on WhatsApp').waitFor();
    const widget = page.locator('#widget');
    await widget.getByText('Hi Ada, this is Demo Brand on WhatsApp').waitFor();
    await widget.locator('[part~="step-reached"]', { hasText: 'Delivered' }).waitFor();
    assert.match(
      await page.locator('#phone-announcer').innerText(),
      /New WhatsApp message: Hi Ada/,
    );
    await shoot('03-message-arrived');

    // the consumer reads and replies: the widget follows live, without a reload
    await received.getByRole('button', { name: /Mark .* read/ }).click();
    await widget.locator('[part~="step-reached"]', { hasText: 'Read' }).waitFor();
    await handset.getByLabel('Reply').fill('Hi, about my order');
    await handset.getByRole('button', { name: 'Send', exact: true }).click();
    await phone.locator('[data-direction="inbound"]', { hasText: 'Hi, about my order' }).waitFor();
    await widget.locator('[part~="step-reached"]', { hasText: 'Replied' }).waitFor();
    await widget.locator('[part="conversation"]').waitFor();
    await shoot('04-reply-in-widget');

    // STOP: the phone gets the confirmation, and the next eligibility is refused
    await handset.getByRole('button', { name: 'Send STOP' }).click();
    await phone.getByText('You are unsubscribed').waitFor();
    await shoot('05-stop');
    await ivr.getByRole('button', { name: 'Check eligibility' }).click();
    await answer.getByText('Not eligible').waitFor();
    assert.deepEqual(await rows.allInnerTexts().then((r) => r.map(cells)), [
      ['WhatsApp', 'no', 'opted_out the number sent STOP'],
      ['SMS', 'no', 'opted_out the number sent STOP'],
    ]);
    assert.equal(await ivr.getByRole('button', { name: 'Invite' }).isDisabled(), true);
    await shoot('06-refused-opted-out');

    // the whole page, the elements' shadow DOM included, passes axe's WCAG A/AA rules
    await page.addScriptTag({
      path: createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
    });
    const audit = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: AxeLike }).axe;
      const result = await axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] },
      });
      return {
        passed: result.passes.length,
        violations: result.violations.map(
          (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
        ),
      };
    });
    assert.ok(audit.passed > 0, 'axe checked nothing');
    assert.deepEqual(audit.violations, []);

    const samePage = await page.evaluate(
      () => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage,
    );
    assert.equal(samePage, true, 'the page was reloaded');
    assert.deepEqual(pageErrors, []);
    // the key left the address bar, and a reload in the same tab keeps the demo
    assert.equal(new URL(page.url()).hash, '');
  });

  it('tells whoever opens the page without the printed key to use the printed URL', async () => {
    const other = await browser.newPage();
    try {
      await other.goto(`${c2m.url}/`);
      await other.getByText('Open the demo from the URL c2m printed at start-up').waitFor();
      assert.equal(await other.locator('#demo').isVisible(), false);
    } finally {
      await other.close();
    }
  });
});

/** The part of axe-core's API the test uses (axe-core ships with the web test runner's deps). */
interface AxeLike {
  run(
    context: unknown,
    options: unknown,
  ): Promise<{ passes: unknown[]; violations: { id: string; nodes: { target: string[] }[] }[] }>;
}

/** A table row's cells, as innerText gives them (tab-separated), trimmed. */
const cells = (row: string) => row.split('\t').map((c) => c.trim());
