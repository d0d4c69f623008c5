import '../../../admin-element/src/test-helpers/cloneable-errors.js';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { C2mDemoCallerChangedEvent } from '../events.js';
import '../index.js';
import { demoContext, FakeDemoServer } from '../test-helpers/fake-demo-server.js';
import type { C2mDemo } from './c2m-demo.js';

const root = (el: C2mDemo) => el.shadowRoot!;
const shown = (el: C2mDemo) => root(el).getElementById('demo');
const notice = (el: C2mDemo) =>
  root(el).getElementById('unavailable')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

function contextServer() {
  return new FakeDemoServer()
    .on('GET /demo/context', { body: demoContext() })
    .on('GET /demo/phone/messages', { body: { messages: [] } });
}

describe('c2m-demo', () => {
  describe('opened from the printed URL', () => {
    const realFetch = window.fetch.bind(window);
    const address = location.pathname + location.search;
    afterEach(() => {
      window.fetch = realFetch;
      sessionStorage.removeItem('c2m-demo-key');
      history.replaceState(null, '', address);
    });

    it('sends the key from the #demo= fragment with its calls and takes it out of the address bar', async () => {
      const server = contextServer();
      window.fetch = server.fetch;
      history.replaceState(null, '', `${address}#demo=key-from-the-fragment_1`);
      const el = await fixture<C2mDemo>(html`<c2m-demo></c2m-demo>`);
      await waitUntil(() => shown(el), 'the demo never showed');
      expect(location.hash).to.equal('');
      expect(server.requests.length).to.be.greaterThan(0);
      for (const request of server.requests) {
        expect(request.headers.get('X-C2M-Demo-Key'), request.url).to.equal(
          'key-from-the-fragment_1',
        );
      }
      // kept for this tab, so a reload still has it
      expect(sessionStorage.getItem('c2m-demo-key')).to.equal('key-from-the-fragment_1');
    });
  });

  it('shows the account, the simulator with its handoffs, the phone, the widget and the admin', async () => {
    const el = await fixture<C2mDemo>(html`<c2m-demo .api=${contextServer().api()}></c2m-demo>`);
    await waitUntil(() => shown(el), 'the demo never showed');
    expect(root(el).querySelector('h1')?.textContent?.replace(/\s+/g, ' ').trim()).to.equal(
      'c2m demo · Demo Brand (account 12345678)',
    );
    const ivr = root(el).querySelector('c2m-demo-ivr')!;
    expect(ivr.handoffs.map((h) => h.title)).to.deep.equal(['Demo SMS', 'Demo WhatsApp then SMS']);
    const widget = root(el).querySelector('c2m-cx-widget')!;
    expect(widget.getAttribute('account-id')).to.equal('12345678');
    expect(widget.getAttribute('consumer-phone-number')).to.equal('+14155550123');
    expect((widget as unknown as { token: string }).token).to.equal('agent-token');
    const admin = root(el).querySelector('c2m-admin') as unknown as {
      tokenProvider: () => Promise<string>;
    };
    expect(await admin.tokenProvider()).to.equal('admin-token');
    expect(notice(el)).to.equal('');
  });

  it('has the phone and the widget follow the caller typed in the simulator', async () => {
    const el = await fixture<C2mDemo>(html`<c2m-demo .api=${contextServer().api()}></c2m-demo>`);
    await waitUntil(() => shown(el), 'the demo never showed');
    root(el)
      .querySelector('c2m-demo-ivr')!
      .dispatchEvent(new C2mDemoCallerChangedEvent('+14155550199', 'app-user-1'));
    await el.updateComplete;
    const phone = root(el).querySelector('c2m-demo-phone')!;
    expect([phone.phone, phone.consumerId]).to.deep.equal(['+14155550199', 'app-user-1']);
    const widget = root(el).querySelector('c2m-cx-widget')!;
    expect(widget.getAttribute('consumer-phone-number')).to.equal('+14155550199');
    expect(widget.getAttribute('consumer-id')).to.equal('app-user-1');
  });

  it('says to open the printed URL when c2m refuses the key', async () => {
    const server = new FakeDemoServer().on('GET /demo/context', {
      status: 401,
      body: { errorCode: 1100, errorMessage: 'Open the demo from the URL c2m printed' },
    });
    const el = await fixture<C2mDemo>(html`<c2m-demo .api=${server.api('stale')}></c2m-demo>`);
    await waitUntil(() => notice(el), 'no notice shown');
    expect(notice(el)).to.match(/^Open the demo from the URL c2m printed at start-up/);
    expect(shown(el)).to.equal(null);
  });

  it('says the demo is not here when its API is not', async () => {
    const el = await fixture<C2mDemo>(
      html`<c2m-demo .api=${new FakeDemoServer().api()}></c2m-demo>`,
    );
    await waitUntil(() => notice(el), 'no notice shown');
    expect(notice(el)).to.match(/^The demo is not available here\./);
    expect(notice(el)).to.match(/work everywhere\.$/);
    expect(shown(el)).to.equal(null);
  });

  it('is accessible (axe)', async () => {
    const el = await fixture<C2mDemo>(html`<c2m-demo .api=${contextServer().api()}></c2m-demo>`);
    await waitUntil(() => shown(el), 'the demo never showed');
    await expect(el).to.be.accessible();
  });
});
