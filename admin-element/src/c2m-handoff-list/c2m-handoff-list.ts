import { LitElement, html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { Task, TaskStatus } from '@lit/task';
import type { HandoffListQuery, HandoffView } from '../../../backend/contract/handoffs.js';
import { CHANNEL_NAMES, type ChannelName } from '../../../backend/contract/channel-names.js';
import { AdminApiError, type HandoffPage } from '../api/admin-client.js';
import {
  C2mHandoffCreateRequestedEvent,
  C2mHandoffDeletedEvent,
  C2mHandoffSelectedEvent,
} from '../events.js';
import { channelLabel, describeLookback } from '../shared/labels.js';
import { localized, msg, str } from '@lit/localize';
import { locale } from '../locale.js';
import { dataTable } from '../shared/data-table.js';
import { ListQueryController, listRequest } from '../shared/list-query.js';
import { listSection, searchField, selectField, toolbar } from '../shared/list-parts.js';
import { confirmRow } from '../shared/row-actions.js';
import { pager } from '../shared/pager.js';
import { SessionController } from '../shared/session.js';
import { loadView } from '../shared/task-states.js';
import styles from './c2m-handoff-list.styles.js';

type SortColumn = HandoffListQuery['sort'];

/** The sortable columns, with their headings in the shown language. */
const columns = (): { key: SortColumn; label: string }[] => [
  { key: 'title', label: msg('Title') },
  { key: 'id', label: msg('ID') },
  { key: 'channels', label: msg('Channels') },
  { key: 'lookback', label: msg('Lookback') },
  { key: 'updatedAt', label: msg('Updated') },
];
const PAGE_SIZES = [10, 20, 50];
const channelOptions = () =>
  CHANNEL_NAMES.map((name) => ({ value: name, label: channelLabel(name) }));

/**
 * The account's API handoffs as a dashboard table: pages, sorting by any column,
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
@localized()
export class C2mHandoffList extends LitElement {
  static override styles = styles;

  private readonly session = new SessionController(this);

  private readonly list = new ListQueryController<
    { title: string; channel: ChannelName | '' },
    SortColumn
  >(this, {
    offset: 0,
    limit: 20,
    sort: 'updatedAt',
    order: 'desc',
    filters: { title: '', channel: '' },
  });

  /** The handoff whose Delete waits for confirmation. */
  @state() private confirming?: string;
  @state() private announcement = '';
  @state() private actionError = '';

  private readonly handoffs = new Task(this, {
    task: async ([client, query], { signal }): Promise<HandoffPage | undefined> =>
      client?.listHandoffs(listRequest(query), signal),
    args: () => [this.session.client, this.list.query] as const,
  });

  /** Loads the current page again (after the host changed something). */
  reload(): void {
    void this.handoffs.run();
  }

  private sortBy(column: SortColumn) {
    const order = this.list.sortBy(column);
    const label = columns().find((c) => c.key === column)?.label;
    this.announcement =
      order === 'asc'
        ? msg(str`Sorted by ${label}, ascending`)
        : msg(str`Sorted by ${label}, descending`);
  }

  private async deleteHandoff(h: HandoffView) {
    const client = this.session.client;
    if (!client) return;
    this.actionError = '';
    try {
      await client.deleteHandoff(h.id);
      this.confirming = undefined;
      this.announcement = msg(str`Handoff “${h.title}” deleted`);
      this.dispatchEvent(new C2mHandoffDeletedEvent(h.id));
      this.reload();
    } catch (err) {
      if (!(err instanceof AdminApiError)) throw err;
      this.actionError = msg(str`“${h.title}” was not deleted: ${err.message}`);
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
    const { filters } = this.list.query;
    return toolbar(
      msg('Filter handoffs'),
      html`${searchField({
        id: 'filter-title',
        label: msg('Title contains'),
        value: filters.title,
        onInput: (title) => this.list.filter('title', title),
      })}
      ${selectField({
        id: 'filter-channel',
        label: msg('Channel'),
        all: msg('All channels'),
        options: channelOptions(),
        value: filters.channel,
        onChange: (channel) => this.list.filter('channel', channel),
      })}`,
      this.session.may('handoffs:create')
        ? {
            label: msg('New handoff'),
            onClick: () => this.dispatchEvent(new C2mHandoffCreateRequestedEvent()),
          }
        : undefined,
    );
  }

  private renderHeader(column: { key: SortColumn; label: string }) {
    const { sort, order } = this.list.query;
    const sorted = sort === column.key;
    return html`<th
      scope="col"
      aria-sort=${sorted ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}
    >
      <button type="button" data-sort=${column.key} @click=${() => this.sortBy(column.key)}>
        ${column.label}
        <span aria-hidden="true">${sorted ? (order === 'asc' ? '▲' : '▼') : '↕'}</span>
      </button>
    </th>`;
  }

  private renderActions(h: HandoffView) {
    const edit = this.session.may('handoffs:edit');
    const del = this.session.may('handoffs:delete');
    if (!edit && !del) return nothing;
    if (this.confirming === h.id) {
      return html`<td>
        ${confirmRow(msg(str`Delete “${h.title}”?`), [
          html`<button
            type="button"
            part="delete"
            class="danger"
            @click=${() => this.deleteHandoff(h)}
          >
            ${msg(str`Delete “${h.title}”`)}
          </button>`,
          html`<button type="button" data-keep @click=${() => this.askToDelete(undefined)}>
            ${msg('Keep')}
          </button>`,
        ])}
      </td>`;
    }
    return html`<td>
      <div class="row-actions">
        ${
          edit
            ? html`<button
                type="button"
                part="edit"
                aria-label=${msg(str`Edit “${h.title}”`)}
                @click=${() => this.dispatchEvent(new C2mHandoffSelectedEvent(h))}
              >
                ${msg('Edit')}
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
                aria-label=${msg(str`Delete “${h.title}”`)}
                @click=${() => this.askToDelete(h)}
              >
                ${msg('Delete')}
              </button>`
            : nothing
        }
      </div>
    </td>`;
  }

  private renderRow(h: HandoffView) {
    const channels = h.channels.filter((c) => c.enabled).map((c) => channelLabel(c.name));
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
        ${h.active ? nothing : msg('(inactive)')}
      </td>
      <td class="id">${h.id}</td>
      <td>${channels.length ? locale.list(channels) : msg('None')}</td>
      <td>${describeLookback(h.lookback)}</td>
      <td>
        <time datetime=${h.updatedAt}>
          ${locale.date(h.updatedAt, { dateStyle: 'medium', timeStyle: 'short' })}
        </time>
      </td>
      ${this.renderActions(h)}
    </tr>`;
  }

  private renderPage(page: HandoffPage) {
    if (page.items.length === 0) {
      return html`<p part="state" class="state">
        ${this.list.filtered ? msg('No handoff matches the filters.') : msg('No handoffs yet.')}
      </p>`;
    }
    const actions = this.session.may('handoffs:edit') || this.session.may('handoffs:delete');
    return html`${dataTable({
      caption: msg('API handoffs'),
      hiddenCaption: true,
      columns: [...columns().map((c) => this.renderHeader(c)), actions ? msg('Actions') : nothing],
      rows: page.items,
      row: (h) => this.renderRow(h),
    })}
    ${pager(this.list, {
      label: msg('Pages of handoffs'),
      shown: page.items.length,
      total: page.total,
      sizes: PAGE_SIZES,
    })}`;
  }

  override render() {
    return listSection({
      heading: msg('API handoffs'),
      pending: this.handoffs.status === TaskStatus.PENDING,
      toolbar: this.renderToolbar(),
      actionError: this.actionError,
      page: loadView(this.handoffs, msg('handoffs'), (page) => this.renderPage(page)),
      announcement: this.announcement,
    });
  }
}

if (!customElements.get('c2m-handoff-list'))
  customElements.define('c2m-handoff-list', C2mHandoffList);

declare global {
  interface HTMLElementTagNameMap {
    'c2m-handoff-list': C2mHandoffList;
  }
}
