// The Agent Workspace integration against a real c2m (scripts/web-backend.mjs) and the SDK
// stand-in: the SDE's phone leads the widget to the IVR's invite, a new conversation in the
// workspace re-targets it, and disposing unbinds exactly what was bound.
import '../test-helpers/cloneable-errors.js';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../index.js';
import { startAgentWorkspaceWidget, type AgentWorkspaceWidget } from './agent-workspace.js';
import { AgentSdkStandIn } from './test-sdk-stand-in.js';

interface Backend {
  apiBase: string;
  accountId: string;
  tokens: { agent: string };
}

/** Each step happens within a second in practice; the margin is for a loaded CI machine. */
const LIVE = { timeout: 5000, interval: 20 };

/** A fresh valid US number (exchange 200–899); the sandbox scripts endings …0000 to …0004. */
const randomInt = (from: number, to: number) => from + Math.floor(Math.random() * (to - from));
const freshPhone = () => `+1415${randomInt(200, 900)}${randomInt(1000, 10_000)}`;

async function deflect(phone: string) {
  const res = await fetch('/__c2m/deflect', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone }),
  });
  const answer = (await res.json()) as { ok?: true; error?: string };
  expect(answer.error, '/__c2m/deflect').to.equal(undefined);
}

/** The workspace's public model for a messaging conversation, in the documented shapes. */
const workspaceModel = (conversationId: string, phone: string) => ({
  chatInfo: { rtSessionId: conversationId, accountId: 'le-123', isMessaging: true },
  visitorInfo: { visitorId: `lp-${conversationId}`, visitorName: 'Ada', device: 'MOBILE' },
  SDE: { personal: { contacts: [{ phone }] } },
  surveyQuestions: { preChat: { phone: { value: '' } } },
});

const shownTexts = (el: Element) =>
  [...el.shadowRoot!.querySelectorAll('[part="message"] [part="text"]')].map((t) => t.textContent);

describe('Agent Workspace widget', function () {
  this.timeout(20_000);
  let backend: Backend;
  let started: AgentWorkspaceWidget | undefined;

  before(async () => {
    const res = await fetch('/__c2m/backend.json');
    expect(res.ok, 'the c2m backend plugin serves /__c2m/backend.json').to.equal(true);
    backend = (await res.json()) as Backend;
  });
  afterEach(() => started?.dispose());

  const start = async (sdk: AgentSdkStandIn, onError?: (path: string) => void) => {
    const mount = await fixture<HTMLDivElement>(html`<div></div>`);
    started = startAgentWorkspaceWidget({
      sdk,
      mount,
      apiBase: backend.apiBase,
      token: backend.tokens.agent,
      onError,
    });
    return { mount, el: started.element };
  };

  it('finds the consumer through the SDE and shows the invite the IVR sends', async () => {
    const phone = freshPhone();
    const sdk = new AgentSdkStandIn(workspaceModel('conv-a', phone));
    const { mount, el } = await start(sdk);

    expect(sdk.calls[0]?.method, 'init comes first').to.equal('init');
    expect(mount.querySelector('c2m-cx-widget')).to.equal(el);
    await waitUntil(() => el.getAttribute('consumer-phone-number') === phone, 'phone', LIVE);
    expect(el.getAttribute('conversation-id')).to.equal('conv-a');
    expect(el.getAttribute('consumer-id')).to.equal('lp-conv-a');
    expect(el.getAttribute('api-base')).to.equal(backend.apiBase);
    await waitUntil(() => el.state === 'ready', 'the widget subscribes', LIVE);

    await deflect(phone);
    await waitUntil(
      () => shownTexts(el)[0]?.includes('reply here to chat with us'),
      'the invite appears',
      LIVE,
    );
    expect(el.messages.map((m) => m.consumerPhoneNumber)).to.deep.equal([phone]);
  });

  it('re-targets the widget when the agent moves to another conversation', async () => {
    const first = freshPhone();
    const second = freshPhone();
    await deflect(first);
    const sdk = new AgentSdkStandIn(workspaceModel('conv-b', first));
    const { el } = await start(sdk);
    await waitUntil(() => el.messages.length === 1, 'the first consumer’s invite', LIVE);

    sdk.set('chatInfo', { rtSessionId: 'conv-c', isMessaging: true });
    sdk.set('SDE', { personal: { contacts: [{ phone: second }] } });
    await waitUntil(() => el.getAttribute('conversation-id') === 'conv-c', 'conversation', LIVE);
    await waitUntil(() => el.getAttribute('consumer-phone-number') === second, 'phone', LIVE);
    await waitUntil(
      () => el.state === 'ready' && el.messages.length === 0,
      'the first consumer’s invite is gone',
      LIVE,
    );
    expect(el.shadowRoot!.querySelector('[part="empty"]')).to.exist;

    await deflect(second);
    await waitUntil(() => el.messages.length === 1, 'the second consumer’s invite', LIVE);
    expect(el.messages[0]?.consumerPhoneNumber).to.equal(second);
  });

  it('falls back to the pre-chat survey phone when the SDE has no contacts', async () => {
    const phone = freshPhone();
    const sdk = new AgentSdkStandIn({
      chatInfo: { rtSessionId: 'conv-d' },
      SDE: { customerDetails: [{ customerId: 'cust-42' }] },
      surveyQuestions: {
        preChat: { phone: { value: phone.replace(/^(\+1)(\d{3})/, '$1 ($2) ') } },
      },
    });
    const { el } = await start(sdk);

    await waitUntil(() => el.getAttribute('consumer-phone-number') === phone, 'phone', LIVE);
    expect(el.getAttribute('consumer-id')).to.equal('cust-42');
  });

  it('unbinds every bound path with the bound callback on dispose', async () => {
    const sdk = new AgentSdkStandIn(workspaceModel('conv-e', freshPhone()));
    const { mount, el } = await start(sdk);
    await waitUntil(() => el.hasAttribute('consumer-phone-number'), 'bound', LIVE);
    const bound = sdk.calls.filter((c) => c.method === 'bind');
    expect(bound.map((c) => c.path)).to.have.members([
      'chatInfo.rtSessionId',
      'visitorInfo',
      'SDE',
      'surveyQuestions.preChat.phone',
    ]);

    started!.dispose();
    const unbound = sdk.calls.filter((c) => c.method === 'unbind');
    expect(unbound.map((c) => [c.path, c.fn])).to.deep.equal(bound.map((c) => [c.path, c.fn]));
    expect(sdk.bindingCount()).to.equal(0);
    expect(mount.querySelector('c2m-cx-widget'), 'the widget is removed').to.equal(null);
  });

  it('runs from a widget installation key, and says so when the key is revoked', async () => {
    const created = (await (
      await fetch('/__c2m/widget-key', { method: 'POST', body: '{}' })
    ).json()) as { id: string; key: string };
    // what widgetKeyTokenProvider does on the page (same-origin there; through Node here)
    const tokenProvider = async () => {
      const res = await fetch('/__c2m/widget-session', {
        method: 'POST',
        body: JSON.stringify({ key: created.key }),
      });
      const answer = (await res.json()) as { token?: string; status?: number };
      if (answer.token) return answer.token;
      throw Object.assign(new Error(String(answer.status)), {
        reason: answer.status === 403 ? 'revoked' : 'unauthorized',
      });
    };
    const mount = await fixture<HTMLDivElement>(html`<div></div>`);
    started = startAgentWorkspaceWidget({
      sdk: new AgentSdkStandIn(workspaceModel('conv-k', freshPhone())),
      mount,
      apiBase: backend.apiBase,
      tokenProvider,
    });
    const el = started.element;
    await waitUntil(() => el.state === 'ready', 'a session from the key', LIVE);

    await fetch('/__c2m/widget-key-revoke', {
      method: 'POST',
      body: JSON.stringify({ id: created.id }),
    });
    await waitUntil(() => el.state === 'revoked', 'the revoked key is shown', LIVE);
    expect(el.shadowRoot!.querySelector('[role="alert"]')?.textContent).to.contain('revoked');
  });

  it('reports a binding the SDK refuses', async () => {
    const sdk = new AgentSdkStandIn();
    const refused: string[] = [];
    // an SDK whose handshake never happened refuses every bind, as the real one does
    sdk.init = () => undefined;
    await start(sdk, (path) => refused.push(path));
    await waitUntil(() => refused.length === 4, 'every bind is refused', LIVE);
  });
});
