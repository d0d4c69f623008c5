// DOM helpers for the element tests: reach into nested shadow roots, type like a user.

/** Finds an element in `root` or inside any shadow root below it. */
export function deepQuery<T extends Element = HTMLElement>(
  root: ParentNode,
  selector: string,
): T | null {
  const direct = root.querySelector<T>(selector);
  if (direct) return direct;
  for (const el of root.querySelectorAll('*')) {
    const found = el.shadowRoot && deepQuery<T>(el.shadowRoot, selector);
    if (found) return found;
  }
  return null;
}

/** Every match in `root` and in every shadow root below it, in document order. */
export function deepQueryAll<T extends Element = HTMLElement>(
  root: ParentNode,
  selector: string,
): T[] {
  const out: T[] = [];
  for (const el of root.querySelectorAll('*')) {
    if (el.matches(selector)) out.push(el as T);
    if (el.shadowRoot) out.push(...deepQueryAll<T>(el.shadowRoot, selector));
  }
  return out;
}

/** Types into an input or textarea the way a user does: value set, then an `input` event. */
export function typeInto(field: HTMLInputElement | HTMLTextAreaElement | null, value: string) {
  if (!field) throw new Error('no such field');
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

/** The error text a field's aria-describedby points at, in the field's own shadow root. */
export function describedError(field: HTMLElement | null): string | undefined {
  const ids = field?.getAttribute('aria-describedby')?.split(' ') ?? [];
  const rootNode = field?.getRootNode() as ShadowRoot | undefined;
  return ids
    .map((id) => rootNode?.getElementById(id))
    .find((node) => node?.classList.contains('error'))
    ?.textContent?.trim();
}
