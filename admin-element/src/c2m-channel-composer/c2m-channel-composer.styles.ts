import { css } from 'lit';
import { sharedStyles } from '../shared/styles.js';

export default [
  sharedStyles,
  css`
    textarea {
      width: 100%;
      min-height: 6em;
      resize: vertical;
    }

    input {
      max-width: 24em;
    }

    .apps {
      margin: 0;
      padding: 0;
      border: 0;
    }
  `,
];
