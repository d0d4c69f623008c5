import '../../../admin-element/src/test-helpers/cloneable-errors.js';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { SandboxMessageView } from '../../../backend/contract/sandbox.js';
import '../index.js';
import { FakeDemoServer, phoneMessage } from '../test-helpers/fake-demo-server.js';
import type { C2mDemoPhone } from './c2m-demo-phone.js';

const PHONE = '+14155550123';

/** A server whose phone holds `messages` (oldest first), as c2m lists them: newest first. */
function serverWith(messages: SandboxMessageView[]) {
  return new FakeDemoServer().on('GET /demo/phone/messages', () => ({
    body: { messages: [...messages].reverse() },
  }));
}

async function renderPhone(server: FakeDemoServer) {
  const el = await fixture<C2mDemoPhone>(
    html`<c2m-demo-phone .api=${server.api()} phone=${PHONE}></c2m-demo-phone>`,
  );
  await waitUntil(() => server.requestsTo('GET /demo/phone/messages').length > 0);
  await el.updateComplete;
  return el;
}

const root = (el: C2mDemoPhone) => el.shadowRoot!;
const bubbles = (el: C2mDemoPhone) =>
  [...root(el).querySelectorAll('.bubble__text')].map((p) => p.textContent);
const text = (el: C2mDemoPhone, selector: string) =>
  root(el).querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

describe('c2m-demo-phone', () => {
  it('shows the followed number and its messages, oldest first', async () => {
    const messages = [
      phoneMessage({ text: 'Hi Ada' }),
      phoneMessage({ direction: 'inbound', text: 'Hello', from: PHONE }),
    ];
    const server = serverWith(messages);
    const el = await renderPhone(server);
    await waitUntil(() => bubbles(el).length === 2, 'messages never shown');
    expect(bubbles(el)).to.deep.equal(['Hi Ada', 'Hello']);
    expect(text(el, '#phone-number')).to.equal(PHONE);
    expect(server.requests[0].url).to.equal('/demo/phone/messages?address=%2B14155550123');
    expect(server.requests[0].headers.get('X-C2M-Demo-Key')).to.equal('test-demo-key');
  });

  it('shows an empty phone, and announces only what arrives after it was first shown', async () => {
    const messages: SandboxMessageView[] = [];
    const el = await renderPhone(serverWith(messages));
    await waitUntil(() => text(el, '#phone-empty') === 'No messages yet.');
    messages.push(phoneMessage({ text: 'Hi Ada, this is Demo Brand' }));
    await el.refresh();
    await el.updateComplete;
    expect(text(el, '#phone-announcer')).to.equal(
      'New WhatsApp message: Hi Ada, this is Demo Brand',
    );
    expect(root(el).querySelector('#phone-empty')).to.equal(null);
  });

  it('replies on the channel of the last message received, to the address it went to', async () => {
    const server = serverWith([phoneMessage({ channel: 'wa', to: PHONE })]).on(
      'POST /demo/phone/inbound',
      { body: { outcome: 'conversation' } },
    );
    const el = await renderPhone(server);
    const input = root(el).getElementById('reply-text') as HTMLInputElement;
    input.value = ' About my order ';
    (root(el).getElementById('reply-send') as HTMLButtonElement).click();
    await waitUntil(() => input.value === '', 'the reply field was never cleared');
    expect(server.requestsTo('POST /demo/phone/inbound').map((r) => r.body)).to.deep.equal([
      { from: PHONE, channel: 'wa', text: 'About my order' },
    ]);
  });

  it('marks a received message read', async () => {
    const message = phoneMessage({ text: 'Hi Ada' });
    const server = serverWith([message]).on(`POST /demo/phone/messages/${message.id}/status`, {
      body: { outcome: 'applied' },
    });
    const el = await renderPhone(server);
    await waitUntil(() => root(el).querySelector('.bubble__meta button'), 'no mark-read button');
    const markRead = root(el).querySelector<HTMLButtonElement>('.bubble__meta button')!;
    const time = new Date(message.createdAt).toLocaleTimeString();
    expect(markRead.textContent?.replace(/\s+/g, ' ').trim()).to.equal(
      `Mark the ${time} WhatsApp message read`,
    );
    markRead.click();
    await waitUntil(
      () => server.requestsTo(`POST /demo/phone/messages/${message.id}/status`).length === 1,
    );
    expect(
      server.requestsTo(`POST /demo/phone/messages/${message.id}/status`)[0].body,
    ).to.deep.equal({ status: 'read' });
  });

  it('asks for a reply before sending one', async () => {
    const server = serverWith([]);
    const el = await renderPhone(server);
    (root(el).getElementById('reply-send') as HTMLButtonElement).click();
    await el.updateComplete;
    expect(text(el, '#phone-error')).to.equal('Type a reply first.');
    expect(server.requestsTo('POST /demo/phone/inbound')).to.deep.equal([]);
  });

  it('says so when c2m does not answer the phone', async () => {
    const server = new FakeDemoServer().on('GET /demo/phone/messages', {
      status: 500,
      body: { errorCode: 5000, errorMessage: 'Internal error', requestId: 'r1' },
    });
    const el = await renderPhone(server);
    await waitUntil(() => text(el, '#phone-error'), 'no error shown');
    expect(text(el, '#phone-error')).to.equal('The phone lost c2m: 5000: Internal error');
  });

  it('is accessible (axe)', async () => {
    const el = await renderPhone(
      serverWith([phoneMessage(), phoneMessage({ direction: 'inbound' })]),
    );
    await waitUntil(() => bubbles(el).length === 2);
    await expect(el).to.be.accessible();
  });
});
