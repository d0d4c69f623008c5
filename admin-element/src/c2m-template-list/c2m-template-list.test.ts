import '../test-helpers/cloneable-errors.js';
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { Role } from '../../../backend/contract/policy.js';
// the element's own module defines its tag (the bundle's entry loads it with its view)
import './c2m-template-list.js';
import { AdminApiError } from '../api/admin-client.js';
import type { C2mTemplateChangedEvent, C2mTemplateSelectedEvent } from '../events.js';
import { FakeAdminClient, inSession, template } from '../test-helpers/fake-client.js';
import type { C2mTemplateList } from './c2m-template-list.js';

async function renderList(client: FakeAdminClient, role: Role = 'admin') {
  const el = await inSession(document.createElement('c2m-template-list'), client, role);
  await settle(el);
  return el;
}

async function settle(el: C2mTemplateList) {
  await el.updateComplete;
  await waitUntil(
    () => el.shadowRoot!.querySelector('section')?.getAttribute('aria-busy') === 'false',
  );
  await el.updateComplete;
}

const root = (el: C2mTemplateList) => el.shadowRoot!;
const rows = (el: C2mTemplateList) =>
  [...root(el).querySelectorAll('tbody tr')].map((tr) =>
    [...tr.querySelectorAll('td')].map((td) => td.textContent?.replace(/\s+/g, ' ').trim()),
  );
const actionsOf = (el: C2mTemplateList, id: string) =>
  [...root(el).querySelectorAll(`tr[data-id="${id}"] button`)].map((b) => b.textContent?.trim());
const action = (el: C2mTemplateList, id: string, label: string) =>
  [...root(el).querySelectorAll<HTMLButtonElement>(`tr[data-id="${id}"] button`)].find(
    (b) => b.textContent?.trim() === label,
  )!;

describe('c2m-template-list', () => {
  const fixtures = () => [
    template({ id: 'd', name: 'draft_one', status: 'draft', body: 'Hi {{1}}' }),
    template({ id: 'p', name: 'pending_one', status: 'pending', body: 'Wait' }),
    template({ id: 'a', name: 'approved_one', status: 'approved', body: 'Yes' }),
    template({
      id: 'r',
      name: 'rejected_one',
      status: 'rejected',
      statusReason: 'Promotional content',
      body: 'No',
    }),
  ];

  it('lists the templates with their status and the actions each status allows', async () => {
    const el = await renderList(new FakeAdminClient({ templates: fixtures() }));
    expect(rows(el).map((r) => [r[0], r[4]])).to.deep.equal([
      ['draft_one', 'Draft'],
      ['pending_one', 'Pending approval'],
      ['approved_one', 'Approved'],
      ['rejected_one', 'Rejected Promotional content'],
    ]);
    expect(actionsOf(el, 'd')).to.deep.equal(['Edit', 'Submit', 'Delete']);
    expect(actionsOf(el, 'p')).to.deep.equal([
      'Approve in sandbox',
      'Reject in sandbox',
      'Clone',
      'Delete',
    ]);
    expect(actionsOf(el, 'a')).to.deep.equal(['Clone', 'Delete']);
    expect(actionsOf(el, 'r')).to.deep.equal(['Edit', 'Submit', 'Delete']);
  });

  it('submits a draft for approval and shows its new status', async () => {
    const client = new FakeAdminClient({ templates: fixtures() });
    const el = await renderList(client);
    const changed = oneEvent<C2mTemplateChangedEvent>(el, 'c2m-template-changed');
    action(el, 'd', 'Submit').click();
    expect((await changed).action).to.equal('submitted');
    await settle(el);
    expect(rows(el)[0][4]).to.equal('Pending approval');
    expect(root(el).querySelector('[aria-live="polite"]')?.textContent?.trim()).to.equal(
      'draft_one (en): submitted for approval',
    );
  });

  it('shows why an action failed', async () => {
    const client = new FakeAdminClient({ templates: fixtures() });
    const el = await renderList(client);
    action(el, 'a', 'Delete').click();
    await el.updateComplete;
    client.failNext = new AdminApiError(409, 'conflict', 'Used by handoff Billing: not deleted');
    action(el, 'a', 'Delete').click();
    await waitUntil(() => root(el).querySelector('[role="alert"]'));
    expect(root(el).querySelector('[role="alert"]')?.textContent?.trim()).to.equal(
      'approved_one (en): Used by handoff Billing: not deleted',
    );
  });

  it('fires selected on Edit and filters by status', async () => {
    const client = new FakeAdminClient({ templates: fixtures() });
    const el = await renderList(client);
    const selected = oneEvent<C2mTemplateSelectedEvent>(el, 'c2m-template-selected');
    action(el, 'd', 'Edit').click();
    expect((await selected).template.id).to.equal('d');

    const status = root(el).querySelector<HTMLSelectElement>('#filter-status')!;
    status.value = 'approved';
    status.dispatchEvent(new Event('change'));
    await settle(el);
    expect(client.callsOf('listTemplates').at(-1)?.[0]).to.include({ status: 'approved' });
    expect(rows(el).map((r) => r[0])).to.deep.equal(['approved_one']);
  });

  it('offers no actions to a read-only role and only statuses to an agent manager', async () => {
    const readOnly = await renderList(new FakeAdminClient({ templates: fixtures() }), 'read_only');
    expect(rows(readOnly)).to.have.length(4);
    expect(
      root(readOnly).querySelectorAll('button[part="action"], [part="create"]'),
    ).to.have.length(0);

    const client = new FakeAdminClient({ templates: fixtures() });
    const manager = await renderList(client, 'agent_manager');
    expect(client.callsOf('listTemplates')).to.have.length(0);
    expect(rows(manager)).to.deep.equal([['approved_one', 'en', 'Approved']]);
  });

  it('shows the empty state', async () => {
    const el = await renderList(new FakeAdminClient());
    expect(root(el).querySelector('[part="state"]')?.textContent?.trim()).to.equal(
      'No WhatsApp templates yet.',
    );
  });

  it('is accessible (axe)', async () => {
    const el = await renderList(new FakeAdminClient({ templates: fixtures() }));
    await expect(el).to.be.accessible();
  });
});
