import '../test-helpers/cloneable-errors.js';
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { HandoffView } from '../../../backend/contract/handoffs.js';
import type { Role } from '../../../backend/contract/policy.js';
// the element's own module defines its tag (the bundle's entry loads it with its view)
import './c2m-handoff-editor.js';
import { AdminApiError } from '../api/admin-client.js';
import type { C2mHandoffDeletedEvent, C2mHandoffSavedEvent } from '../events.js';
import { deepQuery, deepQueryAll, describedError, typeInto } from '../test-helpers/dom.js';
import { FakeAdminClient, handoff, inSession, template } from '../test-helpers/fake-client.js';
import type { C2mHandoffEditor } from './c2m-handoff-editor.js';

async function renderEditor(client: FakeAdminClient, role: Role = 'admin', h?: HandoffView) {
  const editor = Object.assign(document.createElement('c2m-handoff-editor'), { handoff: h });
  return inSession(editor, client, role);
}

const root = (el: C2mHandoffEditor) => el.shadowRoot!;
const stepHeading = (el: C2mHandoffEditor) =>
  root(el).querySelector('#step-heading')?.textContent?.trim();
const input = (el: C2mHandoffEditor, selector: string) =>
  deepQuery<HTMLInputElement>(root(el), selector);

/** Presses the step's primary button (Next, or Create / Save on the preview) and waits. */
async function next(el: C2mHandoffEditor) {
  root(el).querySelector<HTMLButtonElement>('[part="next"]')!.click();
  await el.updateComplete;
  await settleChildren(el);
}

async function settleChildren(el: C2mHandoffEditor) {
  for (const child of deepQueryAll<HTMLElement & { updateComplete?: Promise<unknown> }>(
    root(el),
    '*',
  )) {
    await child.updateComplete;
  }
}

async function fillDetails(el: C2mHandoffEditor, title: string, days = '1', hours = '2') {
  typeInto(input(el, '#title'), title);
  typeInto(input(el, '#days'), days);
  typeInto(input(el, '#hours'), hours);
  await el.updateComplete;
}

async function enable(el: C2mHandoffEditor, ...names: string[]) {
  for (const name of names) input(el, `#enable-${name}`)!.click();
  await settleChildren(el);
}

describe('c2m-handoff-editor', () => {
  it('starts a new handoff on step 1 with a 1-hour lookback', async () => {
    const el = await renderEditor(new FakeAdminClient());
    expect(root(el).querySelector('h2')?.textContent?.trim()).to.equal('New handoff');
    expect(stepHeading(el)).to.equal('Step 1 of 4: Title and lookback');
    expect(input(el, '#days')!.value).to.equal('0');
    expect(input(el, '#hours')!.value).to.equal('1');
    expect(root(el).querySelector('[aria-current="step"]')?.textContent?.trim()).to.equal(
      '1. Title and lookback',
    );
  });

  it('creates an SMS handoff through all the steps and fires saved once', async () => {
    const client = new FakeAdminClient();
    const el = await renderEditor(client);
    await fillDetails(el, 'Billing questions');
    await next(el);
    expect(stepHeading(el)).to.equal('Step 2 of 4: Channels and order');
    expect(root(el).activeElement?.id).to.equal('step-heading');

    await enable(el, 'sms');
    await next(el);
    expect(stepHeading(el)).to.equal('Step 3 of 4: Messages');
    typeInto(input(el, '#message'), 'Hi {{1}}, continue here.');
    typeInto(input(el, '#outbound'), '+14155550100');
    await settleChildren(el);
    typeInto(input(el, '#default-1'), 'there');
    await settleChildren(el);
    expect(
      deepQuery(root(el), '[part="characters"]')?.textContent?.replace(/\s+/g, ' ').trim(),
    ).to.equal('47 / 1600 characters'); // with " Reply STOP to opt out."
    await next(el);

    expect(stepHeading(el)).to.equal('Step 4 of 4: Preview and confirm');
    const preview = root(el).querySelector('[part="preview"]')?.textContent?.replace(/\s+/g, ' ');
    expect(preview).to.contain('Billing questions');
    expect(preview).to.contain('1 day 2 hours');
    expect(preview).to.contain('Hi {{1}}, continue here. Reply STOP to opt out.');

    let saves = 0;
    el.addEventListener('c2m-handoff-saved', () => saves++);
    const saved = oneEvent<C2mHandoffSavedEvent>(el, 'c2m-handoff-saved');
    await next(el);
    const event = await saved;
    expect(saves).to.equal(1);
    expect(event.created).to.equal(true);
    const [body] = client.callsOf('createHandoff')[0] as [HandoffView];
    expect(body.title).to.equal('Billing questions');
    expect(body.lookback).to.deep.equal({ days: 1, hours: 2 });
    expect(body.channels[0]).to.deep.equal({
      name: 'sms',
      enabled: true,
      message: 'Hi {{1}}, continue here.',
      outboundNumber: '+14155550100',
      defaults: { 1: 'there' },
    });
    expect(event.handoff.id).to.match(/^H\d{15}$/);
    expect(client.callsOf('updateSettings')).to.have.length(0);
  });

  it('keeps the user on a step with its rule broken, the error next to the field', async () => {
    const el = await renderEditor(new FakeAdminClient());
    await fillDetails(el, 'Bad <title>', '0', '0');
    await next(el);
    expect(stepHeading(el)).to.equal('Step 1 of 4: Title and lookback');

    const title = input(el, '#title');
    expect(title!.getAttribute('aria-invalid')).to.equal('true');
    expect(describedError(title)).to.equal('Must not contain < or >');
    expect(root(el).querySelector('#lookback-error')?.textContent?.trim()).to.equal(
      'At least 1 hour',
    );
    expect(root(el).activeElement?.id).to.equal('title');
    expect(root(el).querySelector('[part="form-error"]')?.getAttribute('role')).to.equal('alert');

    typeInto(title, 'Good title');
    typeInto(input(el, '#days'), '31');
    await el.updateComplete;
    expect(title!.getAttribute('aria-invalid')).to.equal('false');
    expect(describedError(input(el, '#days'))).to.equal('From 0 to 30 days');
  });

  it('needs a channel, then a message for it, before the preview', async () => {
    const el = await renderEditor(new FakeAdminClient());
    await fillDetails(el, 'Needs channels');
    await next(el);
    await next(el);
    expect(stepHeading(el)).to.equal('Step 2 of 4: Channels and order');
    expect(deepQuery(root(el), '#channels-error')?.textContent?.trim()).to.equal(
      'Enable at least one channel',
    );

    await enable(el, 'inapp');
    await next(el);
    await next(el);
    expect(stepHeading(el)).to.equal('Step 3 of 4: Messages');
    expect(describedError(input(el, '#message'))).to.equal('Required');
    expect(describedError(input(el, '#app-0'))).to.equal(undefined);
    expect(deepQuery(root(el), '#apps-error')?.textContent?.trim()).to.equal('Pick 1 to 3 apps');
  });

  it('shows a server field error next to its field, on the step that has it', async () => {
    const client = new FakeAdminClient();
    const el = await renderEditor(client);
    await fillDetails(el, 'Taken');
    await next(el);
    await enable(el, 'sms');
    await next(el);
    typeInto(input(el, '#message'), 'Hello');
    await next(el);
    client.failNext = new AdminApiError(400, 'validation_failed', 'title: must be unique', {
      title: 'must be unique',
    });
    await next(el);
    await waitUntil(() => stepHeading(el) === 'Step 1 of 4: Title and lookback');
    await el.updateComplete;

    const title = input(el, '#title');
    expect(title!.getAttribute('aria-invalid')).to.equal('true');
    expect(describedError(title)).to.equal('Must be unique');
    expect(root(el).querySelector('[part="form-error"]')?.textContent?.trim()).to.equal(
      'Not saved. Please fix: Title (step 1): must be unique.',
    );

    typeInto(title, 'Free');
    await el.updateComplete;
    expect(title!.getAttribute('aria-invalid')).to.equal('false');
  });

  it('picks an approved WhatsApp template; each variable takes an optional default', async () => {
    const client = new FakeAdminClient({
      templates: [
        template({ name: 'welcome', body: 'Hi {{1}}, {{2}}!' }),
        template({ name: 'draft_one', status: 'draft', body: 'x' }),
      ],
    });
    const el = await renderEditor(client);
    await fillDetails(el, 'WhatsApp first');
    await next(el);
    await enable(el, 'wa', 'sms');
    expect(input(el, '#enable-inapp')!.disabled).to.equal(true);
    await next(el);
    await waitUntil(() => deepQuery(root(el), '#template'));
    expect(client.callsOf('listTemplates')[0]).to.deep.equal([{ status: 'approved', limit: 100 }]);
    const options = deepQueryAll<HTMLOptionElement>(root(el), '#template option');
    expect(options.map((o) => o.textContent?.trim())).to.deep.equal([
      'Choose a template…',
      'welcome (en)',
    ]);

    const select = deepQuery<HTMLSelectElement>(root(el), '#template')!;
    select.value = 'welcome|en';
    select.dispatchEvent(new Event('change'));
    await settleChildren(el);
    expect(input(el, '#var-1')!.required).to.equal(false);
    expect(deepQuery(root(el), 'label[for="var-1"]')?.textContent).to.match(/optional/i);
    // {{1}} left empty (the IVR sends it); {{2}} given as its own placeholder: the same
    typeInto(input(el, '#var-2'), '{{2}}');
    await settleChildren(el);
    const smsMessage = deepQueryAll<HTMLTextAreaElement>(root(el), '#message')[0];
    typeInto(smsMessage, 'SMS fallback');
    await next(el);
    expect(deepQuery(root(el), '#message-error')).to.equal(null);
    expect(stepHeading(el)).to.equal('Step 4 of 4: Preview and confirm');
    await next(el);
    const [body] = client.callsOf('createHandoff')[0] as [HandoffView];
    expect(body.channels.slice(0, 2)).to.deep.equal([
      { name: 'sms', enabled: true, message: 'SMS fallback' },
      {
        name: 'wa',
        enabled: true,
        message: 'Hi {{1}}, {{2}}!',
        templateName: 'welcome',
        templateLanguage: 'en',
      },
    ]);
  });

  it('keeps a saved WhatsApp default and the variables left to the IVR when another field is edited', async () => {
    const welcome = template({ name: 'welcome', body: 'Hi {{1}}, your order {{2}}.' });
    const wa = {
      name: 'wa' as const,
      enabled: true,
      message: 'Hi {{1}}, your order A-1.',
      templateName: 'welcome',
      templateLanguage: 'en',
    };
    const h = handoff({ title: 'WhatsApp saved', channels: [wa] });
    const client = new FakeAdminClient({ templates: [welcome], handoffs: [h] });
    const el = await renderEditor(client, 'admin', h);
    typeInto(input(el, '#title'), 'WhatsApp renamed');
    await el.updateComplete;
    await next(el);
    await next(el);
    await waitUntil(() => input(el, '#var-2'));
    await settleChildren(el);
    expect(input(el, '#var-1')!.value).to.equal('');
    expect(input(el, '#var-2')!.value).to.equal('A-1');
    // a blank value is no value: {{1}} stays the IVR's
    typeInto(input(el, '#var-1'), '   ');
    await settleChildren(el);
    await next(el);
    expect(stepHeading(el)).to.equal('Step 4 of 4: Preview and confirm');
    await next(el);
    const [id, body] = client.callsOf('updateHandoff')[0] as [string, HandoffView];
    expect(id).to.equal(h.id);
    expect(body.title).to.equal('WhatsApp renamed');
    expect(body.channels.find((c) => c.name === 'wa')).to.deep.equal(wa);
  });

  it('saves an edited opt-out text to the account settings', async () => {
    const client = new FakeAdminClient();
    const h = handoff({ title: 'Existing' });
    const el = await renderEditor(client, 'campaign_manager', h);
    expect(root(el).querySelector('h2')?.textContent?.trim()).to.equal('Edit handoff “Existing”');
    await next(el);
    await next(el);
    typeInto(input(el, '#opt-out'), 'Text STOP to end.');
    await settleChildren(el);
    expect(
      deepQuery(root(el), '[part="characters"]')?.textContent?.replace(/\s+/g, ' ').trim(),
    ).to.equal('41 / 1600 characters');
    await next(el);
    await next(el);
    expect(client.callsOf('updateSettings')).to.deep.equal([
      [{ smsOptOutText: 'Text STOP to end.' }],
    ]);
    expect(client.callsOf('updateHandoff')[0][0]).to.equal(h.id);
  });

  it('only previews a handoff for a read-only role, with no edit or delete controls', async () => {
    const el = await renderEditor(new FakeAdminClient(), 'read_only', handoff({ title: 'Seen' }));
    expect(root(el).querySelector('h2')?.textContent?.trim()).to.equal('Handoff “Seen”');
    expect(root(el).querySelector('[part="preview"]')).to.not.equal(null);
    expect(root(el).querySelector('[part="next"], [part="delete"], input, textarea')).to.equal(
      null,
    );
    const cancelled = oneEvent(el, 'c2m-handoff-edit-cancelled');
    root(el).querySelector<HTMLButtonElement>('[part="cancel"]')!.click();
    await cancelled;
  });

  it('deletes an existing handoff after confirmation', async () => {
    const h = handoff();
    const client = new FakeAdminClient({ handoffs: [h] });
    const el = await renderEditor(client, 'admin', h);
    root(el).querySelector<HTMLButtonElement>('[part="delete"]')!.click();
    await el.updateComplete;
    expect(client.callsOf('deleteHandoff')).to.have.length(0);
    const deleted = oneEvent<C2mHandoffDeletedEvent>(el, 'c2m-handoff-deleted');
    root(el).querySelector<HTMLButtonElement>('[part="delete"]')!.click();
    expect((await deleted).id).to.equal(h.id);
  });

  it('is accessible (axe) on each step', async () => {
    const el = await renderEditor(new FakeAdminClient());
    await fillDetails(el, 'Axe');
    await expect(el).to.be.accessible();
    await next(el);
    await enable(el, 'sms');
    await expect(el).to.be.accessible();
    await next(el);
    typeInto(input(el, '#message'), 'a'.repeat(150));
    await settleChildren(el);
    await expect(el).to.be.accessible();
    await next(el);
    await expect(el).to.be.accessible();
  });
});
