import { css } from 'lit';
import { sharedStyles } from '../shared/styles.js';
import { saveStatusStyles } from '../shared/save-status.js';

export default [
  sharedStyles,
  saveStatusStyles,
  css`
    form {
      display: grid;
      gap: var(--c2m-gap, 0.75rem);
      max-width: 44em;
    }

    fieldset.group {
      margin: 0;
      padding: var(--c2m-gap, 0.75rem);
      border: 1px solid var(--c2m-color-border, #8a9099);
      border-radius: var(--c2m-radius, 6px);
    }

    fieldset.group > legend {
      padding: 0 0.25em;
      font-weight: 600;
    }

    .skills {
      display: grid;
      gap: 0.35em;
      margin: 0 0 var(--c2m-gap, 0.75rem);
      padding: 0;
      list-style: none;
    }

    input[type='number'] {
      width: 7em;
    }

    textarea {
      width: 100%;
      min-height: 4em;
      resize: vertical;
    }

    .read-only-list {
      margin: 0;
      padding-left: 1.25em;
    }
  `,
];
