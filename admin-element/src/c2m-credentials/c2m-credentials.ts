import { LitElement, html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { Task } from '@lit/task';
import { localized, msg, str } from '@lit/localize';
import { locale } from '../locale.js';
import {
  AdminApiError,
  type CreatedCredential,
  type CredentialInput,
  type CredentialView,
} from '../api/admin-client.js';
import { SessionController } from '../shared/session.js';
import { C2mCredentialChangedEvent } from '../events.js';
import { sentence } from '../shared/field-errors.js';
import styles from './c2m-credentials.styles.js';
import { dataTable } from '../shared/data-table.js';
import { confirmRow, rowAction } from '../shared/row-actions.js';
import { loadView } from '../shared/task-states.js';

type Permission = CredentialInput['permissions'][number];

/** The permissions a credential can have, as people read them (in the shown language). */
const permissions = (): { value: Permission; label: string; hint: string }[] => [
  { value: 'ivr', label: msg('IVR engagement'), hint: msg('needed to deflect calls') },
  { value: 'reporting', label: msg('Reporting'), hint: '' },
  { value: 'conversations', label: msg('Conversations'), hint: '' },
  { value: 'admin', label: msg('Admin sessions'), hint: msg('lets a portal mint admin sessions') },
];
const permissionLabel = (p: string) => permissions().find((x) => x.value === p)?.label ?? p;

const kindLabels = { oauth1: 'OAuth 1.0a', oauth2: 'OAuth 2.0' } as const;
const secretLabels = (): Record<string, string> => ({
  consumerKey: msg('Consumer key'),
  consumerSecret: msg('Consumer secret'),
  token: msg('Token'),
  tokenSecret: msg('Token secret'),
  clientId: msg('Client ID'),
  clientSecret: msg('Client secret'),
  tokenUrl: msg('Token URL'),
});

/**
 * The account's IVR API credentials (the product's API keys): listed by their public key id,
 * created and rotated with their secrets shown once, revoked. Roles that may only view them see
 * the list without controls.
 *
 * @summary IVR API credentials: list, create, rotate, revoke.
 *
 * @fires c2m-credential-changed - {@link C2mCredentialChangedEvent} after a create, rotate or revoke.
 *
 * @csspart create - The create form.
 * @csspart secrets - The panel that shows new secrets once.
 * @csspart table - The table of credentials.
 * @csspart action - Each row action button.
 * @csspart state - The loading, empty or error text.
 *
 * @cssprop [--c2m-color-accent=#0b5cad] - The border of the secrets panel.
 */
@localized()
export class C2mCredentials extends LitElement {
  static override styles = styles;

  private readonly session = new SessionController(this);

  @state() private name = '';
  @state() private kind: CredentialInput['kind'] = 'oauth1';
  @state() private permissions: Permission[] = ['ivr'];
  @state() private errors: Record<string, string> = {};
  @state() private actionError = '';
  @state() private created?: CreatedCredential;
  @state() private confirming?: string;
  @state() private busy = false;

  private readonly credentials = new Task(this, {
    task: async ([client], { signal }) => (client ? client.listCredentials(signal) : undefined),
    args: () => [this.session.client] as const,
  });

  private get manage() {
    return this.session.may('credentials:manage');
  }

  private async run(
    action: () => Promise<CreatedCredential | CredentialView | void>,
    label: C2mCredentialChangedEvent['action'],
    target?: CredentialView,
  ) {
    this.busy = true;
    this.actionError = '';
    try {
      const result = await action();
      if (result && 'secrets' in result) this.created = result;
      const credential = result ?? target;
      if (credential) this.dispatchEvent(new C2mCredentialChangedEvent(credential, label));
      this.confirming = undefined;
      void this.credentials.run();
      if (this.created) {
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLElement>('#secrets-heading')?.focus();
      }
    } catch (err) {
      if (!(err instanceof AdminApiError)) throw err;
      this.errors = err.fieldErrors;
      this.actionError = err.message;
    } finally {
      this.busy = false;
    }
  }

  private create(e: Event) {
    e.preventDefault();
    if (!this.session.client) return;
    const client = this.session.client;
    if (!this.name.trim()) {
      this.errors = { name: msg('is required') };
      return;
    }
    this.errors = {};
    const input = { name: this.name.trim(), kind: this.kind, permissions: this.permissions };
    void this.run(async () => {
      const created = await client.createCredential(input);
      this.name = '';
      return created;
    }, 'created');
  }

  private togglePermission(p: Permission, on: boolean) {
    this.permissions = on ? [...this.permissions, p] : this.permissions.filter((x) => x !== p);
  }

  private renderCreate() {
    const nameError = this.errors.name;
    return html`<form
      part="create"
      class="toolbar create"
      novalidate
      @submit=${(e: Event) => this.create(e)}
    >
      <div class="field">
        <label for="name">${msg('Name')}</label>
        <input
          id="name"
          maxlength="100"
          .value=${this.name}
          aria-invalid=${nameError ? 'true' : 'false'}
          aria-describedby=${nameError ? 'name-error' : nothing}
          @input=${(e: Event) => (this.name = (e.target as HTMLInputElement).value)}
        />
        ${nameError ? html`<p id="name-error" class="error">${sentence(nameError)}</p>` : nothing}
      </div>
      <div class="field">
        <label for="kind">${msg('Kind')}</label>
        <select
          id="kind"
          @change=${(e: Event) =>
            (this.kind = (e.target as HTMLSelectElement).value as CredentialInput['kind'])}
        >
          <option value="oauth1" ?selected=${this.kind === 'oauth1'}>OAuth 1.0a</option>
          <option value="oauth2" ?selected=${this.kind === 'oauth2'}>OAuth 2.0</option>
        </select>
      </div>
      <fieldset aria-describedby=${this.errors.permissions ? 'permissions-error' : nothing}>
        <legend>${msg('Permissions')}</legend>
        ${permissions().map(
          (p) =>
            html`<input
                type="checkbox"
                id="perm-${p.value}"
                .checked=${this.permissions.includes(p.value)}
                @change=${(e: Event) =>
                  this.togglePermission(p.value, (e.target as HTMLInputElement).checked)}
              />
              <label for="perm-${p.value}">${p.label}${p.hint ? ` (${p.hint})` : ''}</label>`,
        )}
        ${
          this.errors.permissions
            ? html`<p id="permissions-error" class="error">${sentence(this.errors.permissions)}</p>`
            : nothing
        }
      </fieldset>
      <button type="submit" class="primary" ?disabled=${this.busy}>
        ${msg('Create credential')}
      </button>
    </form>`;
  }

  private renderSecrets(c: CreatedCredential) {
    return html`<section part="secrets" class="secrets" aria-labelledby="secrets-heading">
      <h3 id="secrets-heading" tabindex="-1">${msg(str`Secrets of “${c.name}”: copy them now`)}</h3>
      <p class="hint">
        ${msg('They are shown this once; C2M keeps only what it needs to check them.')}
      </p>
      ${Object.entries(c.secrets).map(
        ([key, value]) =>
          html`<div class="field">
            <label for="secret-${key}">${secretLabels()[key] ?? key}</label>
            <input id="secret-${key}" readonly .value=${value} @focus=${selectAll} />
          </div>`,
      )}
      <button type="button" @click=${() => (this.created = undefined)}>
        ${msg('Done, I copied them')}
      </button>
    </section>`;
  }

  private renderActions(c: CredentialView) {
    if (!this.manage || c.revokedAt) return nothing;
    const button = (label: string, run: () => unknown, cls = '') =>
      rowAction(label, c.name, run, { cls, disabled: this.busy });
    const client = this.session.client!;
    if (this.confirming === c.id) {
      return confirmRow(msg(str`Revoke ${c.name}?`), [
        button(
          msg('Revoke'),
          () => this.run(() => client.revokeCredential(c.id), 'revoked', c),
          'danger',
        ),
        button(msg('Keep'), () => (this.confirming = undefined)),
      ]);
    }
    return html`<div class="row-actions">
      ${button(msg('Rotate'), () => this.run(() => client.rotateCredential(c.id), 'rotated'))}
      ${button(msg('Revoke'), () => (this.confirming = c.id), 'danger')}
    </div>`;
  }

  private renderList(items: CredentialView[]) {
    if (items.length === 0)
      return html`<p part="state" class="state">${msg('No credentials yet.')}</p>`;
    return dataTable({
      caption: msg('IVR API credentials'),
      hiddenCaption: true,
      columns: [
        msg('Name'),
        msg('Kind'),
        msg('Key ID'),
        msg('Permissions'),
        msg('Created'),
        msg('Status'),
        this.manage ? msg('Actions') : nothing,
      ],
      rows: items,
      row: (c) =>
        html`<tr part="row" class=${c.revokedAt ? 'revoked' : ''} data-id=${c.id}>
          <td>${c.name}</td>
          <td>${kindLabels[c.kind]}</td>
          <td class="id">${c.keyId}</td>
          <td>${locale.list(c.permissions.map(permissionLabel))}</td>
          <td>${locale.date(c.createdAt)}</td>
          <td>${c.revokedAt ? msg(str`Revoked ${locale.date(c.revokedAt)}`) : msg('Active')}</td>
          ${this.manage ? html`<td>${this.renderActions(c)}</td>` : nothing}
        </tr>`,
    });
  }

  override render() {
    return html`<section aria-labelledby="heading">
      <h2 id="heading" tabindex="-1">${msg('IVR API credentials')}</h2>
      ${this.created ? this.renderSecrets(this.created) : nothing}
      ${this.manage ? this.renderCreate() : nothing}
      <p class="error" role="alert">${this.actionError}</p>
      ${loadView(this.credentials, msg('credentials'), (items) => this.renderList(items))}
    </section>`;
  }
}

function selectAll(e: Event) {
  (e.target as HTMLInputElement).select();
}

if (!customElements.get('c2m-credentials'))
  customElements.define('c2m-credentials', C2mCredentials);

declare global {
  interface HTMLElementTagNameMap {
    'c2m-credentials': C2mCredentials;
  }
}
