import { css } from 'lit';
import { sharedStyles } from '../shared/styles.js';

export default [
  sharedStyles,
  css`
    .steps {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25em 1em;
      margin: 0 0 var(--c2m-gap, 0.75rem);
      padding: 0;
      list-style: none;
      color: var(--c2m-color-muted, #595959);
    }

    .steps [aria-current] {
      color: var(--c2m-color-accent, #0b5cad);
      font-weight: 600;
    }

    .step-heading:focus {
      outline: none;
    }

    input[type='text'] {
      max-width: 32em;
    }

    input[type='number'] {
      width: 6em;
    }

    fieldset {
      margin: 0 0 var(--c2m-gap, 0.75rem);
      padding: 0;
      border: 0;
    }

    legend {
      padding: 0;
      font-weight: 600;
    }

    h4 {
      margin: 0 0 var(--c2m-gap, 0.75rem);
    }

    .lookback {
      display: flex;
      flex-wrap: wrap;
      gap: var(--c2m-gap, 0.75rem);
    }

    .channel {
      margin: 0 0 var(--c2m-gap, 0.75rem);
      padding: var(--c2m-gap, 0.75rem);
      border: 1px solid var(--c2m-color-border, #8a9099);
      border-radius: var(--c2m-radius, 6px);
    }

    .summary dt {
      font-weight: 600;
    }

    .summary dd {
      margin: 0 0 0.5em;
    }

    .preview-channels {
      margin: 0;
      padding-left: 1.25em;
    }

    .bubble {
      margin: 0.25em 0 0.75em;
      padding: 0.5em 0.75em;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      background: var(--c2m-color-surface, #f6f7f9);
      border-radius: var(--c2m-radius, 6px);
    }

    .form-error {
      margin: 0 0 var(--c2m-gap, 0.75rem);
      padding: 0.5em 0.75em;
      color: var(--c2m-color-danger, #b3261e);
      border: 1px solid var(--c2m-color-danger, #b3261e);
      border-radius: var(--c2m-radius, 6px);
    }

    .form-error:empty {
      display: none;
    }

    .spacer {
      flex: 1;
    }
  `,
];
