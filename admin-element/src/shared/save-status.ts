import { css, html, nothing } from 'lit';

// The one way a view confirms a save, a creation or a deletion: a banner everyone sees, in a
// polite live region that is always in the page (a region added together with its text is not
// read out), so screen readers announce the same words.

/** The banner's look; add it to the styles of a view that renders {@link renderSaveStatus}. */
export const saveStatusStyles = css`
  .save-status__text {
    display: flex;
    gap: 0.5em;
    align-items: baseline;
    margin: 0 0 var(--c2m-gap, 0.75rem);
    padding: 0.5em 0.75em;
    border: 1px solid var(--c2m-color-success, #1e6b34);
    border-radius: var(--c2m-radius, 6px);
    background: var(--c2m-color-success-surface, #eaf5ec);
    color: var(--c2m-color-success, #1e6b34);
    overflow-wrap: anywhere;
  }

  .save-status__text::before {
    content: '✓' / '';
  }
`;

/**
 * What was saved (empty: nothing to say), as `part="status"`. The text stays until the view sets
 * another (or empty, when the user moves on).
 */
export function renderSaveStatus(message: string) {
  return html`<div part="status" class="save-status" role="status" aria-live="polite">
    ${message ? html`<p class="save-status__text">${message}</p>` : nothing}
  </div>`;
}
