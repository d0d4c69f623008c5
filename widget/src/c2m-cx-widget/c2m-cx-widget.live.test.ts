// <c2m-cx-widget> live against a real c2m (started by scripts/web-backend.mjs): an invite the IVR
// makes appears without reload, and the sandbox phone's receipts and reply move its status.
import '../test-helpers/cloneable-errors.js';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../index.js';
import type { C2mCxWidget } from './c2m-cx-widget.js';

interface Backend {
  apiBase: string;
  accountId: string;
  tokens: { agent: string; revocable_agent: string; expired_agent: string };
}

/** Each step happens within a second in practice; the margin is for a loaded CI machine. */
const LIVE = { timeout: 5000, interval: 20 };

/** A fresh valid US number (exchange 200–899); the sandbox scripts endings …0000 to …0004. */
const randomInt = (from: number, to: number) => from + Math.floor(Math.random() * (to - from));
const freshPhone = () => `+1415${randomInt(200, 900)}${randomInt(1000, 10_000)}`;

/** Asks the test runner (from Node, with the IVR credential) to act as the IVR or the phone. */
async function act<T = object>(
  action:
    | 'deflect'
    | 'status'
    | 'reply'
    | 'revoke'
    | 'widget-key'
    | 'widget-key-revoke'
    | 'widget-session'
    | 'short-session',
  body: Record<string, string | number>,
): Promise<T> {
  const res = await fetch(`/__c2m/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as { ok?: true; error?: string } & T;
  expect(answer.error, `/__c2m/${action}`).to.equal(undefined);
  return answer;
}

/**
 * What the Agent Workspace page's provider does with its installation key (there same-origin;
 * here through the test runner, which has no CORS grant to ask): a 403 is a revoked key.
 */
const keyProvider = (key: string) => async () => {
  const answer = await act<{ token?: string; status?: number }>('widget-session', { key });
  if (answer.token) return answer.token;
  throw Object.assign(new Error(`refused: ${answer.status}`), {
    reason: answer.status === 403 ? 'revoked' : 'expired',
  });
};

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
    await waitUntil(() => el.state === 'offline', 'the lost connection is shown', LIVE);
    expect(shadow(el).querySelector('[role="alert"]')?.textContent).to.contain('Connection lost');
    expect(shadow(el).querySelector('[part="retry"]')?.textContent).to.contain('Retry');
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

  it('says that an expired session expired, not that it is not signed in', async () => {
    const el = await mount(freshPhone(), backend.tokens.expired_agent);

    await waitUntil(() => el.state === 'expired', 'the expiry is shown', LIVE);
    const alert = shadow(el).querySelector('[role="alert"]')?.textContent ?? '';
    expect(alert).to.contain('Session expired');
    expect(alert).not.to.contain('Not signed in');
  });

  it('renews its short sessions from its provider without losing the feed', async () => {
    const { id } = await act<{ id: string }>('widget-key', {});
    let minted = 0;
    const provider = async () => {
      minted += 1;
      const { token } = await act<{ token: string }>('short-session', {
        ttlSeconds: 3,
        widgetKeyId: id,
      });
      return token;
    };
    const phone = freshPhone();
    const el = await fixture<C2mCxWidget>(
      html`<c2m-cx-widget
        api-base=${backend.apiBase}
        consumer-phone-number=${phone}
        .tokenProvider=${provider}
      ></c2m-cx-widget>`,
    );
    await waitUntil(() => el.state === 'ready', 'the widget subscribes', LIVE);
    // past two sessions' lives: renewed on the open socket each time
    await waitUntil(() => minted >= 3, 'renewed twice', { timeout: 8000, interval: 50 });
    expect(el.state).to.equal('ready');
    await act('deflect', { phone });
    await waitUntil(
      () => shownText(el)?.includes('reply here to chat with us'),
      'the invite arrives on the renewed session',
      LIVE,
    );
  });

  it('says its installation key was revoked, and comes back with a new one', async () => {
    const { id, key } = await act<{ id: string; key: string }>('widget-key', {});
    let current = key;
    const el = await fixture<C2mCxWidget>(
      html`<c2m-cx-widget
        api-base=${backend.apiBase}
        consumer-phone-number=${freshPhone()}
        .tokenProvider=${() => keyProvider(current)()}
      ></c2m-cx-widget>`,
    );
    await waitUntil(() => el.state === 'ready', 'the widget subscribes', LIVE);

    await act('widget-key-revoke', { id });
    await waitUntil(() => el.state === 'revoked', 'the revoke is shown', LIVE);
    expect(shadow(el).querySelector('[role="alert"]')?.textContent).to.contain(
      'installation key was revoked',
    );
    await expect(el).to.be.accessible();

    // the admin hands out a new key: the way back is the button
    current = (await act<{ key: string }>('widget-key', {})).key;
    shadow(el).querySelector<HTMLButtonElement>('[part="retry"]')!.click();
    await waitUntil(() => el.state === 'ready', 'back with the new key', LIVE);
  });

  it('after an expired session, "Sign in again" asks the host page for a new session', async () => {
    const el = await mount(freshPhone(), backend.tokens.expired_agent);
    await waitUntil(() => el.state === 'expired', 'the expiry is shown', LIVE);
    await expect(el).to.be.accessible();
    // the host page answers the event with a new token (as a portal signs its agent in again)
    el.addEventListener('c2m-sign-in', () => (el.token = backend.tokens.agent));
    shadow(el).querySelector<HTMLButtonElement>('[part="retry"]')!.click();
    await waitUntil(() => el.state === 'ready', 'back with the new session', LIVE);
  });

  it('shows the unauthorized state for a token c2m refuses', async () => {
    const el = await mount(freshPhone(), 'not-a-session-token');

    await waitUntil(() => el.state === 'unauthorized', 'the token is refused', LIVE);
    expect(shadow(el).querySelector('[role="alert"]')?.textContent).to.contain('Not signed in');
  });
});
