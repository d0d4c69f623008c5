import { existsSync } from 'node:fs';
import { defineConfig, type EnvironmentOptions } from 'vite';
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

// Libraries for other people's code (not elements), each built to dist/client/<name>.js with its
// dependencies (ky) bundled in, so a page can import it with no bundler.
const libraries = Object.entries({ 'c2m-client': 'client/src/index.ts' }).filter(([, file]) =>
  existsSync(file),
);

// Environment names allow only letters, digits, `$` and `_`.
const environmentName = (entry: string) => entry.replaceAll('-', '_');

function libraryBuild(
  name: string,
  file: string,
  out: { outDir: string; emptyOutDir: boolean },
): [string, EnvironmentOptions] {
  return [
    environmentName(name),
    {
      consumer: 'client',
      build: {
        ...out,
        lib: { entry: { [name]: file }, formats: ['es'], fileName: () => `${name}.js` },
        // the chunks an element loads itself, next to its file: a translation when its language
        // is asked for, and what that shares with the element (see README, "Languages"). Named
        // after the element, in lower case (the server's /assets/ serves only such names).
        rolldownOptions: {
          output: {
            minify: true,
            chunkFileNames: `${name}-[name]-[hash].js`,
            hashCharacters: 'hex',
          },
        },
      },
    },
  ];
}

// Library mode, ES format, Lit bundled in: a host page needs one <script type="module"> and
// nothing else. Each entry is its own build (environment) because one multi-entry build would
// move the code they share (Lit) into a common chunk that every host page would also have to serve.
export default defineConfig({
  build: {
    target: 'es2022',
    outDir: 'dist/web',
    rolldownOptions: {
      // Vite keeps whitespace in ES library builds, expecting another bundler downstream; these
      // files go straight to browsers, so minify fully.
      output: { minify: true },
    },
  },
  environments: Object.fromEntries([
    ...entries.map(([name, file], i) =>
      // the first build clears dist/web; later ones add to it
      libraryBuild(name, file, { outDir: 'dist/web', emptyOutDir: i === 0 }),
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
