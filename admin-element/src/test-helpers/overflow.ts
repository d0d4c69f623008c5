// Small-screen checks for the element tests: what sticks out to the right, through shadow roots.

/** Half a pixel of rounding is not an overflow. */
const SLACK = 0.5;
/** Enough offenders to see the cause; the rest are counted. */
const MAX_LISTED = 12;

/** Elements whose content scrolls or is cut inside their own box, so it cannot widen the page. */
function clipsX(el: Element): boolean {
  const overflowX = getComputedStyle(el).overflowX;
  return overflowX !== 'visible';
}

function describe(el: Element, right: number): string {
  const id = el.id ? `#${el.id}` : '';
  const part = el.getAttribute('part') ? `[part="${el.getAttribute('part')}"]` : '';
  const cls =
    typeof el.className === 'string' && el.className
      ? `.${el.className.trim().split(/\s+/).join('.')}`
      : '';
  const host = (el.getRootNode() as ShadowRoot).host?.localName;
  const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
  return `${host ? `${host} › ` : ''}${el.localName}${id}${cls}${part} ends at ${Math.round(right)}px "${text}"`;
}

/**
 * Every element under `root` (its shadow tree and light children, recursively) whose box or text
 * ends right of `limit` px, the right edge of the viewport by default. The content of an element that
 * scrolls or clips horizontally (overflow-x other than visible) is its own region and not walked;
 * the element itself still must fit.
 */
export function overflowingElements(
  root: Element,
  limit = document.documentElement.clientWidth,
): string[] {
  const found: string[] = [];
  const range = document.createRange();
  const visit = (el: Element) => {
    const rect = el.getBoundingClientRect();
    if (rect.width > 0 && rect.right > limit + SLACK) found.push(describe(el, rect.right));
    if (clipsX(el)) return;
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
  return found;
}

/**
 * What keeps `root` from fitting a small viewport: the page scrolling sideways, the element's
 * own box scrolling sideways, or anything inside it ending beyond the viewport's right edge.
 * Empty when it fits.
 */
export function horizontalOverflow(root: Element): string[] {
  const problems: string[] = [];
  const viewport = document.documentElement.clientWidth;
  const page = document.scrollingElement!.scrollWidth;
  if (page > viewport) problems.push(`the page scrolls sideways: ${page}px wide in ${viewport}px`);
  if (root.scrollWidth > root.clientWidth) {
    problems.push(`${root.localName} scrolls sideways: ${root.scrollWidth} > ${root.clientWidth}`);
  }
  const elements = overflowingElements(root, viewport);
  const more = elements.length > MAX_LISTED ? [`… and ${elements.length - MAX_LISTED} more`] : [];
  return [...problems, ...elements.slice(0, MAX_LISTED), ...more];
}

/** The widest the page got, for reports: document scroll width in px. */
export const pageWidth = () => document.scrollingElement!.scrollWidth;
