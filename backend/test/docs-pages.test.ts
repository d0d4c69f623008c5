// The pages under docs/ stay true: every relative link resolves to a file and heading, and every API
// path in backticks is one c2m serves to IVRs.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { docsDir, filesUnder, root } from './docs-fixtures.js';

/** Markdown without its fenced code blocks (links and paths there are examples, not links). */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const [, heading] of prose(markdown).matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const slug = heading
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    anchors.add(slug);
  }
  return anchors;
}

describe('docs/', () => {
  const files = filesUnder(docsDir, '.md');

  it('every relative link resolves to a file (and heading)', () => {
    assert.ok(files.length > 5);
    const broken: string[] = [];
    for (const file of files) {
      for (const [, target] of prose(readFileSync(file, 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z][a-z+.-]*:/i.test(target)) continue; // https:, mailto:
        const [path, anchor] = target.split('#');
        const resolved = path ? resolve(dirname(file), path) : file;
        const where = `${relative(root, file)} → ${target}`;
        if (!existsSync(resolved)) {
          broken.push(where);
        } else if (anchor && resolved.endsWith('.md')) {
          if (!anchorsOf(readFileSync(resolved, 'utf8')).has(anchor))
            broken.push(`${where} (no such heading)`);
        }
      }
    }
    assert.deepEqual(broken, []);
  });

  it('every API path in backticks is one c2m serves to IVRs', () => {
    // the routes an IVR integration uses: deflection, token, sandbox (read from the routers)
    const routes: string[] = [];
    for (const file of [
      'backend/src/modules/deflection/deflection.routes.ts',
      'backend/src/modules/accounts/token.routes.ts',
      'backend/src/modules/sandbox/sandbox.routes.ts',
    ]) {
      const source = readFileSync(join(root, file), 'utf8');
      const prefix = /new (?:Api)?Router\([^)]*prefix: '([^']+)'/.exec(source)?.[1] ?? '';
      for (const [, path] of source.matchAll(
        /(?:router\.(?:get|post|put|delete)\(|\bpath:)\s*'([^']*)'/g,
      )) {
        routes.push(prefix + path);
      }
    }
    assert.ok(routes.includes('/api/account/:accountId/eligibility'), routes.join(', '));
    assert.ok(routes.includes('/api/account/:accountId/invite'));
    const served = (path: string) => {
      const want = path.split('/');
      return routes.some((route) => {
        const have = route.split('/');
        return (
          have.length === want.length &&
          have.every((seg, i) => seg.startsWith(':') || seg === want[i] || /[{}<>$…]/.test(want[i]))
        );
      });
    };

    const recipes = files.filter(
      (f) => f.includes(`${join('docs', 'recipes')}`) || f.endsWith('migrating-from-liveperson.md'),
    );
    let checked = 0;
    const unknown: string[] = [];
    for (const file of recipes) {
      for (const [, span] of prose(readFileSync(file, 'utf8')).matchAll(/`([^`\n]+)`/g)) {
        const match = /^(?:(?:GET|POST|PUT|DELETE) )?(\/(?:api|oauth|sentinel)\/[^\s?]*)/.exec(
          span,
        );
        if (!match) continue;
        checked += 1;
        if (!served(match[1].replace(/\/$/, ''))) unknown.push(`${relative(root, file)}: ${span}`);
      }
    }
    assert.ok(checked >= 5, `only ${checked} paths found`);
    assert.deepEqual(unknown, []);
  });
});
