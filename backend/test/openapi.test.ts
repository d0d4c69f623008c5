import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { z } from 'zod';
import pkg from '../../package.json' with { type: 'json' };
import { HandoffInput, SessionRequest } from '../contract/admin.js';
import { ChannelName } from '../contract/channels.js';
import { EligibilityRequest, InviteRequest } from '../contract/deflection.js';
import { TemplateInput } from '../contract/templates.js';
import { createRouters } from '../src/app.js';
import type { JsonSchema, OpenApiDocument } from '../src/openapi/document.js';
import { OPERATIONS, TAGS } from '../src/openapi/operations.js';
import { startTestC2m, type TestC2m } from './helpers.js';

/** Routes that are not the API, each with why: pages and files for people, not for programs. */
const NOT_API: [RegExp, string][] = [
  [/^GET \/(admin|agent-workspace)?$/, 'the demo, sign-in and Agent Workspace pages'],
  [/^GET \/assets\/\{name\}$/, 'the element bundles those pages load'],
  [/^\w+ \/demo\//, "the demo page's files and its local-only API (C2M_DEMO)"],
];

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** `GET /a/{id}` for each route the routers answer; a trailing slash is the same route. */
function registeredRoutes(t: TestC2m): Set<string> {
  const routes = new Set<string>();
  for (const router of createRouters(t.c2m.deps, { publicDir: '', bundleDir: '' })) {
    for (const layer of router.stack) {
      assert.equal(typeof layer.path, 'string', 'a route the document can name');
      const path = String(layer.path)
        .replace(/(.)\/$/, '$1')
        .replace(/:(\w+)/g, '{$1}');
      for (const method of layer.methods) {
        if (method !== 'HEAD') routes.add(`${method} ${path}`);
      }
    }
  }
  return routes;
}

/** The fields whose absence zod refuses, starting from a valid body that has every field. */
function requiredByZod(schema: z.ZodType, full: Record<string, unknown>): string[] {
  assert.ok(schema.safeParse(full).success, 'the full example must be valid');
  return Object.keys(full)
    .filter((key) => !schema.safeParse({ ...full, [key]: undefined }).success)
    .sort();
}

describe('OpenAPI document', () => {
  let t: TestC2m;
  let doc: OpenApiDocument;
  const schemaOf = (name: string): JsonSchema => {
    const schema = doc.components.schemas[name];
    assert.ok(schema, `components.schemas.${name}`);
    return schema;
  };

  before(async () => {
    t = await startTestC2m();
    const res = await fetch(`${t.url}/openapi.json`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    doc = (await res.json()) as OpenApiDocument;
  });
  after(() => t.close());

  it('is valid OpenAPI 3.1', async () => {
    const validator = new Validator();
    // a copy: the validator's type wants a plain record, which an interface is not
    const result = await validator.validate({ ...doc });
    assert.deepEqual(result.errors, undefined);
    assert.equal(result.valid, true);
    assert.equal(validator.version, '3.1');
    assert.equal(doc.info.version, pkg.version);
    assert.deepEqual(doc.servers, [{ url: t.url }]);
    assert.deepEqual(doc.webhooks.event.post.requestBody?.content['application/json'].schema, {
      $ref: '#/components/schemas/WebhookEvent',
    });
  });

  it('documents every route, and only routes that exist', () => {
    const routes = registeredRoutes(t);
    const api = [...routes].filter((r) => !NOT_API.some(([pattern]) => pattern.test(r)));
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => METHODS.includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    const undocumented = api.filter((r) => !documented.includes(r));
    const missing = documented.filter((r) => !routes.has(r));
    assert.deepEqual(undocumented, [], 'routes without an entry in openapi/operations*.ts');
    assert.deepEqual(missing, [], 'documented routes that no router answers');
    for (const [pattern, why] of NOT_API) {
      assert.ok(!documented.some((r) => pattern.test(r)), `${why}: left out, yet documented`);
    }
  });

  it('names each operation once and files it under a known section', () => {
    const ids = OPERATIONS.map((op) => `${op.method} ${op.path}`);
    assert.equal(new Set(ids).size, ids.length, 'one entry per route');
    const operationIds = Object.values(doc.paths).flatMap((item) =>
      Object.values(item).map((op) => op.operationId),
    );
    assert.equal(new Set(operationIds).size, operationIds.length);
    const tags = TAGS.map((tag) => tag.name as string);
    for (const op of OPERATIONS) assert.ok(tags.includes(op.tag), `${op.tag} is in TAGS`);
  });

  it('asks for the fields the contract requires, defaults being optional', () => {
    const cases: [string, z.ZodType, Record<string, unknown>][] = [
      [
        'EligibilityRequest',
        EligibilityRequest,
        {
          skill: 'sales',
          consumerPhoneNumber: '+14155550100',
          handoffId: 'H123456789012345',
          sdes: [],
          templateVariables: { '1': 'Ada' },
          ivrNumber: '+14155550199',
          consumerId: 'c-1',
        },
      ],
      [
        'InviteRequest',
        InviteRequest,
        {
          callId: '7f6c1e0a-3b1d-4c8e-9a2b-5d4e3f2a1b0c',
          overrideChannel: 'sms',
          overrideMessage: 'Hi',
          overrideSkill: 'sales',
        },
      ],
      ['SessionRequest', SessionRequest, { userId: 'u-1', role: 'admin', ttlSeconds: 600 }],
      [
        'HandoffInput',
        HandoffInput,
        {
          title: 'Billing',
          lookback: { days: 1, hours: 0 },
          active: true,
          channels: [{ name: 'sms', enabled: true, message: 'Hi' }],
        },
      ],
      [
        'TemplateInput',
        TemplateInput,
        {
          name: 'order_update',
          category: 'UTILITY',
          language: 'en',
          wabaId: '102290129340398',
          phoneNumber: '+14155550100',
          // no variables: with one, `examples` would be refused by its count, not its absence
          body: 'Thanks for calling',
          examples: [],
        },
      ],
    ];
    for (const [name, schema, full] of cases) {
      const json = schemaOf(name);
      assert.deepEqual(
        Object.keys(json.properties as object).sort(),
        Object.keys(full).sort(),
        `${name}: the document has the contract's fields`,
      );
      assert.deepEqual(
        [...(json.required as string[])].sort(),
        requiredByZod(schema, full),
        `${name}: required as zod requires`,
      );
    }
  });

  it('carries the contract’s rules: enums, lengths and patterns', () => {
    const eligibility = schemaOf('EligibilityRequest').properties as Record<string, JsonSchema>;
    assert.equal(eligibility.consumerPhoneNumber.maxLength, 15);
    const pattern = new RegExp(eligibility.consumerPhoneNumber.pattern as string);
    for (const phone of ['+14155550100', '4155550100', '+0123']) {
      assert.equal(
        pattern.test(phone),
        EligibilityRequest.shape.consumerPhoneNumber.safeParse(phone).success,
        phone,
      );
    }
    const handoff = schemaOf('HandoffInput') as {
      properties: { channels: { items: { properties: { name: JsonSchema } } } };
    };
    assert.deepEqual(handoff.properties.channels.items.properties.name.enum, ChannelName.options);
  });

  it('gives examples the contract accepts', () => {
    for (const op of OPERATIONS) {
      if (op.example === undefined) continue;
      const body = op.body && 'safeParse' in op.body ? op.body : op.body?.schema;
      assert.ok(body, `${op.method} ${op.path} has a body schema`);
      const parsed = body.safeParse(op.example);
      assert.ok(parsed.success, `${op.method} ${op.path}: ${parsed.error?.message ?? ''}`);
    }
  });

  it('documents the error body each API really answers with', async () => {
    for (const path of [
      '/api/account/acme/eligibility?v=2.0',
      '/api/admin/account/acme/handoffs',
      '/api/account/acme/app/c2m/analytics?attemptedStartTime=0&attemptedEndTime=1',
    ]) {
      const [route] = path.split('?');
      const documented = Object.entries(doc.paths).find(([p]) =>
        new RegExp(`^${p.replace(/\{\w+\}/g, '[^/]+')}$`).test(route),
      );
      assert.ok(documented, path);
      const [method, op] = Object.entries(documented[1])[0];
      const res = await fetch(`${t.url}${path}`, { method: method.toUpperCase() });
      assert.equal(res.status, 401, path);
      const schema = schemaOf(
        String(op.responses['401'].content?.['application/json'].schema?.$ref).split('/').pop()!,
      );
      const body = (await res.json()) as Record<string, unknown>;
      for (const key of schema.required as string[]) assert.ok(key in body, `${path}: ${key}`);
      for (const key of Object.keys(body)) assert.ok(key in (schema.properties as object), key);
    }
  });

  it('serves a reference page with every operation', async () => {
    const res = await fetch(`${t.url}/docs/api`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    const html = await res.text();
    assert.doesNotMatch(html, /<script/, 'no script: nothing to load from elsewhere');
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        assert.ok(html.includes(`id="${op.operationId}"`), `${method} ${path} has a section`);
        assert.ok(html.includes(`<code>${path}</code>`), `${path} is shown`);
      }
    }
    assert.ok(html.includes(`curl -X POST &quot;${t.url}/api/account/$ACCOUNT_ID/eligibility`));
  });
});
