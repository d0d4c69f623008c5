import { css } from 'lit';
import { sharedStyles } from '../shared.styles.js';

export default [
  sharedStyles,
  css`
    .actions {
      display: flex;
      gap: 0.5rem;
      margin-top: 0.75rem;
    }

    .answer {
      margin-top: 1rem;
    }

    table {
      border-collapse: collapse;
      width: 100%;
      margin-top: 0.5rem;
    }

    th,
    td {
      text-align: left;
      padding: 0.25rem 0.4rem;
      border-bottom: 1px solid var(--c2m-color-border);
    }

    .verdict {
      font-weight: 700;
      margin: 0;
    }

    .verdict--yes,
    .yes {
      color: var(--c2m-color-ok);
    }

    .verdict--no,
    .no {
      color: var(--c2m-color-danger);
    }

    .call-id {
      font-size: 0.8rem;
      color: var(--c2m-color-muted);
      word-break: break-all;
    }

    pre {
      overflow-x: auto;
    }
  `,
];
