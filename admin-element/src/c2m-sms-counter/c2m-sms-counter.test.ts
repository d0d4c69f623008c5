import '../test-helpers/cloneable-errors.js';
import { expect, fixture, html } from '@open-wc/testing';
// the element's own module defines its tag (the bundle's entry loads it with its view)
import './c2m-sms-counter.js';
import type { C2mSmsCounter } from './c2m-sms-counter.js';
import { countSms } from './sms-segments.js';

const render = (text: string, optOut = '') =>
  fixture<C2mSmsCounter>(
    html`<c2m-sms-counter .text=${text} opt-out-text=${optOut}></c2m-sms-counter>`,
  );

const part = (el: C2mSmsCounter, name: string) =>
  el.shadowRoot!.querySelector(`[part~="${name}"]`)?.textContent?.replace(/\s+/g, ' ').trim();

/** The segments shown once the counter has counted `text`. */
async function segmentsFor(el: C2mSmsCounter, text: string) {
  el.text = text;
  await el.updateComplete;
  return part(el, 'segments');
}

const shown = (el: C2mSmsCounter) => ({
  characters: part(el, 'characters'),
  segments: part(el, 'segments'),
  encoding: part(el, 'encoding'),
});

describe('c2m-sms-counter', () => {
  it('renders an empty message with its defaults', async () => {
    const el = await render('');
    expect(shown(el)).to.deep.equal({
      characters: '0 / 1600 characters',
      segments: '0 SMS segments',
      encoding: 'GSM-7',
    });
    expect(el.level).to.equal('ok');
    expect(part(el, 'notice')).to.equal('');
  });

  it('fits 160 GSM-7 characters in one segment and splits 161 into two of 153', async () => {
    const el = await render('a'.repeat(160));
    expect(shown(el).segments).to.equal('1 SMS segment');
    expect(shown(el).encoding).to.equal('GSM-7');

    el.text = 'a'.repeat(161);
    await el.updateComplete;
    expect(shown(el)).to.deep.equal({
      characters: '161 / 1600 characters',
      segments: '2 SMS segments',
      encoding: 'GSM-7',
    });

    expect(await segmentsFor(el, 'a'.repeat(306))).to.equal('2 SMS segments'); // 2 × 153
    expect(await segmentsFor(el, 'a'.repeat(307))).to.equal('3 SMS segments');
  });

  it('switches to UCS-2 for one character outside GSM-7: 70 per segment, then 67', async () => {
    const el = await render(`${'a'.repeat(69)}ć`);
    expect(shown(el)).to.deep.equal({
      characters: '70 / 1600 characters',
      segments: '1 SMS segment',
      encoding: 'UCS-2, because of “ć”',
    });

    expect(await segmentsFor(el, `${'a'.repeat(70)}ć`)).to.equal('2 SMS segments');

    expect(await segmentsFor(el, 'ć'.repeat(134))).to.equal('2 SMS segments'); // 2 × 67
    expect(await segmentsFor(el, 'ć'.repeat(135))).to.equal('3 SMS segments');
  });

  it('counts GSM-7 extension characters as two septets and accented GSM letters as one', () => {
    expect(countSms('€'.repeat(80))).to.include({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(countSms(`${'€'.repeat(80)}a`)).to.include({ units: 161, segments: 2 });
    expect(countSms('é'.repeat(160))).to.include({ encoding: 'GSM-7', segments: 1 });
    // an emoji is two UTF-16 units and never split between segments
    expect(countSms('😀'.repeat(35))).to.include({ encoding: 'UCS-2', units: 70, segments: 1 });
  });

  it('counts the opt-out text, joined with a space, unless the message already has it', async () => {
    const optOut = 'Reply STOP to opt out.'; // 22 characters
    const el = await render('a'.repeat(137), optOut);
    expect(shown(el).characters).to.equal('160 / 1600 characters');
    expect(shown(el).segments).to.equal('1 SMS segment');

    expect(await segmentsFor(el, 'a'.repeat(138))).to.equal('2 SMS segments');

    el.text = `Hi. ${optOut}`;
    await el.updateComplete;
    expect(shown(el).characters).to.equal('26 / 1600 characters');
  });

  it('warns past the recommended 140 characters, not at 140', async () => {
    const el = await render('a'.repeat(140));
    expect(el.level).to.equal('ok');
    expect(part(el, 'notice')).to.equal('');

    el.text = 'a'.repeat(141);
    await el.updateComplete;
    expect(el.level).to.equal('warning');
    expect(part(el, 'warning')).to.contain('recommended 140 characters');
    expect(el.shadowRoot!.querySelector('[part~="warning"]')?.getAttribute('role')).to.equal(
      'status',
    );
  });

  it('reports an error past 1600 characters, the opt-out text included', async () => {
    const optOut = 'STOP to end'; // 11 + the space
    const el = await render('a'.repeat(1588), optOut);
    expect(shown(el).characters).to.equal('1600 / 1600 characters');
    expect(el.level).to.equal('warning');

    el.text = 'a'.repeat(1589);
    await el.updateComplete;
    expect(el.level).to.equal('error');
    expect(part(el, 'error')).to.equal(
      'Too long: at most 1600 characters including the opt-out text (1 over).',
    );
    expect(part(el, 'warning')).to.equal(undefined);
  });

  it('is accessible (axe) with a warning showing', async () => {
    const el = await render('a'.repeat(200), 'Reply STOP to opt out.');
    await expect(el).to.be.accessible();
  });
});
