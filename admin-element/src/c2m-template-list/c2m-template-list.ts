import { LitElement, html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { Task, TaskStatus } from '@lit/task';
import { can, type Action, type Role } from '../../../backend/contract/policy.js';
import {
  TemplateStatus,
  templateEditable,
  type TemplateStatusView,
  type TemplateView,
} from '../../../backend/contract/templates.js';
import { AdminApiError, type AdminClient } from '../api/admin-client.js';
import { adminClientContext, roleContext } from '../context.js';
import {
  C2mTemplateChangedEvent,
  C2mTemplateCreateRequestedEvent,
  C2mTemplateDeletedEvent,
  C2mTemplateSelectedEvent,
} from '../events.js';
import { templateStatusLabels } from '../shared/template-labels.js';
import styles from './c2m-template-list.styles.js';
import { loadFailedState, loadingState } from '../shared/task-states.js';

interface Query {
  offset: number;
  limit: number;
  status: TemplateStatus | '';
  name: string;
}

/** A page of full templates, or for a role that may only see their status, of statuses. */
type Listing =
  | { kind: 'full'; items: TemplateView[]; total: number }
  | { kind: 'status'; items: TemplateStatusView[]; total: number };

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/**
 * The account's WhatsApp message templates with their approval status. Roles that may manage
 * templates can create, edit (drafts and rejected ones only: approved templates are WhatsApp's,
 * clone them to change), submit for approval, clone and delete; an agent manager sees only the
 * status of approved templates. Without a WhatsApp provider the sandbox reviews submitted
 * templates, and this list offers its Approve / Reject.
 *
 * @summary List of WhatsApp templates with status and, by role, their actions.
 *
 * @fires c2m-template-selected - {@link C2mTemplateSelectedEvent} when Edit is pressed.
 * @fires c2m-template-create-requested - {@link C2mTemplateCreateRequestedEvent} on New template.
 * @fires c2m-template-changed - {@link C2mTemplateChangedEvent} after submit, clone or a review.
 * @fires c2m-template-deleted - {@link C2mTemplateDeletedEvent} after a confirmed delete.
 *
 * @csspart toolbar - Filters and the New template button.
 * @csspart create - The New template button.
 * @csspart table - The table of templates.
 * @csspart row - One template's row.
 * @csspart status - A template's status badge.
 * @csspart action - Each row action button.
 * @csspart pager - The pagination controls.
 * @csspart state - The loading, empty or error text.
 *
 * @cssprop [--c2m-color-success=#1e6b34] - The approved badge.
 * @cssprop [--c2m-color-warning=#7a4b00] - The pending badge.
 * @cssprop [--c2m-color-danger=#b3261e] - Rejected, paused and disabled badges.
 */
export class C2mTemplateList extends LitElement {
  static override styles = styles;

  @consume({ context: adminClientContext, subscribe: true })
  @state()
  private client?: AdminClient;

  @consume({ context: roleContext, subscribe: true })
  @state()
  private sessionRole?: Role;

  @state() private query: Query = { offset: 0, limit: 20, status: '', name: '' };
  @state() private confirming?: string;
  @state() private busy?: string;
  @state() private announcement = '';
  @state() private actionError = '';

  private readonly templates = new Task(this, {
    task: async ([client, role, query], { signal }): Promise<Listing | undefined> => {
      if (!client || !role) return undefined;
      const { offset, limit } = query;
      const filters = {
        offset,
        limit,
        ...(query.status && { status: query.status }),
        ...(query.name.trim() && { name: query.name.trim() }),
      };
      if (can(role, 'templates:view')) {
        return { kind: 'full', ...(await client.listTemplates(filters, signal)) };
      }
      return { kind: 'status', ...(await client.listTemplateStatus(filters, signal)) };
    },
    args: () => [this.client, this.sessionRole, this.query] as const,
  });

  /** Loads the current page again. */
  reload(): void {
    void this.templates.run();
  }

  private may(action: Action) {
    return this.sessionRole !== undefined && can(this.sessionRole, action);
  }

  private setQuery(patch: Partial<Query>) {
    this.query = { ...this.query, ...patch };
  }

  /** Runs one row action, then reloads and announces, or shows why it failed. */
  private async act(t: TemplateView, label: string, action: () => Promise<unknown>) {
    this.busy = t.id;
    this.actionError = '';
    try {
      await action();
      this.announcement = `${t.name} (${t.language}): ${label}`;
      this.reload();
    } catch (err) {
      if (!(err instanceof AdminApiError)) throw err;
      this.actionError = `${t.name} (${t.language}): ${err.message}`;
    } finally {
      this.busy = undefined;
      this.confirming = undefined;
    }
  }

  private submit(t: TemplateView) {
    return this.act(t, 'submitted for approval', async () => {
      const submitted = await this.client!.submitTemplate(t.id);
      this.dispatchEvent(new C2mTemplateChangedEvent(submitted, 'submitted'));
    });
  }

  private clone(t: TemplateView) {
    return this.act(t, 'cloned as a new draft', async () => {
      const clone = await this.client!.cloneTemplate(t.id);
      this.dispatchEvent(new C2mTemplateChangedEvent(clone, 'cloned'));
    });
  }

  private review(t: TemplateView, decision: 'approve' | 'reject') {
    return this.act(t, decision === 'approve' ? 'approved' : 'rejected', async () => {
      const reviewed = await this.client!.reviewTemplate(t.id, { decision });
      this.dispatchEvent(new C2mTemplateChangedEvent(reviewed, 'reviewed'));
    });
  }

  private deleteTemplate(t: TemplateView) {
    return this.act(t, 'deleted', async () => {
      await this.client!.deleteTemplate(t.id);
      this.dispatchEvent(new C2mTemplateDeletedEvent(t.id));
    });
  }

  private renderToolbar() {
    return html`<div part="toolbar" class="toolbar" role="search" aria-label="Filter templates">
      <div class="field">
        <label for="filter-name">Name contains</label>
        <input
          id="filter-name"
          type="search"
          .value=${this.query.name}
          @input=${(e: Event) =>
            this.setQuery({ name: (e.target as HTMLInputElement).value, offset: 0 })}
        />
      </div>
      ${
        this.may('templates:view')
          ? html`<div class="field">
              <label for="filter-status">Status</label>
              <select
                id="filter-status"
                @change=${(e: Event) =>
                  this.setQuery({
                    status: (e.target as HTMLSelectElement).value as Query['status'],
                    offset: 0,
                  })}
              >
                <option value="" ?selected=${this.query.status === ''}>Any status</option>
                ${TemplateStatus.options.map(
                  (s) =>
                    html`<option value=${s} ?selected=${this.query.status === s}>
                      ${templateStatusLabels[s]}
                    </option>`,
                )}
              </select>
            </div>`
          : nothing
      }
      <span class="spacer"></span>
      ${
        this.may('templates:create')
          ? html`<button
              type="button"
              part="create"
              class="primary"
              @click=${() => this.dispatchEvent(new C2mTemplateCreateRequestedEvent())}
            >
              New template
            </button>`
          : nothing
      }
    </div>`;
  }

  private renderStatus(t: { status: TemplateStatus; statusReason?: string | null }) {
    return html`<span part="status" class="status status--${t.status}">
        ${templateStatusLabels[t.status]}
      </span>
      ${t.statusReason ? html`<span class="reason">${t.statusReason}</span>` : nothing}`;
  }

  private renderActions(t: TemplateView) {
    const name = `${t.name} (${t.language})`;
    const disabled = this.busy === t.id;
    const button = (label: string, run: () => unknown, cls = '') =>
      html`<button
        type="button"
        part="action"
        class=${cls}
        aria-label="${label} ${name}"
        ?disabled=${disabled}
        @click=${run}
      >
        ${label}
      </button>`;
    if (this.confirming === t.id) {
      return html`<div class="row-actions" role="group" aria-label="Delete ${name}?">
        ${button('Delete', () => this.deleteTemplate(t), 'danger')}
        ${button('Keep', () => (this.confirming = undefined))}
      </div>`;
    }
    const editable = templateEditable(t.status);
    return html`<div class="row-actions">
      ${
        editable && this.may('templates:edit')
          ? button('Edit', () => this.dispatchEvent(new C2mTemplateSelectedEvent(t)))
          : nothing
      }
      ${
        editable && this.may('templates:publish')
          ? button('Submit', () => this.submit(t), 'primary')
          : nothing
      }
      ${
        t.status === 'pending' && this.may('templates:publish')
          ? html`${button('Approve in sandbox', () => this.review(t, 'approve'))}
            ${button('Reject in sandbox', () => this.review(t, 'reject'))}`
          : nothing
      }
      ${!editable && this.may('templates:create') ? button('Clone', () => this.clone(t)) : nothing}
      ${
        this.may('templates:delete')
          ? button('Delete', () => (this.confirming = t.id), 'danger')
          : nothing
      }
    </div>`;
  }

  private renderFull(items: TemplateView[]) {
    const actions = (['templates:edit', 'templates:publish', 'templates:delete'] as const).some(
      (a) => this.may(a),
    );
    return html`<table part="table">
      <caption class="visually-hidden">
        WhatsApp templates
      </caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Language</th>
          <th scope="col">Category</th>
          <th scope="col">Text</th>
          <th scope="col">Status</th>
          <th scope="col">Updated</th>
          ${actions ? html`<th scope="col">Actions</th>` : nothing}
        </tr>
      </thead>
      <tbody>
        ${items.map(
          (t) =>
            html`<tr part="row" data-id=${t.id}>
              <td>${t.name}</td>
              <td>${t.language}</td>
              <td>${t.category}</td>
              <td class="body">${t.body}</td>
              <td>${this.renderStatus(t)}</td>
              <td>
                <time datetime=${t.updatedAt}>${dateFormat.format(Date.parse(t.updatedAt))}</time>
              </td>
              ${actions ? html`<td>${this.renderActions(t)}</td>` : nothing}
            </tr>`,
        )}
      </tbody>
    </table>`;
  }

  private renderStatusOnly(items: TemplateStatusView[]) {
    return html`<p class="hint">Approved templates only, with their status.</p>
      <table part="table">
        <caption class="visually-hidden">
          Approved WhatsApp templates
        </caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Language</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          ${items.map(
            (t) =>
              html`<tr part="row">
                <td>${t.name}</td>
                <td>${t.language}</td>
                <td>${this.renderStatus(t)}</td>
              </tr>`,
          )}
        </tbody>
      </table>`;
  }

  private renderListing(listing: Listing | undefined) {
    if (!listing) return html`<p part="state" class="state">Not connected to C2M.</p>`;
    if (listing.items.length === 0) {
      const filtered = this.query.name.trim() || this.query.status;
      return html`<p part="state" class="state">
        ${filtered ? 'No template matches the filters.' : 'No WhatsApp templates yet.'}
      </p>`;
    }
    const { offset, limit } = this.query;
    return html`${
        listing.kind === 'full'
          ? this.renderFull(listing.items)
          : this.renderStatusOnly(listing.items)
      }
      <nav part="pager" class="pager" aria-label="Pages of templates">
        <button
          type="button"
          ?disabled=${offset === 0}
          @click=${() => this.setQuery({ offset: Math.max(0, offset - limit) })}
        >
          Previous
        </button>
        <span>${offset + 1}–${offset + listing.items.length} of ${listing.total}</span>
        <button
          type="button"
          ?disabled=${offset + limit >= listing.total}
          @click=${() => this.setQuery({ offset: offset + limit })}
        >
          Next
        </button>
      </nav>`;
  }

  override render() {
    const loading = loadingState('templates');
    const pending = this.templates.status === TaskStatus.PENDING;
    return html`<section aria-labelledby="heading" aria-busy=${String(pending)}>
      <h2 id="heading" tabindex="-1">WhatsApp templates</h2>
      ${this.renderToolbar()}
      ${this.actionError ? html`<p class="error" role="alert">${this.actionError}</p>` : nothing}
      ${this.templates.render({
        initial: () => loading,
        pending: () => (this.templates.value ? this.renderListing(this.templates.value) : loading),
        complete: (listing) => this.renderListing(listing),
        error: (err) => loadFailedState('templates', err),
      })}
      <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'c2m-template-list': C2mTemplateList;
  }
}
