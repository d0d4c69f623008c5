import { css } from 'lit';
import { sharedStyles } from '../shared/styles.js';

export default [
  sharedStyles,
  css`
    .layout {
      display: grid;
      grid-template-columns: minmax(0, 2fr) minmax(12em, 1fr);
      gap: calc(var(--c2m-gap, 0.75rem) * 2);
    }

    @media (max-width: 40em) {
      .layout {
        grid-template-columns: 1fr;
      }
    }

    input,
    select {
      max-width: 28em;
    }

    textarea {
      width: 100%;
      min-height: 7em;
      resize: vertical;
    }

    fieldset {
      margin: 0 0 var(--c2m-gap, 0.75rem);
      padding: 0;
      border: 0;
    }

    .preview {
      margin: 0;
      padding: 0.6em 0.8em;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      background: var(--c2m-color-surface, #f6f7f9);
      border-left: 3px solid var(--c2m-color-accent, #0b5cad);
      border-radius: var(--c2m-radius, 6px);
    }

    .form-error {
      margin: 0 0 var(--c2m-gap, 0.75rem);
      color: var(--c2m-color-danger, #b3261e);
    }

    .form-error:empty {
      display: none;
    }

    .spacer {
      flex: 1;
    }
  `,
];
