import '../test-helpers/cloneable-errors.js';
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { Role } from '../../../backend/contract/policy.js';
import '../index.js';
import type { C2mHandoffList } from '../c2m-handoff-list/c2m-handoff-list.js';
import { deepQuery, typeInto } from '../test-helpers/dom.js';
import { FakeAdminClient, handoff } from '../test-helpers/fake-client.js';
import type { C2mAdmin } from './c2m-admin.js';

const render = (client: FakeAdminClient | undefined, role?: Role) =>
  fixture<C2mAdmin>(
    html`<c2m-admin account-id="acc1" .client=${client} session-role=${role ?? ''}></c2m-admin>`,
  );

const root = (el: C2mAdmin) => el.shadowRoot!;
const text = (el: C2mAdmin, selector: string) =>
  root(el).querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim();

async function listOf(el: C2mAdmin) {
  const list = await waitUntil(() => root(el).querySelector('c2m-handoff-list')).then(
    () => root(el).querySelector('c2m-handoff-list') as C2mHandoffList,
  );
  await waitUntil(() => list.shadowRoot?.querySelector('table, [part="state"]'));
  return list;
}

describe('c2m-admin', () => {
  // first in the file: no other test has opened a view yet (each test file has its own page)
  it('loads each view’s element the first time the view is shown, not before', async () => {
    const later = ['c2m-credentials', 'c2m-handoff-editor', 'c2m-settings', 'c2m-users'];
    expect(later.filter((tag) => customElements.get(tag))).to.deep.equal([]);
    const el = await render(new FakeAdminClient({ handoffs: [handoff()] }), 'admin');
    // the first view is there after the first update, its module loaded
    expect(customElements.get('c2m-handoff-list')).to.not.equal(undefined);
    expect(root(el).querySelector('c2m-handoff-list')?.shadowRoot).to.not.equal(null);
    expect(later.filter((tag) => customElements.get(tag))).to.deep.equal([]);

    const credentials = [...root(el).querySelectorAll('[part="nav"] button')].find(
      (b) => b.textContent?.trim() === 'API credentials',
    ) as HTMLButtonElement;
    credentials.click();
    await el.updateComplete;
    expect(root(el).querySelector('c2m-credentials')?.shadowRoot).to.not.equal(null);
    expect(later.filter((tag) => customElements.get(tag))).to.deep.equal(['c2m-credentials']);
  });

  it('offers the handoffs view to an admin and gives the list the client and role', async () => {
    const client = new FakeAdminClient({ handoffs: [handoff({ title: 'Shown' })] });
    const el = await render(client, 'admin');
    expect(el.apiBase).to.equal('');
    expect(text(el, '[part="nav"] [aria-current="page"]')).to.equal('API handoffs');
    const list = await listOf(el);
    await waitUntil(() => list.shadowRoot!.querySelector('[part="open"]'));
    expect(list.shadowRoot!.querySelector('[part="open"]')?.textContent?.trim()).to.equal('Shown');
    expect(list.shadowRoot!.querySelector('[part="create"]')).to.not.equal(null);
  });

  it('shows a clear no-access state to roles without a view', async () => {
    const el = await render(new FakeAdminClient(), 'agent');
    expect(text(el, '[part="no-access"]')).to.equal(
      'The role “agent” has no access to C2M administration. Ask an administrator of the account.',
    );
    expect(root(el).querySelector('nav, c2m-handoff-list')).to.equal(null);

    const unknown = await render(new FakeAdminClient(), undefined);
    expect(text(unknown, '[part="no-access"]')).to.contain('This session has no access');
  });

  it('offers each role only the views it may see', async () => {
    const navOf = async (role: Role) => {
      const el = await render(new FakeAdminClient(), role);
      return [...root(el).querySelectorAll('[part="nav"] button')].map((b) =>
        b.textContent?.trim(),
      );
    };
    const all = ['API handoffs', 'WhatsApp templates', 'Settings'];
    const manager = [...all, 'API credentials', 'Reports', 'Messaging providers'];
    expect(await navOf('admin')).to.deep.equal([...manager, 'Users', 'Widget keys']);
    expect(await navOf('campaign_manager')).to.deep.equal([...manager, 'Widget keys']);
    expect(await navOf('read_only')).to.deep.equal([...all, 'Reports', 'Messaging providers']);
    expect(await navOf('agent_manager')).to.deep.equal(['WhatsApp templates']);

    const el = await render(new FakeAdminClient(), 'agent_manager');
    expect(root(el).querySelector('c2m-template-list')).to.not.equal(null);
    expect(root(el).querySelector('c2m-handoff-list')).to.equal(null);
  });

  it('switches views from the nav, marking the current one', async () => {
    const el = await render(new FakeAdminClient(), 'admin');
    const buttons = () => [...root(el).querySelectorAll<HTMLButtonElement>('[part="nav"] button')];
    buttons()[1].click();
    await el.updateComplete;
    expect(el.view).to.equal('templates');
    expect(buttons()[1].getAttribute('aria-current')).to.equal('page');
    expect(buttons()[0].hasAttribute('aria-current')).to.equal(false);
    expect(root(el).querySelector('c2m-template-list')).to.not.equal(null);
  });

  it('builds its own client from api-base and account-id, sending the token', async () => {
    const requests: Request[] = [];
    const realFetch = window.fetch.bind(window);
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      requests.push(new Request(input, init));
      return Promise.resolve(
        Response.json(
          {
            error: {
              code: 'unauthorized',
              message: 'Sign in again: the session is missing or expired',
            },
          },
          { status: 401 },
        ),
      );
    };
    try {
      const el = await fixture<C2mAdmin>(
        html`<c2m-admin
          api-base="https://c2m.example"
          account-id="acc 1"
          session-role="read_only"
          .tokenProvider=${() => Promise.resolve('tok-1')}
        ></c2m-admin>`,
      );
      const list = await listOf(el);
      await waitUntil(() => list.shadowRoot!.querySelector('[part="state"][role="alert"]'));
      expect(requests[0].url).to.equal(
        'https://c2m.example/api/admin/account/acc%201/handoffs?offset=0&limit=20&sort=updatedAt&order=desc',
      );
      expect(requests[0].headers.get('Authorization')).to.equal('Bearer tok-1');
      expect(
        list.shadowRoot!.querySelector('[part="state"]')?.textContent?.replace(/\s+/g, ' ').trim(),
      ).to.equal(
        'The handoffs could not be loaded: Sign in again: the session is missing or expired.',
      );
    } finally {
      window.fetch = realFetch;
    }
  });

  it('loads again with a token set after the first render', async () => {
    const seen: (string | null)[] = [];
    const realFetch = window.fetch.bind(window);
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      seen.push(new Request(input, init).headers.get('Authorization'));
      return Promise.resolve(Response.json({ items: [], total: 0, offset: 0, limit: 20 }));
    };
    try {
      const el = await fixture<C2mAdmin>(
        html`<c2m-admin account-id="a1" session-role="admin"></c2m-admin>`,
      );
      await waitUntil(() => seen.length === 1);
      el.token = 'late';
      await waitUntil(() => seen.length === 2, 'no second request');
      expect(seen).to.deep.equal([null, 'Bearer late']);
    } finally {
      window.fetch = realFetch;
    }
  });

  it('goes from the list to the editor and back, announcing the save', async () => {
    const client = new FakeAdminClient();
    const el = await render(client, 'campaign_manager');
    const list = await listOf(el);
    list.shadowRoot!.querySelector<HTMLButtonElement>('[part="create"]')!.click();
    await el.updateComplete;
    const editor = root(el).querySelector('c2m-handoff-editor')!;
    await editor.updateComplete;

    const saved = oneEvent(el, 'c2m-handoff-saved');
    typeInto(deepQuery(editor.shadowRoot!, '#title'), 'Via admin');
    const press = async () => {
      editor.shadowRoot!.querySelector<HTMLButtonElement>('[part="next"]')!.click();
      await editor.updateComplete;
    };
    await press();
    (deepQuery(editor.shadowRoot!, '#enable-rcs') as HTMLInputElement).click();
    await press();
    typeInto(deepQuery(editor.shadowRoot!, '#message'), 'Hello on RCS');
    await press();
    await press();
    await saved;
    await el.updateComplete;
    expect(root(el).querySelector('c2m-handoff-editor')).to.equal(null);
    expect(text(el, '[part="status"]')).to.equal('Handoff “Via admin” created');
    const back = root(el).querySelector('c2m-handoff-list')!;
    await waitUntil(() => back.shadowRoot!.activeElement?.id === 'heading', 'focus not moved');
    expect(client.handoffs.map((h) => h.title)).to.deep.equal(['Via admin']);
  });

  it('is accessible (axe)', async () => {
    const el = await render(new FakeAdminClient({ handoffs: [handoff()] }), 'admin');
    await listOf(el);
    await expect(el).to.be.accessible();
  });
});
