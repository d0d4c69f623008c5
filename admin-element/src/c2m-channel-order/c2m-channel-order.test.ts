import '../test-helpers/cloneable-errors.js';
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { HandoffChannel } from '../../../backend/contract/handoffs.js';
// the element's own module defines its tag (the bundle's entry loads it with its view)
import './c2m-channel-order.js';
import type { C2mChannelOrder } from './c2m-channel-order.js';
import type { C2mChannelsChangeEvent } from '../events.js';

const channel = (name: HandoffChannel['name'], enabled = false): HandoffChannel => ({
  name,
  enabled,
  message: '',
});

const render = (channels: HandoffChannel[], exclusive = true) =>
  fixture<C2mChannelOrder>(
    html`<c2m-channel-order ?exclusive=${exclusive} .channels=${channels}></c2m-channel-order>`,
  );

const root = (el: C2mChannelOrder) => el.shadowRoot!;
const order = (el: C2mChannelOrder) =>
  [...root(el).querySelectorAll('[part="channel"] label')].map((l) => l.textContent?.trim());
const checkbox = (el: C2mChannelOrder, name: string) =>
  root(el).querySelector<HTMLInputElement>(`#enable-${name}`)!;
const announced = (el: C2mChannelOrder) =>
  root(el).querySelector('[aria-live="polite"]')?.textContent?.trim();

describe('c2m-channel-order', () => {
  it('renders the channels in order with a labelled checkbox and move buttons each', async () => {
    const el = await render([channel('wa', true), channel('sms', true), channel('inapp')]);
    expect(order(el)).to.deep.equal(['WhatsApp', 'SMS', 'In-app']);
    expect(checkbox(el, 'wa').checked).to.equal(true);
    expect(checkbox(el, 'inapp').checked).to.equal(false);
    const labels = [...root(el).querySelectorAll('button')].map((b) =>
      b.getAttribute('aria-label'),
    );
    expect(labels).to.deep.equal([
      'Move WhatsApp up',
      'Move WhatsApp down',
      'Move SMS up',
      'Move SMS down',
      'Move In-app up',
      'Move In-app down',
    ]);
    expect(root(el).querySelector('#up-wa')?.getAttribute('aria-disabled')).to.equal('true');
    expect(root(el).querySelector('#down-inapp')?.getAttribute('aria-disabled')).to.equal('true');
  });

  it('moves a channel down with the keyboard, announces it and keeps focus on the button', async () => {
    const el = await render([channel('wa', true), channel('sms', true), channel('inapp')]);
    root(el).querySelector<HTMLButtonElement>('#down-wa')!.focus();

    const changed = oneEvent<C2mChannelsChangeEvent>(el, 'c2m-channels-change');
    await sendKeys({ press: 'Enter' });
    const event = await changed;
    await el.updateComplete;

    expect(order(el)).to.deep.equal(['SMS', 'WhatsApp', 'In-app']);
    expect(event.channels.map((c) => c.name)).to.deep.equal(['sms', 'wa', 'inapp']);
    expect(event.bubbles && event.composed).to.equal(true);
    expect(announced(el)).to.equal('WhatsApp moved to position 2 of 3');
    expect(root(el).activeElement?.id).to.equal('down-wa');

    await sendKeys({ press: 'Space' }); // again, from where the focus stayed
    await el.updateComplete;
    expect(order(el)).to.deep.equal(['SMS', 'In-app', 'WhatsApp']);
    expect(announced(el)).to.equal('WhatsApp moved to position 3 of 3');
  });

  it('moves a channel up and ignores moves past either end', async () => {
    const el = await render([channel('wa'), channel('sms'), channel('inapp')]);
    let events = 0;
    el.addEventListener('c2m-channels-change', () => events++);

    root(el).querySelector<HTMLButtonElement>('#up-sms')!.click();
    await el.updateComplete;
    expect(order(el)).to.deep.equal(['SMS', 'WhatsApp', 'In-app']);

    root(el).querySelector<HTMLButtonElement>('#up-sms')!.click(); // already first
    root(el).querySelector<HTMLButtonElement>('#down-inapp')!.click(); // already last
    await el.updateComplete;
    expect(order(el)).to.deep.equal(['SMS', 'WhatsApp', 'In-app']);
    expect(events).to.equal(1);
  });

  it('disables SMS and WhatsApp while In-app is on, and In-app while either is on', async () => {
    const el = await render([channel('sms'), channel('wa'), channel('inapp'), channel('rcs')]);
    expect(['sms', 'wa', 'inapp', 'rcs'].map((n) => checkbox(el, n).disabled)).to.deep.equal([
      false,
      false,
      false,
      false,
    ]);

    checkbox(el, 'inapp').focus();
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(checkbox(el, 'inapp').checked).to.equal(true);
    expect(checkbox(el, 'sms').disabled).to.equal(true);
    expect(checkbox(el, 'wa').disabled).to.equal(true);
    expect(checkbox(el, 'rcs').disabled).to.equal(false);
    expect(root(el).querySelector('#why-sms')?.textContent?.trim()).to.equal(
      'Not available with In-app',
    );
    expect(checkbox(el, 'sms').getAttribute('aria-describedby')).to.equal('why-sms');
    expect(announced(el)).to.equal('In-app on: SMS and WhatsApp unavailable');

    await sendKeys({ press: 'Space' }); // In-app off again
    await el.updateComplete;
    expect(checkbox(el, 'sms').disabled).to.equal(false);

    checkbox(el, 'wa').click();
    await el.updateComplete;
    expect(checkbox(el, 'inapp').disabled).to.equal(true);
    expect(checkbox(el, 'sms').disabled).to.equal(false);
    expect(root(el).querySelector('#why-inapp')?.textContent?.trim()).to.equal(
      'Not available with SMS or WhatsApp',
    );
  });

  it('lets every channel be combined without the exclusive attribute (account settings)', async () => {
    const el = await render([channel('inapp', true), channel('sms'), channel('wa')], false);
    expect(checkbox(el, 'sms').disabled).to.equal(false);
    checkbox(el, 'sms').click();
    await el.updateComplete;
    expect(checkbox(el, 'inapp').disabled).to.equal(false);
    expect(announced(el)).to.equal('SMS on');
  });

  it('shows an error about the channels next to the list', async () => {
    const el = await render([channel('sms')]);
    el.error = 'enable at least one channel';
    await el.updateComplete;
    expect(root(el).querySelector('[part="error"]')?.textContent?.trim()).to.equal(
      'Enable at least one channel',
    );
    expect(root(el).querySelector('fieldset')?.getAttribute('aria-describedby')).to.contain(
      'channels-error',
    );
  });

  it('is accessible (axe) with an exclusion showing', async () => {
    const el = await render([channel('inapp', true), channel('sms'), channel('wa')]);
    await expect(el).to.be.accessible();
  });
});
