import { css } from 'lit';
import { sharedStyles } from '../shared/styles.js';
import { tableStyles } from '../shared/table-styles.js';

export default [
  sharedStyles,
  tableStyles,
  css`
    .channels {
      display: grid;
      gap: var(--c2m-gap, 0.75rem);
      margin: 0;
      padding: 0;
      list-style: none;
    }

    .channel {
      display: grid;
      gap: 0.5em;
      max-width: 44em;
      padding: var(--c2m-gap, 0.75rem);
      border: 1px solid var(--c2m-color-border, #8a9099);
      border-radius: var(--c2m-radius, 6px);
    }

    .channel h3 {
      margin: 0;
      font-size: 1em;
    }

    .channel dl {
      display: grid;
      grid-template-columns: minmax(0, max-content) minmax(0, 1fr);
      gap: 0.25em 0.75em;
      margin: 0;
    }

    .channel dt {
      color: var(--c2m-color-muted, #595959);
    }

    .channel dd {
      margin: 0;
      overflow-wrap: anywhere;
    }

    .webhook {
      display: flex;
      flex-wrap: wrap;
      gap: 0.4em;
      align-items: center;
    }

    .webhook input {
      flex: 1 1 12em;
      min-width: 0;
      font-family: var(--c2m-font-family-mono, ui-monospace, monospace);
    }

    form {
      display: grid;
      gap: var(--c2m-gap, 0.75rem);
    }

    form input,
    form select,
    form textarea {
      width: 100%;
      box-sizing: border-box;
    }

    form textarea {
      min-height: 6em;
      font-family: var(--c2m-font-family-mono, ui-monospace, monospace);
    }

    .secret-state {
      font-weight: normal;
      color: var(--c2m-color-muted, #595959);
    }

    .done {
      font-weight: 600;
    }
  `,
];
