import { css } from 'lit';

export default css`
  :host {
    display: block;
    --c2m-font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    --c2m-font-size: 0.875rem;
    --c2m-color-text: #1f1f1f;
    --c2m-color-muted: #595959;
    --c2m-color-background: #ffffff;
    --c2m-color-surface: #f6f7f9;
    --c2m-color-border: #d0d4da;
    --c2m-color-accent: #0b5cad;
    --c2m-color-danger: #b3261e;
    --c2m-radius: 6px;
    --c2m-gap: 0.75rem;
  }

  :host([hidden]) {
    display: none;
  }

  .widget {
    font-family: var(--c2m-font-family);
    font-size: var(--c2m-font-size);
    line-height: 1.4;
    color: var(--c2m-color-text);
    background: var(--c2m-color-background);
    padding: var(--c2m-gap);
    /* long ids, titles and links wrap on a phone instead of widening the page */
    overflow-wrap: anywhere;
  }

  .widget__title {
    margin: 0 0 var(--c2m-gap);
    font-size: 1em;
    font-weight: 600;
  }

  .widget__state {
    margin: 0;
    color: var(--c2m-color-muted);
  }

  .widget__state--error {
    color: var(--c2m-color-danger);
  }

  .widget__state p {
    margin: 0 0 calc(var(--c2m-gap) / 2);
  }

  .widget__retry {
    font: inherit;
    padding: 0.25rem 0.75rem;
    border: 1px solid var(--c2m-color-accent);
    border-radius: var(--c2m-radius);
    background: var(--c2m-color-background);
    color: var(--c2m-color-accent);
    cursor: pointer;
  }

  .messages {
    display: grid;
    gap: var(--c2m-gap);
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .message {
    padding: var(--c2m-gap);
    background: var(--c2m-color-surface);
    border: 1px solid var(--c2m-color-border);
    border-radius: var(--c2m-radius);
  }

  .message__text {
    margin: 0 0 0.5em;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }

  .message__meta {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25em 1em;
    margin: 0 0 0.5em;
    color: var(--c2m-color-muted);
  }

  .message__meta dt {
    display: inline;
    font-weight: 600;
  }

  .message__meta dt::after {
    content: ':';
  }

  .message__meta dd {
    display: inline;
    margin: 0 0 0 0.25em;
  }

  .message__context-title {
    margin: 0 0 0.25em;
    font-weight: 600;
  }

  .message__conversation {
    margin: 0 0 0.5em;
    color: var(--c2m-color-muted);
  }

  .status__path {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25em;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .status__step {
    color: var(--c2m-color-muted);
  }

  .status__step + .status__step::before {
    /* the arrow is decoration: the empty alt text keeps it out of the accessible name */
    content: '→' / '';
    margin-right: 0.25em;
    color: var(--c2m-color-muted);
  }

  .status__step--reached {
    color: var(--c2m-color-accent);
  }

  .status__step[aria-current] {
    font-weight: 600;
  }

  .status__note {
    margin: 0;
    color: var(--c2m-color-muted);
  }

  .status__failure {
    margin: 0;
    color: var(--c2m-color-danger);
    font-weight: 600;
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`;
