import './test-helpers/cloneable-errors.js';
import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { matchLocale, relativeUnit } from '../../l10n/locale.js';
import './index.js';
// the counter is defined by its own module (the views load theirs when first shown)
import './c2m-sms-counter/c2m-sms-counter.js';
import { locale } from './locale.js';
import type { C2mSmsCounter } from './c2m-sms-counter/c2m-sms-counter.js';

// Which language the admin bundle shows, from the element's `lang` or the page's, and Intl
// formatting in it.

const characters = (el: C2mSmsCounter) =>
  el.shadowRoot!.querySelector('[part="characters"]')?.textContent?.replace(/\s+/g, ' ').trim();

async function shown(el: Element) {
  await locale.settled();
  await (el as C2mSmsCounter).updateComplete;
}

describe('the admin bundle’s language', () => {
  const pageLang = document.documentElement.lang;
  afterEach(async () => {
    fixtureCleanup();
    document.documentElement.lang = pageLang;
    await new Promise((r) => setTimeout(r)); // the MutationObserver's turn
    await locale.settled();
  });

  it('matches a lang tag to a bundle locale: exact, by language, else English', () => {
    const r = { sourceLocale: 'en', targetLocales: ['es'] };
    expect(
      ['es', 'es-MX', 'ES-419', 'en-GB', 'fr', '', 'x'].map((t) => matchLocale(t, r)),
    ).to.deep.equal(['es', 'es', 'es', 'en', 'en', 'en', 'en']);
  });

  it('follows the page’s <html lang>, also when it changes', async () => {
    document.documentElement.lang = 'es-MX';
    await new Promise((r) => setTimeout(r));
    const el = await fixture<C2mSmsCounter>(html`<c2m-sms-counter text="Hola"></c2m-sms-counter>`);
    await shown(el);
    expect(locale.locale).to.equal('es');
    expect(locale.formatLocale).to.equal('es-MX');
    expect(characters(el)).to.equal('4 / 1600 caracteres');
    // Mexican Spanish groups thousands with a comma, where Spain's Spanish would not group 1600
    expect(locale.number(1600)).to.equal('1,600');

    document.documentElement.lang = 'en';
    await new Promise((r) => setTimeout(r));
    await shown(el);
    expect(characters(el)).to.equal('4 / 1600 characters');
  });

  it('takes the lang of <c2m-admin> over the page’s, and gives it back when the element goes', async () => {
    document.documentElement.lang = 'en';
    await new Promise((r) => setTimeout(r));
    const admin = await fixture(html`<c2m-admin lang="es" account-id="a1"></c2m-admin>`);
    await locale.settled();
    expect(locale.locale).to.equal('es');
    // its base says which language the text is in, whatever the page's lang
    expect(admin.shadowRoot!.querySelector('[part="base"]')!.getAttribute('lang')).to.equal('es');

    admin.setAttribute('lang', 'en-GB');
    await new Promise((r) => setTimeout(r));
    await locale.settled();
    expect(locale.locale).to.equal('en');
    expect(locale.formatLocale).to.equal('en-GB');

    admin.setAttribute('lang', 'es');
    await new Promise((r) => setTimeout(r));
    await locale.settled();
    expect(locale.locale).to.equal('es');
    admin.remove();
    await locale.settled();
    expect(locale.locale).to.equal('en');
  });

  it('keeps the language of an element that replaces another in the same task', async () => {
    document.documentElement.lang = 'en';
    await new Promise((r) => setTimeout(r));
    const first = await fixture(html`<c2m-admin lang="es" account-id="a1"></c2m-admin>`);
    await locale.settled();
    expect(locale.locale).to.equal('es');
    // the page swaps one Spanish admin for another: English is asked for (the page's) and,
    // before it is shown, Spanish again; Spanish it stays
    const parent = first.parentElement!;
    first.remove();
    const second = document.createElement('c2m-admin');
    second.setAttribute('lang', 'es');
    second.setAttribute('account-id', 'a1');
    parent.append(second);
    await locale.settled();
    await new Promise((r) => setTimeout(r));
    expect(locale.locale).to.equal('es');
  });

  it('shows an unsupported language in English, with English dates', async () => {
    document.documentElement.lang = 'fr';
    await new Promise((r) => setTimeout(r));
    await locale.settled();
    expect(locale.locale).to.equal('en');
    expect(locale.formatLocale).to.equal('en');
    expect(locale.date('2026-12-05T12:00:00Z', { dateStyle: 'medium', timeZone: 'UTC' })).to.equal(
      'Dec 5, 2026',
    );
  });

  it('formats dates, numbers, lists and relative times in Spanish', async () => {
    document.documentElement.lang = 'es';
    await new Promise((r) => setTimeout(r));
    await locale.settled();
    const now = Date.parse('2026-12-05T12:00:00Z');
    expect(locale.date(now, { dateStyle: 'long', timeZone: 'UTC' })).to.equal(
      '5 de diciembre de 2026',
    );
    expect(locale.number(12345.5)).to.equal('12.345,5');
    expect(locale.list(['SMS', 'WhatsApp', 'RCS'])).to.equal('SMS, WhatsApp y RCS');
    expect(locale.relative(now - 5 * 60_000, now)).to.equal('hace 5 minutos');
    expect(locale.relative(now - 24 * 3600_000, now)).to.equal('ayer');
    expect(relativeUnit(-120)).to.deep.equal([-2, 'minute']);
  });
});
