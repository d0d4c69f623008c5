import { LitElement, html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { Task } from '@lit/task';
import { localized, msg, str } from '@lit/localize';
import { locale } from '../locale.js';
import { ROLES, type Role } from '../../../backend/contract/policy-table.js';
import type { UserInput, UserView } from '../api/admin-client.js';
import { SessionController } from '../shared/session.js';
import { sentence } from '../shared/field-errors.js';
import { runChange } from '../shared/run-change.js';
import { confirmRow, rowAction } from '../shared/row-actions.js';
import { loadView } from '../shared/task-states.js';
import styles from './c2m-users.styles.js';

/** Each role's name on screen. */
const roleLabel = (role: Role): string =>
  ({
    admin: msg('Administrator'),
    campaign_manager: msg('Campaign manager'),
    read_only: msg('Read only'),
    agent_manager: msg('Agent manager'),
    agent: msg('Agent'),
  })[role];

const MIN_PASSWORD = 8;

/**
 * The people who sign in on C2M's own page: listed with their roles, added with a role and a
 * first password, given a new password by an administrator (who tells it to them), removed
 * (never oneself, never the account's last administrator: the server refuses both). Passwords are
 * never shown; C2M keeps only a hash.
 *
 * @summary Users who sign in on C2M: list, add, set a new password, remove.
 *
 * @csspart add - The form that adds a user.
 * @csspart password - The form that sets a user's new password.
 * @csspart list - The list of users.
 * @csspart action - Each row action button.
 * @csspart done - The visible confirmation of the last change.
 * @csspart state - The loading, empty or error text.
 */
@localized()
export class C2mUsers extends LitElement {
  static override styles = styles;

  private readonly session = new SessionController(this);

  @state() private draft: UserInput = { username: '', role: 'read_only', password: '' };
  @state() private errors: Record<string, string> = {};
  @state() private actionError = '';
  @state() private done = '';
  @state() private busy = false;
  @state() private confirming?: string;
  /** The user whose new password is being typed. */
  @state() private resetting?: UserView;
  @state() private newPassword = '';

  private readonly users = new Task(this, {
    task: async ([client], { signal }) =>
      client?.listUsers ? client.listUsers(signal) : undefined,
    args: () => [this.session.client] as const,
  });

  private get manage() {
    return this.session.may('users:manage');
  }

  /** Runs a change: on success says so on screen and reloads; else shows why. */
  private async run(change: () => Promise<unknown>, done: string) {
    const ok = await runChange((state) => Object.assign(this, state), change, done);
    if (ok) {
      this.confirming = undefined;
      void this.users.run();
    }
    return ok;
  }

  /** The rules the form can check before asking the server: every one broken, by field. */
  private check(fields: { username?: string; password: string }) {
    const errors: Record<string, string> = {};
    if (fields.username !== undefined && !fields.username.trim()) {
      errors.username = msg('is required');
    }
    if (fields.password.length < MIN_PASSWORD) {
      errors.password = msg(str`at least ${MIN_PASSWORD} characters`);
    } else if (fields.password !== fields.password.trim()) {
      errors.password = msg('must not begin or end with a space');
    }
    this.errors = errors;
    return Object.keys(errors).length === 0;
  }

  private async add(e: Event) {
    e.preventDefault();
    const client = this.session.client;
    if (!client?.addUser || this.busy) return;
    const input = { ...this.draft, username: this.draft.username.trim() };
    if (!this.check(input)) {
      this.actionError = msg('Fix the fields marked below.');
      return;
    }
    const ok = await this.run(
      () => client.addUser!(input),
      msg(str`User ${input.username} added as ${roleLabel(input.role)}.`),
    );
    if (ok) this.draft = { username: '', role: this.draft.role, password: '' };
  }

  private async setPassword(e: Event) {
    e.preventDefault();
    const client = this.session.client;
    const user = this.resetting;
    if (!client?.resetUserPassword || !user || this.busy) return;
    if (!this.check({ password: this.newPassword })) return;
    const ok = await this.run(
      () => client.resetUserPassword!(user.id, this.newPassword),
      msg(str`New password set for ${user.username}. Tell it to them.`),
    );
    if (ok) {
      this.resetting = undefined;
      this.newPassword = '';
    }
  }

  private field(
    id: string,
    label: string,
    input: ReturnType<typeof html>,
    hint?: string,
  ): ReturnType<typeof html> {
    const error = this.errors[id === 'new-password' ? 'password' : id];
    return html`<div class="field">
      <label for=${id}>${label}</label>
      ${input} ${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : nothing}
      ${error ? html`<p id="${id}-error" class="error">${sentence(error)}</p>` : nothing}
    </div>`;
  }

  private describedBy(id: string, key: string, hint = false) {
    const ids = [...(hint ? [`${id}-hint`] : []), ...(this.errors[key] ? [`${id}-error`] : [])];
    return ids.length ? ids.join(' ') : nothing;
  }

  private renderAdd() {
    const d = this.draft;
    return html`<form part="add" class="panel" novalidate @submit=${(e: Event) => this.add(e)}>
      <h3>${msg('Add a user')}</h3>
      ${this.field(
        'username',
        msg('User name'),
        html`<input
          id="username"
          autocomplete="off"
          maxlength="128"
          .value=${d.username}
          aria-invalid=${this.errors.username ? 'true' : 'false'}
          aria-describedby=${this.describedBy('username', 'username')}
          @input=${(e: Event) =>
            (this.draft = { ...this.draft, username: (e.target as HTMLInputElement).value })}
        />`,
      )}
      ${this.field(
        'role',
        msg('Role'),
        html`<select
          id="role"
          aria-invalid=${this.errors.role ? 'true' : 'false'}
          aria-describedby=${this.describedBy('role', 'role')}
          @change=${(e: Event) =>
            (this.draft = { ...this.draft, role: (e.target as HTMLSelectElement).value as Role })}
        >
          ${ROLES.map(
            (r) => html`<option value=${r} ?selected=${d.role === r}>${roleLabel(r)}</option>`,
          )}
        </select>`,
      )}
      ${this.field(
        'password',
        msg('First password'),
        html`<input
          id="password"
          type="password"
          autocomplete="new-password"
          maxlength="256"
          .value=${d.password}
          aria-invalid=${this.errors.password ? 'true' : 'false'}
          aria-describedby=${this.describedBy('password', 'password', true)}
          @input=${(e: Event) =>
            (this.draft = { ...this.draft, password: (e.target as HTMLInputElement).value })}
        />`,
        msg(str`At least ${MIN_PASSWORD} characters. Tell it to the user; C2M keeps only a hash.`),
      )}
      <div class="actions">
        <button type="submit" class="primary" ?disabled=${this.busy}>${msg('Add user')}</button>
      </div>
    </form>`;
  }

  private renderPassword(user: UserView) {
    return html`<form
      part="password"
      class="panel"
      novalidate
      @submit=${(e: Event) => this.setPassword(e)}
    >
      <h3 id="password-heading" tabindex="-1">${msg(str`New password for ${user.username}`)}</h3>
      ${this.field(
        'new-password',
        msg('New password'),
        html`<input
          id="new-password"
          type="password"
          autocomplete="new-password"
          maxlength="256"
          .value=${this.newPassword}
          aria-invalid=${this.errors.password ? 'true' : 'false'}
          aria-describedby=${this.describedBy('new-password', 'password', true)}
          @input=${(e: Event) => (this.newPassword = (e.target as HTMLInputElement).value)}
        />`,
        msg(str`At least ${MIN_PASSWORD} characters. Their open sessions go on until they end.`),
      )}
      <div class="actions">
        <button type="submit" class="primary" ?disabled=${this.busy}>${msg('Set password')}</button>
        <button
          type="button"
          @click=${() => {
            this.resetting = undefined;
            this.newPassword = '';
            this.errors = {};
          }}
        >
          ${msg('Cancel')}
        </button>
      </div>
    </form>`;
  }

  private async openReset(user: UserView) {
    this.resetting = user;
    this.newPassword = '';
    this.errors = {};
    this.done = '';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#new-password')?.focus();
  }

  private renderActions(u: UserView) {
    if (!this.manage) return nothing;
    const client = this.session.client;
    const button = (label: string, run: () => unknown, cls = '') =>
      rowAction(label, u.username, run, { cls, disabled: this.busy });
    if (this.confirming === u.id) {
      return confirmRow(msg(str`Remove ${u.username}?`), [
        button(
          msg('Remove'),
          () => this.run(() => client!.removeUser!(u.id), msg(str`User ${u.username} removed.`)),
          'danger',
        ),
        button(msg('Keep'), () => (this.confirming = undefined)),
      ]);
    }
    return html`<div class="row-actions">
      ${button(msg('Set password'), () => this.openReset(u))}
      ${button(msg('Remove'), () => (this.confirming = u.id), 'danger')}
    </div>`;
  }

  private renderList(users: UserView[]) {
    if (users.length === 0) {
      return html`<p part="state" class="state">
        ${msg('No users yet: people sign in through your portal, or add one here.')}
      </p>`;
    }
    return html`<ul part="list" class="users" aria-label=${msg('Users')}>
      ${users.map(
        (u) =>
          html`<li data-id=${u.id}>
            <span class="name">${u.username}</span>
            <span class="meta"
              >${roleLabel(u.role)} · ${msg(str`added ${locale.date(u.createdAt)}`)}</span
            >
            ${this.renderActions(u)}
          </li>`,
      )}
    </ul>`;
  }

  override render() {
    const client = this.session.client;
    return html`<section aria-labelledby="heading">
      <h2 id="heading" tabindex="-1">${msg('Users')}</h2>
      <p class="hint">
        ${msg('People who sign in on C2M’s own page with a user name and password.')}
      </p>
      ${this.manage ? this.renderAdd() : nothing}
      ${this.resetting ? this.renderPassword(this.resetting) : nothing}
      <p class="error" role="alert">${this.actionError}</p>
      <p part="done" class="done" role="status">${this.done}</p>
      ${
        client && !client.listUsers
          ? html`<p part="state" class="state">${msg('This C2M client cannot manage users.')}</p>`
          : loadView(this.users, msg('users'), (items) => this.renderList(items))
      }
    </section>`;
  }
}

if (!customElements.get('c2m-users')) customElements.define('c2m-users', C2mUsers);

declare global {
  interface HTMLElementTagNameMap {
    'c2m-users': C2mUsers;
  }
}
