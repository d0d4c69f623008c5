import { css } from 'lit';
import { sharedStyles } from '../shared/styles.js';
import { tableStyles } from '../shared/table-styles.js';

export default [
  sharedStyles,
  tableStyles,
  css`
    .status {
      display: inline-block;
      padding: 0 0.5em;
      border: 1px solid currentColor;
      border-radius: 999px;
      white-space: nowrap;
    }

    .status--approved {
      color: var(--c2m-color-success, #1e6b34);
    }

    .status--rejected,
    .status--paused,
    .status--disabled {
      color: var(--c2m-color-danger, #b3261e);
    }

    .status--pending {
      color: var(--c2m-color-warning, #7a4b00);
    }

    .reason {
      display: block;
      color: var(--c2m-color-muted, #595959);
    }

    .body {
      max-width: 28em;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
  `,
];
