import { css } from 'lit';
import { sharedStyles } from '../shared/styles.js';

export default [
  sharedStyles,
  css`
    fieldset {
      margin: 0;
      padding: var(--c2m-gap, 0.75rem);
      border: 1px solid var(--c2m-color-border, #8a9099);
      border-radius: var(--c2m-radius, 6px);
    }

    legend {
      font-weight: 600;
      padding: 0 0.25em;
    }

    ol {
      display: grid;
      gap: 0.5em;
      margin: var(--c2m-gap, 0.75rem) 0 0;
      padding: 0;
      list-style: none;
    }

    li {
      display: grid;
      grid-template-columns: 2em 1fr auto auto;
      align-items: center;
      gap: 0.5em;
      padding: 0.4em 0.6em;
      background: var(--c2m-color-surface, #f6f7f9);
      border: 1px solid var(--c2m-color-border, #8a9099);
      border-radius: var(--c2m-radius, 6px);
    }

    .position {
      color: var(--c2m-color-muted, #595959);
      text-align: right;
    }

    .choice {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.25em 0.5em;
    }

    .choice .hint {
      flex-basis: 100%;
    }

    button[aria-disabled='true'] {
      cursor: not-allowed;
      opacity: 0.55;
    }
  `,
];
