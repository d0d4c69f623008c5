import { css } from 'lit';
import { sharedStyles } from '../shared/styles.js';

export default [
  sharedStyles,
  css`
    .body {
      margin: 0 0 var(--c2m-gap, 0.75rem);
      padding: 0.5em 0.75em;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      background: var(--c2m-color-surface, #f6f7f9);
      border-left: 3px solid var(--c2m-color-accent, #0b5cad);
    }

    .variables {
      margin: 0;
      padding: 0;
      border: 0;
    }
  `,
];
