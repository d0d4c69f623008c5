// The Custom Elements Manifest and the element pages in docs/elements/ are what the generator
// (scripts/element-docs.mjs) makes of today's sources.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, describe, it } from 'node:test';
import { filesUnder, root } from './docs-fixtures.js';

interface ManifestEvent {
  name: string;
  type?: { text: string };
}
interface ManifestDeclaration {
  kind: string;
  name: string;
  tagName?: string;
  customElement?: boolean;
  attributes?: { name: string; fieldName?: string }[];
  members?: { kind: string; name: string; attribute?: string; privacy?: string }[];
  events?: ManifestEvent[];
}
interface Manifest {
  modules: {
    path: string;
    declarations?: ManifestDeclaration[];
    exports?: { kind: string; name: string; declaration: { name: string; module?: string } }[];
  }[];
}
/** scripts/element-docs.mjs, imported by URL (it is plain JavaScript, outside the TS program). */
interface ElementDocs {
  manifestFile: string;
  elementDocsDir: string;
  buildManifest(): Promise<Manifest>;
  renderManifest(manifest: Manifest): Promise<string>;
  renderElementDocs(manifest: Manifest): Map<string, string>;
}

async function loadGenerator(): Promise<ElementDocs> {
  const url = pathToFileURL(join(root, 'scripts/element-docs.mjs')).href;
  return (await import(url)) as ElementDocs;
}

const stale = 'is stale: run `node scripts/element-docs.mjs` (npm run docs:elements) and commit it';

describe('custom elements manifest', () => {
  let gen: ElementDocs;
  let manifest: Manifest;
  const elements = new Map<string, ManifestDeclaration>();

  before(async () => {
    gen = await loadGenerator();
    manifest = await gen.buildManifest();
    for (const mod of manifest.modules) {
      for (const d of mod.declarations ?? []) if (d.tagName) elements.set(d.tagName, d);
    }
  });

  it('custom-elements.json is what the analyzer makes of the sources today', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'c2m-cem-'));
    try {
      const fresh = join(dir, gen.manifestFile);
      writeFileSync(fresh, await gen.renderManifest(manifest));
      const committed = join(root, gen.manifestFile);
      assert.ok(existsSync(committed), `${gen.manifestFile} is missing`);
      assert.equal(
        readFileSync(committed, 'utf8'),
        readFileSync(fresh, 'utf8'),
        `${gen.manifestFile} ${stale}`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('defines both embeddable tags with their public attributes and properties', () => {
    const definitions = manifest.modules.flatMap((m) =>
      (m.exports ?? []).filter((e) => e.kind === 'custom-element-definition').map((e) => e.name),
    );
    for (const tag of ['c2m-admin', 'c2m-cx-widget']) assert.ok(definitions.includes(tag), tag);

    const attributes = (tag: string) => (elements.get(tag)?.attributes ?? []).map((a) => a.name);
    const properties = (tag: string) =>
      (elements.get(tag)?.members ?? [])
        .filter((m) => m.kind === 'field' && !m.privacy)
        .map((m) => m.name);
    for (const name of ['api-base', 'account-id', 'session-role', 'view']) {
      assert.ok(attributes('c2m-admin').includes(name), `c2m-admin [${name}]`);
    }
    // the session token is set as a property (`token` or `tokenProvider`), not as an attribute
    for (const name of ['token', 'tokenProvider', 'client']) {
      assert.ok(properties('c2m-admin').includes(name), `c2m-admin .${name}`);
    }
    for (const name of [
      'api-base',
      'account-id',
      'consumer-phone-number',
      'consumer-id',
      'conversation-id',
      'max-items',
      'max-age-days',
    ]) {
      assert.ok(attributes('c2m-cx-widget').includes(name), `c2m-cx-widget [${name}]`);
    }
    for (const name of ['token', 'messages']) {
      assert.ok(properties('c2m-cx-widget').includes(name), `c2m-cx-widget .${name}`);
    }
  });

  it('registers every tag the bundles define, and nothing from tests', () => {
    // each element's module defines its tag: `customElements.define('c2m-…', C2m…)`
    const defined = ['admin-element/src', 'widget/src']
      .flatMap((dir) => filesUnder(join(root, dir), '.ts'))
      .filter((f) => !f.endsWith('.test.ts') && !f.includes('test-helpers'))
      .flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/customElements\.define\('(c2m-[a-z-]+)'/g)].map(
          (m) => m[1],
        ),
      );
    assert.ok(defined.includes('c2m-admin') && defined.includes('c2m-users'), defined.join(' '));
    assert.deepEqual([...elements.keys()].sort(), [...new Set(defined)].sort());
  });

  it('lists the events the elements dispatch, each named after its event class', () => {
    // event classes: `class C2mXEvent extends Event { static readonly eventName = 'c2m-x'`
    const sources = ['admin-element/src', 'widget/src']
      .flatMap((dir) => filesUnder(join(root, dir), '.ts'))
      .filter((f) => !f.endsWith('.test.ts'))
      .map((f) => readFileSync(f, 'utf8'));
    const declared = new Map(
      sources.flatMap((source) =>
        [
          ...source.matchAll(
            /class (C2m\w+Event) extends Event \{\s*static readonly eventName = '([a-z0-9-]+)'/g,
          ),
        ].map((m) => [m[2], m[1]] as const),
      ),
    );
    assert.ok(declared.size >= 17, `only ${declared.size} event classes found`);
    const fired = new Set<string>();
    for (const [tag, el] of elements) {
      for (const event of el.events ?? []) {
        assert.ok(
          declared.has(event.name),
          `${tag} fires ${event.name}, which no event class declares`,
        );
        assert.equal(event.type?.text, declared.get(event.name), `${tag} ${event.name} type`);
        fired.add(event.name);
      }
    }
    for (const name of declared.keys()) assert.ok(fired.has(name), `no element lists ${name}`);

    const admin = new Set((elements.get('c2m-admin')?.events ?? []).map((e) => e.name));
    for (const name of [
      'c2m-handoff-selected',
      'c2m-handoff-saved',
      'c2m-handoff-deleted',
      'c2m-template-saved',
      'c2m-settings-saved',
      'c2m-credential-changed',
    ]) {
      assert.ok(admin.has(name), `c2m-admin @fires ${name}`);
    }
  });

  it('the element pages in docs/elements/ are up to date with the manifest', () => {
    const pages = gen.renderElementDocs(manifest);
    for (const tag of ['c2m-admin', 'c2m-cx-widget']) {
      assert.ok(pages.has(`${gen.elementDocsDir}/${tag}.md`), tag);
    }
    for (const [path, content] of pages) {
      const file = join(root, path);
      assert.ok(existsSync(file), `${path} is missing: run node scripts/element-docs.mjs`);
      assert.equal(readFileSync(file, 'utf8'), content, `${path} ${stale}`);
    }
    const onDisk = readdirSync(join(root, gen.elementDocsDir)).map(
      (f) => `${gen.elementDocsDir}/${f}`,
    );
    assert.deepEqual(
      onDisk.filter((f) => !pages.has(f)),
      [],
      'pages no element generates',
    );
  });
});
