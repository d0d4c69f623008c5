// Runs every backend node:test suite. Node 20 expands no globs and finds no .ts files in a folder,
// so the files are listed here and passed explicitly.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['backend/test'];
const files = roots.flatMap(function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? walk(join(dir, e.name))
      : e.name.endsWith('.test.ts')
        ? [join(dir, e.name)]
        : [],
  );
});
if (files.length === 0) {
  console.error('no backend test files found');
  process.exit(1);
}
const args = [
  '--enable-source-maps',
  '--import',
  'tsx',
  '--test',
  ...process.argv.slice(2),
  ...files.sort(),
];
const { status } = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(status ?? 1);
