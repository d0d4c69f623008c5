import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { locale } from '../locale.js';

/** What the pager moves: a list's page (a `ListQueryController`). */
interface Pages {
  readonly query: { offset: number; limit: number };
  turnTo(offset: number): void;
  resize(limit: number): void;
}

interface PagerOptions {
  /** Names the navigation: `Pages of handoffs`. */
  label: string;
  /** How many items the page shows, and how many the list holds. */
  shown: number;
  total: number;
  /** Offered page sizes ("Per page"); none offers no choice. */
  sizes?: readonly number[];
}

/** Previous / Next through a list's pages, the range shown, and optionally the page size. */
export function pager(list: Pages, o: PagerOptions) {
  const { offset, limit } = list.query;
  const from = o.total === 0 ? 0 : offset + 1;
  const to = Math.min(offset + o.shown, o.total);
  return html`<nav part="pager" class="pager" aria-label=${o.label}>
    <button type="button" ?disabled=${offset === 0} @click=${() => list.turnTo(offset - limit)}>
      ${msg('Previous')}
    </button>
    <span
      >${msg(str`${locale.number(from)}–${locale.number(to)} of ${locale.number(o.total)}`)}</span
    >
    <button
      type="button"
      ?disabled=${offset + limit >= o.total}
      @click=${() => list.turnTo(offset + limit)}
    >
      ${msg('Next')}
    </button>
    ${
      o.sizes
        ? html`<label for="page-size">${msg('Per page')}</label>
            <select
              id="page-size"
              @change=${(e: Event) => list.resize(Number((e.target as HTMLSelectElement).value))}
            >
              ${o.sizes.map((n) => html`<option value=${n} ?selected=${n === limit}>${locale.number(n)}</option>`)}
            </select>`
        : nothing
    }
  </nav>`;
}
