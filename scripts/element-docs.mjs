// Generates custom-elements.json (the Custom Elements Manifest of both bundles) with the analyzer
// and custom-elements-manifest.config.mjs, then one reference page per tag in docs/elements/.
//
//   node scripts/element-docs.mjs           write the manifest and the pages
//   node scripts/element-docs.mjs --check   exit 1 if any of them is out of date
//
// backend/test/docs.test.ts imports buildManifest/renderManifest/renderElementDocs to make the
// same check, so the committed files cannot go stale.
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli } from '@custom-elements-manifest/analyzer/cli.js';
import * as prettier from 'prettier';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const manifestFile = 'custom-elements.json';
export const elementDocsDir = 'docs/elements';

/** Runs the analyzer exactly as `npx cem analyze` does with our config, without writing. */
export async function buildManifest() {
  const argv = ['analyze', '--config', join(root, 'custom-elements-manifest.config.mjs')];
  const manifest = await cli({ argv: [...argv, '--quiet'], cwd: root, noWrite: true });
  if (!manifest?.modules) throw new Error('the analyzer produced no manifest');
  return manifest;
}

/** The manifest as committed: JSON formatted by the repository's Prettier settings. */
export async function renderManifest(manifest) {
  const options = (await prettier.resolveConfig(join(root, manifestFile))) ?? {};
  return prettier.format(JSON.stringify(manifest), { ...options, parser: 'json' });
}

/** Every custom element of the manifest with its module, in tag order. */
export function elementsOf(manifest) {
  return manifest.modules
    .flatMap((mod) =>
      (mod.declarations ?? [])
        .filter((d) => d.customElement && d.tagName)
        .map((d) => ({ ...d, modulePath: mod.path })),
    )
    .sort((a, b) => a.tagName.localeCompare(b.tagName));
}

/** Which bundle serves an element, from the folder of its module. */
const BUNDLES = [
  { folder: 'admin-element/', bundle: 'c2m-admin.js', root: 'c2m-admin' },
  { folder: 'widget/', bundle: 'c2m-cx-widget.js', root: 'c2m-cx-widget' },
];

/** Usage snippets for the two elements a host page embeds; the views get a generated one. */
const USAGE = {
  'c2m-admin': `<script type="module" src="https://c2m.example.com/assets/c2m-admin.js"></script>
<c2m-admin
  api-base="https://c2m.example.com"
  account-id="12345678"
  session-role="campaign_manager"
></c2m-admin>
<script type="module">
  const admin = document.querySelector('c2m-admin');
  // a fresh session token before every request: your backend calls POST /api/account/<id>/sessions
  admin.tokenProvider = () =>
    fetch('/my-portal/c2m-session').then((r) => r.json()).then((s) => s.token);
  admin.addEventListener('c2m-handoff-saved', (e) => console.log('saved', e.handoff.id));
</script>`,
  'c2m-cx-widget': `<script type="module" src="https://c2m.example.com/assets/c2m-cx-widget.js"></script>
<c2m-cx-widget
  api-base="https://c2m.example.com"
  consumer-phone-number="+14155550123"
  max-items="5"
></c2m-cx-widget>
<script type="module">
  // an agent session minted by your backend: POST /api/account/<id>/sessions {userId, role: "agent"}
  const widget = document.querySelector('c2m-cx-widget');
  widget.token = await fetch('/my-portal/c2m-agent-session')
    .then((r) => r.json())
    .then((s) => s.token);
</script>`,
};

/** One cell of a Markdown table: one line, pipes escaped, `{@link X}` shown as code. */
function cell(text) {
  if (text === undefined || text === null || text === '') return '';
  return String(text)
    .replace(/\{@link\s+([^}\s]+)\s*\}/g, '`$1`')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();
}

const code = (text) => (text ? `\`${String(text).replace(/`/g, "'")}\`` : '');

function table(headers, rows) {
  if (rows.length === 0) return 'None.\n';
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [
    line(headers),
    line(headers.map(() => '---')),
    ...rows.map((r) => line(r.map((c) => (c === '' ? ' ' : c)))),
  ]
    .join('\n')
    .concat('\n');
}

function genericUsage(el) {
  const owner = BUNDLES.find((b) => el.modulePath.startsWith(b.folder));
  const attrs = (el.attributes ?? []).map((a) => ` ${a.name}="…"`).join('');
  const comment =
    owner.root !== el.tagName
      ? `<!-- rendered by <${owner.root}>, which provides the API client and the session role -->\n`
      : '';
  return `<script type="module" src="https://c2m.example.com/assets/${owner.bundle}"></script>\n${comment}<${el.tagName}${attrs}></${el.tagName}>`;
}

/** The reference page of one element. */
export function renderElementPage(el) {
  const owner = BUNDLES.find((b) => el.modulePath.startsWith(b.folder));
  const publicFields = (el.members ?? []).filter(
    (m) => m.kind === 'field' && !m.static && !m.privacy,
  );
  const out = [];
  out.push(`<!-- Generated by scripts/element-docs.mjs from ${manifestFile}: do not edit. -->\n`);
  out.push(`# \`<${el.tagName}>\`\n`);
  if (el.summary) out.push(`${cell(el.summary)}\n`);
  out.push(
    `Class \`${el.name}\`, defined in \`${el.modulePath}\`; served in the \`/assets/${owner.bundle}\` bundle.\n`,
  );
  if (el.description) out.push(`${el.description.trim()}\n`);

  out.push('## Usage\n');
  out.push('```html\n' + (USAGE[el.tagName] ?? genericUsage(el)) + '\n```\n');

  out.push('## Attributes\n');
  out.push(
    table(
      ['Attribute', 'Property', 'Type', 'Default', 'Description'],
      (el.attributes ?? []).map((a) => [
        code(a.name),
        code(a.fieldName),
        cell(code(a.type?.text)),
        cell(code(a.default)),
        cell(a.description),
      ]),
    ),
  );

  out.push('## Properties\n');
  out.push(
    table(
      ['Property', 'Attribute', 'Type', 'Default', 'Description'],
      publicFields.map((f) => [
        code(f.name) + (f.readonly ? ' (read-only)' : ''),
        code(f.attribute),
        cell(code(f.type?.text)),
        cell(code(f.default)),
        cell(f.description),
      ]),
    ),
  );

  out.push('## Events\n');
  if ((el.events ?? []).length) {
    out.push(
      'Every event bubbles and is composed (it crosses shadow roots), so the page can listen on the outermost c2m element.\n',
    );
  }
  out.push(
    table(
      ['Event', 'Type', 'Description'],
      (el.events ?? []).map((e) => [code(e.name), cell(code(e.type?.text)), cell(e.description)]),
    ),
  );

  out.push('## CSS parts\n');
  out.push(
    table(
      ['Part', 'Description'],
      (el.cssParts ?? []).map((p) => [code(p.name), cell(p.description)]),
    ),
  );

  out.push('## CSS custom properties\n');
  out.push(
    table(
      ['Property', 'Default', 'Description'],
      (el.cssProperties ?? []).map((p) => [
        code(p.name),
        cell(code(p.default)),
        cell(p.description),
      ]),
    ),
  );

  out.push('## Slots\n');
  out.push(
    table(
      ['Slot', 'Description'],
      (el.slots ?? []).map((s) => [s.name ? code(s.name) : '(default)', cell(s.description)]),
    ),
  );
  return out.join('\n');
}

/** The index page of docs/elements/. */
function renderIndex(elements) {
  const rows = elements.map((el) => [
    `[\`<${el.tagName}>\`](${el.tagName}.md)`,
    cell(el.summary ?? ''),
  ]);
  return [
    `<!-- Generated by scripts/element-docs.mjs from ${manifestFile}: do not edit. -->\n`,
    '# Element reference\n',
    `Generated from the Custom Elements Manifest ([\`${manifestFile}\`](../../${manifestFile})). Regenerate both with \`npm run docs:elements\` after changing an element's public API or its JSDoc (\`@summary\`, \`@fires\`, \`@csspart\`, \`@cssprop\`, \`@slot\`).\n`,
    'A host page embeds `<c2m-admin>` or `<c2m-cx-widget>`; the other tags are the views `<c2m-admin>` renders, each in a chunk of the same bundle that `<c2m-admin>` loads (and that registers the tag) when it first shows the view.\n',
    table(['Element', 'Summary'], rows),
  ].join('\n');
}

/** Every generated page: path relative to the repository → content. */
export function renderElementDocs(manifest) {
  const elements = elementsOf(manifest);
  const pages = new Map([[`${elementDocsDir}/README.md`, renderIndex(elements)]]);
  for (const el of elements) pages.set(`${elementDocsDir}/${el.tagName}.md`, renderElementPage(el));
  return pages;
}

/** Every generated file (the manifest and the pages) with the content it should have. */
export async function expectedFiles() {
  const manifest = await buildManifest();
  const files = new Map([[manifestFile, await renderManifest(manifest)]]);
  for (const [path, content] of renderElementDocs(manifest)) files.set(path, content);
  return files;
}

async function main() {
  const check = process.argv.includes('--check');
  const files = await expectedFiles();
  const dir = join(root, elementDocsDir);
  const stale = existsSync(dir)
    ? readdirSync(dir)
        .map((f) => `${elementDocsDir}/${f}`)
        .filter((f) => f.endsWith('.md') && !files.has(f))
    : [];
  const changed = [...files].filter(([path, content]) => {
    const full = join(root, path);
    return !existsSync(full) || readFileSync(full, 'utf8') !== content;
  });
  if (check) {
    for (const [path] of changed) console.error(`out of date: ${path}`);
    for (const path of stale) console.error(`no longer generated: ${path}`);
    if (changed.length || stale.length) {
      console.error('run `npm run docs:elements` (node scripts/element-docs.mjs)');
      process.exit(1);
    }
    console.log(`${files.size} files up to date`);
    return;
  }
  mkdirSync(dir, { recursive: true });
  for (const [path, content] of changed) writeFileSync(join(root, path), content);
  for (const path of stale) rmSync(join(root, path));
  console.log(
    `${changed.length} written, ${stale.length} removed, ${files.size - changed.length} unchanged` +
      (changed.length ? `: ${changed.map(([p]) => relative(root, join(root, p))).join(', ')}` : ''),
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
