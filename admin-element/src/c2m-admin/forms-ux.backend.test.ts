import '../test-helpers/cloneable-errors.js';
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { HandoffView } from '../../../backend/contract/handoffs.js';
import type { Role } from '../../../backend/contract/policy.js';
import '../index.js';
import type { C2mHandoffEditor } from '../c2m-handoff-editor/c2m-handoff-editor.js';
import type { C2mHandoffList } from '../c2m-handoff-list/c2m-handoff-list.js';
import type { C2mHandoffSavedEvent, C2mSignOutEvent } from '../events.js';
import { deepQuery, deepQueryAll, describedError, typeInto } from '../test-helpers/dom.js';
import type { C2mAdmin } from './c2m-admin.js';

// The forms of <c2m-admin> against a real c2m (scripts/web-backend.mjs): errors where the field
// is, in one wording, every server error shown, a visible confirmation after each save.
interface Backend {
  apiBase: string;
  accountId: string;
  tokens: Record<'admin' | 'read_only' | 'sign_out_admin', string>;
}

let backend: Backend | undefined;

async function mount(role: Role = 'admin', token = backend!.tokens[role as 'admin']) {
  const b = backend!;
  const el = await fixture<C2mAdmin>(
    html`<c2m-admin
      api-base=${b.apiBase}
      account-id=${b.accountId}
      session-role=${role}
      .token=${token}
    ></c2m-admin>`,
  );
  await waitUntil(() => el.shadowRoot!.querySelector('c2m-handoff-list'), 'no list');
  const list = el.shadowRoot!.querySelector('c2m-handoff-list') as C2mHandoffList;
  await waitUntil(
    () => list.shadowRoot?.querySelector('table, [part="state"][role="alert"]'),
    'the list never loaded',
    { timeout: 5000 },
  );
  return { el, list };
}

async function api(path: string, init: RequestInit = {}) {
  const b = backend!;
  const res = await fetch(`${b.apiBase}/api/admin/account/${b.accountId}${path}`, {
    ...init,
    headers: {
      Authorization: `Bearer ${b.tokens.admin}`,
      ...(init.body ? { 'content-type': 'application/json' } : {}),
    },
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

function showView(el: C2mAdmin, label: string) {
  const nav = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="nav"] button')];
  nav.find((b) => b.textContent?.trim() === label)!.click();
}

async function openEditor(el: C2mAdmin, list: C2mHandoffList) {
  list.shadowRoot!.querySelector<HTMLButtonElement>('[part="create"]')!.click();
  await waitUntil(() => el.shadowRoot!.querySelector('c2m-handoff-editor'));
  const editor = el.shadowRoot!.querySelector('c2m-handoff-editor') as C2mHandoffEditor;
  await editor.updateComplete;
  return editor;
}

const field = (editor: HTMLElement, selector: string) =>
  deepQuery<HTMLInputElement>(editor.shadowRoot!, selector);
const stepHeading = (editor: C2mHandoffEditor) =>
  editor.shadowRoot!.querySelector('#step-heading')?.textContent?.trim();

async function settle(el: HTMLElement) {
  for (const child of deepQueryAll<HTMLElement & { updateComplete?: Promise<unknown> }>(
    el.shadowRoot!,
    '*',
  )) {
    await child.updateComplete;
  }
}

async function press(editor: C2mHandoffEditor, part = 'next') {
  editor.shadowRoot!.querySelector<HTMLButtonElement>(`[part="${part}"]`)!.click();
  await editor.updateComplete;
  await settle(editor);
}

/** Title → SMS enabled → the message step, with `number` typed as the outbound number. */
async function toMessages(editor: C2mHandoffEditor, title: string, message: string) {
  typeInto(field(editor, '#title'), title);
  await press(editor);
  field(editor, '#enable-sms')!.click();
  await settle(editor);
  await press(editor);
  expect(stepHeading(editor)).to.equal('Step 3 of 4: Messages');
  await waitUntil(() => field(editor, '#message'), 'no SMS composer');
  typeInto(field(editor, '#message'), message);
  await settle(editor);
}

describe('c2m-admin forms against a real c2m backend', function () {
  this.timeout(20000);

  before(async function () {
    const res = await fetch('/__c2m/backend.json');
    expect(res.ok, 'the c2m backend plugin serves /__c2m/backend.json').to.equal(true);
    backend = (await res.json()) as Backend;
  });

  it('checks the outbound number on the step where it is typed, normalising a formatted one', async () => {
    const { el, list } = await mount();
    const editor = await openEditor(el, list);
    await toMessages(editor, `Number ${Date.now()}`, 'Hello there');

    typeInto(field(editor, '#outbound'), '415 555 0100');
    await settle(editor);
    await press(editor);
    expect(stepHeading(editor)).to.equal('Step 3 of 4: Messages');
    expect(describedError(field(editor, '#outbound'))).to.equal('Must be E.164, e.g. +14155550100');

    typeInto(field(editor, '#outbound'), '+1 (415) 555-0100');
    await settle(editor);
    await press(editor);
    expect(stepHeading(editor)).to.equal('Step 4 of 4: Preview and confirm');
    expect(editor.shadowRoot!.querySelector('[part="preview"]')!.textContent).to.contain(
      'from +14155550100',
    );
    const saved = oneEvent<C2mHandoffSavedEvent>(el, 'c2m-handoff-saved');
    await press(editor);
    const { handoff } = await saved;
    const stored = HandoffView.parse((await api(`/handoffs/${handoff.id}`)).body);
    expect(stored.channels.find((c) => c.name === 'sms')?.outboundNumber).to.equal('+14155550100');
  });

  it('shows every error the server returns, each at its field, from the first one’s step', async () => {
    const { el, list } = await mount();
    const existing = (await api('/handoffs?limit=1')).body as { items: HandoffView[] };
    const editor = await openEditor(el, list);
    await toMessages(editor, existing.items[0].title, 'Hello again');
    // E.164 in form, but no such number in the plan: only the server knows
    typeInto(field(editor, '#outbound'), '+15550000000');
    await settle(editor);
    await press(editor);
    await press(editor);
    await waitUntil(
      () => field(editor, '#title')?.getAttribute('aria-invalid') === 'true',
      'the title was not marked invalid',
    );
    expect(stepHeading(editor)).to.equal('Step 1 of 4: Title and lookback');
    expect(describedError(field(editor, '#title'))).to.equal('Already used by another handoff');
    // the second error is not lost: the form names it, and its step shows it at its field
    const formError = editor.shadowRoot!.querySelector('[part="form-error"]')!.textContent;
    expect(formError).to.contain('Outbound phone number');
    typeInto(field(editor, '#title'), `Fixed ${Date.now()}`);
    await press(editor);
    await press(editor);
    expect(stepHeading(editor)).to.equal('Step 3 of 4: Messages');
    expect(describedError(field(editor, '#outbound'))).to.equal('Must be E.164, e.g. +14155550100');
  });

  it('says "Required" and "At most N characters" in every form, never zod’s words', async () => {
    // the WhatsApp Business Account id offers the account's (here from an earlier template)
    const created = await api('/templates', {
      method: 'POST',
      body: JSON.stringify({
        name: `waba_${Date.now()}`,
        category: 'UTILITY',
        language: 'en',
        wabaId: '555000111',
        phoneNumber: '+14155550100',
        body: 'Hello',
      }),
    });
    expect(created.status).to.equal(201);
    const { el, list } = await mount();
    const editor = await openEditor(el, list);
    await press(editor);
    expect(describedError(field(editor, '#title'))).to.equal('Required');

    showView(el, 'WhatsApp templates');
    await waitUntil(() => el.shadowRoot!.querySelector('c2m-template-list'));
    const templates = el.shadowRoot!.querySelector('c2m-template-list')!;
    await waitUntil(() => templates.shadowRoot?.querySelector('[part="create"]'), 'no create');
    templates.shadowRoot!.querySelector<HTMLButtonElement>('[part="create"]')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('c2m-template-editor'));
    const tEditor = el.shadowRoot!.querySelector('c2m-template-editor')!;
    await tEditor.updateComplete;
    const input = (id: string) => tEditor.shadowRoot!.getElementById(id) as HTMLInputElement;
    typeInto(input('body'), 'Hi {{1}}');
    await tEditor.updateComplete;
    typeInto(input('examples.0'), 'x');
    typeInto(input('examples.0'), '');
    typeInto(input('name'), 'x');
    typeInto(input('name'), '');
    await tEditor.updateComplete;
    expect(describedError(input('name'))).to.equal('Required');
    expect(describedError(input('examples.0'))).to.equal('Required');
    typeInto(input('examples.0'), 'y'.repeat(1100));
    await tEditor.updateComplete;
    expect(describedError(input('examples.0'))).to.match(/^At most \d+ characters$/);
    await waitUntil(
      () => [...(input('wabaId').list?.options ?? [])].some((o) => o.value === '555000111'),
      'the account’s WhatsApp Business Account id is not offered',
    );
  });

  it('asks a default for each {{n}} of the message, and the invite sends it', async () => {
    const { el, list } = await mount();
    const editor = await openEditor(el, list);
    await toMessages(editor, `Defaults ${Date.now()}`, 'Hi {{1}}, thanks for calling.');
    await press(editor);
    expect(stepHeading(editor)).to.equal('Step 3 of 4: Messages');
    expect(describedError(field(editor, '#default-1'))).to.match(/^Required/);
    typeInto(field(editor, '#default-1'), 'there');
    await settle(editor);
    await press(editor);
    const saved = oneEvent<C2mHandoffSavedEvent>(el, 'c2m-handoff-saved');
    await press(editor);
    const { handoff } = await saved;
    const stored = HandoffView.parse((await api(`/handoffs/${handoff.id}`)).body);
    expect(stored.channels.find((c) => c.name === 'sms')?.defaults).to.deep.equal({ 1: 'there' });
  });

  it('previews a WhatsApp template with the defaults typed, else its example values', async () => {
    const name = `preview_${Date.now()}`;
    const created = await api('/templates', {
      method: 'POST',
      body: JSON.stringify({
        name,
        category: 'UTILITY',
        language: 'en',
        wabaId: '1234567890',
        phoneNumber: '+14155550100',
        body: 'Hi {{1}}, order {{2}} is ready.',
        examples: ['Ada', 'A-7'],
      }),
    });
    const id = (created.body as { id: string }).id;
    await api(`/templates/${id}/submit`, { method: 'POST' });
    const review = await api(`/templates/${id}/review`, {
      method: 'POST',
      body: JSON.stringify({ decision: 'approve' }),
    });
    expect(review.status).to.equal(200);

    const { el, list } = await mount();
    const editor = await openEditor(el, list);
    typeInto(field(editor, '#title'), `Preview ${Date.now()}`);
    await press(editor);
    field(editor, '#enable-wa')!.click();
    await settle(editor);
    await press(editor);
    const select = await waitUntil(() => field(editor, '#template'), 'no template picker').then(
      () => field(editor, '#template') as unknown as HTMLSelectElement,
    );
    await waitUntil(() => [...select.options].some((o) => o.value === `${name}|en`), 'not listed');
    select.value = `${name}|en`;
    select.dispatchEvent(new Event('change'));
    await settle(editor);
    const preview = () => deepQuery(editor.shadowRoot!, '[part="preview"]')?.textContent?.trim();
    expect(preview()).to.equal('Hi Ada, order A-7 is ready.');
    typeInto(field(editor, '#var-2'), 'B-12');
    await settle(editor);
    expect(preview()).to.equal('Hi Ada, order B-12 is ready.');
    // the outbound number offers the account's WhatsApp numbers (its templates' here)
    const offered = () =>
      [...(field(editor, '#outbound')?.list?.options ?? [])].map((o) => o.value);
    await waitUntil(() => offered().includes('+14155550100'), 'the number is not offered');
  });

  it('shows who is signed in, to which account, and signs out', async () => {
    // a session of its own: signing out ends it on c2m, and the other tests' stays
    const token = backend!.tokens.sign_out_admin;
    const { el } = await mount('admin', token);
    const header = el.shadowRoot!.querySelector('[part="header"]')!;
    expect(header.textContent.replace(/\s+/g, ' ')).to.contain(
      `Signed in as user-admin · account ${backend!.accountId} · role admin`,
    );
    const signedOut = oneEvent<C2mSignOutEvent>(el, 'c2m-sign-out');
    header.querySelector<HTMLButtonElement>('[part="sign-out"]')!.click();
    expect((await signedOut).userId).to.equal('user-admin');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="nav"], c2m-handoff-list')).to.equal(null);
    expect(el.shadowRoot!.querySelector('[part="no-access"]')!.textContent.trim()).to.equal(
      'Signed out.',
    );
    // the old token is refused by c2m from then on; the same user's other session is not
    const ended = await fetch(
      `${backend!.apiBase}/api/admin/account/${backend!.accountId}/handoffs`,
      {
        headers: { Authorization: `Bearer ${token}` },
      },
    );
    expect(ended.status).to.equal(401);
    expect((await api('/handoffs')).status).to.equal(200);
  });

  it('signs out all the same when c2m cannot be reached', async () => {
    const el = await fixture<C2mAdmin>(
      html`<c2m-admin
        api-base="http://127.0.0.1:9"
        account-id=${backend!.accountId}
        session-role="admin"
        .token=${backend!.tokens.admin}
      ></c2m-admin>`,
    );
    const signedOut = oneEvent<C2mSignOutEvent>(el, 'c2m-sign-out');
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="sign-out"]')!.click();
    expect((await signedOut).userId).to.equal('user-admin');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="no-access"]')!.textContent.trim()).to.equal(
      'Signed out.',
    );
  });

  it('confirms every save visibly', async () => {
    const { el, list } = await mount();
    const editor = await openEditor(el, list);
    const title = `Confirmed ${Date.now()}`;
    await toMessages(editor, title, 'Hi');
    await press(editor);
    const saved = oneEvent<C2mHandoffSavedEvent>(el, 'c2m-handoff-saved');
    await press(editor);
    await saved;
    await el.updateComplete;
    const banner = el.shadowRoot!.querySelector<HTMLElement>('[part="status"]')!;
    expect(banner.textContent?.trim()).to.equal(`Handoff “${title}” created`);
    expect(banner.getBoundingClientRect().height).to.be.greaterThan(10);
    expect(getComputedStyle(banner).clipPath).to.not.contain('inset');

    showView(el, 'Settings');
    await waitUntil(() => el.shadowRoot!.querySelector('c2m-settings'));
    const settings = el.shadowRoot!.querySelector('c2m-settings')!;
    await waitUntil(() => settings.shadowRoot?.querySelector('[part="save"]'), 'no settings');
    settings.shadowRoot!.querySelector<HTMLButtonElement>('[part="save"]')!.click();
    await waitUntil(
      () =>
        settings.shadowRoot!.querySelector('[part="status"]')?.textContent?.trim() ===
        'Settings saved',
      'no confirmation',
    );
    const shown = settings.shadowRoot!.querySelector<HTMLElement>('[part="status"]')!;
    expect(shown.getBoundingClientRect().height).to.be.greaterThan(10);
  });

  it('words the device-check hint after the toggle', async () => {
    const { el } = await mount();
    showView(el, 'Settings');
    await waitUntil(() => el.shadowRoot!.querySelector('c2m-settings'));
    const settings = el.shadowRoot!.querySelector('c2m-settings')!;
    await waitUntil(() => settings.shadowRoot?.querySelector('#deviceCheck'), 'no settings');
    const toggle = settings.shadowRoot!.querySelector<HTMLInputElement>('#deviceCheck')!;
    const hint = () => settings.shadowRoot!.getElementById('deviceCheck-hint')!.textContent.trim();
    const before = toggle.checked;
    const first = hint();
    toggle.click();
    await settings.updateComplete;
    const second = hint();
    expect(second).to.not.equal(first);
    expect(toggle.checked ? second : first).to.match(/^On:/);
    expect(toggle.checked ? first : second).to.match(/^Off:/);
    expect(toggle.checked).to.not.equal(before);
  });

  it('keeps the lookback as typed and checks it', async () => {
    const { el, list } = await mount();
    const editor = await openEditor(el, list);
    typeInto(field(editor, '#title'), `Lookback ${Date.now()}`);
    const days = field(editor, '#days')!;
    const hours = field(editor, '#hours')!;
    typeInto(days, '1e'); // half-way to 1e1, which a number input holds as ""
    typeInto(hours, '');
    await editor.updateComplete;
    // the text stays what the user typed, not a value the browser made of it
    expect(days.value).to.equal('1e');
    await press(editor);
    expect(stepHeading(editor)).to.equal('Step 1 of 4: Title and lookback');
    expect(describedError(field(editor, '#days'))).to.equal('Must be a whole number');
    // an empty hours field is 0 hours, as an empty days field is 0 days
    typeInto(days, '2');
    await press(editor);
    expect(stepHeading(editor)).to.equal('Step 2 of 4: Channels and order');
  });
});
