import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { defineConfig, type EnvironmentOptions, type Rolldown } from 'vite';
import { bundleBudget } from './scripts/bundle-budget.mjs';
import { buildCatalogues } from './scripts/l10n.mjs';

// The embeddable elements, each built to dist/web/<name>.js. Add an element with one line here; an
// entry whose file does not exist yet is skipped, so the build works before it has code.
const candidates: Record<string, string> = {
  'c2m-cx-widget': 'widget/src/index.ts',
  'c2m-admin': 'admin-element/src/index.ts',
  // not for embedding: the demo page's own script, served as /demo/assets/demo.js
  demo: 'demo/src/index.ts',
};
const entries = Object.entries(candidates).filter(([, file]) => existsSync(file));

/** Builds served as their one file alone: whatever they import is inlined, nothing is split off. */
const SINGLE_FILE = new Set(['demo']);

// Libraries for other people's code (not elements), each built to dist/client/<name>.js with its
// dependencies (ky) bundled in, so a page can import it with no bundler.
const libraries = Object.entries({ 'c2m-client': 'client/src/index.ts' }).filter(([, file]) =>
  existsSync(file),
);

/** zod, and the contract's modules that are built with it (`import { z } from 'zod'`). */
const usesZod = (id: string) =>
  /[\\/]node_modules[\\/]zod[\\/]/.test(id) ||
  (/[\\/]backend[\\/]contract[\\/]/.test(id) && /from 'zod'/.test(readFileSync(id, 'utf8')));

/**
 * A helper the views share that runs the contract's schemas (imports a value, not only types, from
 * a contract module built with zod: shared/check-form.ts): it goes with zod, so the code the views
 * share stays free of zod and a view that validates nothing never loads it. Only shared/ helpers:
 * a view's own module moved into zod's chunk would import its styles from its own chunk while
 * that chunk imports zod's, and run before them (the view came up without its styles).
 */
function runsSchemas(id: string): boolean {
  if (!/[\\/]admin-element[\\/]src[\\/]shared[\\/]/.test(id)) return false;
  const source = readFileSync(id, 'utf8');
  for (const [, names, from] of source.matchAll(/^import (\{[^}]*\}|\w+) from '([^']+)';/gm)) {
    if (!from.includes('/backend/contract/') || names.startsWith('{ type ')) continue;
    if (/^\{(\s*type \w+,?)+\s*\}$/.test(names)) continue;
    const file = resolve(dirname(id), from.replace(/\.js$/, '.ts'));
    if (usesZod(file)) return true;
  }
  return false;
}

/** The contract's modules written without zod (`channel-names.ts`, `policy-table.ts`, …). */
const plainContract = (id: string) => /[\\/]backend[\\/]contract[\\/]/.test(id) && !usesZod(id);

/**
 * How an element's build splits: what its entry imports statically stays in the entry file (the
 * first paint: one request); what it loads with `import()` (a view, a language) comes in chunks
 * next to it, zod and the schemas in one chunk of their own, so only the views that validate a
 * form load it, and what two or more chunks share in one more. A chunk's name carries its
 * element's name and a hash of its content (lower-case letters and digits, as c2m's asset route
 * wants): c2m serves them cacheable for good, and a host page that copies the files must serve
 * the whole folder. The entry's own name stays stable, so it is the one URL a host page knows.
 */
function elementOutput(name: string): Rolldown.OutputOptions {
  return {
    // `c2m-admin-handoff-list.<hash>.js` (the view's module is c2m-handoff-list.ts)
    chunkFileNames: (chunk) => `${name}-${chunk.name.replace(/^c2m-/, '')}.[hash].js`,
    hashCharacters: 'base36',
    codeSplitting: {
      groups: [
        // statically imported by the entry: merged into the entry file
        { name: 'shell', tags: ['$initial'], priority: 4 },
        // the contract's plain modules (no zod) that the schemas and the views both use, in a
        // chunk that imports nothing: were they in `shared`, which imports zod's chunk, the two
        // would import each other and a schema could run before the list it is built from
        { name: 'contract', test: plainContract, priority: 3 },
        // without its dependencies: the plain contract modules the schemas use stay out of it
        {
          name: 'zod',
          test: (id) => usesZod(id) || runsSchemas(id),
          priority: 2,
          includeDependenciesRecursively: false,
        },
        { name: 'shared', minShareCount: 2, priority: 1 },
      ],
    },
  };
}

// Environment names allow only letters, digits, `$` and `_`.
const environmentName = (entry: string) => entry.replaceAll('-', '_');

function libraryBuild(
  name: string,
  file: string,
  out: { outDir: string; emptyOutDir: boolean },
  output: Rolldown.OutputOptions = {},
): [string, EnvironmentOptions] {
  return [
    environmentName(name),
    {
      consumer: 'client',
      build: {
        ...out,
        lib: { entry: { [name]: file }, formats: ['es'], fileName: () => `${name}.js` },
        rolldownOptions: { output },
      },
    },
  ];
}

// Library mode, ES format, Lit bundled in: a host page needs one <script type="module"> and
// nothing else. Each entry is its own build (environment) because one multi-entry build would
// move the code they share (Lit) into a common chunk that every host page would also have to serve.
export default defineConfig({
  // prints each element's first-paint size (entry + static imports, gzip); fails over budget
  plugins: [bundleBudget()],
  build: {
    target: 'es2022',
    outDir: 'dist/web',
    rolldownOptions: {
      // the entry file may export more than its module does: what lets the entry's static
      // imports merge into it (above) and zod's chunk leave out its dependencies
      preserveEntrySignatures: 'allow-extension',
      // Vite keeps whitespace in ES library builds, expecting another bundler downstream; these
      // files go straight to browsers, so minify fully.
      output: { minify: true },
    },
  },
  environments: Object.fromEntries([
    ...entries.map(([name, file], i) =>
      // the first build clears dist/web; later ones add to it
      libraryBuild(
        name,
        file,
        { outDir: 'dist/web', emptyOutDir: i === 0 },
        SINGLE_FILE.has(name) ? { codeSplitting: false } : elementOutput(name),
      ),
    ),
    ...libraries.map(([name, file], i) =>
      libraryBuild(name, file, { outDir: 'dist/client', emptyOutDir: i === 0 }),
    ),
  ]),
  builder: {
    async buildApp(builder) {
      // the translation catalogues first: new strings into xliff/, the locale modules from it
      for (const line of buildCatalogues()) console.log(line);
      for (const [name] of [...entries, ...libraries])
        await builder.build(builder.environments[environmentName(name)]);
    },
  },
});
