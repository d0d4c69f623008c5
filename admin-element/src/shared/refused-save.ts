import type { ReactiveElement } from 'lit';
import { msg } from '@lit/localize';

// A save the form's own checks refused: what the form says, and where the keyboard goes.

/** What a form says when a save is refused because of its fields, in the shown language. */
export const fixFieldsMessage = () =>
  msg('Some fields need attention: see the messages next to them.');

/**
 * Once `host` has rendered a refused save's errors, the first field marked invalid takes the
 * focus. `deep` looks into the shadow roots below the host as well (fields of child elements).
 */
export async function focusFirstInvalid(host: ReactiveElement, deep = false) {
  await host.updateComplete;
  const invalid = '[aria-invalid="true"]';
  const find = (root: ParentNode): HTMLElement | null => {
    if (!deep) return root.querySelector<HTMLElement>(invalid);
    for (const el of root.querySelectorAll<HTMLElement>('*')) {
      if (el.matches(invalid)) return el;
      const inner = el.shadowRoot && find(el.shadowRoot);
      if (inner) return inner;
    }
    return null;
  };
  find(host.renderRoot)?.focus();
}
