import { LitElement, html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { Task } from '@lit/task';
import { localized, msg, str } from '@lit/localize';
import { locale } from '../locale.js';
import { AdminApiError, type CreatedWidgetKey, type WidgetKeyView } from '../api/admin-client.js';
import { SessionController } from '../shared/session.js';
import { C2mWidgetKeyChangedEvent } from '../events.js';
import { sentence } from '../shared/field-errors.js';
import { dataTable } from '../shared/data-table.js';
import { confirmRow, rowAction } from '../shared/row-actions.js';
import { loadView } from '../shared/task-states.js';
import styles from './c2m-widget-keys.styles.js';

/**
 * The account's widget installation keys: what a brand registers once in LivePerson's Agent
 * Workspace (`/agent-workspace#key=…`), from which the widget page mints its short sessions.
 * Created with the key and its Agent Workspace URL shown once, listed without them, revoked (the
 * widgets using it say so at once).
 *
 * @summary Widget installation keys: list, create, revoke.
 *
 * @fires c2m-widget-key-changed - {@link C2mWidgetKeyChangedEvent} after a create or a revoke.
 *
 * @csspart create - The create form.
 * @csspart secrets - The panel that shows a new key once.
 * @csspart table - The table of keys.
 * @csspart action - Each row action button.
 * @csspart state - The loading, empty or error text.
 */
@localized()
export class C2mWidgetKeys extends LitElement {
  static override styles = styles;

  private readonly session = new SessionController(this);

  @state() private name = '';
  @state() private nameError = '';
  @state() private actionError = '';
  @state() private created?: CreatedWidgetKey;
  @state() private confirming?: string;
  @state() private busy = false;

  private readonly keys = new Task(this, {
    task: async ([client], { signal }) => {
      if (!client) return undefined;
      if (!client.listWidgetKeys) throw new Error(msg('This C2M client has no widget keys.'));
      return client.listWidgetKeys(signal);
    },
    args: () => [this.session.client] as const,
  });

  private get manage() {
    return this.session.may('widget_keys:manage');
  }

  private async run(
    action: () => Promise<CreatedWidgetKey | void>,
    what: C2mWidgetKeyChangedEvent['action'],
    target?: WidgetKeyView,
  ) {
    this.busy = true;
    this.actionError = '';
    try {
      const result = await action();
      if (result) this.created = result;
      this.confirming = undefined;
      const key = result ?? target;
      if (key)
        this.dispatchEvent(new C2mWidgetKeyChangedEvent({ id: key.id, name: key.name }, what));
      void this.keys.run();
      if (result) {
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLElement>('#secrets-heading')?.focus();
      }
    } catch (err) {
      if (!(err instanceof AdminApiError)) throw err;
      this.nameError = err.fieldErrors.name ?? '';
      this.actionError = err.message;
    } finally {
      this.busy = false;
    }
  }

  private create(e: Event) {
    e.preventDefault();
    const client = this.session.client;
    if (!client?.createWidgetKey) return;
    const name = this.name.trim();
    if (!name) {
      this.nameError = msg('is required');
      return;
    }
    this.nameError = '';
    void this.run(async () => {
      const created = await client.createWidgetKey!({ name });
      this.name = '';
      return created;
    }, 'created');
  }

  private renderCreate() {
    const error = this.nameError;
    return html`<form
      part="create"
      class="toolbar create"
      novalidate
      @submit=${(e: Event) => this.create(e)}
    >
      <div class="field">
        <label for="name">${msg('Where it is installed')}</label>
        <input
          id="name"
          maxlength="100"
          placeholder=${msg('Agent Workspace')}
          .value=${this.name}
          aria-invalid=${error ? 'true' : 'false'}
          aria-describedby=${error ? 'name-error' : nothing}
          @input=${(e: Event) => (this.name = (e.target as HTMLInputElement).value)}
        />
        ${error ? html`<p id="name-error" class="error">${sentence(error)}</p>` : nothing}
      </div>
      <button type="submit" class="primary" ?disabled=${this.busy}>
        ${msg('Create widget key')}
      </button>
    </form>`;
  }

  private renderSecrets(k: CreatedWidgetKey) {
    return html`<section part="secrets" class="secrets" aria-labelledby="secrets-heading">
      <h3 id="secrets-heading" tabindex="-1">${msg(str`Key “${k.name}”: copy it now`)}</h3>
      <p class="hint">
        ${msg(
          'Register the URL as a widget in LivePerson’s Agent Workspace. It is shown this once; C2M keeps only a hash.',
        )}
      </p>
      <div class="field">
        <label for="workspace-url">${msg('Agent Workspace URL')}</label>
        <input id="workspace-url" readonly .value=${k.workspaceUrl} @focus=${selectAll} />
      </div>
      <div class="field">
        <label for="key">${msg('Key')}</label>
        <input id="key" readonly .value=${k.key} @focus=${selectAll} />
      </div>
      <button type="button" @click=${() => (this.created = undefined)}>
        ${msg('Done, I copied it')}
      </button>
    </section>`;
  }

  private renderActions(k: WidgetKeyView) {
    if (!this.manage || k.revokedAt) return nothing;
    const client = this.session.client!;
    const button = (label: string, run: () => unknown, cls = '') =>
      rowAction(label, k.name, run, { cls, disabled: this.busy });
    if (this.confirming === k.id) {
      return confirmRow(msg(str`Revoke ${k.name}? Its widgets stop at once.`), [
        button(
          msg('Revoke'),
          () => this.run(() => client.revokeWidgetKey!(k.id), 'revoked', k),
          'danger',
        ),
        button(msg('Keep'), () => (this.confirming = undefined)),
      ]);
    }
    return html`<div class="row-actions">
      ${button(msg('Revoke'), () => (this.confirming = k.id), 'danger')}
    </div>`;
  }

  private renderList(items: WidgetKeyView[]) {
    if (items.length === 0) {
      return html`<p part="state" class="state">${msg('No widget keys yet.')}</p>`;
    }
    return dataTable({
      caption: msg('Widget installation keys'),
      hiddenCaption: true,
      columns: [msg('Name'), msg('Created'), msg('Status'), this.manage ? msg('Actions') : nothing],
      rows: items,
      row: (k) =>
        html`<tr part="row" class=${k.revokedAt ? 'revoked' : ''} data-id=${k.id}>
          <td>${k.name}</td>
          <td>${locale.date(k.createdAt)}</td>
          <td>${k.revokedAt ? msg(str`Revoked ${locale.date(k.revokedAt)}`) : msg('Active')}</td>
          ${this.manage ? html`<td>${this.renderActions(k)}</td>` : nothing}
        </tr>`,
    });
  }

  override render() {
    return html`<section aria-labelledby="heading">
      <h2 id="heading" tabindex="-1">${msg('Widget installation keys')}</h2>
      <p class="hint">
        ${msg(
          'One key per Agent Workspace installation: the widget mints short sessions from it and renews them. A key reads the widget’s messages and nothing else.',
        )}
      </p>
      ${this.created ? this.renderSecrets(this.created) : nothing}
      ${this.manage ? this.renderCreate() : nothing}
      <p class="error" role="alert">${this.actionError}</p>
      ${loadView(this.keys, msg('widget keys'), (items) => this.renderList(items))}
    </section>`;
  }
}

function selectAll(e: Event) {
  (e.target as HTMLInputElement).select();
}

if (!customElements.get('c2m-widget-keys')) customElements.define('c2m-widget-keys', C2mWidgetKeys);

declare global {
  interface HTMLElementTagNameMap {
    'c2m-widget-keys': C2mWidgetKeys;
  }
}
