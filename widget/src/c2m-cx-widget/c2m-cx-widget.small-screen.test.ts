// <c2m-cx-widget> on a 390 px wide phone: each of its states, a live message from a real c2m
// (scripts/web-backend.mjs) that the consumer answered, and messages with long values (ids, titles,
// call context) fit the viewport: no sideways scrolling, nothing sticking out to the right.
import '../test-helpers/cloneable-errors.js';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import { OutboundMessageView } from '../../../backend/contract/outbound.js';
import { horizontalOverflow, pageWidth } from '../../../admin-element/src/test-helpers/overflow.js';
import '../index.js';
import type { C2mCxWidget, CxWidgetState } from './c2m-cx-widget.js';

interface Backend {
  apiBase: string;
  accountId: string;
  tokens: { agent: string };
}

const PHONE = { width: 390, height: 844 };
/** A token with no break opportunity, longer than a phone is wide, as ids and machine names are. */
const LONG_TOKEN = 'billing_and_payments_escalation_premium_customers_north_america_east';
const NOW = Date.parse('2026-11-23T12:00:00.000Z');

function expectFits(el: C2mCxWidget, where: string) {
  expect(horizontalOverflow(el), `${where} (page ${pageWidth()}px wide)`).to.deep.equal([]);
}

/** A message with every long value the widget shows, checked against the contract. */
function longMessage(id: string, overrides: Partial<OutboundMessageView> = {}) {
  const at = new Date(NOW - 3_600_000).toISOString();
  return OutboundMessageView.parse({
    id,
    callId: `call-${LONG_TOKEN}`,
    channel: 'wa',
    text: `Hi Ada, continue at https://example.com/${LONG_TOKEN}/${LONG_TOKEN}`,
    handoffId: 'H123456789012345',
    handoffTitle: LONG_TOKEN,
    skill: `${LONG_TOKEN}-messaging`,
    ivrNumber: '+441234567890123',
    consumerPhoneNumber: '+441234567890123',
    consumerId: LONG_TOKEN,
    status: 'read',
    statusHistory: [
      { status: 'sent', at },
      { status: 'delivered', at },
      { status: 'read', at },
    ],
    failureReason: null,
    sentAt: at,
    createdAt: at,
    sdes: [
      { type: 'personal', info: { firstname: 'Ada', lastname: LONG_TOKEN } },
      { type: 'ctmrinfo', info: { customerId: `C-${LONG_TOKEN}`, cstatus: 'gold' } },
    ],
    conversation: { id: `conv-${LONG_TOKEN}`, channel: 'wa', openedAt: at, status: 'open' },
    ...overrides,
  });
}

describe('c2m-cx-widget on a 390 px wide screen', function () {
  this.timeout(20_000);

  before(() => setViewport(PHONE));
  after(() => setViewport({ width: 800, height: 600 }));

  for (const state of ['loading', 'error', 'unauthorized'] satisfies CxWidgetState[]) {
    it(`fits in the ${state} state`, async () => {
      const el = await fixture<C2mCxWidget>(html`<c2m-cx-widget .state=${state}></c2m-cx-widget>`);
      expect(el.shadowRoot!.querySelector('[part="state"]')).to.exist;
      expectFits(el, state);
    });
  }

  it('fits with no messages', async () => {
    const el = await fixture<C2mCxWidget>(html`<c2m-cx-widget .messages=${[]}></c2m-cx-widget>`);
    expect(el.shadowRoot!.querySelector('[part="empty"]')).to.exist;
    expectFits(el, 'empty');
  });

  it('fits messages with long ids, titles, links and call context, and a failure', async () => {
    const failed = longMessage('failed', {
      status: 'failed',
      failureReason: `Provider refused: ${LONG_TOKEN}`,
    });
    const el = await fixture<C2mCxWidget>(
      html`<c2m-cx-widget .messages=${[longMessage('read'), failed]} .now=${NOW}></c2m-cx-widget>`,
    );
    expect(el.shadowRoot!.querySelectorAll('[part="message"]')).to.have.length(2);
    expect(el.shadowRoot!.querySelector('[part="context"]')).to.exist;
    expectFits(el, 'long messages');
  });

  it('fits a live message from a real c2m, answered by the consumer', async () => {
    const res = await fetch('/__c2m/backend.json');
    expect(res.ok, 'the c2m backend plugin serves /__c2m/backend.json').to.equal(true);
    const backend = (await res.json()) as Backend;
    const phone = `+1415${200 + Math.floor(Math.random() * 700)}${1000 + Math.floor(Math.random() * 9000)}`;
    const el = await fixture<C2mCxWidget>(
      html`<c2m-cx-widget
        api-base=${backend.apiBase}
        account-id=${backend.accountId}
        consumer-phone-number=${phone}
        .token=${backend.tokens.agent}
      ></c2m-cx-widget>`,
    );
    await waitUntil(() => el.state === 'ready', 'the widget subscribes', { timeout: 5000 });
    const act = async (action: string, body: object) => {
      const answer = (await (
        await fetch(`/__c2m/${action}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json()) as { error?: string };
      expect(answer.error, action).to.equal(undefined);
    };
    await act('deflect', { phone });
    await act('reply', { phone, text: `About my order ${LONG_TOKEN}` });
    await waitUntil(
      () => el.shadowRoot!.querySelector('[part="conversation"]'),
      'the reply opens a conversation',
      { timeout: 5000 },
    );
    expectFits(el, 'live message with a conversation');
  });
});
