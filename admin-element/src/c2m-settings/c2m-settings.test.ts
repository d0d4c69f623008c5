import '../test-helpers/cloneable-errors.js';
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { Role } from '../../../backend/contract/policy.js';
import type { SettingsInput } from '../../../backend/contract/settings.js';
// the element's own module defines its tag (the bundle's entry loads it with its view)
import './c2m-settings.js';
import { AdminApiError } from '../api/admin-client.js';
import type { C2mSettingsSavedEvent } from '../events.js';
import { typeInto } from '../test-helpers/dom.js';
import { FakeAdminClient, inSession } from '../test-helpers/fake-client.js';
import type { C2mSettings } from './c2m-settings.js';

function clientWithSettings() {
  const client = new FakeAdminClient();
  client.settings = {
    ...client.settings,
    channels: [
      { name: 'wa', enabled: true },
      { name: 'sms', enabled: true },
      { name: 'inapp', enabled: false },
    ],
    routing: [
      { name: 'sales', routingEnabled: true },
      { name: 'billing', routingEnabled: false },
    ],
    defaultSkill: 'sales',
  };
  return client;
}

async function renderSettings(client: FakeAdminClient, role: Role = 'admin') {
  const el = await inSession(document.createElement('c2m-settings'), client, role);
  await waitUntil(() => el.shadowRoot!.querySelector('form'), 'settings never loaded');
  return el;
}

const root = (el: C2mSettings) => el.shadowRoot!;
const field = (el: C2mSettings, id: string) => root(el).getElementById(id) as HTMLInputElement;

describe('c2m-settings', () => {
  it('shows the loaded settings', async () => {
    const el = await renderSettings(clientWithSettings());
    expect(field(el, 'smsOptOutText').value).to.equal('Reply STOP to opt out.');
    expect(field(el, 'deviceCheck').checked).to.equal(false);
    expect(field(el, 'skill-0').checked).to.equal(true);
    const options = [...root(el).querySelectorAll('#defaultSkill option')].map((o) =>
      o.textContent?.trim(),
    );
    expect(options).to.deep.equal(['None', 'sales']);
    expect(root(el).querySelector('c2m-channel-order')?.hasAttribute('exclusive')).to.equal(false);
  });

  it('saves the edited settings and fires saved once', async () => {
    const client = clientWithSettings();
    const el = await renderSettings(client);
    field(el, 'deviceCheck').click();
    typeInto(field(el, 'smsOptOutText'), 'Text STOP to end.');
    typeInto(field(el, 'frequencyCapPerHour'), '5');
    await el.updateComplete;
    const saved = oneEvent<C2mSettingsSavedEvent>(el, 'c2m-settings-saved');
    root(el).querySelector<HTMLButtonElement>('[part="save"]')!.click();
    await saved;
    const [input] = client.callsOf('updateSettings')[0] as [SettingsInput];
    expect(input).to.include({
      deviceCheck: true,
      smsOptOutText: 'Text STOP to end.',
      frequencyCapPerHour: 5,
    });
  });

  it('validates a field as it is edited and blocks the save', async () => {
    const client = clientWithSettings();
    const el = await renderSettings(client);
    typeInto(field(el, 'frequencyCapPerHour'), '0');
    await el.updateComplete;
    expect(field(el, 'frequencyCapPerHour').getAttribute('aria-invalid')).to.equal('true');
    expect(root(el).getElementById('frequencyCapPerHour-error')?.textContent?.trim()).to.equal(
      'Must be a whole number from 1 to 1000',
    );
    typeInto(field(el, 'rateLimitPerSec'), '0'); // 0 lifts the limit: allowed
    await el.updateComplete;
    expect(field(el, 'rateLimitPerSec').getAttribute('aria-invalid')).to.equal('false');
    root(el).querySelector<HTMLButtonElement>('[part="save"]')!.click();
    await el.updateComplete;
    expect(client.callsOf('updateSettings')).to.have.length(0);
  });

  it("shows the server's field errors next to their fields", async () => {
    const client = clientWithSettings();
    const el = await renderSettings(client);
    client.failNext = new AdminApiError(400, 'validation_failed', 'defaultSkill: not routed', {
      defaultSkill: 'must be a skill with routing enabled',
    });
    root(el).querySelector<HTMLButtonElement>('[part="save"]')!.click();
    await waitUntil(() => root(el).getElementById('defaultSkill-error'));
    expect(field(el, 'defaultSkill').getAttribute('aria-describedby')).to.contain(
      'defaultSkill-error',
    );
    expect(root(el).getElementById('defaultSkill-error')?.textContent?.trim()).to.equal(
      'Must be a skill with routing enabled',
    );
  });

  it('edits the time zone of the reports, checking the name as it is typed', async () => {
    const client = clientWithSettings();
    const el = await renderSettings(client);
    expect(field(el, 'timezone').value).to.equal('UTC');
    expect(root(el).querySelector('#timezones option[value="America/New_York"]')).to.not.equal(
      null,
    );
    typeInto(field(el, 'timezone'), 'Mars/Olympus');
    await el.updateComplete;
    expect(field(el, 'timezone').getAttribute('aria-invalid')).to.equal('true');
    expect(root(el).getElementById('timezone-error')?.textContent?.trim()).to.match(
      /^Must be an IANA time zone name/,
    );
    root(el).querySelector<HTMLButtonElement>('[part="save"]')!.click();
    await el.updateComplete;
    expect(client.callsOf('updateSettings')).to.have.length(0);

    typeInto(field(el, 'timezone'), 'Asia/Kolkata');
    await el.updateComplete;
    expect(field(el, 'timezone').getAttribute('aria-invalid')).to.equal('false');
    const saved = oneEvent<C2mSettingsSavedEvent>(el, 'c2m-settings-saved');
    root(el).querySelector<HTMLButtonElement>('[part="save"]')!.click();
    await saved;
    const [input] = client.callsOf('updateSettings')[0] as [SettingsInput];
    expect(input.timezone).to.equal('Asia/Kolkata');
  });

  it('shows the settings without controls to a read-only role', async () => {
    const el = await renderSettings(clientWithSettings(), 'read_only');
    expect(root(el).querySelector('[part="save"], c2m-channel-order')).to.equal(null);
    expect(field(el, 'smsOptOutText').matches(':disabled')).to.equal(true);
    const channels = [...root(el).querySelectorAll('ol li')].map((li) => li.textContent?.trim());
    expect(channels).to.deep.equal(['WhatsApp: enabled', 'SMS: enabled', 'In-app: disabled']);
  });

  it('is accessible (axe)', async () => {
    const el = await renderSettings(clientWithSettings());
    await expect(el).to.be.accessible();
  });
});
