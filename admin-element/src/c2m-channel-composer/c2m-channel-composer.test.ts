import '../test-helpers/cloneable-errors.js';
import { expect, fixture, html } from '@open-wc/testing';
import type { HandoffChannel } from '../../../backend/contract/handoffs.js';
// the element's own module defines its tag (the bundle's entry loads it with its view)
import './c2m-channel-composer.js';
import type { C2mChannelChangeEvent, C2mOptOutTextChangeEvent } from '../events.js';
import { typeInto } from '../test-helpers/dom.js';
import type { C2mChannelComposer } from './c2m-channel-composer.js';

const sms: HandoffChannel = { name: 'sms', enabled: true, message: 'Hi, reply here.' };

const render = (channel?: HandoffChannel, errors: Record<string, string> = {}) =>
  fixture<C2mChannelComposer>(
    html`<c2m-channel-composer .channel=${channel} .errors=${errors}></c2m-channel-composer>`,
  );

const root = (el: C2mChannelComposer) => el.shadowRoot!;
const field = <T extends HTMLElement = HTMLInputElement>(el: C2mChannelComposer, part: string) =>
  root(el).querySelector<T>(`[part="${part}"]`);
const labels = (el: C2mChannelComposer) =>
  [...root(el).querySelectorAll('label')].map((l) => l.textContent?.trim());

/** Every event of `type` the element fires while `gesture` runs. */
function firedDuring<E extends Event>(el: HTMLElement, type: string, gesture: () => void): E[] {
  const fired: E[] = [];
  const listener = (e: Event) => fired.push(e as E);
  el.addEventListener(type, listener);
  gesture();
  el.removeEventListener(type, listener);
  return fired;
}

describe('c2m-channel-composer', () => {
  it('renders nothing without a channel', async () => {
    const el = await render();
    expect(root(el).querySelector('textarea, input, label')).to.equal(null);
  });

  it('renders an SMS channel with its number, text, counter and a read-only opt-out', async () => {
    const el = await render(sms);
    expect(labels(el)).to.deep.equal(['Outbound phone number', 'SMS text', 'Opt-out text']);
    expect(field<HTMLTextAreaElement>(el, 'message')?.value).to.equal('Hi, reply here.');
    expect(root(el).querySelector('c2m-sms-counter')).to.not.equal(null);
    expect(field(el, 'opt-out')?.readOnly).to.equal(true);
    expect(field(el, 'message')?.getAttribute('aria-invalid')).to.equal('false');
  });

  it('shows the opt-out text from its attribute, editable when opt-out-editable is set', async () => {
    const el = await fixture<C2mChannelComposer>(
      html`<c2m-channel-composer
        .channel=${sms}
        opt-out-text="Reply STOP to end"
        opt-out-editable
      ></c2m-channel-composer>`,
    );
    expect(field(el, 'opt-out')?.value).to.equal('Reply STOP to end');
    expect(field(el, 'opt-out')?.readOnly).to.equal(false);
    expect(root(el).querySelector('c2m-sms-counter')?.optOutText).to.equal('Reply STOP to end');
  });

  it('labels the text after the channel, and offers three apps for in-app', async () => {
    const rcs = await render({ name: 'rcs', enabled: true, message: '' });
    expect(labels(rcs)).to.deep.equal(['RCS text']);
    const inapp = await render({ name: 'inapp', enabled: true, message: '', apps: ['app-1'] });
    expect(labels(inapp)).to.deep.equal([
      'In-app message',
      'App 1',
      'App 2 (optional)',
      'App 3 (optional)',
    ]);
    expect(
      [...root(inapp).querySelectorAll<HTMLInputElement>('[part="app"]')].map((i) => i.value),
    ).to.deep.equal(['app-1', '', '']);
  });

  it('fires one channel change per edit, with the channel as edited', async () => {
    const el = await render(sms);
    const fired = firedDuring<C2mChannelChangeEvent>(el, 'c2m-channel-change', () =>
      typeInto(field<HTMLTextAreaElement>(el, 'message'), 'Hello {{1}}'),
    );
    expect(fired).to.have.length(1);
    expect(fired[0].channel).to.deep.equal({ ...sms, message: 'Hello {{1}}' });
    expect(fired[0].bubbles && fired[0].composed).to.equal(true);
  });

  it('fires one opt-out change when the editable opt-out text is edited', async () => {
    const el = await render(sms);
    el.optOutEditable = true;
    await el.updateComplete;
    const fired = firedDuring<C2mOptOutTextChangeEvent>(el, 'c2m-opt-out-text-change', () =>
      typeInto(field(el, 'opt-out'), 'Text STOP to stop'),
    );
    expect(fired.map((e) => e.text)).to.deep.equal(['Text STOP to stop']);
  });

  it('shows a field error next to its field and marks the field invalid', async () => {
    const el = await render(sms, { message: 'is required', outboundNumber: 'must be E.164' });
    const message = field<HTMLTextAreaElement>(el, 'message')!;
    expect(message.getAttribute('aria-invalid')).to.equal('true');
    expect(message.getAttribute('aria-describedby')?.split(' ')).to.include('message-error');
    expect(root(el).querySelector('#message-error')?.textContent?.trim()).to.equal('Required');
    expect(root(el).querySelector('#outbound-error')?.textContent?.trim()).to.equal(
      'Must be E.164',
    );
  });

  it('is accessible (axe), with and without errors', async () => {
    await expect(await render(sms)).to.be.accessible();
    const inapp = await render(
      { name: 'inapp', enabled: true, message: '', apps: [] },
      { message: 'is required', apps: 'must have at least one app' },
    );
    await expect(inapp).to.be.accessible();
  });
});
