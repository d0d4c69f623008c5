#!/usr/bin/env node
// The layering, checked: a file imports only from its own layer or the ones below it.
//
//   contract  backend/contract/            shapes the browser and the server share
//   core      backend/src/*.ts helpers     clock, ids, log, config, secret, errors, startup-error
//   db, auth  backend/src/db, auth, shared-state   storage, credentials, what nodes share in Redis
//   channels  backend/src/channels, outbound   calls c2m makes: provider adapters, the URL guard
//   http      backend/src/http             Koa middleware and the route definition
//   modules   backend/src/modules, outbox, realtime, metrics (modules/deps.ts: what they are built from)
//   server    app.ts, server.ts, main.ts, startup.ts, deps.ts, openapi, cli, demo
//
// The browser packages (admin-element, widget, demo) may import from backend/contract and nothing
// else of the backend. `import type` counts like any import: a type is a dependency too.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LAYERS = ['contract', 'core', 'storage', 'channels', 'http', 'modules', 'server'];
const CORE = new Set([
  'clock.ts',
  'ids.ts',
  'log.ts',
  'config.ts',
  'secret.ts',
  'errors.ts',
  'startup-error.ts',
]);

/** The layer of a file under backend/, or undefined outside it. */
export function layerOf(file) {
  const rel = relative(root, file).split('\\').join('/');
  if (rel.startsWith('backend/contract/')) return 'contract';
  if (!rel.startsWith('backend/src/')) return undefined;
  const [top, ...rest] = rel.slice('backend/src/'.length).split('/');
  if (rest.length === 0) return CORE.has(top) ? 'core' : 'server';
  if (top === 'db' || top === 'auth' || top === 'shared-state') return 'storage';
  if (top === 'channels' || top === 'outbound') return 'channels';
  if (top === 'http') return 'http';
  if (['modules', 'outbox', 'realtime', 'metrics'].includes(top)) return 'modules';
  return 'server';
}

function* sources(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (/\.(ts|mts|mjs|js)$/.test(name) && !name.endsWith('.d.ts')) yield path;
  }
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const found = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (spec.startsWith('.')) found.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
  }
  return found;
}

export function violations() {
  const out = [];
  for (const file of sources(join(root, 'backend'))) {
    if (file.includes(`${join('backend', 'test')}`)) continue;
    const from = layerOf(file);
    if (!from) continue;
    for (const target of importsOf(file)) {
      const to = layerOf(target);
      if (to && LAYERS.indexOf(to) > LAYERS.indexOf(from)) {
        out.push(`${relative(root, file)} (${from}) imports ${relative(root, target)} (${to})`);
      }
    }
  }
  for (const pkg of ['admin-element/src', 'widget/src', 'demo/src']) {
    for (const file of sources(join(root, pkg))) {
      for (const target of importsOf(file)) {
        const rel = relative(root, target);
        if (rel.startsWith('backend/') && !rel.startsWith('backend/contract/')) {
          out.push(
            `${relative(root, file)} (browser) imports ${rel} (only backend/contract is shared)`,
          );
        }
      }
    }
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const found = violations();
  for (const line of found) console.error(line);
  console.log(found.length ? `${found.length} imports against the layering` : 'layering: ok');
  process.exitCode = found.length ? 1 : 0;
}
