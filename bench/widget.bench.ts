// `npm run bench:widget`: the agent widget's bundle size and its live latency.
//
// 1. Bundle: `vite build` unless dist/web/c2m-cx-widget.js is newer than every widget source, then
//    its raw and gzip -9 size against the 35 KB goal (Lit and socket.io-client are bundled in).
// 2. Latency: c2m runs as a child (bench/widget-server.ts: temp data dir, demo off, sandbox receipts
//    only when posted). This process makes BENCH_WIDGETS transactions for as many phones through
//    the IVR API (eligibility + invite, OAuth2 bearer), waits for the outbox to send them all, and
//    opens one headless Chromium page on c2m's origin with one live <c2m-cx-widget> per phone (each
//    its own Socket.IO websocket, agent session token). Then, one at a time, it marks
//    BENCH_WIDGET_SAMPLES of those messages `read` through the sandbox API and measures
//      latency = the time a MutationObserver in the page saw the widget's current step become
//                `Read` (performance.timeOrigin + performance.now() in the page)
//              − the time the child's domain-events listener ran right after the status was
//                committed (performance.timeOrigin + performance.now() in the child).
//    Also shown: from the API's answer (taken in this process) and to the next animation frame.
// Exit 0 on a clean measurement (a missed goal is a finding); non-zero when something broke.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { startChild, type Child } from './children.js';
import { machineFacts } from './machine.js';
import { phoneNumbers } from './targets.js';
import { countShowing, mountWidgets, pageClockSkew, waitForRead } from './widget-page.js';
import type { OutboundRow, WidgetC2mReady, WidgetChildAnswer } from './widget-server.js';

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name}: must be a positive integer`);
  return value;
}

const WIDGETS = envNumber('BENCH_WIDGETS', 500);
const SAMPLES = Math.min(WIDGETS, envNumber('BENCH_WIDGET_SAMPLES', 200));
/** Pause between two samples, so each status change meets an idle page and server. */
const GAP_MS = envNumber('BENCH_WIDGET_GAP_MS', 25);
/** Widgets per page (each page in its own browser context; see openPage). */
const PER_PAGE = Math.min(250, envNumber('BENCH_WIDGETS_PER_PAGE', 250));
const BUNDLE_GOAL_BYTES = 35 * 1024;
const P95_GOAL_MS = 100;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const BUNDLE = 'dist/web/c2m-cx-widget.js';

const say = (line = '') => process.stdout.write(line + '\n');
const progress = (line: string) => process.stderr.write(`  … ${line}\n`);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function bundleSize(): { raw: number; gzip: number; built: boolean } {
  const sources = ['widget/src', 'backend/contract', 'vite.config.ts', 'package-lock.json'];
  const fresh =
    existsSync(BUNDLE) &&
    statSync(BUNDLE).mtimeMs > Math.max(...sources.map((s) => newestMtime(s)));
  if (!fresh) {
    progress('dist/web is missing or stale: vite build');
    const build = spawnSync('node_modules/.bin/vite', ['build'], {
      stdio: ['ignore', process.stderr, process.stderr],
    });
    if (build.status !== 0) throw new Error(`vite build failed (status ${build.status})`);
  }
  const bytes = readFileSync(BUNDLE);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, built: !fresh };
}

/** One question to the child and its answer of the same type. */
function ask<T extends WidgetChildAnswer['type']>(
  child: Child<WidgetC2mReady>,
  type: T,
): Promise<Extract<WidgetChildAnswer, { type: T }>> {
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`child: no answer to ${type}`)), 10_000);
    const onMessage = (m: WidgetChildAnswer) => {
      if (m.type !== type) return;
      clearTimeout(timer);
      child.process.off('message', onMessage);
      ok(m as Extract<WidgetChildAnswer, { type: T }>);
    };
    child.process.on('message', onMessage);
    child.process.send({ type });
  });
}

async function postJson(url: string, token: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`POST ${url}: ${res.status} ${text}`);
  return JSON.parse(text) as unknown;
}

async function fetchToken(baseUrl: string, c2m: WidgetC2mReady): Promise<string> {
  const res = await fetch(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: c2m.oauth2.clientId,
      client_secret: c2m.oauth2.clientSecret,
    }),
  });
  if (!res.ok) throw new Error(`token endpoint: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Eligibility then invite for every phone, a few at a time. */
async function invite(baseUrl: string, c2m: WidgetC2mReady, bearer: string, phones: string[]) {
  const api = `${baseUrl}/api/account/${c2m.accountId}`;
  let next = 0;
  const worker = async () => {
    while (next < phones.length) {
      const phone = phones[next++];
      const answer = (await postJson(`${api}/eligibility?v=2.0`, bearer, {
        skill: c2m.skill,
        consumerPhoneNumber: phone,
        handoffId: c2m.handoffId,
        templateVariables: { '1': 'Ana' },
        ivrNumber: '+18005550100',
      })) as { eligible: boolean; callId: string };
      if (!answer.eligible) throw new Error(`eligibility: ${phone} is not eligible`);
      await postJson(`${api}/invite?v=2.0`, bearer, { callId: answer.callId });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

async function waitUntil<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<{ done: boolean; value: T; status: string }>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastStatus = '';
  for (;;) {
    const { done, value, status } = await probe();
    if (done) return value;
    if (status !== lastStatus) progress(`${what}: ${status}`);
    lastStatus = status;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms (${status})`);
    await sleep(250);
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
  };
}

const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : 'n/a');

async function openPage(browser: Browser, baseUrl: string): Promise<Page> {
  // its own browser context: Chromium caps the websockets of one network context at 255
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  // tsx compiles these functions with esbuild's keepNames, which calls a __name helper
  await page.evaluateOnNewDocument('globalThis.__name = (f) => f;');
  // A document on c2m's own origin, so the module script needs no CORS and the page counts as
  // loopback for Chromium's local network access checks (a page answered through request
  // interception does not, and its websockets to 127.0.0.1 are then blocked). c2m answers an
  // unknown path with a small 404 text; the body is emptied before the widgets go in.
  await page.goto(`${baseUrl}/widget-bench`);
  await page.evaluate(() => document.body.replaceChildren());
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.addScriptTag({ url: '/assets/c2m-cx-widget.js', type: 'module' });
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
  return page;
}

async function run(state: { child?: Child<WidgetC2mReady>; browser?: Browser }, dataDir: string) {
  say('c2m widget benchmark');
  for (const line of machineFacts()) say(`  ${line}`);
  say(`  settings: ${WIDGETS} widgets, ${SAMPLES} sampled status changes, ${GAP_MS} ms apart`);
  say();

  const bundle = bundleSize();
  const bundleOk = bundle.gzip <= BUNDLE_GOAL_BYTES;
  say(`bundle ${BUNDLE}${bundle.built ? ' (just built)' : ' (up to date, not rebuilt)'}`);
  say(`  raw ${kb(bundle.raw)} (${bundle.raw} B), gzip -9 ${kb(bundle.gzip)} (${bundle.gzip} B)`);
  say();

  const child = await startChild<WidgetC2mReady>('c2m', './widget-server.ts', {
    env: { C2M_DATA_DIR: dataDir },
  });
  state.child = child;
  const c2m = child.ready;
  const baseUrl = `http://127.0.0.1:${c2m.port}`;
  const bearer = await fetchToken(baseUrl, c2m);
  const next = phoneNumbers();
  const phones = Array.from({ length: WIDGETS }, next);

  progress(`${WIDGETS} invites through the IVR API`);
  await invite(baseUrl, c2m, bearer, phones);
  const byPhone = await waitUntil('outbox sending the invites', 60_000, async () => {
    const { rows } = await ask(child, 'outbound');
    const sent = rows.filter((r) => r.status === 'sent');
    return {
      done: sent.length === WIDGETS,
      value: new Map<string, OutboundRow>(sent.map((r) => [r.phone, r])),
      status: `${sent.length}/${WIDGETS} sent (${rows.length} messages)`,
    };
  });
  for (const phone of phones) if (!byPhone.has(phone)) throw new Error(`no message for ${phone}`);

  progress('launching Chromium');
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
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
  state.browser = browser;
  // Chromium allows a browser context at most 255 websockets (the rest fail with
  // ERR_INSUFFICIENT_RESOURCES), so the widgets are spread over pages of PER_PAGE each.
  const groups: string[][] = [];
  for (let i = 0; i < phones.length; i += PER_PAGE) groups.push(phones.slice(i, i + PER_PAGE));
  const pages = await Promise.all(groups.map(() => openPage(browser, baseUrl)));
  const pageOf = new Map<string, Page>();
  groups.forEach((g, i) => g.forEach((phone) => pageOf.set(phone, pages[i])));
  const mountStart = Date.now();
  await Promise.all(
    pages.map((page, i) => page.evaluate(mountWidgets, baseUrl, c2m.agentToken, groups[i])),
  );
  const countAll = async (want: string) => {
    const counts = await Promise.all(pages.map((page) => page.evaluate(countShowing, want)));
    const states: Record<string, number> = {};
    for (const c of counts)
      for (const [k, v] of Object.entries(c.states)) states[k] = (states[k] ?? 0) + v;
    return { showing: counts.reduce((n, c) => n + c.showing, 0), states };
  };
  const showing = await waitUntil('widgets connecting', 120_000, async () => {
    const { showing, states } = await countAll('Sent');
    return {
      done: showing === WIDGETS,
      value: showing,
      status: `${showing}/${WIDGETS} show their message (${JSON.stringify(states)})`,
    };
  });
  const mountMs = Date.now() - mountStart;
  const { sockets } = await ask(child, 'commits');
  progress(`all ${showing} widgets live after ${mountMs} ms; measuring`);
  await sleep(1000); // let the page settle after 500 first renders

  // evenly spread over the 500, so early and late mounted widgets are both sampled
  const sample = Array.from(
    { length: SAMPLES },
    (_, i) => phones[Math.floor((i * WIDGETS) / SAMPLES)],
  );
  const answered: Record<string, number> = {};
  const seen: Record<string, { dom: number; frame: number }> = {};
  const missing: string[] = [];
  for (const phone of sample) {
    const row = byPhone.get(phone);
    if (!row) throw new Error(`no message for ${phone}`);
    const page = pageOf.get(phone);
    if (!page) throw new Error(`no page for ${phone}`);
    const waiting = page.evaluate(waitForRead, phone, 5000);
    const res = (await postJson(
      `${baseUrl}/api/account/${c2m.accountId}/sandbox/messages/${row.messageId}/status`,
      bearer,
      { status: 'read' },
    )) as { outcome: string };
    answered[phone] = now();
    if (res.outcome !== 'applied') throw new Error(`status for ${phone}: ${res.outcome}`);
    const times = await waiting;
    if (times) seen[phone] = times;
    else missing.push(phone);
    await sleep(GAP_MS);
  }
  const { at: committed, sockets: socketsAtEnd } = await ask(child, 'commits');
  const skew = await pages[0].evaluate(pageClockSkew);
  const nodeSkew = { min: Infinity, max: -Infinity };
  for (let i = 0; i < 50; i++) {
    const d = now() - Date.now();
    nodeSkew.min = Math.min(nodeSkew.min, d);
    nodeSkew.max = Math.max(nodeSkew.max, d);
  }
  const { states } = await countAll('Read');

  const fromCommit: number[] = [];
  const fromAnswer: number[] = [];
  const toFrame: number[] = [];
  const problems: string[] = [];
  for (const phone of sample) {
    const times = seen[phone];
    const tx = byPhone.get(phone)?.transactionId ?? '';
    if (!times) continue;
    const at = committed[tx];
    if (at === undefined) {
      problems.push(`no commit time for ${phone}`);
      continue;
    }
    fromCommit.push(times.dom - at);
    fromAnswer.push(times.dom - answered[phone]);
    if (Number.isFinite(times.frame)) toFrame.push(times.frame - at);
  }
  if (missing.length) problems.push(`${missing.length} widgets never showed Read within 5 s`);
  const negative = fromCommit.filter((v) => v < 0).length;
  if (negative) problems.push(`${negative} latencies below zero (clocks disagree)`);

  const lat = stats(fromCommit);
  const latAnswer = stats(fromAnswer);
  const latFrame = stats(toFrame);
  const latencyOk = lat.p95 < P95_GOAL_MS;
  say(
    `live widgets: ${showing}/${WIDGETS} showing their message, ${sockets} Socket.IO connections, on ${pages.length} page(s) of ≤ ${PER_PAGE} (own browser contexts) in one Chromium`,
  );
  say(
    `  (mounted and live in ${mountMs} ms; ${socketsAtEnd} connections at the end; states at end`,
  );
  say(`  ${JSON.stringify(states)})`);
  say(`status changes measured: ${fromCommit.length}/${SAMPLES}`);
  say();
  say('latency                                  p50        p95        p99        max');
  const line = (name: string, s: ReturnType<typeof stats>) =>
    say(
      `  ${name.padEnd(38)} ${ms(s.p50).padStart(9)}  ${ms(s.p95).padStart(9)}  ${ms(s.p99).padStart(9)}  ${ms(s.max).padStart(9)}`,
    );
  line('commit → widget DOM shows Read', lat);
  line('API answered → widget DOM', latAnswer);
  line('commit → next animation frame', latFrame);
  say();
  say('goals');
  say(
    `  bundle gzip ≤ 35 KB                    ${kb(bundle.gzip).padStart(9)}  ${bundleOk ? 'PASS' : 'MISS'}`,
  );
  say(
    `  p95 commit → DOM < ${P95_GOAL_MS} ms (${WIDGETS} live) ${ms(lat.p95).padStart(9)}  ${latencyOk ? 'PASS' : 'MISS'}`,
  );
  say();
  say('notes');
  say('  commit time: the child, in the domain-events listener run right after the status update');
  say('  commits (same emit that queues the broadcast); DOM time: the page, in a MutationObserver');
  say('  on the widget (microtask after Lit rendered it, before layout/paint). Both are');
  say('  performance.timeOrigin + performance.now() in their own process. Each clock against');
  say(
    `  Date.now() (ms resolution): page ${skew.min.toFixed(2)}..${skew.max.toFixed(2)} ms, this process ${nodeSkew.min.toFixed(2)}..${nodeSkew.max.toFixed(2)} ms`,
  );
  say('  — so cross-process figures carry about ±1 ms of clock uncertainty.');
  say('  "API answered" is later than the commit (the HTTP answer races the broadcast), so it can');
  say('  be below zero; it is shown only as a check on the commit-based figure.');
  say();
  if (problems.length) {
    say('RUN NOT CLEAN (exit 1):');
    for (const p of problems) say(`  ${p}`);
    return 1;
  }
  const missed = [bundleOk, latencyOk].filter((ok) => !ok).length;
  say(
    missed
      ? `Clean run; ${missed} goal(s) missed (a measurement, so exit 0).`
      : 'Clean run; all goals met.',
  );
  return 0;
}

/** Browser, child and data dir gone within a bound, even if one of them hangs. */
async function cleanUp(state: { child?: Child<WidgetC2mReady>; browser?: Browser }, dir: string) {
  const browser = state.browser;
  const closeBrowser = async () => {
    if (!browser) return;
    const closed = await Promise.race([
      browser.close().then(() => true),
      sleep(5000).then(() => false),
    ]);
    if (!closed) browser.process()?.kill('SIGKILL');
  };
  await Promise.race([
    Promise.all([closeBrowser(), state.child?.stop(5000)]),
    new Promise((ok) => setTimeout(ok, 12_000).unref()),
  ]);
  rmSync(dir, { recursive: true, force: true });
}

const state: { child?: Child<WidgetC2mReady>; browser?: Browser } = {};
const dataDir = mkdtempSync(join(tmpdir(), 'c2m-widget-bench-'));
let exitCode = 1;
process.once('SIGINT', () => {
  void cleanUp(state, dataDir).finally(() => process.exit(130));
});
try {
  exitCode = await run(state, dataDir);
} catch (err) {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
} finally {
  await cleanUp(state, dataDir);
}
process.exit(exitCode);
