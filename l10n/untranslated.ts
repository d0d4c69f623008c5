// For the tests: finds what a view shows in English when it should show another language.
//
// A view is rendered twice with the same data, once in English and once in (say) Spanish. A text
// of the Spanish rendering (a text node, or an aria-label / title / placeholder / alt) is
// untranslated when the English rendering shows the very same text and it is none of: free of
// letters (numbers, punctuation), a value from the data the view was given (the test says which:
// names, titles, ids …) or made of such values and punctuation (`Billing (h-1)`), a brand name that stays as it is, or a translation in the catalogue that
// happens to equal its English source ("Token", "ID"). Content marked `translate="no"` (a code,
// such as a provider's error key) is not read at all. Texts are grouped by the element whose
// shadow root shows them, so a report names the element to fix.

const ATTRIBUTES = ['aria-label', 'title', 'placeholder', 'alt', 'aria-roledescription'];

/** Every text `root` shows, with the shadow roots below it, by the tag of the element it is in. */
export function shownTexts(root: Element): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (tag: string, text: string | null | undefined) => {
    const t = (text ?? '').replace(/\s+/g, ' ').trim();
    if (!t) return;
    if (!out.has(tag)) out.set(tag, new Set());
    out.get(tag)!.add(t);
  };
  const walk = (node: Node, tag: string) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        const parent = child.parentElement?.localName;
        if (parent !== 'style' && parent !== 'script') add(tag, child.textContent);
      } else if (child instanceof Element) {
        if (child.getAttribute('translate') === 'no') continue;
        for (const a of ATTRIBUTES) add(tag, child.getAttribute(a));
        walk(child, tag);
        if (child.shadowRoot) walk(child.shadowRoot, child.localName);
      }
    }
  };
  if (root.shadowRoot) walk(root.shadowRoot, root.localName);
  walk(root, root.localName);
  return out;
}

/** The translations of an XLIFF catalogue, each as a pattern its placeholders may fill. */
export function cataloguePatterns(xliff: string): RegExp[] {
  const doc = new DOMParser().parseFromString(xliff, 'application/xml');
  const patterns: RegExp[] = [];
  for (const target of doc.querySelectorAll('target')) {
    const nodes = [...target.childNodes];
    // a translation that is all placeholders would match any text: it proves nothing
    if (!nodes.some((n) => n.nodeType === Node.TEXT_NODE && /\p{L}/u.test(n.textContent ?? ''))) {
      continue;
    }
    const parts = nodes.map((n) =>
      n.nodeType === Node.TEXT_NODE
        ? (n.textContent ?? '').replace(/\s+/g, ' ').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        : '.*',
    );
    patterns.push(new RegExp(`^${parts.join('').trim()}$`, 's'));
  }
  return patterns;
}

export interface UntranslatedCheck {
  /** Texts of the view in English and in the other language, from `shownTexts`. */
  english: Map<string, Set<string>>;
  translated: Map<string, Set<string>>;
  /** Values of the data the view shows (names, titles, ids): shown as they are in any language. */
  data: Iterable<string>;
  /** Names that stay as they are in the other language (WhatsApp, SMS). */
  same?: Iterable<string>;
  /** The other language's catalogue, from `cataloguePatterns`. */
  catalogue: RegExp[];
}

/** The untranslated texts, by element tag; an element with none is left out. */
export function untranslated(c: UntranslatedCheck): Record<string, string[]> {
  const english = new Set([...c.english.values()].flatMap((s) => [...s]));
  const data = new Set(c.data);
  // longest first, so a value is not cut by a shorter one inside it
  const values = [...data].filter((d) => d.length > 1).sort((a, b) => b.length - a.length);
  const onlyData = (t: string) =>
    !/\p{L}/u.test(values.reduce((rest, d) => rest.split(d).join(' '), t));
  const same = new Set(c.same ?? []);
  const found: Record<string, string[]> = {};
  for (const [tag, texts] of c.translated) {
    const bad = [...texts].filter(
      (t) =>
        /\p{L}/u.test(t) &&
        english.has(t) &&
        !data.has(t) &&
        !onlyData(t) &&
        !same.has(t) &&
        !c.catalogue.some((p) => p.test(t)),
    );
    if (bad.length) found[tag] = bad;
  }
  return found;
}

/** Every string in a JSON value (an API answer): the data a view may show as it is. */
export function stringsOf(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') out.add(value.replace(/\s+/g, ' ').trim());
  else if (Array.isArray(value)) for (const v of value) stringsOf(v, out);
  else if (value && typeof value === 'object')
    for (const v of Object.values(value)) stringsOf(v, out);
  return out;
}
