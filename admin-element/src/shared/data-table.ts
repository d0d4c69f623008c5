import { html, nothing, type TemplateResult } from 'lit';

/** A column heading: its text, or a header cell of its own (a sort button, say); `nothing` skips it. */
export type Column = string | TemplateResult | typeof nothing;

/** Numbers the captions, so each table's scroll box can be named by its own. */
let tables = 0;

/**
 * A table of `rows` under one row of column headings, named by its caption. A caption the view's
 * heading already says on screen is for screen readers only (`hiddenCaption`). Wider than its
 * place (a phone), the table scrolls sideways inside its own box, which takes the keyboard focus
 * and is named by the caption (a group: a region would repeat the view's landmark); the page
 * itself never scrolls sideways.
 */
export function dataTable<T>(o: {
  caption: unknown;
  hiddenCaption?: boolean;
  columns: readonly Column[];
  rows: readonly T[];
  row: (item: T) => TemplateResult;
}) {
  const captionId = `c2m-table-caption-${++tables}`;
  return html`<div class="table-scroll" role="group" tabindex="0" aria-labelledby=${captionId}>
    <table part="table">
      <caption id=${captionId} class=${o.hiddenCaption ? 'visually-hidden' : nothing}>
        ${o.caption}
      </caption>
      <thead>
        <tr>
          ${o.columns.map((c) => (typeof c === 'string' ? html`<th scope="col">${c}</th>` : c))}
        </tr>
      </thead>
      <tbody>
        ${o.rows.map(o.row)}
      </tbody>
    </table>
  </div>`;
}
