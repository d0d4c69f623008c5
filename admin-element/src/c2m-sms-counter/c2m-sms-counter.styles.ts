import { css } from 'lit';
import { sharedStyles } from '../shared/styles.js';

export default [
  sharedStyles,
  css`
    .counter {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25em 1em;
      margin: 0;
      padding: 0;
      list-style: none;
      color: var(--c2m-color-muted, #595959);
    }

    .counter strong {
      color: var(--c2m-color-text, #1f1f1f);
      font-weight: 600;
    }

    .notice {
      margin: 0.25em 0 0;
    }

    .notice:empty {
      display: none;
    }

    .notice--warning {
      color: var(--c2m-color-warning, #7a4b00);
    }

    .notice--error {
      color: var(--c2m-color-danger, #b3261e);
      font-weight: 600;
    }
  `,
];
