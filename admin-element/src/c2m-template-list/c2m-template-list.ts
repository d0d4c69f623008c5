import { LitElement, html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { Task, TaskStatus } from '@lit/task';
import { localized, msg, str } from '@lit/localize';
import { can } from '../../../backend/contract/policy-table.js';
import {
  TemplateStatus,
  templateEditable,
  type TemplateStatusView,
  type TemplateView,
} from '../../../backend/contract/templates.js';
import { AdminApiError } from '../api/admin-client.js';
import {
  C2mTemplateChangedEvent,
  C2mTemplateCreateRequestedEvent,
  C2mTemplateDeletedEvent,
  C2mTemplateSelectedEvent,
} from '../events.js';
import { dataTable } from '../shared/data-table.js';
import { ListQueryController, listRequest } from '../shared/list-query.js';
import { listSection, searchField, selectField, toolbar } from '../shared/list-parts.js';
import { confirmRow, rowAction } from '../shared/row-actions.js';
import { pager } from '../shared/pager.js';
import { SessionController } from '../shared/session.js';
import { loadView } from '../shared/task-states.js';
import { templateStatusLabel } from '../shared/template-labels.js';
import { locale } from '../locale.js';
import styles from './c2m-template-list.styles.js';

/** A page of full templates, or for a role that may only see their status, of statuses. */
type Listing =
  | { kind: 'full'; items: TemplateView[]; total: number }
  | { kind: 'status'; items: TemplateStatusView[]; total: number };

const statusOptions = () =>
  TemplateStatus.options.map((s) => ({ value: s, label: templateStatusLabel(s) }));

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
@localized()
export class C2mTemplateList extends LitElement {
  static override styles = styles;

  private readonly session = new SessionController(this);

  private readonly list = new ListQueryController<{ name: string; status: TemplateStatus | '' }>(
    this,
    { offset: 0, limit: 20, filters: { name: '', status: '' } },
  );

  @state() private confirming?: string;
  @state() private busy?: string;
  @state() private announcement = '';
  @state() private actionError = '';

  private readonly templates = new Task(this, {
    task: async ([client, role, query], { signal }): Promise<Listing | undefined> => {
      if (!client || !role) return undefined;
      const filters = listRequest(query);
      if (can(role, 'templates:view')) {
        return { kind: 'full', ...(await client.listTemplates(filters, signal)) };
      }
      return { kind: 'status', ...(await client.listTemplateStatus(filters, signal)) };
    },
    args: () => [this.session.client, this.session.role, this.list.query] as const,
  });

  /** Loads the current page again. */
  reload(): void {
    void this.templates.run();
  }

  /** Runs one row action, then reloads and announces, or shows why it failed. */
  private async act(t: TemplateView, label: string, action: () => Promise<unknown>) {
    this.busy = t.id;
    this.actionError = '';
    const name = `${t.name} (${t.language})`;
    try {
      await action();
      this.announcement = `${name}: ${label}`;
      this.reload();
    } catch (err) {
      if (!(err instanceof AdminApiError)) throw err;
      this.actionError = `${name}: ${err.message}`;
    } finally {
      this.busy = undefined;
      this.confirming = undefined;
    }
  }

  private submit(t: TemplateView) {
    return this.act(t, msg('submitted for approval'), async () => {
      const submitted = await this.session.client!.submitTemplate(t.id);
      this.dispatchEvent(new C2mTemplateChangedEvent(submitted, 'submitted'));
    });
  }

  private clone(t: TemplateView) {
    return this.act(t, msg('cloned as a new draft'), async () => {
      const clone = await this.session.client!.cloneTemplate(t.id);
      this.dispatchEvent(new C2mTemplateChangedEvent(clone, 'cloned'));
    });
  }

  private review(t: TemplateView, decision: 'approve' | 'reject') {
    return this.act(t, decision === 'approve' ? msg('approved') : msg('rejected'), async () => {
      const reviewed = await this.session.client!.reviewTemplate(t.id, { decision });
      this.dispatchEvent(new C2mTemplateChangedEvent(reviewed, 'reviewed'));
    });
  }

  private deleteTemplate(t: TemplateView) {
    return this.act(t, msg('deleted'), async () => {
      await this.session.client!.deleteTemplate(t.id);
      this.dispatchEvent(new C2mTemplateDeletedEvent(t.id));
    });
  }

  private renderToolbar() {
    const { filters } = this.list.query;
    return toolbar(
      msg('Filter templates'),
      html`${searchField({
        id: 'filter-name',
        label: msg('Name contains'),
        value: filters.name,
        onInput: (name) => this.list.filter('name', name),
      })}
      ${
        this.session.may('templates:view')
          ? selectField({
              id: 'filter-status',
              label: msg('Status'),
              all: msg('Any status'),
              options: statusOptions(),
              value: filters.status,
              onChange: (status) => this.list.filter('status', status),
            })
          : nothing
      }`,
      this.session.may('templates:create')
        ? {
            label: msg('New template'),
            onClick: () => this.dispatchEvent(new C2mTemplateCreateRequestedEvent()),
          }
        : undefined,
    );
  }

  private renderStatus(t: { status: TemplateStatus; statusReason?: string | null }) {
    return html`<span part="status" class="status status--${t.status}">
        ${templateStatusLabel(t.status)}
      </span>
      ${t.statusReason ? html`<span class="reason">${t.statusReason}</span>` : nothing}`;
  }

  private renderActions(t: TemplateView) {
    const name = `${t.name} (${t.language})`;
    const disabled = this.busy === t.id;
    const button = (label: string, run: () => unknown, cls = '') =>
      rowAction(label, name, run, { cls, disabled });
    if (this.confirming === t.id) {
      return confirmRow(msg(str`Delete ${name}?`), [
        button(msg('Delete'), () => this.deleteTemplate(t), 'danger'),
        button(msg('Keep'), () => (this.confirming = undefined)),
      ]);
    }
    const editable = templateEditable(t.status);
    return html`<div class="row-actions">
      ${
        editable && this.session.may('templates:edit')
          ? button(msg('Edit'), () => this.dispatchEvent(new C2mTemplateSelectedEvent(t)))
          : nothing
      }
      ${
        editable && this.session.may('templates:publish')
          ? button(msg('Submit'), () => this.submit(t), 'primary')
          : nothing
      }
      ${
        t.status === 'pending' && this.session.may('templates:publish')
          ? html`${button(msg('Approve in sandbox'), () => this.review(t, 'approve'))}
            ${button(msg('Reject in sandbox'), () => this.review(t, 'reject'))}`
          : nothing
      }
      ${!editable && this.session.may('templates:create') ? button(msg('Clone'), () => this.clone(t)) : nothing}
      ${
        this.session.may('templates:delete')
          ? button(msg('Delete'), () => (this.confirming = t.id), 'danger')
          : nothing
      }
    </div>`;
  }

  private renderFull(items: TemplateView[]) {
    const actions = (['templates:edit', 'templates:publish', 'templates:delete'] as const).some(
      (a) => this.session.may(a),
    );
    return dataTable({
      caption: msg('WhatsApp templates'),
      hiddenCaption: true,
      columns: [
        msg('Name'),
        msg('Language'),
        msg('Category'),
        msg('Text'),
        msg('Status'),
        msg('Updated'),
        actions ? msg('Actions') : nothing,
      ],
      rows: items,
      row: (t) =>
        html`<tr part="row" data-id=${t.id}>
          <td>${t.name}</td>
          <td>${t.language}</td>
          <td>${t.category}</td>
          <td class="body">${t.body}</td>
          <td>${this.renderStatus(t)}</td>
          <td>
            <time datetime=${t.updatedAt}>${locale.date(t.updatedAt)}</time>
          </td>
          ${actions ? html`<td>${this.renderActions(t)}</td>` : nothing}
        </tr>`,
    });
  }

  private renderStatusOnly(items: TemplateStatusView[]) {
    return html`<p class="hint">${msg('Approved templates only, with their status.')}</p>
      ${dataTable({
        caption: msg('Approved WhatsApp templates'),
        hiddenCaption: true,
        columns: [msg('Name'), msg('Language'), msg('Status')],
        rows: items,
        row: (t) =>
          html`<tr part="row">
            <td>${t.name}</td>
            <td>${t.language}</td>
            <td>${this.renderStatus(t)}</td>
          </tr>`,
      })}`;
  }

  private renderListing(listing: Listing) {
    if (listing.items.length === 0) {
      return html`<p part="state" class="state">
        ${this.list.filtered ? msg('No template matches the filters.') : msg('No WhatsApp templates yet.')}
      </p>`;
    }
    return html`${
      listing.kind === 'full'
        ? this.renderFull(listing.items)
        : this.renderStatusOnly(listing.items)
    }
    ${pager(this.list, {
      label: msg('Pages of templates'),
      shown: listing.items.length,
      total: listing.total,
    })}`;
  }

  override render() {
    return listSection({
      heading: msg('WhatsApp templates'),
      pending: this.templates.status === TaskStatus.PENDING,
      toolbar: this.renderToolbar(),
      actionError: this.actionError,
      page: loadView(this.templates, msg('templates'), (listing) => this.renderListing(listing)),
      announcement: this.announcement,
    });
  }
}

if (!customElements.get('c2m-template-list'))
  customElements.define('c2m-template-list', C2mTemplateList);

declare global {
  interface HTMLElementTagNameMap {
    'c2m-template-list': C2mTemplateList;
  }
}
