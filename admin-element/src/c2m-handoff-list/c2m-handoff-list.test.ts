import '../test-helpers/cloneable-errors.js';
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { Role } from '../../../backend/contract/policy.js';
// the element's own module defines its tag (the bundle's entry loads it with its view)
import './c2m-handoff-list.js';
import { AdminApiError } from '../api/admin-client.js';
import type { C2mHandoffSelectedEvent } from '../events.js';
import { FakeAdminClient, handoff, inSession } from '../test-helpers/fake-client.js';
import type { C2mHandoffList } from './c2m-handoff-list.js';

async function renderList(client: FakeAdminClient, role: Role = 'admin') {
  const el = await inSession(document.createElement('c2m-handoff-list'), client, role);
  await waitUntil(() => el.shadowRoot!.querySelector('table, [part="state"]:not(:empty)'));
  await settle(el);
  return el;
}

/** Waits until the list has no request in flight and has rendered the answer. */
async function settle(el: C2mHandoffList) {
  await el.updateComplete; // the update that started the request renders it as busy
  await waitUntil(
    () => el.shadowRoot!.querySelector('section')?.getAttribute('aria-busy') === 'false',
  );
  await el.updateComplete;
}

const root = (el: C2mHandoffList) => el.shadowRoot!;
const titles = (el: C2mHandoffList) =>
  [...root(el).querySelectorAll('[part="open"]')].map((b) => b.textContent?.trim());
const text = (el: C2mHandoffList, selector: string) =>
  root(el).querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim();
const buttonsNamed = (el: C2mHandoffList, name: RegExp) =>
  [...root(el).querySelectorAll('button')].filter((b) =>
    name.test((b.getAttribute('aria-label') ?? b.textContent ?? '').trim()),
  );

describe('c2m-handoff-list', () => {
  it('renders the handoffs with their channels and lookback', async () => {
    const client = new FakeAdminClient({
      handoffs: [
        handoff({
          title: 'Billing',
          lookback: { days: 2, hours: 3 },
          channels: [
            { name: 'wa', enabled: true, message: 'x', templateName: 't' },
            { name: 'sms', enabled: true, message: 'x' },
            { name: 'rcs', enabled: false, message: '' },
          ],
        }),
      ],
    });
    const el = await renderList(client);
    const cells = [...root(el).querySelectorAll('tbody td')].map((td) => td.textContent?.trim());
    expect(cells[0]).to.equal('Billing');
    expect(cells[1]).to.match(/^H\d{15}$/);
    expect(cells.slice(2, 4)).to.deep.equal(['WhatsApp and SMS', '2 days 3 hours']);
    expect(client.callsOf('listHandoffs')[0]).to.deep.equal([
      { offset: 0, limit: 20, sort: 'updatedAt', order: 'desc' },
    ]);
  });

  it('shows the empty state, and a different one when filters match nothing', async () => {
    const client = new FakeAdminClient();
    const el = await renderList(client);
    expect(text(el, '[part="state"]')).to.equal('No handoffs yet.');

    const search = root(el).querySelector<HTMLInputElement>('#filter-title')!;
    search.value = 'zzz';
    search.dispatchEvent(new Event('input'));
    await settle(el);
    expect(text(el, '[part="state"]')).to.equal('No handoff matches the filters.');
  });

  it('shows the loading state while the page is on its way', async () => {
    const client = new FakeAdminClient({ handoffs: [handoff()] });
    let open!: () => void;
    client.gate = new Promise<void>((resolve) => (open = resolve));
    const provider = await fixture(
      html`<c2m-test-provider .client=${client} session-role="admin">
        <c2m-handoff-list></c2m-handoff-list>
      </c2m-test-provider>`,
    );
    const el = provider.querySelector('c2m-handoff-list')!;
    await el.updateComplete;
    expect(text(el, '[part="state"]')).to.equal('Loading handoffs…');
    expect(root(el).querySelector('section')?.getAttribute('aria-busy')).to.equal('true');
    open();
    await settle(el);
    expect(titles(el)).to.have.length(1);
  });

  it('shows the error state as an alert', async () => {
    const client = new FakeAdminClient();
    client.failNext = new AdminApiError(403, 'forbidden', 'The role agent may not handoffs view');
    const el = await renderList(client);
    const state = root(el).querySelector('[part="state"]')!;
    expect(state.getAttribute('role')).to.equal('alert');
    expect(state.textContent?.replace(/\s+/g, ' ').trim()).to.equal(
      'The handoffs could not be loaded: The role agent may not handoffs view.',
    );
  });

  it('sorts by a column header, toggling the order and marking aria-sort', async () => {
    const client = new FakeAdminClient({
      handoffs: ['Charlie', 'alpha', 'Bravo'].map((title) => handoff({ title })),
    });
    const el = await renderList(client);
    const header = () => root(el).querySelector('button[data-sort="title"]')!.closest('th')!;
    expect(header().getAttribute('aria-sort')).to.equal('none');
    expect(
      root(el)
        .querySelector('button[data-sort="updatedAt"]')!
        .closest('th')!
        .getAttribute('aria-sort'),
    ).to.equal('descending');

    root(el).querySelector<HTMLButtonElement>('button[data-sort="title"]')!.click();
    await settle(el);
    expect(header().getAttribute('aria-sort')).to.equal('ascending');
    expect(client.callsOf('listHandoffs').at(-1)?.[0]).to.include({ sort: 'title', order: 'asc' });
    expect(titles(el)).to.deep.equal(['Bravo', 'Charlie', 'alpha']);

    root(el).querySelector<HTMLButtonElement>('button[data-sort="title"]')!.click();
    await settle(el);
    expect(header().getAttribute('aria-sort')).to.equal('descending');
    expect(titles(el)).to.deep.equal(['alpha', 'Charlie', 'Bravo']);
  });

  it('pages through the handoffs and filters by channel', async () => {
    const sms = [{ name: 'sms' as const, enabled: true, message: 'x' }];
    const inapp = [{ name: 'inapp' as const, enabled: true, message: 'x', apps: ['a'] }];
    const client = new FakeAdminClient({
      handoffs: Array.from({ length: 25 }, (_, i) =>
        handoff({ title: `H${String(i).padStart(2, '0')}`, channels: i < 3 ? inapp : sms }),
      ),
    });
    const el = await renderList(client);
    expect(text(el, '[part="pager"] span')).to.equal('1–20 of 25');
    const [previous, next] = root(el).querySelectorAll<HTMLButtonElement>('[part="pager"] button');
    expect(previous.disabled).to.equal(true);

    next.click();
    await settle(el);
    expect(text(el, '[part="pager"] span')).to.equal('21–25 of 25');
    expect(titles(el)).to.have.length(5);
    expect(root(el).querySelectorAll<HTMLButtonElement>('[part="pager"] button')[1].disabled).to.be
      .true;

    const select = root(el).querySelector<HTMLSelectElement>('#filter-channel')!;
    select.value = 'inapp';
    select.dispatchEvent(new Event('change'));
    await settle(el);
    expect(client.callsOf('listHandoffs').at(-1)?.[0]).to.include({ channel: 'inapp', offset: 0 });
    expect(text(el, '[part="pager"] span')).to.equal('1–3 of 3');
  });

  it('offers New, Edit and Delete to an admin and fires typed events once', async () => {
    const h = handoff({ title: 'Cards' });
    const client = new FakeAdminClient({ handoffs: [h] });
    const el = await renderList(client, 'admin');

    expect(root(el).querySelector('[part="create"]')).to.not.equal(null);
    const selected = oneEvent<C2mHandoffSelectedEvent>(el, 'c2m-handoff-selected');
    buttonsNamed(el, /^Edit “Cards”$/)[0].click();
    expect((await selected).handoff.id).to.equal(h.id);

    const created = oneEvent(el, 'c2m-handoff-create-requested');
    root(el).querySelector<HTMLButtonElement>('[part="create"]')!.click();
    expect((await created).composed).to.equal(true);
  });

  it('deletes after a confirmation, then reloads', async () => {
    const client = new FakeAdminClient({ handoffs: [handoff({ title: 'Old' }), handoff()] });
    const el = await renderList(client);
    buttonsNamed(el, /^Delete “Old”$/)[0].click();
    await el.updateComplete;
    expect(client.callsOf('deleteHandoff')).to.have.length(0);
    expect(root(el).activeElement?.textContent?.trim()).to.equal('Keep');

    const deleted = oneEvent(el, 'c2m-handoff-deleted');
    buttonsNamed(el, /^Delete “Old”$/)[0].click();
    await deleted;
    await settle(el);
    expect(client.callsOf('deleteHandoff')).to.have.length(1);
    expect(titles(el)).to.not.include('Old');
    expect(text(el, '[aria-live="polite"]')).to.equal('Handoff “Old” deleted');
  });

  it('renders no create, edit or delete controls for a read-only role', async () => {
    const client = new FakeAdminClient({ handoffs: [handoff({ title: 'Visible' })] });
    const el = await renderList(client, 'read_only');
    expect(titles(el)).to.deep.equal(['Visible']);
    expect(buttonsNamed(el, /New handoff|Edit|Delete/)).to.have.length(0);
    expect(root(el).querySelector('[part="create"], [part="edit"], [part="delete"]')).to.equal(
      null,
    );
  });

  it('is accessible (axe) with rows and controls', async () => {
    const client = new FakeAdminClient({ handoffs: [handoff(), handoff({ active: false })] });
    const el = await renderList(client);
    await expect(el).to.be.accessible();
  });
});
