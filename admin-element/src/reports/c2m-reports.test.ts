import '../test-helpers/cloneable-errors.js';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Role } from '../../../backend/contract/policy.js';
import type { AnalyticsResponse, AnalyticsRow } from '../../../backend/contract/reporting.js';
import '../index.js';
import type { C2mAdmin } from '../c2m-admin/c2m-admin.js';
import type { C2mReports } from './c2m-reports.js';
import { lastDays, rolledOver } from './report-model.js';
import { failureSection } from './report-sections.js';

// <c2m-admin>'s Reports view against a real c2m (scripts/web-backend.mjs starts it and seeds it
// through the IVR API). Other test files deflect on the same account at the same time, so the
// dashboard is compared with what the API answers at that moment (polled until they agree), and
// exact counts are checked only under IVR-number filters no other test uses.

interface Backend {
  apiBase: string;
  accountId: string;
  tokens: Record<'admin' | 'read_only' | 'agent', string>;
  reports: { ivrNumber: string; liveIvrNumber: string };
}

const DAY_MS = 86_400_000;
const STEPS = [
  'attempted',
  'sent',
  'delivered',
  'read',
  'conversationscreated',
  'skipped',
  'failed',
] as const;
type Funnel = Record<(typeof STEPS)[number], number>;

let backend: Backend;

/** The dashboard's default range, worked out here independently: the last 7 UTC days. */
function defaultWindow() {
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  return { attemptedStartTime: today - 6 * DAY_MS, attemptedEndTime: today + DAY_MS };
}

/** POST …/reports/analytics with a session's token. */
const postAnalytics = (token: string, body: Record<string, unknown>) =>
  fetch(`${backend.apiBase}/api/admin/account/${backend.accountId}/reports/analytics`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** The analytics rows, read directly (not through the element). */
async function analytics(filters: Record<string, unknown> = {}): Promise<AnalyticsRow[]> {
  const res = await postAnalytics(backend.tokens.admin, { ...defaultWindow(), ...filters });
  expect(res.status).to.equal(200);
  return ((await res.json()) as AnalyticsResponse).analytics;
}

const funnelOf = (rows: AnalyticsRow[]) =>
  Object.fromEntries(STEPS.map((k) => [k, rows.reduce((n, r) => n + r[k], 0)])) as Funnel;

async function mount(role: Role) {
  const el = await fixture<C2mAdmin>(
    html`<c2m-admin
      api-base=${backend.apiBase}
      account-id=${backend.accountId}
      session-role=${role}
      view="reports"
      .token=${backend.tokens[role as keyof Backend['tokens']]}
    ></c2m-admin>`,
  );
  return el;
}

async function reportsOf(el: C2mAdmin): Promise<C2mReports> {
  await waitUntil(() => el.shadowRoot!.querySelector('c2m-reports'), 'no Reports view');
  const reports = el.shadowRoot!.querySelector('c2m-reports')!;
  await waitUntil(
    () => reports.shadowRoot?.querySelector('[data-chart="funnel"] tbody tr'),
    'the funnel never loaded',
    { timeout: 5000 },
  );
  return reports;
}

const count = (cell: Element | null | undefined) => Number(cell?.textContent?.replace(/\D/g, ''));

/** The numbers in a chart's table: row key → its cells as numbers (the first, for the funnel). */
function tableOf(reports: C2mReports, chart: string): Record<string, number[]> {
  const rows = reports.shadowRoot!.querySelectorAll(`[data-chart="${chart}"] tbody tr`);
  return Object.fromEntries(
    [...rows].map((tr) => [
      tr.getAttribute('data-key')!,
      [...tr.querySelectorAll('td')].map(count),
    ]),
  );
}

function shownFunnel(reports: C2mReports): Funnel {
  const table = tableOf(reports, 'funnel');
  return Object.fromEntries(STEPS.map((k) => [k, table[k]?.[0]])) as Funnel;
}

/** Polls until the dashboard shows what the API answers for `filters` at that moment. */
async function agreesWithApi(reports: C2mReports, filters: Record<string, unknown> = {}) {
  let last = '';
  await waitUntil(
    async () => {
      const api = funnelOf(await analytics(filters));
      last = `shown ${JSON.stringify(shownFunnel(reports))}, API ${JSON.stringify(api)}`;
      return JSON.stringify(shownFunnel(reports)) === JSON.stringify(api);
    },
    'the dashboard never agreed with the API',
    { timeout: 8000, interval: 200 },
  ).catch((err: Error) => {
    throw new Error(`${err.message}: ${last}`);
  });
}

async function choose(reports: C2mReports, id: string, value: string) {
  await waitUntil(
    () => reports.shadowRoot!.querySelector(`#${id} option[value="${value}"]`),
    `${value} is not offered in #${id}`,
  );
  const select = reports.shadowRoot!.querySelector<HTMLSelectElement>(`#${id}`)!;
  select.value = value;
  select.dispatchEvent(new Event('change'));
}

describe('failure reasons', () => {
  /** An analytics row of the API's shape, failed with these error keys. */
  const failed = (errors: Record<string, number>): AnalyticsRow => ({
    channel: 'sms',
    skill: 'sales',
    transactionday: '11-23-2026',
    attempted: 9,
    eligible: 9,
    invited: 9,
    skipped: 0,
    sent: 0,
    failed: 9,
    delivered: 0,
    read: 0,
    conversationscreated: 0,
    conversationsclosed: 0,
    error_aggregation: errors,
  });

  it('are labelled, never shown as raw codes like sandbox_503', async () => {
    const rows = [failed({ sandbox_503: 4, twilio_30008: 2, wa_131026: 1, c2m_1029: 1, odd: 1 })];
    const view = {
      range: { from: '2026-11-23', to: '2026-11-23' },
      zone: 'UTC',
      table: () => ({ tableShown: true, onToggle: () => undefined }),
    };
    const el = await fixture(html`<div>${failureSection(rows, view)}</div>`);
    const label = (key: string) =>
      el.querySelector(`tr[data-key="${key}"] th`)?.textContent?.trim();
    expect(label('sandbox_503')).to.equal('Provider temporarily unavailable (Sandbox)');
    expect(label('twilio_30008')).to.equal('Twilio error 30008');
    expect(label('wa_131026')).to.equal('Not on WhatsApp or undeliverable (WhatsApp)');
    expect(label('c2m_1029')).to.equal('Frequency cap reached');
    expect(label('odd')).to.equal('Error odd');
    // the summary sentence and the bars use the labels too
    const summary = el.querySelector('figure')?.getAttribute('aria-label') ?? '';
    expect(summary).to.include('Provider temporarily unavailable (Sandbox), 4');
    const bars = [...el.querySelectorAll('figure [data-key]')].map((b) => b.textContent ?? '');
    expect(bars.join(' ')).not.to.match(/sandbox_503/);
  });
});

describe('report ranges', () => {
  const DAY = 86_400_000;
  const noon = (day: string) => Date.parse(`${day}T12:00:00Z`);

  it('moves a range that ended today to the new today, keeping its length', () => {
    const week = { from: '2026-11-17', to: '2026-11-23' };
    expect(rolledOver(week, '2026-11-23', noon('2026-11-24'))).to.deep.equal({
      from: '2026-11-18',
      to: '2026-11-24',
    });
    // across a month and a year
    expect(
      rolledOver({ from: '2026-12-31', to: '2026-12-31' }, '2026-12-31', noon('2027-01-01')),
    ).to.deep.equal({ from: '2027-01-01', to: '2027-01-01' });
    expect(lastDays(7, noon('2026-11-23') + DAY).to).to.equal('2026-11-24');
  });

  it('leaves a range alone on its own day, or when it did not end on the day it was chosen', () => {
    const week = { from: '2026-11-17', to: '2026-11-23' };
    expect(rolledOver(week, '2026-11-23', noon('2026-11-23'))).to.equal(week);
    const past = { from: '2026-11-01', to: '2026-11-10' };
    expect(rolledOver(past, '2026-11-23', noon('2026-11-24'))).to.equal(past);
  });
});

describe('c2m-reports against a real c2m backend', function () {
  this.timeout(20000);

  before(async () => {
    const res = await fetch('/__c2m/backend.json');
    expect(res.ok, 'the c2m backend plugin serves /__c2m/backend.json').to.equal(true);
    backend = (await res.json()) as Backend;
  });

  it('shows the funnel, per-day, per-channel and failure numbers the API returns', async () => {
    const reports = await reportsOf(await mount('admin'));
    await agreesWithApi(reports);
    const rows = await analytics();
    const shown = shownFunnel(reports);
    // the seeds alone: three attempts, one of them unreachable (failed at eligibility)
    expect(shown.attempted).to.be.at.least(3);
    expect(shown.failed).to.be.at.least(1);

    const root = reports.shadowRoot!;
    const figure = root.querySelector('[data-chart="funnel"] figure')!;
    expect(figure.getAttribute('role')).to.equal('img');
    expect(figure.getAttribute('aria-label')).to.match(/^Of \d+ attempts, \d+ sent/);
    // the bars are drawn in proportion: attempted is the longest funnel bar
    const width = (key: string) =>
      root.querySelector(`[data-chart="funnel"] [data-key="${key}"] rect`)!.getAttribute('width');
    expect(width('attempted')).to.equal('100%');

    // per channel: each row is that channel's sums in the API's rows
    const channels = tableOf(reports, 'channels');
    for (const [channel, cells] of Object.entries(channels)) {
      const own = funnelOf(rows.filter((r) => r.channel === channel));
      expect(cells.slice(0, 5), channel).to.deep.equal([
        own.attempted,
        own.sent,
        own.delivered,
        own.read,
        own.conversationscreated,
      ]);
    }
    expect(Object.keys(channels)).to.include('sms');

    // per day: today's attempts, and one row per day of the 7-day range
    const today = new Date().toISOString().slice(0, 10);
    const days = tableOf(reports, 'trend');
    expect(Object.keys(days)).to.have.length(7);
    const [m, d, y] = [today.slice(5, 7), today.slice(8, 10), today.slice(0, 4)];
    const todays = funnelOf(rows.filter((r) => r.transactionday === `${m}-${d}-${y}`));
    expect(days[today]).to.deep.equal([todays.attempted, todays.sent, todays.conversationscreated]);

    // failure reasons, labelled: the unreachable caller
    const failures = tableOf(reports, 'failures');
    const ineligible = rows.reduce((n, r) => n + (r.error_aggregation.c2m_1001 ?? 0), 0);
    expect(failures.c2m_1001?.at(-1)).to.equal(ineligible); // its cells: the code, the count
    expect(
      root.querySelector('[data-chart="failures"] tr[data-key="c2m_1001"] th')?.textContent?.trim(),
    ).to.equal('Consumer ineligible (landline or unreachable)');
  });

  it("shows the days of the account's time zone, and names it", async () => {
    const settings = (timezone: string) =>
      fetch(`${backend.apiBase}/api/admin/account/${backend.accountId}/settings`, {
        method: 'PUT',
        headers: {
          Authorization: `Bearer ${backend.tokens.admin}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ timezone }),
      });
    expect((await settings('Asia/Kolkata')).status).to.equal(200);
    try {
      const reports = await reportsOf(await mount('admin'));
      const legend = () => reports.shadowRoot!.querySelector('legend')?.textContent ?? '';
      await waitUntil(() => legend().includes('Asia/Kolkata'), `legend: ${legend()}`);
      // today in Kolkata, and the table's days are Kolkata's
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(
        new Date(),
      );
      await waitUntil(
        () => reports.shadowRoot!.querySelector(`[data-chart="trend"] tr[data-key="${today}"]`),
        'no row for the day in Kolkata',
      );
      expect(
        reports.shadowRoot!.querySelector('[data-chart="trend"] caption')?.textContent,
      ).to.include('Asia/Kolkata');
    } finally {
      expect((await settings('UTC')).status).to.equal(200);
    }
  });

  it('filters by IVR number and skill, showing the numbers of those calls only', async () => {
    const reports = await reportsOf(await mount('admin'));
    const { ivrNumber } = backend.reports;
    await choose(reports, 'filter-ivrnumber', ivrNumber);
    // seeded under this number only: one delivered billing invite and one unreachable caller
    const seeded = { attempted: 2, sent: 1, delivered: 1, failed: 1 };
    await waitUntil(
      () => Object.entries(seeded).every(([k, n]) => shownFunnel(reports)[k as keyof Funnel] === n),
      'the seeded calls are not shown',
    );
    await agreesWithApi(reports, { ivrnumbers: [ivrNumber] });

    await choose(reports, 'filter-skill', 'billing');
    await agreesWithApi(reports, { ivrnumbers: [ivrNumber], skills: ['billing'] });
    expect(shownFunnel(reports)).to.include({ attempted: 1, failed: 0 });
    expect(tableOf(reports, 'failures')).to.deep.equal({});
  });

  it('updates while open when a call comes in, without a reload', async () => {
    const reports = await reportsOf(await mount('read_only'));
    const { liveIvrNumber } = backend.reports;
    await choose(reports, 'filter-ivrnumber', liveIvrNumber);
    await waitUntil(() => shownFunnel(reports).attempted === 1, 'the seeded call is not shown');
    await waitUntil(
      () => reports.shadowRoot!.querySelector('[part="live-state"][data-state="live"]'),
      'the dashboard never went live',
    );

    const phone = `+1415556${String(1000 + Math.floor(Math.random() * 8999))}`;
    const res = await fetch('/__c2m/deflect', {
      method: 'POST',
      body: JSON.stringify({ phone, ivrNumber: liveIvrNumber }),
    });
    const answer = (await res.json()) as { ok?: boolean; error?: string };
    expect(answer.error).to.equal(undefined);

    await waitUntil(() => shownFunnel(reports).attempted === 2, 'the new call never showed', {
      timeout: 5000,
    });
    await agreesWithApi(reports, { ivrnumbers: [liveIvrNumber] });
  });

  it('refuses a range over 60 days with a visible message, and a preset mends it', async () => {
    const reports = await reportsOf(await mount('admin'));
    const root = reports.shadowRoot!;
    const from = root.querySelector<HTMLInputElement>('#from')!;
    from.value = new Date(Date.now() - 70 * DAY_MS).toISOString().slice(0, 10);
    from.dispatchEvent(new Event('change'));
    await reports.updateComplete;
    expect(root.querySelector('#range-error')?.textContent?.trim()).to.match(
      /^Choose at most 60 days \(this range has 71\)\.$/,
    );
    expect(from.getAttribute('aria-invalid')).to.equal('true');
    expect(root.querySelector('[data-chart]')).to.equal(null);

    const preset = [...root.querySelectorAll<HTMLButtonElement>('[part="preset"]')].find(
      (b) => b.textContent?.trim() === 'Last 60 days',
    )!;
    preset.click();
    await waitUntil(() => root.querySelector('[data-chart="trend"] tbody tr'), 'no charts');
    expect(root.querySelector('#range-error')).to.equal(null);
    expect(preset.getAttribute('aria-pressed')).to.equal('true');
    expect(Object.keys(tableOf(reports, 'trend'))).to.have.length(60);
  });

  it('shows each chart as a table on request, and is accessible (axe)', async () => {
    const reports = await reportsOf(await mount('admin'));
    const root = reports.shadowRoot!;
    const toggle = root.querySelector<HTMLButtonElement>(
      '[data-chart="funnel"] [part="table-toggle"]',
    )!;
    const wrap = root.getElementById(toggle.getAttribute('aria-controls')!)!;
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    expect(wrap.className).to.equal('visually-hidden');
    expect(wrap.querySelector('caption')?.textContent?.trim()).to.match(/^Funnel, \d{4}-/);

    toggle.focus();
    toggle.click();
    await reports.updateComplete;
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    expect(toggle.textContent?.trim()).to.equal('Hide table');
    expect(wrap.className).to.equal('table-wrap');
    expect(wrap.getBoundingClientRect().height).to.be.greaterThan(50);
    await expect(reports).to.be.accessible();
  });

  it('is offered to read-only, not to agents, whom the API also refuses', async () => {
    const readOnly = await mount('read_only');
    const nav = [...readOnly.shadowRoot!.querySelectorAll('[part="nav"] button')].map((b) =>
      b.textContent?.trim(),
    );
    expect(nav).to.include('Reports');
    await reportsOf(readOnly);

    const agent = await mount('agent');
    expect(agent.shadowRoot!.querySelector('c2m-reports')).to.equal(null);
    expect(agent.shadowRoot!.querySelector('[part="no-access"]')).to.not.equal(null);
    const res = await postAnalytics(backend.tokens.agent, defaultWindow());
    expect(res.status).to.equal(403);
  });
});
