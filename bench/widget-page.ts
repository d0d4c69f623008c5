// What runs inside the bench page of `npm run bench:widget` (passed to page.evaluate, so these
// functions must not close over anything: puppeteer sends their source text to the browser).
import type { C2mCxWidget } from '../widget/src/index.js';

/** The page's bookkeeping, on `window.__widgetBench`. */
export interface PageBench {
  /** phone → when the widget's DOM first showed `Read` as the current step (epoch ms). */
  readAt: Record<string, number>;
  /** phone → when the frame after that DOM change started (requestAnimationFrame, epoch ms). */
  frameAt: Record<string, number>;
  waiters: Record<string, () => void>;
  widgets: C2mCxWidget[];
}

type BenchWindow = Window & { __widgetBench?: PageBench };

/**
 * Mounts one live `<c2m-cx-widget>` per phone, each with a MutationObserver on its shadow root that
 * timestamps (performance.timeOrigin + performance.now()) the first mutation after which its
 * current status step reads `Read`. Resolves once every widget has rendered once.
 */
export async function mountWidgets(apiBase: string, token: string, phones: string[]) {
  await customElements.whenDefined('c2m-cx-widget');
  const bench: PageBench = { readAt: {}, frameAt: {}, waiters: {}, widgets: [] };
  (window as BenchWindow).__widgetBench = bench;
  const now = () => performance.timeOrigin + performance.now();
  const grid = document.createElement('div');
  grid.style.cssText = 'display:grid;grid-template-columns:repeat(10,1fr);font-size:8px';
  document.body.append(grid);
  for (const phone of phones) {
    const el = document.createElement('c2m-cx-widget');
    el.setAttribute('api-base', apiBase);
    el.setAttribute('consumer-phone-number', phone);
    el.token = token;
    grid.append(el);
    bench.widgets.push(el);
  }
  await Promise.all(bench.widgets.map((el) => el.updateComplete));
  for (const el of bench.widgets) {
    const root = el.shadowRoot;
    if (!root) throw new Error('c2m-cx-widget has no shadow root');
    const phone = el.consumerPhoneNumber ?? '';
    const observer = new MutationObserver(() => {
      if (bench.readAt[phone] !== undefined) return;
      const current = root.querySelector('[aria-current="step"]')?.textContent?.trim();
      if (current !== 'Read') return;
      bench.readAt[phone] = now();
      requestAnimationFrame(() => {
        bench.frameAt[phone] = now();
      });
      bench.waiters[phone]?.();
      observer.disconnect();
    });
    observer.observe(root, {
      subtree: true,
      childList: true,
      attributes: true,
      characterData: true,
    });
  }
}

/** How many widgets are live (`ready`) and show their message with `want` as the current step. */
export function countShowing(want: string): { showing: number; states: Record<string, number> } {
  const bench = (window as BenchWindow).__widgetBench;
  const states: Record<string, number> = {};
  let showing = 0;
  for (const el of bench?.widgets ?? []) {
    states[el.state] = (states[el.state] ?? 0) + 1;
    const current = el.shadowRoot?.querySelector('[aria-current="step"]')?.textContent?.trim();
    if (el.state === 'ready' && el.messages.length > 0 && current === want) showing++;
  }
  return { showing, states };
}

/** Resolves with the DOM and frame times once the widget of `phone` shows `Read` (or times out). */
export function waitForRead(
  phone: string,
  timeoutMs: number,
): Promise<{ dom: number; frame: number } | undefined> {
  const bench = (window as BenchWindow).__widgetBench;
  if (!bench) throw new Error('widgets not mounted');
  const frame = () =>
    new Promise<number>((ok) => {
      // the frame callback queued by the observer runs before this one
      requestAnimationFrame(() => ok(bench.frameAt[phone] ?? NaN));
    });
  return new Promise((ok) => {
    const done = () => {
      clearTimeout(timer);
      void frame().then((f) => ok({ dom: bench.readAt[phone], frame: f }));
    };
    const timer = setTimeout(() => {
      delete bench.waiters[phone];
      ok(undefined);
    }, timeoutMs);
    if (bench.readAt[phone] !== undefined) done();
    else bench.waiters[phone] = done;
  });
}

/** The page clock against the wall clock: (timeOrigin + now) − Date.now(), min and max of 50. */
export function pageClockSkew(): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < 50; i++) {
    const d = performance.timeOrigin + performance.now() - Date.now();
    min = Math.min(min, d);
    max = Math.max(max, d);
  }
  return { min, max };
}
