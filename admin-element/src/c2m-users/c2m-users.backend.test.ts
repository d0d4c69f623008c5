import '../test-helpers/cloneable-errors.js';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Role } from '../../../backend/contract/policy.js';
import '../index.js';
import { typeInto } from '../test-helpers/dom.js';
import type { C2mAdmin } from '../c2m-admin/c2m-admin.js';
import type { C2mUsers } from './c2m-users.js';

// Against a real c2m (scripts/web-backend.mjs): the users view inside <c2m-admin>, as an admin
// adds a user who then signs in, sets their new password, is refused removing the last admin,
// and removes a user; roles that may not manage users do not get the view.
interface Backend {
  apiBase: string;
  accountId: string;
  tokens: Record<'admin' | 'read_only', string>;
}
let backend: Backend;

/** A sign-in on c2m's own page, made by the test runner (the page's origin is c2m's there). */
const login = async (username: string, password: string) => {
  const res = await fetch('/__c2m/login', {
    method: 'POST',
    body: JSON.stringify({ username, password }),
  });
  return ((await res.json()) as { status: number }).status;
};

async function mount(role: 'admin' | 'read_only') {
  const wrapper = await fixture<HTMLDivElement>(
    html`<div style="width: 390px; overflow: auto">
      <c2m-admin
        api-base=${backend.apiBase}
        account-id=${backend.accountId}
        session-role=${role satisfies Role}
        view="users"
        .token=${backend.tokens[role]}
      ></c2m-admin>
    </div>`,
  );
  return { wrapper, admin: wrapper.querySelector<C2mAdmin>('c2m-admin')! };
}

const buttonIn = (el: ParentNode, label: string) =>
  [...el.querySelectorAll<HTMLButtonElement>('button')].find(
    (b) => b.textContent.trim() === label || b.getAttribute('aria-label') === label,
  );

describe('c2m-users against a real c2m backend', function () {
  this.timeout(20000);

  before(async () => {
    const res = await fetch('/__c2m/backend.json');
    expect(res.ok, 'the c2m backend plugin serves /__c2m/backend.json').to.equal(true);
    backend = (await res.json()) as Backend;
  });

  it('adds users, sets a new password, refuses to remove the last admin, removes', async () => {
    const { wrapper, admin } = await mount('admin');
    await waitUntil(() => admin.shadowRoot!.querySelector('c2m-users'), 'no users view');
    const view = admin.shadowRoot!.querySelector<C2mUsers>('c2m-users')!;
    const root = view.shadowRoot!;
    await waitUntil(() => root.querySelector('[part="list"], [part="state"]'), 'never loaded', {
      timeout: 5000,
    });
    const name = `web-${Date.now()}`;

    // the form's own check first: a short password is refused before anything is sent
    typeInto(root.querySelector('#username'), name);
    typeInto(root.querySelector('#password'), 'short');
    root.querySelector<HTMLSelectElement>('#role')!.value = 'admin';
    root.querySelector('#role')!.dispatchEvent(new Event('change'));
    await view.updateComplete;
    buttonIn(root, 'Add user')!.click();
    await view.updateComplete;
    expect(root.querySelector('#password-error')!.textContent).to.contain('8 characters');
    expect(await login(name, 'short')).to.equal(401);

    typeInto(root.querySelector('#password'), 'first web password');
    await view.updateComplete;
    buttonIn(root, 'Add user')!.click();
    await waitUntil(
      () => root.querySelector(`[part="list"] li`),
      'not listed: ' + root.querySelector('[role="alert"]')!.textContent,
    );
    await waitUntil(() => root.querySelector('[part="done"]')!.textContent.includes(name));
    expect(root.innerHTML).not.to.contain('first web password');
    expect(await login(name, 'first web password')).to.equal(200);
    const row = () =>
      [...root.querySelectorAll<HTMLElement>('[part="list"] li')].find((li) =>
        li.textContent.includes(name),
      )!;
    expect(row().textContent).to.contain('Administrator');

    // a new password, set by the admin: the old one stops working
    buttonIn(row(), `Set password ${name}`)!.click();
    await view.updateComplete;
    typeInto(root.querySelector('#new-password'), 'second web password');
    await view.updateComplete;
    buttonIn(root.querySelector('[part="password"]')!, 'Set password')!.click();
    await waitUntil(() => !root.querySelector('[part="password"]'), 'form stayed open');
    expect(root.querySelector('[part="done"]')!.textContent).to.contain('New password set');
    expect(await login(name, 'first web password')).to.equal(401);
    expect(await login(name, 'second web password')).to.equal(200);

    // the only admin user: the server refuses, the page says why
    buttonIn(row(), `Remove ${name}`)!.click();
    await view.updateComplete;
    buttonIn(row(), `Remove ${name}`)!.click();
    await waitUntil(() => root.querySelector('[role="alert"]')!.textContent.includes('admin'));
    expect(await login(name, 'second web password')).to.equal(200);

    expect(wrapper.scrollWidth, 'fits 390 px').to.be.at.most(390);
    await expect(view).to.be.accessible();

    // a read-only user is removed
    const other = `${name}-ro`;
    typeInto(root.querySelector('#username'), other);
    root.querySelector<HTMLSelectElement>('#role')!.value = 'read_only';
    root.querySelector('#role')!.dispatchEvent(new Event('change'));
    typeInto(root.querySelector('#password'), 'read only password');
    await view.updateComplete;
    buttonIn(root, 'Add user')!.click();
    await waitUntil(() => buttonIn(root, `Remove ${other}`), 'not added');
    buttonIn(root, `Remove ${other}`)!.click();
    await view.updateComplete;
    buttonIn(root, `Remove ${other}`)!.click();
    await waitUntil(() => !buttonIn(root, `Remove ${other}`), 'not removed');
    expect(await login(other, 'read only password')).to.equal(401);
  });

  it('read-only: no Users view in the navigation', async () => {
    const { admin } = await mount('read_only');
    await waitUntil(() => admin.shadowRoot!.querySelector('nav'));
    const labels = [...admin.shadowRoot!.querySelectorAll('nav button')].map((b) =>
      b.textContent.trim(),
    );
    expect(labels).to.include('Messaging providers');
    expect(labels).not.to.include('Users');
    expect(admin.shadowRoot!.querySelector('c2m-users')).to.equal(null);
  });
});
