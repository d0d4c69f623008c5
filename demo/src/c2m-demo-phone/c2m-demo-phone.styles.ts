import { css } from 'lit';
import { sharedStyles } from '../shared.styles.js';

export default [
  sharedStyles,
  css`
    .handset {
      border: 2px solid #333;
      border-radius: 22px;
      padding: 0.75rem;
      background: #fff;
    }

    .handset__number {
      margin: 0 0 0.5rem;
      text-align: center;
    }

    .thread {
      list-style: none;
      margin: 0;
      padding: 0.5rem;
      display: flex;
      flex-direction: column;
      gap: 0.5rem;
      min-height: 12rem;
      max-height: 28rem;
      overflow-y: auto;
      background: var(--c2m-color-surface);
      border-radius: 12px;
    }

    .bubble {
      max-width: 85%;
      padding: 0.4rem 0.6rem;
      border-radius: 12px;
      background: #fff;
      border: 1px solid var(--c2m-color-border);
      align-self: flex-start;
    }

    .bubble--inbound {
      align-self: flex-end;
      background: #dcebfb;
      border-color: #b7d3f2;
    }

    .bubble__text {
      margin: 0;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }

    .bubble__meta {
      margin: 0.2rem 0 0;
      font-size: 0.75rem;
      color: var(--c2m-color-muted);
    }

    .bubble__meta button {
      font-size: 0.75rem;
      padding: 0.05rem 0.4rem;
      margin-left: 0.4rem;
    }

    .reply {
      margin-top: 0.75rem;
    }

    .reply__row {
      display: flex;
      gap: 0.5rem;
    }

    .reply__row input {
      flex: 1;
    }

    .reply .secondary {
      justify-self: start;
      margin-top: 0.4rem;
    }
  `,
];
