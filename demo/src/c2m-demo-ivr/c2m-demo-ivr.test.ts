import '../../../admin-element/src/test-helpers/cloneable-errors.js';
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { EligibilityResponse } from '../../../backend/contract/deflection.js';
import type { C2mDemoCallerChangedEvent, C2mDemoInvitedEvent } from '../events.js';
import '../index.js';
import { demoContext, FakeDemoServer } from '../test-helpers/fake-demo-server.js';
import type { C2mDemoIvr } from './c2m-demo-ivr.js';

const CALL_ID = '0b7d3a52-4a6e-4c7b-9f0e-1d2c3b4a5f60';
const eligible: EligibilityResponse = {
  availableChannels: ['wa', 'sms'],
  recommendedChannelName: 'wa',
  eligible: true,
  callId: CALL_ID,
  channels: [
    { name: 'wa', eligible: true, reason: 'eligible' },
    { name: 'sms', eligible: false, reason: 'opted_out' },
  ],
};

async function renderIvr(server: FakeDemoServer) {
  const { handoffs, skills } = demoContext();
  return fixture<C2mDemoIvr>(
    html`<c2m-demo-ivr
      .api=${server.api()}
      .handoffs=${handoffs}
      .skills=${skills}
      phone-number="+14155550123"
    ></c2m-demo-ivr>`,
  );
}

const root = (el: C2mDemoIvr) => el.shadowRoot!;
const button = (el: C2mDemoIvr, id: string) => root(el).getElementById(id) as HTMLButtonElement;
const text = (el: C2mDemoIvr, selector: string) =>
  root(el).querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

describe('c2m-demo-ivr', () => {
  it('lists the handoffs with their channels and starts with the given caller', async () => {
    const el = await renderIvr(new FakeDemoServer());
    const options = [...root(el).querySelectorAll('#handoff option')].map((o) =>
      o.textContent?.replace(/\s+/g, ' ').trim(),
    );
    expect(options).to.deep.equal(['Demo SMS — SMS', 'Demo WhatsApp then SMS — WhatsApp, SMS']);
    expect((root(el).getElementById('phone') as HTMLInputElement).value).to.equal('+14155550123');
    expect(button(el, 'invite').disabled).to.equal(true);
  });

  it('checks eligibility with the form, shows each channel with its reason, then invites', async () => {
    const server = new FakeDemoServer()
      .on('POST /demo/ivr/eligibility', { body: eligible })
      .on('POST /demo/ivr/invite', { body: { callId: CALL_ID } });
    const el = await renderIvr(server);
    (root(el).getElementById('handoff') as HTMLSelectElement).value = 'H000000000000002';
    (root(el).getElementById('skill') as HTMLSelectElement).value = 'sales';

    const followed = oneEvent<C2mDemoCallerChangedEvent>(el, 'c2m-demo-caller-changed');
    button(el, 'check').click();
    expect((await followed).phone).to.equal('+14155550123');
    await waitUntil(() => !button(el, 'invite').disabled, 'the eligible call never invitable');

    expect(server.requestsTo('POST /demo/ivr/eligibility')[0].body).to.deep.equal({
      skill: 'sales',
      consumerPhoneNumber: '+14155550123',
      handoffId: 'H000000000000002',
      templateVariables: { 1: 'Ada' },
    });
    expect(text(el, '.verdict')).to.match(/^Eligible — recommended channel: WhatsApp/);
    const rows = [...root(el).querySelectorAll('tbody tr')].map((r) =>
      [...r.querySelectorAll('td')].map((td) => td.textContent?.replace(/\s+/g, ' ').trim()),
    );
    expect(rows).to.deep.equal([
      ['WhatsApp', 'yes', 'eligible can be used'],
      ['SMS', 'no', 'opted_out the number sent STOP'],
    ]);

    const invited = oneEvent<C2mDemoInvitedEvent>(el, 'c2m-demo-invited');
    button(el, 'invite').click();
    expect((await invited).callId).to.equal(CALL_ID);
    await el.updateComplete;
    expect(server.requestsTo('POST /demo/ivr/invite').map((r) => r.body)).to.deep.equal([
      { callId: CALL_ID },
    ]);
    expect(button(el, 'invite').disabled, 'a call is invited once').to.equal(true);
    expect(root(el).textContent).to.include('Invited: the message is on its way');
  });

  it('shows what c2m refused, with its code', async () => {
    const server = new FakeDemoServer().on('POST /demo/ivr/eligibility', {
      status: 400,
      body: { errorCode: 1500, errorMessage: 'No such handoff' },
    });
    const el = await renderIvr(server);
    button(el, 'check').click();
    await waitUntil(() => text(el, '[role="alert"]'), 'no error shown');
    expect(text(el, '[role="alert"]')).to.equal(
      'Eligibility refused the request: 1500: No such handoff',
    );
    expect(root(el).querySelector('table')).to.equal(null);
    expect(button(el, 'invite').disabled).to.equal(true);
  });

  it('follows only a number in E.164', async () => {
    const el = await renderIvr(new FakeDemoServer());
    let followed = 0;
    el.addEventListener('c2m-demo-caller-changed', () => followed++);
    const phone = root(el).getElementById('phone') as HTMLInputElement;
    phone.value = '4155550123';
    phone.dispatchEvent(new Event('change'));
    expect(followed).to.equal(0);
    phone.value = '+14155550199';
    phone.dispatchEvent(new Event('change'));
    expect(followed).to.equal(1);
  });

  it('is accessible (axe)', async () => {
    const server = new FakeDemoServer().on('POST /demo/ivr/eligibility', { body: eligible });
    const el = await renderIvr(server);
    button(el, 'check').click();
    await waitUntil(() => root(el).querySelector('table'), 'no answer shown');
    await expect(el).to.be.accessible();
  });
});
