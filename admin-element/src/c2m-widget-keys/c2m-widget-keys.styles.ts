import { css } from 'lit';
import { sharedStyles } from '../shared/styles.js';
import { tableStyles } from '../shared/table-styles.js';

export default [
  sharedStyles,
  tableStyles,
  css`
    .create {
      padding: var(--c2m-gap, 0.75rem);
      border: 1px solid var(--c2m-color-border, #8a9099);
      border-radius: var(--c2m-radius, 6px);
    }

    .secrets {
      margin: 0 0 var(--c2m-gap, 0.75rem);
      padding: var(--c2m-gap, 0.75rem);
      background: var(--c2m-color-surface, #f6f7f9);
      border: 2px solid var(--c2m-color-accent, #0b5cad);
      border-radius: var(--c2m-radius, 6px);
    }

    .secrets input {
      box-sizing: border-box;
      width: 100%;
      font-family: var(--c2m-font-family-mono, ui-monospace, monospace);
    }

    .revoked {
      color: var(--c2m-color-muted, #595959);
    }
  `,
];
