import { css } from 'lit';
import { sharedStyles } from '../shared/styles.js';
import { tableStyles } from '../shared/table-styles.js';

export default [
  sharedStyles,
  tableStyles,
  css`
    .panel {
      display: grid;
      gap: var(--c2m-gap, 0.75rem);
      max-width: 36em;
      margin: 0 0 var(--c2m-gap, 0.75rem);
      padding: var(--c2m-gap, 0.75rem);
      border: 1px solid var(--c2m-color-border, #8a9099);
      border-radius: var(--c2m-radius, 6px);
    }

    .panel h3 {
      margin: 0;
      font-size: 1em;
    }

    .panel input,
    .panel select {
      width: 100%;
      max-width: 20em;
      box-sizing: border-box;
    }

    .users {
      display: grid;
      gap: 0.5em;
      margin: 0;
      padding: 0;
      list-style: none;
    }

    .users li {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.4em var(--c2m-gap, 0.75rem);
      padding: 0.5em 0;
      border-bottom: 1px solid var(--c2m-color-border, #8a9099);
    }

    .users .name {
      font-weight: 600;
      overflow-wrap: anywhere;
    }

    .users .meta {
      flex: 1;
      color: var(--c2m-color-muted, #595959);
    }

    .done {
      color: var(--c2m-color-text, #1f1f1f);
      font-weight: 600;
    }
  `,
];
