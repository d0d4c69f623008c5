import '../test-helpers/cloneable-errors.js';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Role } from '../../../backend/contract/policy.js';
import '../index.js';
import { typeInto } from '../test-helpers/dom.js';
import type { C2mAdmin } from '../c2m-admin/c2m-admin.js';
import type { C2mSettings } from './c2m-settings.js';

// Against a real c2m (scripts/web-backend.mjs): the settings page's embedding origins and receipt
// time-out, once only the CLI's, changed as an admin and read back through the API; a bad origin
// or time-out is shown under its field and nothing is sent; read-only sees them disabled.
interface Backend {
  apiBase: string;
  accountId: string;
  tokens: Record<'admin' | 'read_only', string>;
}
let backend: Backend;

async function settings() {
  const res = await fetch(`${backend.apiBase}/api/admin/account/${backend.accountId}/settings`, {
    headers: { Authorization: `Bearer ${backend.tokens.admin}` },
  });
  return (await res.json()) as { allowedOrigins: string[]; receiptTimeoutHours: number };
}

async function mount(role: 'admin' | 'read_only') {
  const wrapper = await fixture<HTMLDivElement>(
    html`<div style="width: 390px; overflow: auto">
      <c2m-admin
        api-base=${backend.apiBase}
        account-id=${backend.accountId}
        session-role=${role satisfies Role}
        view="settings"
        .token=${backend.tokens[role]}
      ></c2m-admin>
    </div>`,
  );
  const admin = wrapper.querySelector<C2mAdmin>('c2m-admin')!;
  await waitUntil(() => admin.shadowRoot!.querySelector('c2m-settings'), 'no settings view');
  const view = admin.shadowRoot!.querySelector<C2mSettings>('c2m-settings')!;
  await waitUntil(() => view.shadowRoot!.querySelector('#allowedOrigins'), 'never loaded', {
    timeout: 5000,
  });
  return { wrapper, view, root: view.shadowRoot! };
}

async function save(view: C2mSettings) {
  await view.updateComplete;
  view.shadowRoot!.querySelector<HTMLButtonElement>('[part="save"]')!.click();
  await view.updateComplete;
}

describe('settings: embedding origins and receipt time-out against a real c2m', function () {
  this.timeout(20000);

  before(async () => {
    const res = await fetch('/__c2m/backend.json');
    expect(res.ok, 'the c2m backend plugin serves /__c2m/backend.json').to.equal(true);
    backend = (await res.json()) as Backend;
  });

  it('adds an origin and sets the time-out; refuses a bad one under its field', async () => {
    const before = await settings();
    const { wrapper, view, root } = await mount('admin');
    const origins = root.querySelector<HTMLTextAreaElement>('#allowedOrigins')!;
    const timeout = root.querySelector<HTMLInputElement>('#receiptTimeoutHours')!;
    // the page's own origin is in the list: it is how this test reaches c2m at all
    expect(origins.value.split('\n')).to.deep.equal(before.allowedOrigins);
    expect(timeout.value).to.equal(String(before.receiptTimeoutHours));

    // a path is not an origin, 1000 hours is too long: both shown, nothing sent
    typeInto(origins, `${origins.value}\nhttps://portal.example.com/admin`);
    typeInto(timeout, '1000');
    await save(view);
    expect(root.querySelector('#allowedOrigins-error')!.textContent).to.match(
      /line \d+: must be an origin/i,
    );
    expect(root.querySelector('#receiptTimeoutHours-error')!.textContent).to.contain('0 to 720');
    expect(await settings()).to.deep.equal(before);

    typeInto(origins, [...before.allowedOrigins, 'HTTPS://Portal.Example.com'].join('\n'));
    typeInto(timeout, '24');
    await save(view);
    await waitUntil(
      async () => (await settings()).receiptTimeoutHours === 24,
      'the time-out was not saved',
    );
    const saved = await settings();
    expect(saved.allowedOrigins).to.deep.equal([
      ...before.allowedOrigins,
      'https://portal.example.com',
    ]);
    expect(wrapper.scrollWidth, 'fits 390 px').to.be.at.most(390);
    await expect(view).to.be.accessible();

    // back as it was, for the other tests of this run
    typeInto(root.querySelector('#allowedOrigins'), before.allowedOrigins.join('\n'));
    typeInto(root.querySelector('#receiptTimeoutHours'), String(before.receiptTimeoutHours));
    await save(view);
    await waitUntil(
      async () => (await settings()).allowedOrigins.length === before.allowedOrigins.length,
    );
  });

  it('read-only: sees both, cannot change them', async () => {
    const { root } = await mount('read_only');
    const fieldset = root.querySelector('#allowedOrigins')!.closest('fieldset')!;
    expect(fieldset.disabled).to.equal(true);
    expect(root.querySelector('[part="save"]')).to.equal(null);
  });
});
