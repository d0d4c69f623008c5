import '../test-helpers/cloneable-errors.js';
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { HandoffView } from '../../../backend/contract/handoffs.js';
import type { Role } from '../../../backend/contract/policy.js';
import { TemplateView } from '../../../backend/contract/templates.js';
import '../index.js';
import type { C2mHandoffEditor } from '../c2m-handoff-editor/c2m-handoff-editor.js';
import type { C2mHandoffList } from '../c2m-handoff-list/c2m-handoff-list.js';
import type { C2mHandoffSavedEvent, C2mTemplateSavedEvent } from '../events.js';
import { deepQuery, typeInto } from '../test-helpers/dom.js';
import type { C2mAdmin } from './c2m-admin.js';

// Against a real c2m: scripts/web-backend.mjs starts one for the run (web-test-runner.admin.config.mjs)
// and serves its address, account and session tokens here.
interface Backend {
  apiBase: string;
  accountId: string;
  tokens: Record<'admin' | 'read_only', string>;
}

let backend: Backend | undefined;

async function mount(role: 'admin' | 'read_only') {
  const b = backend!;
  const el = await fixture<C2mAdmin>(
    html`<c2m-admin
      api-base=${b.apiBase}
      account-id=${b.accountId}
      session-role=${role satisfies Role}
      .token=${b.tokens[role]}
    ></c2m-admin>`,
  );
  const list = await waitUntil(
    () => el.shadowRoot!.querySelector('c2m-handoff-list'),
    'no list',
  ).then(() => el.shadowRoot!.querySelector('c2m-handoff-list') as C2mHandoffList);
  await waitUntil(
    () => list.shadowRoot?.querySelector('table, [part="state"][role="alert"]'),
    'the list never loaded',
    { timeout: 5000 },
  );
  return { el, list };
}

/** The admin API, read directly (not through the element) to check what the UI stored. */
async function api(path: string) {
  const b = backend!;
  const res = await fetch(`${b.apiBase}/api/admin/account/${b.accountId}${path}`, {
    headers: { Authorization: `Bearer ${b.tokens.admin}` },
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

async function openEditor(el: C2mAdmin, list: C2mHandoffList) {
  list.shadowRoot!.querySelector<HTMLButtonElement>('[part="create"]')!.click();
  const editor = await waitUntil(() => el.shadowRoot!.querySelector('c2m-handoff-editor')).then(
    () => el.shadowRoot!.querySelector('c2m-handoff-editor') as C2mHandoffEditor,
  );
  await editor.updateComplete;
  return editor;
}

const field = (editor: C2mHandoffEditor, selector: string) =>
  deepQuery<HTMLInputElement>(editor.shadowRoot!, selector);
const stepHeading = (editor: C2mHandoffEditor) =>
  editor.shadowRoot!.querySelector('#step-heading')?.textContent?.trim();

async function press(editor: C2mHandoffEditor, part = 'next') {
  editor.shadowRoot!.querySelector<HTMLButtonElement>(`[part="${part}"]`)!.click();
  await editor.updateComplete;
}

/** Title and lookback → SMS → message → preview, as a user goes through the steps. */
async function fillSmsHandoff(
  editor: C2mHandoffEditor,
  title: string,
  message: string,
  default1?: string,
) {
  typeInto(field(editor, '#title'), title);
  typeInto(field(editor, '#days'), '2');
  typeInto(field(editor, '#hours'), '5');
  await press(editor);
  expect(stepHeading(editor)).to.equal('Step 2 of 4: Channels and order');
  field(editor, '#enable-sms')!.click();
  await press(editor);
  expect(stepHeading(editor)).to.equal('Step 3 of 4: Messages');
  await waitUntil(() => field(editor, '#message'), 'no SMS composer');
  typeInto(field(editor, '#message'), message);
  if (default1 !== undefined) {
    await editor.updateComplete;
    await waitUntil(() => field(editor, '#default-1'), 'no default asked for {{1}}');
    typeInto(field(editor, '#default-1'), default1);
  }
  await press(editor);
  expect(stepHeading(editor)).to.equal('Step 4 of 4: Preview and confirm');
}

describe('c2m-admin against a real c2m backend', function () {
  this.timeout(20000);

  before(async function () {
    const res = await fetch('/__c2m/backend.json');
    // the plugin in web-test-runner.config.mjs serves this; without it the suite fails, not skips
    expect(res.ok, 'the c2m backend plugin serves /__c2m/backend.json').to.equal(true);
    backend = (await res.json()) as Backend;
  });

  it('creates a handoff through the steps, readable back through the API', async () => {
    const { el, list } = await mount('admin');
    const editor = await openEditor(el, list);
    const title = `Web handoff ${Date.now()}`;
    await fillSmsHandoff(editor, title, 'Hi {{1}}, continue with us here.', 'there');

    const saved = oneEvent<C2mHandoffSavedEvent>(el, 'c2m-handoff-saved');
    await press(editor);
    const { handoff } = await saved;
    expect(handoff.id).to.match(/^H\d{15}$/);

    const read = await api(`/handoffs/${handoff.id}`);
    expect(read.status).to.equal(200);
    const stored = HandoffView.parse(read.body);
    expect(stored.title).to.equal(title);
    expect(stored.lookback).to.deep.equal({ days: 2, hours: 5 });
    expect(stored.channels.filter((c) => c.enabled)).to.deep.equal([
      {
        name: 'sms',
        enabled: true,
        message: 'Hi {{1}}, continue with us here.',
        defaults: { 1: 'there' },
      },
    ]);

    // back on the list, which shows it
    const after = el.shadowRoot!.querySelector('c2m-handoff-list')!;
    const search = await waitUntil(() => after.shadowRoot?.querySelector('#filter-title')).then(
      () => after.shadowRoot!.querySelector<HTMLInputElement>('#filter-title')!,
    );
    typeInto(search, title);
    await waitUntil(
      () =>
        [...after.shadowRoot!.querySelectorAll('[part="open"]')]
          .map((b) => b.textContent?.trim())
          .join() === title,
      'the new handoff is not listed',
    );
  });

  it("shows the server's duplicate-title error next to the title field", async () => {
    const { el, list } = await mount('admin');
    const existing = (await api('/handoffs?limit=1')).body as { items: HandoffView[] };
    const taken = existing.items[0].title;

    const editor = await openEditor(el, list);
    await fillSmsHandoff(editor, taken, 'Hello again');
    await press(editor);
    await waitUntil(
      () => field(editor, '#title')?.getAttribute('aria-invalid') === 'true',
      'the title was not marked invalid',
    );

    expect(stepHeading(editor)).to.equal('Step 1 of 4: Title and lookback');
    const title = field(editor, '#title')!;
    const errorId = title.getAttribute('aria-describedby')!.split(' ').at(-1)!;
    expect(editor.shadowRoot!.getElementById(errorId)?.textContent?.trim()).to.equal(
      'Already used by another handoff',
    );
    // the title filter matches substrings ("sms 1" is in "waSms 1"): count exact titles only
    const all = (await api(`/handoffs?title=${encodeURIComponent(taken)}&limit=100`)).body as {
      items: HandoffView[];
    };
    const same = all.items.filter((h) => h.title.toLowerCase() === taken.toLowerCase());
    expect(same.length).to.equal(1); // nothing was stored
  });

  it('renders no create, edit or delete controls for a read-only session', async () => {
    const { el, list } = await mount('read_only');
    const titles = [...list.shadowRoot!.querySelectorAll('[part="open"]')];
    expect(titles.length).to.be.greaterThan(0);
    expect(
      list.shadowRoot!.querySelector('[part="create"], [part="edit"], [part="delete"]'),
    ).to.equal(null);

    (titles[0] as HTMLButtonElement).click();
    const editor = await waitUntil(() => el.shadowRoot!.querySelector('c2m-handoff-editor')).then(
      () => el.shadowRoot!.querySelector('c2m-handoff-editor')!,
    );
    await editor.updateComplete;
    expect(editor.shadowRoot!.querySelector('[part="preview"]')).to.not.equal(null);
    expect(
      editor.shadowRoot!.querySelector('[part="next"], [part="delete"], input, textarea'),
    ).to.equal(null);
  });

  it('creates a WhatsApp template with live validation, submits it and approves it in the sandbox', async () => {
    const { el } = await mount('admin');
    const nav = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="nav"] button')];
    nav.find((b) => b.textContent?.trim() === 'WhatsApp templates')!.click();
    const list = await waitUntil(() => el.shadowRoot!.querySelector('c2m-template-list')).then(() =>
      el.shadowRoot!.querySelector('c2m-template-list')!,
    );
    await waitUntil(() => list.shadowRoot?.querySelector('[part="create"]'), 'no New template');
    list.shadowRoot!.querySelector<HTMLButtonElement>('[part="create"]')!.click();
    const editor = await waitUntil(() => el.shadowRoot!.querySelector('c2m-template-editor')).then(
      () => el.shadowRoot!.querySelector('c2m-template-editor')!,
    );
    await editor.updateComplete;
    const input = (id: string) => editor.shadowRoot!.getElementById(id) as HTMLInputElement;

    const name = `web_${Date.now()}`;
    typeInto(input('name'), 'Not Valid');
    await editor.updateComplete;
    expect(input('name').getAttribute('aria-invalid')).to.equal('true');
    typeInto(input('name'), name);
    const category = editor.shadowRoot!.getElementById('category') as HTMLSelectElement;
    category.value = 'UTILITY';
    category.dispatchEvent(new Event('change'));
    typeInto(input('language'), 'en');
    typeInto(input('wabaId'), '1234567890');
    typeInto(input('phoneNumber'), '+14155550100');
    typeInto(input('body'), 'Hi {{1}}, continue with us here.');
    await editor.updateComplete;
    typeInto(input('examples.0'), 'Ada');
    await editor.updateComplete;

    const saved = oneEvent<C2mTemplateSavedEvent>(el, 'c2m-template-saved');
    editor.shadowRoot!.querySelector<HTMLButtonElement>('[part="submit"]')!.click();
    const { template } = await saved;
    const read = await api(`/templates/${template.id}`);
    expect(TemplateView.parse(read.body)).to.include({ name, status: 'pending' });

    // back on the list: the sandbox reviews it, and a handoff may now use it
    const after = await waitUntil(() => el.shadowRoot!.querySelector('c2m-template-list')).then(
      () => el.shadowRoot!.querySelector('c2m-template-list')!,
    );
    const approve = () =>
      after.shadowRoot?.querySelector<HTMLButtonElement>(
        `tr[data-id="${template.id}"] button[aria-label^="Approve in sandbox"]`,
      );
    await waitUntil(approve, 'no sandbox approval offered');
    approve()!.click();
    await waitUntil(
      async () =>
        ((await api(`/templates/${template.id}`)).body as TemplateView).status === 'approved',
      'the template was not approved',
    );
  });
});
