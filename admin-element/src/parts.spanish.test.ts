import './test-helpers/cloneable-errors.js';
import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import { channelLabels } from '../../backend/contract/channels.js';
import type { HandoffChannel } from '../../backend/contract/handoffs.js';
import './index.js';
// the parts are defined by their own modules (the views load theirs when first shown)
import './c2m-channel-order/c2m-channel-order.js';
import './c2m-channel-composer/c2m-channel-composer.js';
import './c2m-sms-counter/c2m-sms-counter.js';
import './c2m-wa-template-picker/c2m-wa-template-picker.js';
import { FakeAdminClient, inSession, template } from './test-helpers/fake-client.js';
import { locale } from './locale.js';
import { cataloguePatterns, shownTexts, untranslated } from '../../l10n/untranslated.js';

// The parts of the handoff editor's steps, in Spanish: the tour of c2m-admin.spanish.test.ts
// opens the editor's first step only. Each is rendered in English and in Spanish with the same
// data, in the states that show the most text (an exclusion, a counter over the limit, errors).

const channel = (name: HandoffChannel['name'], enabled: boolean, message = ''): HandoffChannel => ({
  name,
  enabled,
  message,
});
// the data, and a validation error: its wording is the caller's (the editor's field errors)
const ERROR = 'at least one channel must be enabled';
const DATA = [
  'Hola {{1}}, escríbanos aquí.',
  'Responda BAJA para no recibir más',
  'app.uno',
  'At least one channel must be enabled',
];

const PARTS: Record<string, () => TemplateResult> = {
  'channel order, In-app blocking SMS and WhatsApp': () =>
    html`<c2m-channel-order
      exclusive
      error=${ERROR}
      .channels=${[channel('inapp', true), channel('sms', false), channel('wa', false)]}
    ></c2m-channel-order>`,
  'SMS composer over the limit': () =>
    html`<c2m-channel-composer
      opt-out-text=${DATA[1]}
      .channel=${channel('sms', true, `${DATA[0]} ${'ñ'.repeat(1600)}`)}
    ></c2m-channel-composer>`,
  'In-app composer': () =>
    html`<c2m-channel-composer
      .channel=${{ ...channel('inapp', true, DATA[0]), apps: [DATA[2]] }}
    ></c2m-channel-composer>`,
  'Apple Messages composer': () =>
    html`<c2m-channel-composer .channel=${channel('apple', true, DATA[0])}></c2m-channel-composer>`,
  'RCS composer': () =>
    html`<c2m-channel-composer .channel=${channel('rcs', true, DATA[0])}></c2m-channel-composer>`,
  'SMS counter past the guidance': () =>
    html`<c2m-sms-counter text=${'a'.repeat(150)} opt-out-text=${DATA[1]}></c2m-sms-counter>`,
};

async function showIn(lang: string, part: () => TemplateResult) {
  document.documentElement.lang = lang;
  await new Promise((r) => setTimeout(r)); // the MutationObserver's turn
  await locale.settled();
  const el = await fixture(html`<div>${part()}</div>`);
  return el.firstElementChild!;
}

describe('the handoff editor’s parts in Spanish', () => {
  const pageLang = document.documentElement.lang;
  let catalogue: RegExp[];

  before(async () => {
    catalogue = cataloguePatterns(await (await fetch('/admin-element/xliff/es.xlf')).text());
  });

  afterEach(() => {
    fixtureCleanup();
    document.documentElement.lang = pageLang;
  });

  for (const [name, part] of Object.entries(PARTS)) {
    it(`${name}: no English left, axe-clean`, async () => {
      const english = shownTexts(await showIn('en', part));
      fixtureCleanup();
      const shown = await showIn('es', part);
      const spanish = shownTexts(shown);
      expect(locale.locale).to.equal('es');
      expect(spanish.size, 'the part rendered').to.be.greaterThan(0);
      const found = untranslated({
        english,
        translated: spanish,
        data: DATA,
        same: [...Object.values(channelLabels), 'GSM-7', 'UCS-2'],
        catalogue,
      });
      expect(found).to.deep.equal({});
      await expect(shown).to.be.accessible();
    });
  }

  it('WhatsApp template picker, a template chosen, and with none approved: no English left, axe-clean', async () => {
    const body = 'Hola {{1}}, su pedido {{2}} está listo.';
    const approved = [
      template({ name: 'pedido_listo', language: 'es', body, examples: ['Ana', 'A-17'] }),
    ];
    const data = [...DATA, body, 'pedido_listo', 'es', 'Hola Ana, su pedido A-17 está listo.'];
    // the picker with a template and a default typed, then the picker of an account with none
    const show = async (lang: string) => {
      document.documentElement.lang = lang;
      await new Promise((r) => setTimeout(r));
      await locale.settled();
      const texts = new Map<string, Set<string>>();
      for (const templates of [approved, []]) {
        const picker = document.createElement('c2m-wa-template-picker');
        picker.setAttribute('template-name', 'pedido_listo');
        picker.setAttribute('template-language', 'es');
        picker.setAttribute('message', 'Hola Ana, su pedido {{2}} está listo.');
        await inSession(picker, new FakeAdminClient({ templates }));
        await waitUntil(() => !/Loading|Cargando/.test(picker.shadowRoot!.textContent ?? ''));
        await picker.updateComplete;
        if (lang === 'es') await expect(picker).to.be.accessible();
        for (const [tag, set] of shownTexts(picker)) {
          texts.set(tag, new Set([...(texts.get(tag) ?? []), ...set]));
        }
        fixtureCleanup();
      }
      return texts;
    };
    const english = await show('en');
    const spanish = await show('es');
    expect(english.get('c2m-wa-template-picker')).to.include.keys('Approved template');
    const found = untranslated({ english, translated: spanish, data, catalogue });
    expect(found).to.deep.equal({});
  });
});
