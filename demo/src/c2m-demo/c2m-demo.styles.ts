import { css } from 'lit';
import { sharedStyles } from '../shared.styles.js';

export default [
  sharedStyles,
  css`
    :host {
      margin: 0 auto;
      padding: 1rem 1.25rem 3rem;
      max-width: 90rem;
      font:
        15px/1.5 system-ui,
        sans-serif;
      color: var(--c2m-color-text);
    }

    h1 {
      margin: 0 0 0.25rem;
      font-size: 1.6rem;
    }

    h2 {
      margin: 0 0 0.75rem;
      font-size: 1.15rem;
    }

    .links {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem 1.25rem;
      list-style: none;
      padding: 0;
    }

    .walkthrough {
      margin: 0.5rem 0 1rem;
    }

    .notice {
      padding: 0.75rem 1rem;
      border: 1px solid var(--c2m-color-danger);
      border-radius: 6px;
    }

    .demo {
      display: grid;
      grid-template-columns: repeat(3, minmax(0, 1fr));
      gap: 1rem;
      align-items: start;
    }

    .panel {
      border: 1px solid var(--c2m-color-border);
      border-radius: 8px;
      padding: 1rem;
      min-width: 0;
    }

    .panel--wide {
      grid-column: 1 / -1;
    }

    @media (max-width: 64rem) {
      .demo {
        grid-template-columns: minmax(0, 1fr);
      }
    }
  `,
];
