import { css } from 'lit';

/**
 * What the demo's elements share: the palette, form controls, the muted and error lines, and text
 * only a screen reader reads. Colours meet WCAG AA on white.
 */
export const sharedStyles = css`
  :host {
    display: block;
    --c2m-color-text: #1f1f1f;
    --c2m-color-accent: #0b5cad;
    --c2m-color-border: #c9ced6;
    --c2m-color-surface: #f6f7f9;
    --c2m-color-muted: #595959;
    --c2m-color-danger: #b3261e;
    --c2m-color-ok: #1b6e32;
  }

  :host([hidden]) {
    display: none;
  }

  code {
    background: var(--c2m-color-surface);
    padding: 0.05rem 0.3rem;
    border-radius: 4px;
  }

  .muted,
  .hint {
    color: var(--c2m-color-muted);
  }

  .hint {
    margin: 0.1rem 0 0.5rem;
    font-size: 0.85rem;
  }

  form {
    display: grid;
    gap: 0.25rem;
  }

  label {
    font-weight: 600;
    margin-top: 0.4rem;
  }

  input,
  select,
  button {
    font: inherit;
    padding: 0.4rem 0.6rem;
    border: 1px solid #8a9099;
    border-radius: 6px;
    min-width: 0;
  }

  button {
    background: var(--c2m-color-accent);
    border-color: var(--c2m-color-accent);
    color: #fff;
    cursor: pointer;
  }

  button.secondary {
    background: #fff;
    color: var(--c2m-color-danger);
    border-color: var(--c2m-color-danger);
  }

  button:disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }

  :focus-visible {
    outline: 3px solid var(--c2m-color-accent);
    outline-offset: 2px;
  }

  .error {
    color: var(--c2m-color-danger);
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
