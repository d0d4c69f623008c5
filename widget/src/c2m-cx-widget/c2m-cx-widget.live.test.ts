// <c2m-cx-widget> live against a real c2m (started by scripts/web-backend.mjs): an invite the IVR
// makes appears without reload, and the sandbox phone's receipts and reply move its status.
import '../test-helpers/cloneable-errors.js';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../index.js';
import type { C2mCxWidget } from './c2m-cx-widget.js';

interface Backend {
  apiBase: string;
  accountId: string;
  tokens: { agent: string; revocable_agent: string };
}

/** Each step happens within a second in practice; the margin is for a loaded CI machine. */
const LIVE = { timeout: 5000, interval: 20 };

/** A fresh valid US number (exchange 200–899); the sandbox scripts endings …0000 to …0004. */
const randomInt = (from: number, to: number) => from + Math.floor(Math.random() * (to - from));
const freshPhone = () => `+1415${randomInt(200, 900)}${randomInt(1000, 10_000)}`;

/** Asks the test runner (from Node, with the IVR credential) to act as the IVR or the phone. */
async function act(
  action: 'deflect' | 'status' | 'reply' | 'revoke',
  body: Record<string, string>,
) {
  const res = await fetch(`/__c2m/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as { ok?: true; error?: string };
  expect(answer.error, `/__c2m/${action}`).to.equal(undefined);
}

const shadow = (el: C2mCxWidget) => el.shadowRoot!;
const items = (el: C2mCxWidget) => [...shadow(el).querySelectorAll('[part="message"]')];
const shownText = (el: C2mCxWidget) => items(el)[0]?.querySelector('[part="text"]')?.textContent;
const currentStep = (el: C2mCxWidget) =>
  items(el)[0]?.querySelector('[aria-current="step"]')?.textContent?.trim();
const liveRegion = (el: C2mCxWidget) =>
  shadow(el).querySelector('[aria-live="polite"]')?.textContent?.trim();

describe('c2m-cx-widget live', function () {
  this.timeout(20_000);
  let backend: Backend;

  before(async () => {
    const res = await fetch('/__c2m/backend.json');
    expect(res.ok, 'the c2m backend plugin serves /__c2m/backend.json').to.equal(true);
    backend = (await res.json()) as Backend;
  });

  const mount = (phone: string, token: string) =>
    fixture<C2mCxWidget>(
      html`<c2m-cx-widget
        api-base=${backend.apiBase}
        account-id=${backend.accountId}
        consumer-phone-number=${phone}
        .token=${token}
      ></c2m-cx-widget>`,
    );

  it('follows an invite from the IVR to the consumer reply without reload', async () => {
    const phone = freshPhone();
    const el = await mount(phone, backend.tokens.agent);

    await waitUntil(() => el.state === 'ready', 'the widget subscribes', LIVE);
    expect(items(el)).to.have.length(0);
    expect(shadow(el).querySelector('[part="empty"]')).to.exist;

    await act('deflect', { phone });
    // the message is created queued, before its text is filled in: wait for the text itself
    await waitUntil(
      () => shownText(el)?.includes('reply here to chat with us'),
      'the invite appears',
      LIVE,
    );
    expect(items(el)).to.have.length(1);

    // the sandbox reports delivery by itself
    await waitUntil(() => currentStep(el) === 'Delivered', 'delivered is shown', LIVE);

    await act('status', { phone, status: 'read' });
    await waitUntil(() => currentStep(el) === 'Read', 'read is shown', LIVE);
    await waitUntil(() => liveRegion(el) === 'SMS message: Read', 'read is announced', LIVE);

    await act('reply', { phone, text: 'Hi, about my bill' });
    await waitUntil(() => currentStep(el) === 'Replied', 'replied is shown', LIVE);
    await waitUntil(() => liveRegion(el) === 'SMS message: Replied', 'replied is announced', LIVE);
    expect(items(el)).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it('catches up on what it missed while its connection was gone', async () => {
    const phone = freshPhone();
    const el = await mount(phone, backend.tokens.agent);
    await waitUntil(() => el.state === 'ready', 'the widget subscribes', LIVE);
    await act('deflect', { phone });
    await waitUntil(() => currentStep(el) === 'Delivered', 'delivered is shown', LIVE);

    // the connection drops: point the widget at a port where nothing listens
    el.apiBase = 'http://127.0.0.1:9';
    await waitUntil(() => el.state === 'error', 'the lost connection is shown', LIVE);
    // meanwhile the consumer reads the message; this widget cannot hear about it
    await act('status', { phone, status: 'read' });

    // back on the network: it reconnects, is authenticated again, and catches up
    el.apiBase = backend.apiBase;
    await waitUntil(() => currentStep(el) === 'Read', 'read is caught up', LIVE);
    expect(el.state).to.equal('ready');
    expect(items(el)).to.have.length(1);
  });

  it('shows the unauthorized state when its session is ended while it is open', async () => {
    const phone = freshPhone();
    const el = await mount(phone, backend.tokens.revocable_agent);
    await waitUntil(() => el.state === 'ready', 'the widget subscribes', LIVE);

    // an admin revokes the credential that minted the agent's session: c2m ends the socket
    await act('revoke', {});
    await waitUntil(() => el.state === 'unauthorized', 'the ended session is shown', LIVE);
    expect(shadow(el).querySelector('[role="alert"]')?.textContent).to.contain('Not signed in');
  });

  it('shows the unauthorized state for a token c2m refuses', async () => {
    const el = await mount(freshPhone(), 'not-a-session-token');

    await waitUntil(() => el.state === 'unauthorized', 'the token is refused', LIVE);
    expect(shadow(el).querySelector('[role="alert"]')?.textContent).to.contain('Not signed in');
  });
});
