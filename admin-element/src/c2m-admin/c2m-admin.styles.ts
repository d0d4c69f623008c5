import { css } from 'lit';
import { sharedStyles } from '../shared/styles.js';
import { saveStatusStyles } from '../shared/save-status.js';

export default [
  sharedStyles,
  saveStatusStyles,
  css`
    .header {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5em;
      align-items: center;
      justify-content: space-between;
      margin-bottom: var(--c2m-gap, 0.75rem);
      color: var(--c2m-color-muted, #595959);
      overflow-wrap: anywhere;
    }

    .header p {
      margin: 0;
    }

    :host {
      --c2m-font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
      --c2m-font-size: 0.875rem;
      --c2m-color-text: #1f1f1f;
      --c2m-color-muted: #595959;
      --c2m-color-background: #ffffff;
      --c2m-color-surface: #f6f7f9;
      --c2m-color-border: #8a9099;
      --c2m-color-accent: #0b5cad;
      --c2m-color-on-accent: #ffffff;
      --c2m-color-danger: #b3261e;
      --c2m-color-warning: #7a4b00;
      --c2m-color-focus: #0b5cad;
      --c2m-radius: 6px;
      --c2m-gap: 0.75rem;
    }

    .admin {
      background: var(--c2m-color-background);
      padding: var(--c2m-gap);
    }

    .nav ul {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25em;
      margin: 0 0 var(--c2m-gap);
      padding: 0 0 0.25em;
      list-style: none;
      border-bottom: 1px solid var(--c2m-color-border);
    }

    .nav button {
      border-color: transparent;
    }

    .nav button[aria-current='page'] {
      color: var(--c2m-color-accent);
      font-weight: 600;
      border-color: var(--c2m-color-accent);
    }
  `,
];
