import '../test-helpers/cloneable-errors.js';
import { expect, fixture, html } from '@open-wc/testing';
import { OutboundMessageView } from '../../../backend/contract/outbound.js';
import '../index.js';
import type { C2mCxWidget } from './c2m-cx-widget.js';

const NOW = Date.parse('2026-11-23T12:00:00.000Z');
const HOUR_MS = 60 * 60 * 1000;
const hoursAgo = (hours: number) => new Date(NOW - hours * HOUR_MS).toISOString();

/** A message `hours` old, checked against the contract so fixtures can't drift from it. */
function message(
  id: string,
  hours: number,
  overrides: Partial<OutboundMessageView> = {},
): OutboundMessageView {
  const at = hoursAgo(hours);
  return OutboundMessageView.parse({
    id,
    callId: `call-${id}`,
    channel: 'sms',
    text: `Message ${id}`,
    handoffId: 'billing',
    handoffTitle: 'Billing questions',
    skill: 'billing-messaging',
    ivrNumber: '+14155550100',
    consumerPhoneNumber: '+14155550123',
    consumerId: null,
    status: 'sent',
    statusHistory: [{ status: 'sent', at }],
    failureReason: null,
    sentAt: at,
    createdAt: at,
    sdes: [],
    ...overrides,
  });
}

function withStatus(m: OutboundMessageView, status: OutboundMessageView['status']) {
  const at = hoursAgo(0);
  return { ...m, status, statusHistory: [...m.statusHistory, { status, at }] };
}

const renderWidget = (messages: OutboundMessageView[]) =>
  fixture<C2mCxWidget>(html`<c2m-cx-widget .messages=${messages} .now=${NOW}></c2m-cx-widget>`);

const shadow = (el: C2mCxWidget) => el.shadowRoot!;
const items = (el: C2mCxWidget) => [...shadow(el).querySelectorAll('[part="message"]')];
const shownTexts = (el: C2mCxWidget) =>
  items(el).map((li) => li.querySelector('[part="text"]')?.textContent?.trim());
const text = (el: C2mCxWidget, selector: string) =>
  shadow(el).querySelector(selector)?.textContent?.trim();

/** The label → value pairs of a message's details. */
function details(li: Element): Record<string, string | undefined> {
  const pairs = [...li.querySelectorAll('dt')].map((dt) => [
    dt.textContent?.trim() ?? '',
    dt.nextElementSibling?.textContent?.trim(),
  ]);
  return Object.fromEntries(pairs) as Record<string, string | undefined>;
}

/** The status path of the first message: steps reached, and the one marked current. */
function statusPath(el: C2mCxWidget) {
  const steps = [...items(el)[0].querySelectorAll('[part~="step"]')];
  return {
    reached: steps
      .filter((s) => s.getAttribute('part')?.split(' ').includes('step-reached'))
      .map((s) => s.textContent?.trim()),
    current: steps.filter((s) => s.hasAttribute('aria-current')).map((s) => s.textContent?.trim()),
  };
}

describe('c2m-cx-widget', () => {
  it('renders the empty state with its defaults', async () => {
    const el = await fixture<C2mCxWidget>(html`<c2m-cx-widget></c2m-cx-widget>`);

    expect(el.maxItems).to.equal(5);
    expect(el.maxAgeDays).to.equal(30);
    expect(el.state).to.equal('ready');
    expect(items(el)).to.have.length(0);
    expect(text(el, '[part="empty"]')).to.equal('No outbound messages in the last 30 days.');
  });

  it('shows the newest messages first, at most max-items', async () => {
    const hours = { a: 5, b: 1, c: 30, d: 2, e: 70, f: 3, g: 4 };
    const el = await renderWidget(Object.entries(hours).map(([id, h]) => message(id, h)));

    expect(shownTexts(el)).to.deep.equal([
      'Message b',
      'Message d',
      'Message f',
      'Message g',
      'Message a',
    ]);
  });

  it('drops messages older than max-age-days', async () => {
    const messages = [message('today', 2), message('week', 24 * 6), message('old', 24 * 31)];
    const el = await renderWidget(messages);
    expect(shownTexts(el)).to.deep.equal(['Message today', 'Message week']);

    el.maxAgeDays = 1;
    await el.updateComplete;
    expect(shownTexts(el)).to.deep.equal(['Message today']);

    el.now = NOW + 2 * 24 * HOUR_MS; // two days on, even the newest one is too old
    await el.updateComplete;
    expect(items(el)).to.have.length(0);
    expect(text(el, '[part="empty"]')).to.equal('No outbound messages in the last day.');
  });

  it('dates a message not sent yet by when it was created', async () => {
    const queued = message('queued', 1, { status: 'queued', statusHistory: [], sentAt: null });
    const el = await renderWidget([message('older', 3), queued]);

    expect(shownTexts(el)).to.deep.equal(['Message queued', 'Message older']);
    expect(details(items(el)[0])['Sent']).to.equal('Not sent yet');
    expect(text(el, '.status__note')).to.equal('Queued, not sent yet');
    expect(statusPath(el)).to.deep.equal({ reached: [], current: [] });
  });

  it('shows what was sent, where and for which handoff', async () => {
    const wa = message('wa', 2, {
      channel: 'wa',
      text: 'Hi! Continue here with Acme support.',
      handoffTitle: 'Card blocked',
      skill: 'cards-wa',
      ivrNumber: '+442071838750',
      createdAt: hoursAgo(2.5), // queued a while before it went out: the sent time is shown
    });
    const el = await renderWidget([wa]);
    const li = items(el)[0];

    expect(li.querySelector('[part="text"]')?.textContent?.trim()).to.equal(
      'Hi! Continue here with Acme support.',
    );
    expect(details(li)).to.include({
      Channel: 'WhatsApp',
      Handoff: 'Card blocked',
      Skill: 'cards-wa',
      'IVR number': '+442071838750',
    });
    const time = li.querySelector('time');
    expect(time?.getAttribute('datetime')).to.equal(wa.sentAt);
    expect(time?.textContent?.trim()).to.not.equal('');
  });

  it('leaves out the IVR number when there is none', async () => {
    const el = await renderWidget([message('noivr', 1, { ivrNumber: null })]);
    expect(details(items(el)[0])).to.not.have.property('IVR number');
    expect(details(items(el)[0])).to.have.property('Skill', 'billing-messaging');
  });

  it('shows the call context the IVR passed and the conversation it led to', async () => {
    const m = message('ctx', 1, {
      sdes: [
        { type: 'personal', info: { firstname: 'Ada', lastname: 'Lovelace' } },
        { type: 'ctmrinfo', info: { customerId: 'C-1042', cstatus: 'gold', ctype: 'vip' } },
      ],
      conversation: {
        id: 'conv-77',
        channel: 'wa',
        openedAt: hoursAgo(0.5),
        status: 'open',
      },
    });
    const el = await renderWidget([m]);
    const li = items(el)[0];

    const context = li.querySelector('[part="context"]');
    expect(context?.textContent).to.include('Call context');
    expect(details(context!)).to.deep.equal({
      Name: 'Ada Lovelace',
      'Customer ID': 'C-1042',
      'Customer status': 'gold',
      'Customer type': 'vip',
    });

    const line = li.querySelector('[part="conversation"]');
    const flat = line?.textContent?.replace(/\s+/g, ' ').trim();
    expect(flat).to.match(/^Conversation conv-77 · WhatsApp · started \S/);
    expect(line?.querySelector('time')?.getAttribute('datetime')).to.equal(
      m.conversation?.openedAt,
    );
  });

  it('shows call context values as text, at most eight of them', async () => {
    const info = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`k${i}`, i === 0 ? '<b>bold</b>' : i]),
    );
    const el = await renderWidget([
      message('many', 1, { sdes: [{ type: 'custom', info: { ...info, nested: { x: 1 } } }] }),
    ]);
    const context = items(el)[0].querySelector('[part="context"]')!;
    expect(context.querySelector('b')).to.equal(null);
    const shown = details(context);
    expect(Object.keys(shown)).to.have.length(8);
    expect(shown).to.include({ k0: '<b>bold</b>', k1: '1' });
    expect(shown).to.not.have.property('nested');
  });

  it('leaves out the call context and conversation when there are none', async () => {
    const el = await renderWidget([
      message('bare', 1, { sdes: [{ type: 'personal', info: {} }], conversation: null }),
      message('older', 2),
    ]);
    for (const li of items(el)) {
      expect(li.querySelector('[part="context"]')).to.equal(null);
      expect(li.querySelector('[part="conversation"]')).to.equal(null);
    }
  });

  it('treats message text as text, not HTML', async () => {
    const el = await renderWidget([message('x', 1, { text: '<img src=x alt="">Hi <b>there</b>' })]);
    expect(shadow(el).querySelector('img, b')).to.equal(null);
    expect(shownTexts(el)).to.deep.equal(['<img src=x alt="">Hi <b>there</b>']);
  });

  it('marks the steps reached on the status path, the latest as current', async () => {
    const cases = [
      { status: 'sent', reached: ['Sent'] },
      { status: 'delivered', reached: ['Sent', 'Delivered'] },
      { status: 'read', reached: ['Sent', 'Delivered', 'Read'] },
      { status: 'replied', reached: ['Sent', 'Delivered', 'Read', 'Replied'] },
    ] as const;
    for (const { status, reached } of cases) {
      const el = await renderWidget([withStatus(message(status, 1), status)]);
      expect(statusPath(el), status).to.deep.equal({ reached, current: [reached.at(-1)] });
    }
  });

  it('shows a failed message with its reason instead of the path', async () => {
    const failed = message('f', 1, {
      status: 'failed',
      failureReason: 'Number is not reachable on WhatsApp',
    });
    const el = await renderWidget([failed]);

    expect(text(el, '[part="failure"]')).to.equal('Failed: Number is not reachable on WhatsApp');
    expect(items(el)[0].querySelector('ol')).to.equal(null);
  });

  it('shows a skipped message as skipped', async () => {
    const skipped = message('s', 1, { status: 'skipped', failureReason: null });
    const el = await renderWidget([skipped]);
    expect(text(el, '[part="failure"]')).to.equal('Skipped');
  });

  it('renders the loading, error and unauthorized states instead of messages', async () => {
    const el = await renderWidget([message('hidden', 1)]);
    const expected = {
      loading: 'Loading outbound messages…',
      error: 'Outbound messages could not be loaded. Try again later.',
      unauthorized: 'Not signed in to C2M, or not allowed to see these outbound messages.',
    } as const;

    for (const [state, wanted] of Object.entries(expected)) {
      el.state = state as keyof typeof expected;
      await el.updateComplete;
      expect(text(el, '[part="state"]'), state).to.equal(wanted);
      expect(items(el), state).to.have.length(0);
    }
    expect(shadow(el).querySelector('[part="state"]')?.getAttribute('role')).to.equal('alert');

    el.state = 'ready';
    await el.updateComplete;
    expect(shadow(el).querySelector('[part="state"]')).to.equal(null);
    expect(shownTexts(el)).to.deep.equal(['Message hidden']);
  });

  it('caps the list by the max-items attribute', async () => {
    const messages = ['a', 'b', 'c'].map((id, i) => message(id, i + 1));
    const el = await fixture<C2mCxWidget>(
      html`<c2m-cx-widget max-items="2" .messages=${messages} .now=${NOW}></c2m-cx-widget>`,
    );

    expect(el.maxItems).to.equal(2);
    expect(shownTexts(el)).to.deep.equal(['Message a', 'Message b']);

    el.removeAttribute('max-items');
    await el.updateComplete;
    expect(shownTexts(el)).to.have.length(3);
  });

  it('announces the latest status change in a polite live region', async () => {
    const first = message('1', 1, { channel: 'wa' });
    const second = message('2', 2);
    const el = await renderWidget([first, second]);
    const region = shadow(el).querySelector('[aria-live="polite"]');
    expect(region?.textContent?.trim()).to.equal('');

    el.messages = [withStatus(first, 'read'), second];
    await el.updateComplete;
    expect(region?.textContent?.trim()).to.equal('WhatsApp message: Read');

    el.messages = [
      withStatus(first, 'read'),
      { ...second, status: 'failed', failureReason: 'Opted out' },
    ];
    await el.updateComplete;
    expect(region?.textContent?.trim()).to.equal('SMS message: Failed: Opted out');
  });

  it('is accessible (axe) with messages in every kind of status', async () => {
    const el = await renderWidget([
      withStatus(
        message('1', 1, {
          channel: 'inapp',
          sdes: [{ type: 'ctmrinfo', info: { customerId: 'C-9', cstatus: 'gold' } }],
          conversation: { id: 'conv-1', channel: 'inapp', openedAt: hoursAgo(0.5), status: 'open' },
        }),
        'read',
      ),
      message('2', 2, { status: 'failed', failureReason: 'Carrier rejected the message' }),
      message('3', 3, { status: 'queued', statusHistory: [], sentAt: null }),
    ]);
    expect(items(el)).to.have.length(3);
    await expect(el).to.be.accessible();
  });
});
