import { css } from 'lit';

/** The list views' toolbar, table, row actions and pager. */
export const tableStyles = css`
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: var(--c2m-gap, 0.75rem);
    margin: 0 0 var(--c2m-gap, 0.75rem);
  }

  .toolbar .field {
    margin: 0;
  }

  .toolbar .spacer {
    flex: 1;
  }

  /* a table wider than its place (a phone) scrolls inside this region, never the page */
  .table-scroll {
    max-width: 100%;
    overflow-x: auto;
  }

  .table-scroll:focus-visible {
    outline: 2px solid var(--c2m-color-focus, #0b5cad);
    outline-offset: 2px;
  }

  table {
    width: 100%;
    border-collapse: collapse;
  }

  th,
  td {
    padding: 0.45em 0.6em;
    text-align: left;
    vertical-align: top;
    border-bottom: 1px solid var(--c2m-color-border, #8a9099);
  }

  th {
    background: var(--c2m-color-surface, #f6f7f9);
    white-space: nowrap;
  }

  th button {
    padding: 0;
    font-weight: 600;
    background: none;
    border: 0;
  }

  td button.link {
    padding: 0;
    color: var(--c2m-color-accent, #0b5cad);
    text-align: left;
    text-decoration: underline;
    background: none;
    border: 0;
  }

  .row-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4em;
    white-space: nowrap;
  }

  .pager {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--c2m-gap, 0.75rem);
    margin-top: var(--c2m-gap, 0.75rem);
  }

  .id {
    font-family: var(--c2m-font-family-mono, ui-monospace, monospace);
  }

  .inactive {
    color: var(--c2m-color-muted, #595959);
  }
`;
