// Small-screen checks for the element tests: what sticks out to the right, through shadow roots.

/**
 * What keeps `root` from fitting a small viewport: the page scrolling sideways, the element's
 * own box scrolling sideways, or an element or a text inside it (its shadow tree and light
 * children, recursively) ending beyond the viewport's right edge. The content of an element that
 * scrolls or clips horizontally (overflow-x other than visible: a table's scroll box, an input) is
 * its own region and is not walked; the element itself still must fit. Empty when it fits.
 *
 * Self-contained (it uses nothing else from this module), so a Node test can also run it in a
 * page: playwright's `page.$eval('c2m-demo', horizontalOverflow)`.
 */
export function horizontalOverflow(root: Element): string[] {
  /** Half a pixel of rounding is not an overflow. */
  const SLACK = 0.5;
  /** Enough offenders to see the cause; the rest are counted. */
  const MAX_LISTED = 12;
  const limit = document.documentElement.clientWidth;
  const describe = (el: Element, right: number) => {
    const id = el.id ? `#${el.id}` : '';
    const part = el.getAttribute('part') ? `[part="${el.getAttribute('part')}"]` : '';
    const classes = typeof el.className === 'string' ? el.className.trim().split(/\s+/) : [];
    const cls = classes.filter(Boolean).map((c) => `.${c}`);
    const host = (el.getRootNode() as ShadowRoot).host?.localName;
    const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
    const where = `${host ? `${host} › ` : ''}${el.localName}${id}${cls.join('')}${part}`;
    return `${where} ends at ${Math.round(right)}px "${text}"`;
  };

  const found: string[] = [];
  const range = document.createRange();
  const visit = (el: Element) => {
    const rect = el.getBoundingClientRect();
    if (rect.width > 0 && rect.right > limit + SLACK) found.push(describe(el, rect.right));
    if (getComputedStyle(el).overflowX !== 'visible') return;
    if (el.shadowRoot) for (const child of el.shadowRoot.children) visit(child);
    for (const child of el.childNodes) {
      if (child instanceof Element) visit(child);
      else if (child.nodeType === Node.TEXT_NODE && child.textContent?.trim()) {
        // text that cannot wrap runs out of a box that itself fits
        range.selectNodeContents(child);
        const right = range.getBoundingClientRect().right;
        if (right > limit + SLACK) found.push(`text in ${describe(el, right)}`);
      }
    }
  };
  visit(root);

  const problems: string[] = [];
  const page = document.scrollingElement!.scrollWidth;
  if (page > limit) problems.push(`the page scrolls sideways: ${page}px wide in ${limit}px`);
  if (root.scrollWidth > root.clientWidth) {
    problems.push(`${root.localName} scrolls sideways: ${root.scrollWidth} > ${root.clientWidth}`);
  }
  const more = found.length > MAX_LISTED ? [`… and ${found.length - MAX_LISTED} more`] : [];
  return [...problems, ...found.slice(0, MAX_LISTED), ...more];
}

/** The width of the page, for failure messages: the document's scroll width in px. */
export const pageWidth = () => document.scrollingElement!.scrollWidth;
