// The Widget keys view in <c2m-admin>, against a real c2m (scripts/web-backend.mjs): a key is
// created and shown once with its Agent Workspace URL, mints widget sessions, and once revoked
// mints none; the view is offered only to the roles the policy table grants; and the admin
// element retries a request refused with 401 once, with a fresh token from its tokenProvider.
import '../test-helpers/cloneable-errors.js';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../index.js';
import type { C2mAdmin } from '../c2m-admin/c2m-admin.js';
import { typeInto } from '../test-helpers/dom.js';
import type { C2mWidgetKeys } from './c2m-widget-keys.js';

interface Backend {
  apiBase: string;
  accountId: string;
  tokens: Record<'admin' | 'read_only' | 'expired_agent', string>;
}

let backend: Backend;

const LOAD = { timeout: 5000 };

async function mount(role: 'admin' | 'read_only', tokenProvider?: () => Promise<string>) {
  const el = await fixture<C2mAdmin>(
    html`<c2m-admin
      api-base=${backend.apiBase}
      account-id=${backend.accountId}
      session-role=${role}
      view="widget-keys"
      .token=${backend.tokens[role]}
      .tokenProvider=${tokenProvider}
    ></c2m-admin>`,
  );
  return el;
}

async function view(el: C2mAdmin): Promise<C2mWidgetKeys> {
  await waitUntil(() => el.shadowRoot!.querySelector('c2m-widget-keys'), 'the view', LOAD);
  const keys = el.shadowRoot!.querySelector('c2m-widget-keys')!;
  await waitUntil(
    () =>
      keys.shadowRoot?.querySelector('table, [part="state"]:not(:empty)') &&
      !keys.shadowRoot.textContent?.includes('Loading'),
    'the list loads',
    LOAD,
  );
  return keys;
}

const button = (root: ShadowRoot, label: string) =>
  [...root.querySelectorAll<HTMLButtonElement>('button')].find(
    (b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === label,
  );

async function mint(key: string): Promise<{ token?: string; status?: number }> {
  const res = await fetch('/__c2m/widget-session', {
    method: 'POST',
    body: JSON.stringify({ key }),
  });
  return (await res.json()) as { token?: string; status?: number };
}

describe('c2m-widget-keys', function () {
  this.timeout(20_000);
  before(async () => {
    backend = (await (await fetch('/__c2m/backend.json')).json()) as Backend;
  });

  it('creates a key shown once with its Agent Workspace URL, and revokes it', async () => {
    const el = await mount('admin');
    const keys = await view(el);
    const root = keys.shadowRoot!;
    const name = `Workspace ${Math.random().toString(36).slice(2, 8)}`;
    typeInto(root.querySelector<HTMLInputElement>('#name'), name);
    await keys.updateComplete;
    button(root, 'Create widget key')!.click();
    await waitUntil(() => root.querySelector('[part="secrets"]'), 'the key is shown', LOAD);
    expect(root.activeElement?.id).to.equal('secrets-heading');
    const url = root.querySelector<HTMLInputElement>('#workspace-url')!.value;
    const key = root.querySelector<HTMLInputElement>('#key')!.value;
    expect(url).to.equal(`${backend.apiBase}/agent-workspace#key=${key}`);
    expect(key).to.match(/^c2m_wk_/);
    expect((await mint(key)).token, 'the key mints a widget session').to.be.a('string');
    await expect(keys).to.be.accessible();

    button(root, 'Done, I copied it')!.click();
    await waitUntil(() => !root.querySelector('[part="secrets"]'), 'the key is gone', LOAD);
    await waitUntil(() => button(root, `Revoke ${name}`), 'the row', LOAD);
    expect(root.textContent).not.to.contain(key);

    button(root, `Revoke ${name}`)!.click();
    await keys.updateComplete;
    button(root, `Revoke ${name}`)!.click(); // the confirmation
    await waitUntil(
      () => [...root.querySelectorAll('tbody tr.revoked td')].some((td) => td.textContent === name),
      'shown revoked',
      LOAD,
    );
    expect((await mint(key)).status, 'a revoked key mints nothing').to.equal(403);
  });

  it('fits a 390 px wide viewport with a new key shown', async () => {
    const el = await mount('admin');
    el.style.display = 'block';
    el.style.width = '390px';
    const keys = await view(el);
    const root = keys.shadowRoot!;
    typeInto(root.querySelector<HTMLInputElement>('#name'), 'Narrow');
    await keys.updateComplete;
    button(root, 'Create widget key')!.click();
    await waitUntil(() => root.querySelector('[part="secrets"]'), 'the key is shown', LOAD);
    await waitUntil(() => root.querySelector('tbody tr'), 'the list', LOAD);
    const section = root.querySelector('section')!;
    expect(section.scrollWidth, 'no horizontal scrolling').to.be.at.most(390);
  });

  it('names the missing name and creates nothing', async () => {
    const keys = await view(await mount('admin'));
    const root = keys.shadowRoot!;
    button(root, 'Create widget key')!.click();
    await keys.updateComplete;
    expect(root.querySelector('#name')?.getAttribute('aria-invalid')).to.equal('true');
    expect(root.querySelector('#name-error')?.textContent?.trim()).to.equal('Required');
    expect(root.querySelector('[part="secrets"]')).to.equal(null);
  });

  it('is not offered to a read-only user', async () => {
    const el = await mount('read_only');
    await waitUntil(() => el.shadowRoot!.querySelector('nav'), 'the nav', LOAD);
    const labels = [...el.shadowRoot!.querySelectorAll('nav button')].map((b) =>
      b.textContent?.trim(),
    );
    expect(labels).not.to.include('Widget keys');
    expect(el.shadowRoot!.querySelector('c2m-widget-keys')).to.equal(null);
  });

  it('retries a request refused with 401 once, with a fresh token from tokenProvider', async () => {
    const given: string[] = [];
    // the first token has expired (401); the next one is current
    const provider = () => {
      const token = given.length === 0 ? backend.tokens.expired_agent : backend.tokens.admin;
      given.push(token);
      return Promise.resolve(token);
    };
    const keys = await view(await mount('admin', provider));
    expect(keys.shadowRoot!.querySelector('[part="state"][role="alert"]')).to.equal(null);
    expect(keys.shadowRoot!.querySelector('table, [part="state"]')?.textContent).not.to.contain(
      'could not',
    );
    expect(given.slice(0, 2)).to.deep.equal([backend.tokens.expired_agent, backend.tokens.admin]);
  });
});
