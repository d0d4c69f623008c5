import '../test-helpers/cloneable-errors.js';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Role } from '../../../backend/contract/policy.js';
import '../index.js';
import { typeInto } from '../test-helpers/dom.js';
import type { C2mAdmin } from '../c2m-admin/c2m-admin.js';
import type { C2mProviders } from './c2m-providers.js';

// Against a real c2m (scripts/web-backend.mjs): the providers view inside <c2m-admin>, as an
// admin sets WhatsApp Cloud API with its secrets, changes it leaving them empty, copies the
// webhook URL, and removes it; a read-only session sees the same page without controls.
interface Backend {
  apiBase: string;
  accountId: string;
  tokens: Record<'admin' | 'read_only', string>;
}
let backend: Backend;

const ACCESS_TOKEN = 'EAAG-browser-access-token-0123';
const APP_SECRET = 'browser-app-secret-1';

async function api(path: string, method = 'GET') {
  const res = await fetch(`${backend.apiBase}/api/admin/account/${backend.accountId}${path}`, {
    method,
    headers: { Authorization: `Bearer ${backend.tokens.admin}` },
  });
  return { status: res.status, text: res.status === 204 ? '' : await res.text() };
}

/** The stored providers as the API lists them (no secrets), as text. */
const stored = async () => {
  const { text } = await api('/providers');
  return JSON.stringify((JSON.parse(text) as { providers: unknown[] }).providers);
};

async function mount(role: 'admin' | 'read_only') {
  const wrapper = await fixture<HTMLDivElement>(
    html`<div style="width: 390px; overflow: auto">
      <c2m-admin
        api-base=${backend.apiBase}
        account-id=${backend.accountId}
        session-role=${role satisfies Role}
        view="providers"
        .token=${backend.tokens[role]}
      ></c2m-admin>
    </div>`,
  );
  const admin = wrapper.querySelector<C2mAdmin>('c2m-admin')!;
  await waitUntil(() => admin.shadowRoot!.querySelector('c2m-providers'), 'no providers view');
  const view = admin.shadowRoot!.querySelector<C2mProviders>('c2m-providers')!;
  await waitUntil(() => view.shadowRoot!.querySelector('[part="channel"]'), 'never loaded', {
    timeout: 5000,
  });
  return { wrapper, view, root: view.shadowRoot! };
}

const card = (root: ShadowRoot, channel: string) =>
  root.querySelector<HTMLElement>(`[data-channel="${channel}"]`)!;
const buttonIn = (el: ParentNode, text: string) =>
  [...el.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent.trim() === text);

describe('c2m-providers against a real c2m backend', function () {
  this.timeout(20000);

  before(async () => {
    const res = await fetch('/__c2m/backend.json');
    expect(res.ok, 'the c2m backend plugin serves /__c2m/backend.json').to.equal(true);
    backend = (await res.json()) as Backend;
  });
  // the other tests of this run expect WhatsApp on the sandbox
  after(() => api('/providers/wa', 'DELETE'));

  it('sets WhatsApp with secrets, shows them only as set, keeps them when left empty', async () => {
    const { wrapper, view, root } = await mount('admin');
    expect(card(root, 'wa').textContent).to.contain('Sandbox');
    buttonIn(card(root, 'wa'), 'Set provider')!.click();
    await view.updateComplete;
    const form = card(root, 'wa').querySelector('form')!;
    expect(form.querySelector<HTMLSelectElement>('#provider')!.value).to.equal('whatsapp-cloud');
    expect(form.querySelector('[data-secret="accessToken"]')!.textContent).to.contain('not set');

    typeInto(form.querySelector('#f-phoneNumberId'), '1234567890');
    typeInto(form.querySelector('#f-accessToken'), ACCESS_TOKEN);
    typeInto(form.querySelector('#f-appSecret'), APP_SECRET);
    typeInto(form.querySelector('#f-verifyToken'), 'browser-verify-1');
    // a bad field first: the server's rule shows under it, nothing is stored
    typeInto(form.querySelector('#f-wabaId'), 'not-digits');
    await view.updateComplete;
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => root.querySelector('#f-wabaId-error'), 'no wabaId error');
    expect(root.querySelector('#f-wabaId')!.getAttribute('aria-invalid')).to.equal('true');
    expect(await stored()).not.to.contain('whatsapp-cloud');

    typeInto(root.querySelector('#f-wabaId'), '555666');
    await view.updateComplete;
    root.querySelector<HTMLButtonElement>('form button[type="submit"]')!.click();
    await waitUntil(
      () => root.querySelector('[part="done"]')!.textContent.includes('WhatsApp Cloud API'),
      'no confirmation: ' + root.querySelector('[role="alert"]')!.textContent,
    );
    await waitUntil(() => card(root, 'wa').querySelector('[part="webhook"]'), 'no webhook URL');

    const first = await api('/providers');
    expect(first.text).to.contain('"wabaId":"555666"');
    expect(first.text).to.contain('"accessToken":{"set":true}');
    expect(first.text).not.to.contain(ACCESS_TOKEN);
    const webhook = card(root, 'wa').querySelector<HTMLInputElement>('[part="webhook"] input')!;
    expect(webhook.value).to.equal(
      `${backend.apiBase}/webhooks/whatsapp-cloud/${backend.accountId}`,
    );

    // change it, secrets left empty: they stay set
    buttonIn(card(root, 'wa'), 'Change')!.click();
    await view.updateComplete;
    expect(root.querySelector('[data-secret="appSecret"]')!.textContent).to.contain('(set)');
    expect(root.querySelector<HTMLInputElement>('#f-appSecret')!.value).to.equal('');
    expect(root.querySelector<HTMLInputElement>('#f-wabaId')!.value).to.equal('555666');
    typeInto(root.querySelector('#f-wabaId'), '777888');
    await view.updateComplete;
    root.querySelector<HTMLButtonElement>('form button[type="submit"]')!.click();
    await waitUntil(() => !root.querySelector('form'), 'the form stayed open');
    const changed = await api('/providers');
    expect(changed.text).to.contain('"wabaId":"777888"');
    expect(changed.text).to.contain('"appSecret":{"set":true}');
    // no secret ever reached the page
    expect(view.shadowRoot!.innerHTML).not.to.contain(APP_SECRET);

    expect(wrapper.scrollWidth, 'fits 390 px').to.be.at.most(390);
    await expect(view).to.be.accessible();

    // remove: back on the sandbox
    buttonIn(card(root, 'wa'), 'Remove')!.click();
    await view.updateComplete;
    buttonIn(card(root, 'wa'), 'Remove provider')!.click();
    await waitUntil(() => !card(root, 'wa').querySelector('[part="webhook"]'), 'not removed');
    expect(await stored()).not.to.contain('whatsapp-cloud');
  });

  it('read-only: sees each channel, no controls', async () => {
    const { root } = await mount('read_only');
    expect(root.querySelectorAll('[part="channel"]')).to.have.length(5);
    expect(root.querySelectorAll('button')).to.have.length(0);
  });
});
