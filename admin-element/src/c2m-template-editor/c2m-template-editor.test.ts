import '../test-helpers/cloneable-errors.js';
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { Role } from '../../../backend/contract/policy.js';
import type { TemplateInput, TemplateView } from '../../../backend/contract/templates.js';
// the element's own module defines its tag (the bundle's entry loads it with its view)
import './c2m-template-editor.js';
import { AdminApiError } from '../api/admin-client.js';
import type { C2mTemplateSavedEvent } from '../events.js';
import { typeInto } from '../test-helpers/dom.js';
import { FakeAdminClient, inSession, template } from '../test-helpers/fake-client.js';
import type { C2mTemplateEditor } from './c2m-template-editor.js';

async function renderEditor(client: FakeAdminClient, role: Role = 'admin', t?: TemplateView) {
  const editor = Object.assign(document.createElement('c2m-template-editor'), { template: t });
  return inSession(editor, client, role);
}

const root = (el: C2mTemplateEditor) => el.shadowRoot!;
const field = (el: C2mTemplateEditor, id: string) =>
  root(el).getElementById(id) as HTMLInputElement | null;
const errorOf = (el: C2mTemplateEditor, id: string) => {
  const ids = field(el, id)?.getAttribute('aria-describedby')?.split(' ') ?? [];
  return ids
    .map((i) => root(el).getElementById(i))
    .find((n) => n?.classList.contains('error'))
    ?.textContent?.trim();
};

async function fill(el: C2mTemplateEditor, values: Record<string, string>) {
  for (const [id, value] of Object.entries(values)) {
    const f = field(el, id)!;
    if (f instanceof HTMLSelectElement) {
      f.value = value;
      f.dispatchEvent(new Event('change'));
    } else typeInto(f, value);
    await el.updateComplete;
  }
}

const valid = {
  name: 'order_update',
  category: 'UTILITY',
  language: 'en_US',
  wabaId: '1234567890',
  phoneNumber: '+14155550100',
  body: 'Hi {{1}}, your order {{2}} shipped.',
};

describe('c2m-template-editor', () => {
  it('validates each field live, as it is typed', async () => {
    const el = await renderEditor(new FakeAdminClient());
    expect(errorOf(el, 'name')).to.equal(undefined); // nothing typed yet, nothing shown

    await fill(el, { name: 'Order Update' });
    expect(field(el, 'name')!.getAttribute('aria-invalid')).to.equal('true');
    expect(errorOf(el, 'name')).to.equal('Lowercase letters, digits and underscores only');
    await fill(el, { name: 'order_update' });
    expect(errorOf(el, 'name')).to.equal(undefined);

    await fill(el, { body: 'Hi {{1}} and {{3}}' });
    expect(errorOf(el, 'body')).to.equal('Variables must be numbered {{1}} to {{n}} without gaps');
    await fill(el, { phoneNumber: '555' });
    expect(errorOf(el, 'phoneNumber')).to.equal('Must be E.164, e.g. +14155550100');
  });

  it('asks for one example per variable and previews the text with them', async () => {
    const el = await renderEditor(new FakeAdminClient());
    await fill(el, { body: 'Hi {{1}}, your order {{2}} shipped.' });
    expect(field(el, 'examples.0')).to.not.equal(null);
    expect(field(el, 'examples.1')).to.not.equal(null);
    expect(field(el, 'examples.2')).to.equal(null);
    await fill(el, { 'examples.0': 'Ada' });
    expect(root(el).querySelector('[part="preview"]')?.textContent?.trim()).to.equal(
      'Hi Ada, your order {{2}} shipped.',
    );
  });

  it('creates and submits a template for approval, firing saved once', async () => {
    const client = new FakeAdminClient();
    const el = await renderEditor(client);
    await fill(el, { ...valid, 'examples.0': 'Ada', 'examples.1': 'A-1' });
    const saved = oneEvent<C2mTemplateSavedEvent>(el, 'c2m-template-saved');
    root(el).querySelector<HTMLButtonElement>('[part="submit"]')!.click();
    const event = await saved;
    expect(event.created && event.submitted).to.equal(true);
    expect(event.template.status).to.equal('pending');
    const [input] = client.callsOf('createTemplate')[0] as [TemplateInput];
    expect(input).to.deep.equal({ ...valid, examples: ['Ada', 'A-1'] });
    expect(client.callsOf('submitTemplate')).to.have.length(1);
  });

  it('shows every error on save, focuses the first, and sends nothing', async () => {
    const client = new FakeAdminClient();
    const el = await renderEditor(client);
    root(el).querySelector<HTMLButtonElement>('[part="save"]')!.click();
    await el.updateComplete;
    await el.updateComplete;
    expect(client.callsOf('createTemplate')).to.have.length(0);
    expect(errorOf(el, 'category')).to.equal('Required');
    expect(root(el).activeElement?.id).to.equal('name');
  });

  it("shows the server's field errors next to their fields", async () => {
    const client = new FakeAdminClient();
    const el = await renderEditor(client);
    await fill(el, { ...valid, 'examples.0': 'Ada', 'examples.1': 'A-1' });
    client.failNext = new AdminApiError(400, 'validation_failed', 'name: already used', {
      name: 'already used in en_US',
    });
    root(el).querySelector<HTMLButtonElement>('[part="save"]')!.click();
    await waitUntil(() => errorOf(el, 'name'), 'no error next to the name');
    expect(errorOf(el, 'name')).to.equal('Already used in en_US');
    expect(root(el).querySelector('[role="alert"]')?.textContent?.trim()).to.equal(
      'name: already used',
    );
  });

  it('offers no submit button to a role without publish, and edits an existing draft', async () => {
    const t = template({ id: 'T9', name: 'hello', status: 'draft', body: 'Hello' });
    const el = await renderEditor(new FakeAdminClient({ templates: [t] }), 'admin', t);
    expect(root(el).querySelector('h2')?.textContent?.trim()).to.equal('Edit template hello (en)');
    expect(field(el, 'name')!.value).to.equal('hello');
    expect(root(el).querySelector('[part="submit"]')).to.not.equal(null);
    const agent = await renderEditor(new FakeAdminClient(), 'read_only');
    expect(root(agent).querySelector('[part="submit"]')).to.equal(null);
  });

  it('is accessible (axe) with errors showing', async () => {
    const el = await renderEditor(new FakeAdminClient());
    await fill(el, { name: 'Bad Name', body: 'Hi {{1}}' });
    await expect(el).to.be.accessible();
  });
});
