import '../test-helpers/cloneable-errors.js';
import { expect, waitUntil } from '@open-wc/testing';
// the element's own module defines its tag (the bundle's entry loads it with its view)
import './c2m-wa-template-picker.js';
import { AdminApiError } from '../api/admin-client.js';
import type { C2mTemplateChangeEvent } from '../events.js';
import { typeInto } from '../test-helpers/dom.js';
import { FakeAdminClient, inSession, template } from '../test-helpers/fake-client.js';
import type { C2mWaTemplatePicker } from './c2m-wa-template-picker.js';

const templates = () => [
  template({ name: 'order_ready', language: 'en', body: 'Hi {{1}}, order {{2}} is ready.' }),
  template({ name: 'order_ready', language: 'es', body: 'Hola {{1}}.' }),
  template({ name: 'draft_one', status: 'draft', body: 'Not yet' }),
];

/** The picker in a session, once its templates have loaded (or failed to). */
async function renderPicker(
  client: FakeAdminClient,
  attributes: Record<string, string> = {},
): Promise<C2mWaTemplatePicker> {
  const picker = document.createElement('c2m-wa-template-picker');
  for (const [name, value] of Object.entries(attributes)) picker.setAttribute(name, value);
  const el = await inSession(picker, client);
  await waitUntil(() => !/Loading/.test(root(el).textContent ?? ''));
  await el.updateComplete;
  return el;
}

const root = (el: C2mWaTemplatePicker) => el.shadowRoot!;
const select = (el: C2mWaTemplatePicker) => root(el).querySelector<HTMLSelectElement>('select')!;
const text = (el: C2mWaTemplatePicker, selector: string) =>
  root(el).querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim();
const variables = (el: C2mWaTemplatePicker) =>
  [...root(el).querySelectorAll<HTMLInputElement>('[part="variable"]')].map((i) => i.value);

/** Every template change the picker fires while `gesture` runs. */
function changesDuring(el: C2mWaTemplatePicker, gesture: () => void) {
  const fired: C2mTemplateChangeEvent[] = [];
  const listener = (e: C2mTemplateChangeEvent) => fired.push(e);
  el.addEventListener('c2m-template-change', listener);
  gesture();
  el.removeEventListener('c2m-template-change', listener);
  return fired;
}

describe('c2m-wa-template-picker', () => {
  it('offers the approved templates only, none chosen', async () => {
    const client = new FakeAdminClient({ templates: templates() });
    const el = await renderPicker(client);
    expect(client.callsOf('listTemplates')[0]).to.deep.equal([{ status: 'approved', limit: 100 }]);
    expect([...select(el).options].map((o) => o.textContent?.trim())).to.deep.equal([
      'Choose a template…',
      'order_ready (en)',
      'order_ready (es)',
    ]);
    expect(select(el).value).to.equal('');
    expect(root(el).querySelector('[part="body"]')).to.equal(null);
  });

  it('shows the template its attributes name, with the defaults read out of the message', async () => {
    const el = await renderPicker(new FakeAdminClient({ templates: templates() }), {
      'template-name': 'order_ready',
      'template-language': 'en',
      message: 'Hi Ada, order {{2}} is ready.',
    });
    expect(select(el).value).to.equal('order_ready|en');
    expect(text(el, '[part="body"]')).to.equal('Hi {{1}}, order {{2}} is ready.');
    expect(variables(el)).to.deep.equal(['Ada', '']);
  });

  it('fires one change when a template is chosen, and one per value typed', async () => {
    const el = await renderPicker(new FakeAdminClient({ templates: templates() }));
    const chosen = changesDuring(el, () => {
      select(el).value = 'order_ready|en';
      select(el).dispatchEvent(new Event('change'));
    });
    expect(chosen.map((e) => [e.templateName, e.templateLanguage, e.message])).to.deep.equal([
      ['order_ready', 'en', 'Hi {{1}}, order {{2}} is ready.'],
    ]);
    await el.updateComplete;

    const typed = changesDuring(el, () =>
      typeInto(root(el).querySelector<HTMLInputElement>('#var-2'), 'A-17'),
    );
    expect(typed.map((e) => e.message)).to.deep.equal(['Hi {{1}}, order A-17 is ready.']);
    expect(typed[0].bubbles && typed[0].composed).to.equal(true);
  });

  it('shows its error attributes next to the choice and the values', async () => {
    const el = await renderPicker(new FakeAdminClient({ templates: templates() }), {
      'template-name': 'order_ready',
      'template-language': 'en',
      error: 'is not approved',
      'message-error': 'has a variable without a value',
    });
    expect(select(el).getAttribute('aria-invalid')).to.equal('true');
    expect(text(el, '#template-error')).to.equal('Is not approved');
    expect(text(el, '#message-error')).to.equal('Has a variable without a value');
  });

  it('says when there is no approved template yet', async () => {
    const el = await renderPicker(new FakeAdminClient({ templates: [templates()[2]] }));
    expect(text(el, '[part="state"]')).to.equal(
      'No approved WhatsApp templates yet. Create one under WhatsApp templates and have it approved first.',
    );
  });

  it('shows the error state as an alert when the templates do not load', async () => {
    const client = new FakeAdminClient({ templates: templates() });
    client.failNext = new AdminApiError(503, 'unavailable', 'Try later');
    const el = await renderPicker(client);
    const state = root(el).querySelector('[part="state"]')!;
    expect(state.getAttribute('role')).to.equal('alert');
    expect(text(el, '[part="state"]')).to.equal(
      'The WhatsApp templates could not be loaded. Try again later.',
    );
  });

  it('is accessible (axe) with a template chosen', async () => {
    const el = await renderPicker(new FakeAdminClient({ templates: templates() }), {
      'template-name': 'order_ready',
      'template-language': 'en',
    });
    await expect(el).to.be.accessible();
  });
});
