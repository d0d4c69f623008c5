import { LitElement, html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { Task, TaskStatus } from '@lit/task';
import { can, type Role } from '../../../backend/contract/policy.js';
import type { HandoffListQuery, HandoffView } from '../../../backend/contract/handoffs.js';
import { ChannelName } from '../../../backend/contract/channels.js';
import { AdminApiError, type AdminClient, type HandoffPage } from '../api/admin-client.js';
import { adminClientContext, roleContext } from '../context.js';
import {
  C2mHandoffCreateRequestedEvent,
  C2mHandoffDeletedEvent,
  C2mHandoffSelectedEvent,
} from '../events.js';
import { channelLabels, describeLookback } from '../shared/labels.js';
import styles from './c2m-handoff-list.styles.js';
import { loadFailedState, loadingState } from '../shared/task-states.js';

type SortColumn = HandoffListQuery['sort'];
type Query = Pick<HandoffListQuery, 'offset' | 'limit' | 'sort' | 'order'> & {
  title: string;
  channel: ChannelName | '';
};

const COLUMNS: { key: SortColumn; label: string }[] = [
  { key: 'title', label: 'Title' },
  { key: 'id', label: 'ID' },
  { key: 'channels', label: 'Channels' },
  { key: 'lookback', label: 'Lookback' },
  { key: 'updatedAt', label: 'Updated' },
];
const PAGE_SIZES = [10, 20, 50];
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * The account's API handoffs, as the guide's dashboard shows them: pages, sorting by any column,
 * filters on title and channel. Roles that may create, edit or delete handoffs get those
 * controls; a read-only role gets none, and opening a handoff only shows it.
 *
 * @summary Paginated, sortable, filterable list of API handoffs.
 *
 * @fires c2m-handoff-selected - {@link C2mHandoffSelectedEvent} when a handoff is opened or Edit is pressed.
 * @fires c2m-handoff-create-requested - {@link C2mHandoffCreateRequestedEvent} on New handoff.
 * @fires c2m-handoff-deleted - {@link C2mHandoffDeletedEvent} after a confirmed delete succeeded.
 *
 * @csspart toolbar - The filters and the New handoff button.
 * @csspart create - The New handoff button.
 * @csspart table - The table of handoffs.
 * @csspart row - One handoff's row.
 * @csspart open - A handoff's title button.
 * @csspart edit - A handoff's Edit button.
 * @csspart delete - A handoff's Delete button.
 * @csspart pager - The pagination controls.
 * @csspart state - The loading, empty or error text.
 *
 * @cssprop [--c2m-color-surface=#f6f7f9] - Table header background.
 * @cssprop [--c2m-color-border=#8a9099] - Row separators.
 * @cssprop [--c2m-color-accent=#0b5cad] - Links and the New handoff button.
 */
export class C2mHandoffList extends LitElement {
  static override styles = styles;

  @consume({ context: adminClientContext, subscribe: true })
  @state()
  private client?: AdminClient;

  @consume({ context: roleContext, subscribe: true })
  @state()
  private sessionRole?: Role;

  @state() private query: Query = {
    offset: 0,
    limit: 20,
    sort: 'updatedAt',
    order: 'desc',
    title: '',
    channel: '',
  };

  /** The handoff whose Delete waits for confirmation. */
  @state() private confirming?: string;
  @state() private announcement = '';
  @state() private actionError = '';

  private readonly handoffs = new Task(this, {
    task: async ([client, query], { signal }): Promise<HandoffPage | undefined> => {
      if (!client) return undefined;
      const { title, channel, ...rest } = query;
      return client.listHandoffs(
        { ...rest, ...(title.trim() && { title: title.trim() }), ...(channel && { channel }) },
        signal,
      );
    },
    args: () => [this.client, this.query] as const,
  });

  /** Loads the current page again (after the host changed something). */
  reload(): void {
    void this.handoffs.run();
  }

  private may(action: 'handoffs:create' | 'handoffs:edit' | 'handoffs:delete') {
    return this.sessionRole !== undefined && can(this.sessionRole, action);
  }

  private setQuery(patch: Partial<Query>) {
    this.query = { ...this.query, ...patch };
  }

  private sortBy(column: SortColumn) {
    const same = this.query.sort === column;
    const order = same && this.query.order === 'asc' ? 'desc' : 'asc';
    this.setQuery({ sort: column, order, offset: 0 });
    const label = COLUMNS.find((c) => c.key === column)?.label;
    this.announcement = `Sorted by ${label}, ${order === 'asc' ? 'ascending' : 'descending'}`;
  }

  private async deleteHandoff(h: HandoffView) {
    if (!this.client) return;
    this.actionError = '';
    try {
      await this.client.deleteHandoff(h.id);
      this.confirming = undefined;
      this.announcement = `Handoff “${h.title}” deleted`;
      this.dispatchEvent(new C2mHandoffDeletedEvent(h.id));
      this.reload();
    } catch (err) {
      if (!(err instanceof AdminApiError)) throw err;
      this.actionError = `“${h.title}” was not deleted: ${err.message}`;
    }
  }

  private async askToDelete(h: HandoffView | undefined) {
    this.confirming = h?.id;
    await this.updateComplete;
    // keep the keyboard where the user is: on the choice that just appeared, or back on Delete
    const selector = h ? '[data-keep]' : `[data-delete="${CSS.escape(this.lastAsked ?? '')}"]`;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
    this.lastAsked = h?.id;
  }

  private lastAsked?: string;

  private renderToolbar() {
    return html`<div part="toolbar" class="toolbar" role="search" aria-label="Filter handoffs">
      <div class="field">
        <label for="filter-title">Title contains</label>
        <input
          id="filter-title"
          type="search"
          .value=${this.query.title}
          @input=${(e: Event) =>
            this.setQuery({ title: (e.target as HTMLInputElement).value, offset: 0 })}
        />
      </div>
      <div class="field">
        <label for="filter-channel">Channel</label>
        <select
          id="filter-channel"
          @change=${(e: Event) =>
            this.setQuery({
              channel: (e.target as HTMLSelectElement).value as Query['channel'],
              offset: 0,
            })}
        >
          <option value="" ?selected=${this.query.channel === ''}>All channels</option>
          ${ChannelName.options.map(
            (name) =>
              html`<option value=${name} ?selected=${this.query.channel === name}>
                ${channelLabels[name]}
              </option>`,
          )}
        </select>
      </div>
      <span class="spacer"></span>
      ${
        this.may('handoffs:create')
          ? html`<button
              type="button"
              part="create"
              class="primary"
              @click=${() => this.dispatchEvent(new C2mHandoffCreateRequestedEvent())}
            >
              New handoff
            </button>`
          : nothing
      }
    </div>`;
  }

  private renderHeader(column: { key: SortColumn; label: string }) {
    const sorted = this.query.sort === column.key;
    const order = this.query.order === 'asc' ? 'ascending' : 'descending';
    return html`<th scope="col" aria-sort=${sorted ? order : 'none'}>
      <button type="button" data-sort=${column.key} @click=${() => this.sortBy(column.key)}>
        ${column.label}
        <span aria-hidden="true">${sorted ? (this.query.order === 'asc' ? '▲' : '▼') : '↕'}</span>
      </button>
    </th>`;
  }

  private renderActions(h: HandoffView) {
    const edit = this.may('handoffs:edit');
    const del = this.may('handoffs:delete');
    if (!edit && !del) return nothing;
    if (this.confirming === h.id) {
      return html`<td>
        <div class="row-actions" role="group" aria-label="Delete “${h.title}”?">
          <button type="button" part="delete" class="danger" @click=${() => this.deleteHandoff(h)}>
            Delete “${h.title}”
          </button>
          <button type="button" data-keep @click=${() => this.askToDelete(undefined)}>Keep</button>
        </div>
      </td>`;
    }
    return html`<td>
      <div class="row-actions">
        ${
          edit
            ? html`<button
                type="button"
                part="edit"
                aria-label="Edit “${h.title}”"
                @click=${() => this.dispatchEvent(new C2mHandoffSelectedEvent(h))}
              >
                Edit
              </button>`
            : nothing
        }
        ${
          del
            ? html`<button
                type="button"
                part="delete"
                class="danger"
                data-delete=${h.id}
                aria-label="Delete “${h.title}”"
                @click=${() => this.askToDelete(h)}
              >
                Delete
              </button>`
            : nothing
        }
      </div>
    </td>`;
  }

  private renderRow(h: HandoffView) {
    const channels = h.channels.filter((c) => c.enabled).map((c) => channelLabels[c.name]);
    return html`<tr part="row" class=${h.active ? '' : 'inactive'}>
      <td>
        <button
          type="button"
          part="open"
          class="link"
          @click=${() => this.dispatchEvent(new C2mHandoffSelectedEvent(h))}
        >
          ${h.title}
        </button>
        ${h.active ? nothing : html` (inactive)`}
      </td>
      <td class="id">${h.id}</td>
      <td>${channels.length ? channels.join(', ') : 'None'}</td>
      <td>${describeLookback(h.lookback)}</td>
      <td><time datetime=${h.updatedAt}>${dateFormat.format(Date.parse(h.updatedAt))}</time></td>
      ${this.renderActions(h)}
    </tr>`;
  }

  private renderPager(page: HandoffPage) {
    const { offset, limit } = this.query;
    const from = page.total === 0 ? 0 : offset + 1;
    const to = Math.min(offset + page.items.length, page.total);
    return html`<nav part="pager" class="pager" aria-label="Pages of handoffs">
      <button
        type="button"
        ?disabled=${offset === 0}
        @click=${() => this.setQuery({ offset: Math.max(0, offset - limit) })}
      >
        Previous
      </button>
      <span>${from}–${to} of ${page.total}</span>
      <button
        type="button"
        ?disabled=${offset + limit >= page.total}
        @click=${() => this.setQuery({ offset: offset + limit })}
      >
        Next
      </button>
      <label for="page-size">Per page</label>
      <select
        id="page-size"
        @change=${(e: Event) =>
          this.setQuery({ limit: Number((e.target as HTMLSelectElement).value), offset: 0 })}
      >
        ${PAGE_SIZES.map((n) => html`<option value=${n} ?selected=${n === limit}>${n}</option>`)}
      </select>
    </nav>`;
  }

  private renderPage(page: HandoffPage | undefined) {
    if (!page) return html`<p part="state" class="state">Not connected to C2M.</p>`;
    if (page.items.length === 0) {
      const filtered = this.query.title.trim() || this.query.channel;
      return html`<p part="state" class="state">
        ${filtered ? 'No handoff matches the filters.' : 'No handoffs yet.'}
      </p>`;
    }
    const actions = this.may('handoffs:edit') || this.may('handoffs:delete');
    return html`<table part="table">
        <caption class="visually-hidden">
          API handoffs
        </caption>
        <thead>
          <tr>
            ${COLUMNS.map((c) => this.renderHeader(c))}
            ${actions ? html`<th scope="col">Actions</th>` : nothing}
          </tr>
        </thead>
        <tbody>
          ${page.items.map((h) => this.renderRow(h))}
        </tbody>
      </table>
      ${this.renderPager(page)}`;
  }

  override render() {
    const loading = loadingState('handoffs');
    return html`<section
      aria-labelledby="heading"
      aria-busy=${String(this.handoffs.status === TaskStatus.PENDING)}
    >
      <h2 id="heading" tabindex="-1">API handoffs</h2>
      ${this.renderToolbar()}
      ${this.actionError ? html`<p class="error" role="alert">${this.actionError}</p>` : nothing}
      ${this.handoffs.render({
        initial: () => loading,
        pending: () => (this.handoffs.value ? this.renderPage(this.handoffs.value) : loading),
        complete: (page) => this.renderPage(page),
        error: (err) => loadFailedState('handoffs', err),
      })}
      <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'c2m-handoff-list': C2mHandoffList;
  }
}
