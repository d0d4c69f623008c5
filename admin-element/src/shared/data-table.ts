import { html, nothing, type TemplateResult } from 'lit';

/** A column heading: its text, or a header cell of its own (a sort button, say); `nothing` skips it. */
export type Column = string | TemplateResult | typeof nothing;

/**
 * A table of `rows` under one row of column headings, named by its caption. A caption the view's
 * heading already says on screen is for screen readers only (`hiddenCaption`).
 */
export function dataTable<T>(o: {
  caption: unknown;
  hiddenCaption?: boolean;
  columns: readonly Column[];
  rows: readonly T[];
  row: (item: T) => TemplateResult;
}) {
  return html`<table part="table">
    <caption class=${o.hiddenCaption ? 'visually-hidden' : nothing}>
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
  </table>`;
}
