// The elements' size budgets, checked by every `npm run build`. What a host page downloads before
// an element first paints is its entry file and the chunks that file imports statically; chunks
// loaded with import() (a view opened later, a second language) do not count. The build prints
// that figure per element and fails when one is over its budget, so `npm test` guards it too.
import { gzipSync } from 'node:zlib';

/** First-paint budgets in kB (1,000 bytes) of gzip, per entry name. */
export const BUDGETS_KB = { 'c2m-admin': 50, 'c2m-cx-widget': 35 };

const kB = (bytes) => (bytes / 1000).toFixed(1);

/** The gzip bytes of `chunk` and of every chunk it imports statically, each counted once. */
function firstPaintBytes(bundle, chunk, seen = new Set()) {
  if (seen.has(chunk.fileName)) return 0;
  seen.add(chunk.fileName);
  let bytes = gzipSync(chunk.code, { level: 9 }).length;
  for (const name of chunk.imports) {
    const imported = bundle[name];
    if (imported?.type === 'chunk') bytes += firstPaintBytes(bundle, imported, seen);
  }
  return bytes;
}

/** A Vite plugin that prints each budgeted element's first-paint size and fails over budget. */
export function bundleBudget(budgets = BUDGETS_KB) {
  return {
    name: 'c2m-bundle-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || !chunk.isEntry || !(chunk.name in budgets)) continue;
        const bytes = firstPaintBytes(bundle, chunk);
        const limit = budgets[chunk.name];
        const line = `${chunk.name}: ${kB(bytes)} kB gzip at first paint (budget ${limit} kB)`;
        if (bytes > limit * 1000) this.error(`over budget: ${line}`);
        console.log(`\n${line}`);
      }
    },
  };
}
