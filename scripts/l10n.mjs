#!/usr/bin/env node
// The translation catalogues, part of `npm run build` (vite.config.ts runs this first). For each
// element bundle: `lit-localize extract` adds every new msg() string to xliff/<locale>.xlf (a new
// one has no <target> yet, and shows in English until it is translated), then `lit-localize build`
// writes the locale modules (src/locales/<locale>.ts) the bundle loads when that language is asked
// for. Prints one line per bundle and language: how many strings still lack a translation.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'node_modules', '@lit', 'localize-tools', 'bin', 'lit-localize.js');
export const BUNDLES = ['admin-element', 'widget'];

/** The trans-units of an XLIFF file without a <target>: the strings shown untranslated. */
export function untranslated(xliff) {
  const units = xliff.match(/<trans-unit\b[\s\S]*?<\/trans-unit>/g) ?? [];
  return units.filter((u) => !u.includes('<target')).length;
}

export function buildCatalogues() {
  const report = [];
  for (const bundle of BUNDLES) {
    const dir = join(root, bundle);
    for (const step of ['extract', 'build']) {
      // cwd: lit-localize resolves localeCodesModule against it (the other paths against the config)
      const run = spawnSync(process.execPath, [cli, step, '--config', 'lit-localize.json'], {
        cwd: dir,
        encoding: 'utf8',
      });
      if (run.status !== 0) {
        // it says why: a msg() it cannot read, a translation whose placeholders differ …
        process.stderr.write(run.stdout + run.stderr);
        throw new Error(`lit-localize ${step} failed for ${bundle} (see above)`);
      }
    }
    for (const file of readdirSync(join(dir, 'xliff')).filter((f) => f.endsWith('.xlf'))) {
      const xliff = readFileSync(join(dir, 'xliff', file), 'utf8');
      const total = (xliff.match(/<trans-unit\b/g) ?? []).length;
      const missing = untranslated(xliff);
      const locale = file.replace(/\.xlf$/, '');
      report.push(
        `l10n: ${bundle} ${locale}: ${total - missing} of ${total} strings translated` +
          (missing
            ? ` (${missing} shown in English: translate them in ${bundle}/xliff/${file})`
            : ''),
      );
    }
  }
  return report;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    for (const line of buildCatalogues()) console.log(line);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  }
}
