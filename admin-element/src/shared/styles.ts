import { css } from 'lit';

/**
 * The look every admin view shares: the public `--c2m-*` properties (set on <c2m-admin> or any
 * ancestor; they inherit into each view), form fields, buttons and the error text.
 */
export const sharedStyles = css`
  :host {
    display: block;
    font-family: var(--c2m-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    font-size: var(--c2m-font-size, 0.875rem);
    line-height: 1.4;
    color: var(--c2m-color-text, #1f1f1f);
    /* a long id, title or URL wraps rather than widening a phone's page; break-word (not anywhere)
       leaves the tables' column widths alone: they scroll in their own box instead */
    overflow-wrap: break-word;
  }

  :host([hidden]) {
    display: none;
  }

  * {
    box-sizing: border-box;
  }

  h2,
  h3 {
    margin: 0 0 var(--c2m-gap, 0.75rem);
    font-size: 1.15em;
    font-weight: 600;
  }

  h3 {
    font-size: 1em;
  }

  button,
  input,
  select,
  textarea {
    font: inherit;
    color: var(--c2m-color-text, #1f1f1f);
    background: var(--c2m-color-background, #ffffff);
    border: 1px solid var(--c2m-color-border, #8a9099);
    border-radius: var(--c2m-radius, 6px);
  }

  button {
    padding: 0.4em 0.9em;
    cursor: pointer;
  }

  button.primary {
    color: var(--c2m-color-on-accent, #ffffff);
    background: var(--c2m-color-accent, #0b5cad);
    border-color: var(--c2m-color-accent, #0b5cad);
  }

  button.danger {
    color: var(--c2m-color-danger, #b3261e);
    border-color: var(--c2m-color-danger, #b3261e);
  }

  button:disabled {
    cursor: not-allowed;
    opacity: 0.55;
  }

  /* headings take focus only programmatically, to tell screen readers where they are */
  h2[tabindex='-1']:focus,
  h3[tabindex='-1']:focus {
    outline: none;
  }

  button:focus-visible,
  input:focus-visible,
  select:focus-visible,
  textarea:focus-visible {
    outline: 2px solid var(--c2m-color-focus, #0b5cad);
    outline-offset: 2px;
  }

  input,
  select,
  textarea {
    /* never wider than their place: a long option or a size attribute would widen a phone's page */
    max-width: 100%;
    padding: 0.35em 0.5em;
  }

  /* a fieldset is at least as wide as its content by default: let its rows wrap instead */
  fieldset {
    min-width: 0;
  }

  [aria-invalid='true'] {
    border-color: var(--c2m-color-danger, #b3261e);
  }

  .field {
    display: grid;
    /* the column may shrink below a field's content, so the field (max-width: 100%) follows it */
    grid-template-columns: minmax(0, 1fr);
    gap: 0.25em;
    min-width: 0;
    margin: 0 0 var(--c2m-gap, 0.75rem);
  }

  .field label,
  .field legend {
    font-weight: 600;
  }

  .hint {
    margin: 0;
    color: var(--c2m-color-muted, #595959);
  }

  .error {
    margin: 0;
    color: var(--c2m-color-danger, #b3261e);
  }

  .state {
    margin: 0;
    padding: var(--c2m-gap, 0.75rem) 0;
    color: var(--c2m-color-muted, #595959);
  }

  .state--error {
    color: var(--c2m-color-danger, #b3261e);
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
    margin-top: var(--c2m-gap, 0.75rem);
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
