import { css } from 'lit';
import { sharedStyles } from '../shared/styles.js';
import { tableStyles } from '../shared/table-styles.js';

export default [
  sharedStyles,
  tableStyles,
  css`
    /* laid out as the lists' toolbar (table-styles), framed */
    .create {
      padding: var(--c2m-gap, 0.75rem);
      border: 1px solid var(--c2m-color-border, #8a9099);
      border-radius: var(--c2m-radius, 6px);
    }

    .create fieldset {
      margin: 0;
      padding: 0;
      border: 0;
    }

    .create fieldset label {
      margin-right: 0.75em;
      font-weight: normal;
    }

    .secrets {
      margin: 0 0 var(--c2m-gap, 0.75rem);
      padding: var(--c2m-gap, 0.75rem);
      background: var(--c2m-color-surface, #f6f7f9);
      border: 2px solid var(--c2m-color-accent, #0b5cad);
      border-radius: var(--c2m-radius, 6px);
    }

    .secrets input {
      width: 100%;
      font-family: var(--c2m-font-family-mono, ui-monospace, monospace);
    }

    .revoked {
      color: var(--c2m-color-muted, #595959);
    }
  `,
];
