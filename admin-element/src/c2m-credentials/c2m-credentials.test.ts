import '../test-helpers/cloneable-errors.js';
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { Role } from '../../../backend/contract/policy.js';
// the element's own module defines its tag (the bundle's entry loads it with its view)
import './c2m-credentials.js';
import type { C2mCredentialChangedEvent } from '../events.js';
import { typeInto } from '../test-helpers/dom.js';
import { FakeAdminClient, inSession } from '../test-helpers/fake-client.js';
import type { C2mCredentials } from './c2m-credentials.js';

async function render(client: FakeAdminClient, role: Role = 'admin') {
  const el = await inSession(document.createElement('c2m-credentials'), client, role);
  await waitUntil(() => el.shadowRoot!.querySelector('table, [part="state"]:not(:empty)'));
  await waitUntil(() => !el.shadowRoot!.textContent?.includes('Loading'));
  return el;
}

const root = (el: C2mCredentials) => el.shadowRoot!;
const button = (el: C2mCredentials, label: string) =>
  [...root(el).querySelectorAll<HTMLButtonElement>('button')].find(
    (b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === label,
  );

describe('c2m-credentials', () => {
  it('creates a credential and shows its secrets once, focused', async () => {
    const client = new FakeAdminClient();
    const el = await render(client);
    expect(root(el).querySelector('[part="state"]')?.textContent?.trim()).to.equal(
      'No credentials yet.',
    );
    typeInto(root(el).querySelector<HTMLInputElement>('#name'), 'Genesys IVR');
    await el.updateComplete;
    const changed = oneEvent<C2mCredentialChangedEvent>(el, 'c2m-credential-changed');
    button(el, 'Create credential')!.click();
    expect((await changed).action).to.equal('created');
    await waitUntil(() => root(el).querySelector('[part="secrets"]'));
    expect(client.callsOf('createCredential')[0]).to.deep.equal([
      { name: 'Genesys IVR', kind: 'oauth1', permissions: ['ivr'] },
    ]);
    expect(root(el).activeElement?.id).to.equal('secrets-heading');
    expect(root(el).querySelector<HTMLInputElement>('#secret-consumerSecret')?.value).to.equal(
      'cs',
    );
    await waitUntil(() => root(el).querySelector('tbody tr'));

    button(el, 'Done, I copied them')!.click();
    await el.updateComplete;
    expect(root(el).querySelector('[part="secrets"]')).to.equal(null);
  });

  it('needs a name', async () => {
    const client = new FakeAdminClient();
    const el = await render(client);
    button(el, 'Create credential')!.click();
    await el.updateComplete;
    expect(root(el).querySelector('#name')?.getAttribute('aria-invalid')).to.equal('true');
    expect(root(el).querySelector('#name-error')?.textContent?.trim()).to.equal('Required');
    expect(client.callsOf('createCredential')).to.have.length(0);
  });

  it('revokes after a confirmation', async () => {
    const client = new FakeAdminClient();
    await client.createCredential({ name: 'Old', kind: 'oauth2', permissions: ['ivr'] });
    const el = await render(client);
    button(el, 'Revoke Old')!.click();
    await el.updateComplete;
    expect(client.callsOf('revokeCredential')).to.have.length(0);
    button(el, 'Revoke Old')!.click();
    await waitUntil(() => root(el).querySelector('tbody tr.revoked'));
    expect(client.callsOf('revokeCredential')).to.have.length(1);
    expect(button(el, 'Rotate Old')).to.equal(undefined);
  });

  it('is accessible (axe) with the secrets panel open', async () => {
    const client = new FakeAdminClient();
    const el = await render(client);
    typeInto(root(el).querySelector<HTMLInputElement>('#name'), 'IVR');
    await el.updateComplete;
    button(el, 'Create credential')!.click();
    await waitUntil(() => root(el).querySelector('[part="secrets"]'));
    await expect(el).to.be.accessible();
  });
});
