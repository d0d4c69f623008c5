import { html, type TemplateResult } from 'lit';

/** A row's action button, named with the item it acts on: `Delete draft_one (en)`. */
export function rowAction(
  label: string,
  item: string,
  run: () => unknown,
  o: { cls?: string; disabled?: boolean } = {},
) {
  return html`<button
    type="button"
    part="action"
    class=${o.cls ?? ''}
    aria-label="${label} ${item}"
    ?disabled=${o.disabled ?? false}
    @click=${run}
  >
    ${label}
  </button>`;
}

/**
 * The question a destructive action asks before it runs, in place of the buttons that asked it:
 * the confirming button and the one that keeps the item, grouped and named by the question. In a
 * table row it is laid out as the row's actions, under a form as the form's.
 */
export function confirmRow(
  question: string,
  content: TemplateResult | TemplateResult[],
  layout: 'row-actions' | 'actions' = 'row-actions',
) {
  return html`<div class=${layout} role="group" aria-label=${question}>${content}</div>`;
}
