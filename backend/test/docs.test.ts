// The documentation stays true: the Custom Elements Manifest and the element pages are what the
// generator makes of today's sources, every relative link resolves, every API path a recipe names
// is one c2m serves, and the recipes' Lambda, Twilio Function and AGI script work against a real c2m.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { DemoCredentials } from '../src/modules/demo-page/bootstrap.js';
import { startTestC2m, type TestC2m } from './helpers.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const docsDir = join(root, 'docs');

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

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? filesUnder(join(dir, e.name), suffix)
      : e.name.endsWith(suffix)
        ? [join(dir, e.name)]
        : [],
  );
}

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
    const defined = ['admin-element/src/index.ts', 'widget/src/index.ts'].flatMap((file) =>
      [...readFileSync(join(root, file), 'utf8').matchAll(/'(c2m-[a-z-]+)'/g)].map((m) => m[1]),
    );
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

/** The code block that follows `<!-- docs-test: name -->` in a recipe. */
function recipeCode(file: string, name: string): string {
  const markdown = readFileSync(join(docsDir, 'recipes', file), 'utf8');
  const at = markdown.indexOf(`<!-- docs-test: ${name} -->`);
  assert.ok(at >= 0, `${file} has no docs-test: ${name}`);
  const block = /```[a-z]*\n([\s\S]*?)\n```/.exec(markdown.slice(at));
  assert.ok(block, `${file}: no code block after docs-test: ${name}`);
  return block[1];
}

describe('the recipes against the demo account', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'c2m-docs-'));
  const work = mkdtempSync(join(tmpdir(), 'c2m-recipes-'));
  let t: TestC2m;
  let demo: DemoCredentials;

  before(async () => {
    t = await startTestC2m({ C2M_DEMO: '1' }, { dataDir });
    demo = JSON.parse(
      readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8'),
    ) as DemoCredentials;
  });
  after(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  const transactions = async () =>
    (await t.c2m.deps.db.selectFrom('transactions').select('call_id').execute()).map(
      (r) => r.call_id,
    );

  it('the Amazon Connect Lambda asks eligibility, then invites', async () => {
    const file = join(work, 'index.mjs');
    writeFileSync(file, recipeCode('amazon-connect.md', 'amazon-connect-lambda'));
    const env = {
      C2M_BASE_URL: demo.baseUrl,
      C2M_ACCOUNT_ID: demo.accountId,
      C2M_CLIENT_ID: demo.oauth2.clientId,
      C2M_CLIENT_SECRET: demo.oauth2.clientSecret,
      C2M_HANDOFF_ID: demo.handoffs.sms,
      C2M_SKILL: 'sales',
    };
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try {
      const { handler } = (await import(pathToFileURL(file).href)) as {
        handler: (event: unknown) => Promise<Record<string, string>>;
      };
      const event = (phone: string, params: Record<string, string>) => ({
        Details: {
          ContactData: {
            ContactId: `contact-${phone}`,
            CustomerEndpoint: { Address: phone, Type: 'TELEPHONE_NUMBER' },
            SystemEndpoint: { Address: '+18005550100', Type: 'TELEPHONE_NUMBER' },
          },
          Parameters: params,
        },
        Name: 'ContactFlowEvent',
      });
      const answer = await handler(
        event('+14155550123', { action: 'eligibility', firstName: 'Ada' }),
      );
      assert.equal(answer.result, 'eligible');
      assert.equal(answer.channel, 'sms');
      for (const value of Object.values(answer)) assert.equal(typeof value, 'string'); // STRING_MAP

      const invited = await handler(
        event('+14155550123', { action: 'invite', callId: answer.callId }),
      );
      assert.deepEqual(invited, { result: 'invited', callId: answer.callId });
      assert.ok((await transactions()).includes(answer.callId));

      const unreachable = await handler(event('+14155550000', { action: 'eligibility' }));
      assert.deepEqual(
        { result: unreachable.result, reason: unreachable.reason },
        { result: 'not_eligible', reason: 'not_reachable' },
      );
      const anonymous = await handler(event('anonymous', { action: 'eligibility' }));
      assert.equal(anonymous.reason, 'no_caller_id');
      const wrong = await handler(
        event('+14155550124', { action: 'eligibility', handoffId: 'H0' }),
      );
      assert.deepEqual(
        { result: wrong.result, httpStatus: wrong.httpStatus, errorCode: wrong.errorCode },
        { result: 'error', httpStatus: '400', errorCode: '1500' },
      );
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('the Twilio Function asks eligibility, then invites', async () => {
    const file = join(work, 'c2m.cjs');
    writeFileSync(file, recipeCode('twilio-studio.md', 'twilio-function'));
    const fn = createRequire(import.meta.url)(file) as {
      handler: (ctx: object, event: object, cb: (err: unknown, res: unknown) => void) => unknown;
    };
    const context = {
      C2M_BASE_URL: demo.baseUrl,
      C2M_ACCOUNT_ID: demo.accountId,
      C2M_CLIENT_ID: demo.oauth2.clientId,
      C2M_CLIENT_SECRET: demo.oauth2.clientSecret,
      C2M_HANDOFF_ID: demo.handoffs.waSms,
      C2M_SKILL: 'sales',
    };
    const run = (event: object) =>
      new Promise<Record<string, unknown>>((done, fail) => {
        void fn.handler(context, event, (err, res) =>
          err
            ? fail(err instanceof Error ? err : new Error(JSON.stringify(err)))
            : done(res as Record<string, unknown>),
        );
      });
    const call = { from: '+14155550131', to: '+18005550100', callSid: 'CAdocs1', firstName: 'Ada' };
    const answer = await run({ action: 'eligibility', ...call });
    assert.equal(answer.result, 'eligible');
    assert.equal(answer.channel, 'wa');
    assert.equal(answer.channelLabel, 'WhatsApp message');
    assert.deepEqual(answer.availableChannels, ['wa', 'sms']);
    // a retried widget (same CallSid) gets the same call context back
    assert.equal((await run({ action: 'eligibility', ...call })).callId, answer.callId);

    const invited = await run({
      action: 'invite',
      callId: answer.callId,
      callSid: 'CAdocs1',
      channel: 'sms',
    });
    assert.deepEqual(invited, { result: 'invited' });
    assert.ok((await transactions()).includes(answer.callId as string));

    const smsOnly = await run({
      action: 'eligibility',
      ...call,
      from: '+14155550001',
      callSid: 'CAdocs2',
    });
    assert.equal(smsOnly.channel, 'sms');
    const expired = await run({
      action: 'invite',
      callId: crypto.randomUUID(),
      callSid: 'CAdocs3',
    });
    assert.deepEqual(expired, {
      result: 'error',
      httpStatus: 404,
      errorCode: 1004,
      errorMessage: expired.errorMessage,
    });
  });

  it('the Asterisk AGI script asks eligibility, then invites', async (ctx) => {
    if (spawnSync('python3', ['--version']).status !== 0)
      return ctx.skip('python3 is not installed');
    const script = join(work, 'c2m-deflect.py');
    writeFileSync(script, recipeCode('asterisk.md', 'asterisk-agi'));
    const config = join(work, 'c2m.json');
    writeFileSync(
      config,
      JSON.stringify({
        baseUrl: demo.baseUrl,
        accountId: demo.accountId,
        clientId: demo.oauth2.clientId,
        clientSecret: demo.oauth2.clientSecret,
        handoffId: demo.handoffs.sms,
        skill: 'sales',
        defaultCountryCode: '1',
        tokenCache: join(work, 'token.json'),
      }),
    );
    /** Runs the script as Asterisk would: AGI environment, then `200 result=1` per command. */
    const agi = (...args: string[]) =>
      new Promise<Record<string, string>>((done, fail) => {
        const child = spawn('python3', [script, ...args], {
          env: { ...process.env, C2M_CONFIG: config },
        });
        const vars: Record<string, string> = {};
        let buffered = '';
        child.stdin.write('agi_request: c2m-deflect.py\nagi_channel: PJSIP/test\n\n');
        child.stdout.on('data', (chunk: Buffer) => {
          buffered += chunk.toString();
          let nl: number;
          while ((nl = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, nl);
            buffered = buffered.slice(nl + 1);
            const set = /^SET VARIABLE (\w+) "(.*)"$/.exec(line);
            if (set) vars[set[1]] = set[2];
            child.stdin.write('200 result=1\n');
          }
        });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', fail);
        child.on('close', (code) =>
          code === 0 ? done(vars) : fail(new Error(`exit ${code}: ${stderr}`)),
        );
      });

    // a national number from the trunk becomes E.164 with the default country code
    const answer = await agi('eligibility', '4155550141', 'uniq-1', '+18005550100');
    assert.equal(answer.C2M_RESULT, 'eligible');
    assert.equal(answer.C2M_CHANNEL, 'sms');
    assert.match(answer.C2M_CALL_ID, /^[0-9a-f-]{36}$/);
    const invited = await agi('invite', answer.C2M_CALL_ID, 'uniq-1');
    assert.equal(invited.C2M_RESULT, 'invited');
    assert.ok((await transactions()).includes(answer.C2M_CALL_ID));

    const unreachable = await agi('eligibility', '+14155550000', 'uniq-2');
    assert.deepEqual(
      { ...unreachable, C2M_CALL_ID: undefined },
      {
        C2M_CALL_ID: undefined,
        C2M_CHANNEL: '',
        C2M_AVAILABLE: '',
        C2M_RESULT: 'not_eligible',
        C2M_REASON: 'not_reachable',
      },
    );
    assert.deepEqual(await agi('eligibility', '', 'uniq-3'), {
      C2M_RESULT: 'not_eligible',
      C2M_REASON: 'no_caller_id',
    });
    const expired = await agi('invite', crypto.randomUUID(), 'uniq-4');
    assert.deepEqual(
      { result: expired.C2M_RESULT, status: expired.C2M_HTTP_STATUS, code: expired.C2M_ERROR_CODE },
      { result: 'error', status: '404', code: '1004' },
    );
  });
});
