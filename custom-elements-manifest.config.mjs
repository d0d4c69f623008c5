// Custom Elements Manifest for <c2m-admin>, <c2m-cx-widget> and the admin's registered views.
// `npm run docs:elements` (scripts/element-docs.mjs) runs the analyzer with this file, formats the
// manifest with Prettier into custom-elements.json and writes docs/elements/ from it. Plain
// `npx cem analyze` reads this file too and produces the same manifest, only not Prettier-formatted.
//
// Every element module defines its own tag (`customElements.define('c2m-…', C2m…)`, which the
// analyzer reads). A plugin teaches it what it cannot see in this code base:
// - events are dispatched as `new C2mSomethingEvent(data)`, whose first argument is data, not the
//   event's name; the name is the class's `static readonly eventName`.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: globs are relative to it (run the analyzer from here). */
const root = dirname(fileURLToPath(import.meta.url));

/** @typedef {import('typescript')} TS */

export default {
  globs: ['admin-element/src/**/*.ts', 'widget/src/**/*.ts'],
  exclude: [
    '**/*.test.ts',
    '**/*.styles.ts',
    '**/test-helpers/**',
    'widget/src/agent-workspace/test-sdk-stand-in.ts',
  ],
  outdir: '.',
  litelement: true,
  // never let the analyzer rewrite package.json; its `customElements` field is set by hand
  packagejson: false,
  // globby's order follows the file system; sort so the manifest is the same on every machine
  overrideModuleCreation: ({ ts, globs }) => createModules(ts, globs),
  plugins: [namedEventClasses(), attributesTypedLikeTheirFields(), modulePathsAsAnalyzed()],
};

/**
 * @param {TS} ts
 * @param {string[]} globs
 */
function createModules(ts, globs) {
  return [...globs]
    .sort()
    .map((path) =>
      ts.createSourceFile(
        path,
        readFileSync(join(root, path), 'utf8'),
        ts.ScriptTarget.ES2015,
        true,
      ),
    );
}

/**
 * Names the events an element dispatches as `this.dispatchEvent(new SomeEvent(…))` after the event
 * class's `static readonly eventName`, and gives every event (also those only listed with `@fires`,
 * such as events bubbling up from a child view) its class as type.
 */
export function namedEventClasses() {
  /** @type {Map<string, {name: string, description: string}>} event class → its event */
  const eventClasses = new Map();
  /** @type {Map<string, string[]>} `${module}#${class}` → event classes it dispatches */
  const dispatched = new Map();
  return {
    name: 'c2m-named-event-classes',
    /** @param {{ts: TS, node: import('typescript').Node}} arg */
    collectPhase({ ts, node }) {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const extendsEvent = node.heritageClauses?.some((h) =>
        h.types.some((t) => ts.isIdentifier(t.expression) && t.expression.text === 'Event'),
      );
      if (!extendsEvent) return;
      for (const member of node.members) {
        if (
          ts.isPropertyDeclaration(member) &&
          member.name.getText() === 'eventName' &&
          member.initializer &&
          ts.isStringLiteral(member.initializer)
        ) {
          const doc = ts.getJSDocCommentsAndTags(node).find((d) => ts.isJSDoc(d));
          const description = typeof doc?.comment === 'string' ? doc.comment : '';
          eventClasses.set(node.name.text, {
            name: member.initializer.text,
            description: description.replace(/\s+/g, ' ').trim(),
          });
        }
      }
    },
    /** @param {{ts: TS, node: import('typescript').Node, moduleDoc: any}} arg */
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const found = [];
      (function visit(n) {
        if (
          ts.isCallExpression(n) &&
          ts.isPropertyAccessExpression(n.expression) &&
          n.expression.name.text === 'dispatchEvent' &&
          n.arguments[0] &&
          ts.isNewExpression(n.arguments[0]) &&
          ts.isIdentifier(n.arguments[0].expression)
        ) {
          found.push(n.arguments[0].expression.text);
        }
        ts.forEachChild(n, visit);
      })(node);
      if (found.length) dispatched.set(`${moduleDoc.path}#${node.name.text}`, found);
    },
    /** @param {{customElementsManifest: any}} arg */
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const decl of mod.declarations ?? []) {
          if (!decl.customElement) continue;
          // the analyzer's own guesses carry a type and a name taken from the data argument
          const events = (decl.events ?? []).filter((e) => !e.type);
          for (const cls of dispatched.get(`${mod.path}#${decl.name}`) ?? []) {
            const known = eventClasses.get(cls);
            if (!known) throw new Error(`${mod.path}: ${decl.name} dispatches unknown ${cls}`);
            if (!events.some((e) => e.name === known.name)) {
              events.push({ name: known.name, description: known.description });
            }
          }
          for (const event of events) {
            for (const [cls, known] of eventClasses) {
              if (known.name === event.name) event.type = { text: cls };
            }
          }
          if (events.length) decl.events = events;
          else delete decl.events;
        }
      }
    },
  };
}

/**
 * References resolved from an import (`./c2m-cx-widget/c2m-cx-widget.js`) come out as
 * `/widget/src/…/x.js`; point them at the analyzed module (`widget/src/…/x.ts`) instead.
 */
export function modulePathsAsAnalyzed() {
  return {
    name: 'c2m-module-paths-as-analyzed',
    /** @param {{customElementsManifest: any}} arg */
    packageLinkPhase({ customElementsManifest }) {
      const paths = new Set(customElementsManifest.modules.map((m) => m.path));
      (function fix(value) {
        if (Array.isArray(value)) return value.forEach(fix);
        if (!value || typeof value !== 'object') return;
        for (const [key, v] of Object.entries(value)) {
          if (key === 'module' && typeof v === 'string') {
            const analyzed = v.replace(/^\//, '').replace(/\.js$/, '.ts');
            if (paths.has(analyzed)) value[key] = analyzed;
          } else fix(v);
        }
      })(customElementsManifest.modules);
    },
  };
}

/**
 * An attribute whose field is initialised from a constant (`maxItems = DEFAULT_MAX_ITEMS`) gets the
 * constant's name as default and no type, while its field has both resolved; use the field's.
 */
export function attributesTypedLikeTheirFields() {
  return {
    name: 'c2m-attributes-typed-like-their-fields',
    /** @param {{customElementsManifest: any}} arg */
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const decl of mod.declarations ?? []) {
          for (const attr of decl.attributes ?? []) {
            const field = (decl.members ?? []).find(
              (m) => m.kind === 'field' && m.name === attr.fieldName,
            );
            if (!field) continue;
            if (field.type) attr.type = field.type;
            if (field.default !== undefined) attr.default = field.default;
          }
        }
      }
    },
  };
}
