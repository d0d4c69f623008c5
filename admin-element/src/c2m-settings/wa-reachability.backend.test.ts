import '../test-helpers/cloneable-errors.js';
import { expect, waitUntil } from '@open-wc/testing';
import type { Role } from '../../../backend/contract/policy.js';
import type { WaReachabilityView } from '../../../backend/contract/wa-reachability.js';
// the element's own module defines its tag (the bundle's entry loads it with its view)
import './c2m-settings.js';
import { createAdminClient } from '../api/admin-client.js';
import { typeInto } from '../test-helpers/dom.js';
import { inSession } from '../test-helpers/fake-client.js';
import type { C2mWaReachability } from './wa-reachability.js';

// Against a real c2m (scripts/web-backend.mjs): WhatsApp sends through the sandbox teach the
// account which numbers are on WhatsApp, and the settings view shows, changes and clears that.
interface Backend {
  apiBase: string;
  accountId: string;
  tokens: Record<'admin' | 'read_only', string>;
}

let backend: Backend;

/** The admin API, read directly (not through the element) to check what the UI stored. */
async function learning(): Promise<WaReachabilityView> {
  const res = await fetch(
    `${backend.apiBase}/api/admin/account/${backend.accountId}/settings/wa-reachability`,
    { headers: { Authorization: `Bearer ${backend.tokens.admin}` } },
  );
  expect(res.status).to.equal(200);
  return (await res.json()) as WaReachabilityView;
}

/** Eligibility and invite on the WhatsApp-then-SMS handoff, played by the plugin. */
async function deflectOnWhatsApp(phone: string) {
  const res = await fetch('/__c2m/deflect', {
    method: 'POST',
    body: JSON.stringify({ phone, handoff: 'waSms' }),
  });
  const answer = (await res.json()) as { ok?: boolean; error?: string };
  expect(answer.error).to.equal(undefined);
}

async function panelOf(role: Role) {
  const client = createAdminClient({
    apiBase: backend.apiBase,
    accountId: backend.accountId,
    getToken: () => backend.tokens[role as 'admin' | 'read_only'],
  });
  const settings = await inSession(document.createElement('c2m-settings'), client, role);
  const panel = await waitUntil(() =>
    settings.shadowRoot!.querySelector('c2m-wa-reachability'),
  ).then(() => settings.shadowRoot!.querySelector('c2m-wa-reachability') as C2mWaReachability);
  await waitUntil(() => panel.shadowRoot!.querySelector('[part="counts"]'), 'never loaded', {
    timeout: 5000,
  });
  return panel;
}

const shown = (panel: C2mWaReachability, id: string) =>
  Number(panel.shadowRoot!.getElementById(id)?.textContent?.trim());
const days = (panel: C2mWaReachability) =>
  panel.shadowRoot!.getElementById('wa-unreachable-days') as HTMLInputElement;
const button = (panel: C2mWaReachability, part: string) =>
  panel.shadowRoot!.querySelector<HTMLButtonElement>(`[part="${part}"]`);

describe('c2m-wa-reachability against a real c2m backend', function () {
  this.timeout(20000);
  const exchange = String(200 + (Date.now() % 700));

  before(async () => {
    const res = await fetch('/__c2m/backend.json');
    expect(res.ok, 'the c2m backend plugin serves /__c2m/backend.json').to.equal(true);
    backend = (await res.json()) as Backend;
    // the sandbox refuses …0002 on WhatsApp with 131026, and delivers to other numbers
    await deflectOnWhatsApp(`+1415${exchange}0002`);
    await deflectOnWhatsApp(`+1415${exchange}1234`);
    await waitUntil(
      async () => {
        const v = await learning();
        return v.learnedUnreachable >= 1 && v.knownReachable >= 1;
      },
      'the sends never taught c2m',
      { timeout: 8000, interval: 100 },
    );
  });

  it('shows the counts, saves the period, and clears after a confirmation', async () => {
    const panel = await panelOf('admin');
    const before = await learning();
    expect(shown(panel, 'learned-unreachable')).to.equal(before.learnedUnreachable);
    expect(shown(panel, 'known-reachable')).to.equal(before.knownReachable);
    expect(days(panel).value).to.equal('30');
    await expect(panel).to.be.accessible();

    // a period out of range is refused where it is typed, and nothing is stored
    typeInto(days(panel), '400');
    button(panel, 'save')!.click();
    await panel.updateComplete;
    expect(days(panel).getAttribute('aria-invalid')).to.equal('true');
    expect(panel.shadowRoot!.querySelector('[part="error"]')?.textContent).to.match(/1 to 365/);
    expect((await learning()).unreachableDays).to.equal(30);

    typeInto(days(panel), '14');
    button(panel, 'save')!.click();
    await waitUntil(async () => (await learning()).unreachableDays === 14, 'period not saved');
    await panel.updateComplete;
    expect(panel.shadowRoot!.querySelector('[role="status"]')?.textContent).to.match(/saved/);

    // Clear asks first; Keep leaves everything as it was
    button(panel, 'clear')!.click();
    await panel.updateComplete;
    const question = panel.shadowRoot!.querySelector('[role="group"]');
    expect(question?.getAttribute('aria-label')).to.match(/^Forget what C2M learned about \d+/);
    await expect(panel).to.be.accessible();
    [...panel.shadowRoot!.querySelectorAll('button')]
      .find((b) => /Keep/.test(b.textContent))!
      .click();
    await panel.updateComplete;
    expect((await learning()).learnedUnreachable).to.be.at.least(1);

    button(panel, 'clear')!.click();
    await panel.updateComplete;
    button(panel, 'clear')!.click(); // the confirming one
    await waitUntil(() => shown(panel, 'learned-unreachable') === 0, 'the counts never cleared');
    expect(shown(panel, 'known-reachable')).to.equal(0);
    expect(await learning()).to.deep.equal({
      unreachableDays: 14,
      learnedUnreachable: 0,
      knownReachable: 0,
    });
    expect(button(panel, 'clear')!.disabled).to.equal(true);
  });

  it('shows a read-only user the learning without controls', async () => {
    const panel = await panelOf('read_only');
    expect(shown(panel, 'learned-unreachable')).to.equal((await learning()).learnedUnreachable);
    expect(days(panel).disabled).to.equal(true);
    expect(button(panel, 'save')).to.equal(null);
    expect(button(panel, 'clear')).to.equal(null);
    await expect(panel).to.be.accessible();
  });

  it('fits a 390 px wide viewport', async () => {
    const panel = await panelOf('admin');
    panel.style.width = '358px'; // 390 px less the page's margins
    await panel.updateComplete;
    const overflowing = [...panel.shadowRoot!.querySelectorAll<HTMLElement>('*')].filter(
      (el) => el.getBoundingClientRect().right > panel.getBoundingClientRect().right + 0.5,
    );
    expect(overflowing.map((el) => el.tagName + (el.id ? `#${el.id}` : ''))).to.deep.equal([]);
  });
});
