import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { z } from 'zod';
import pkg from '../../package.json' with { type: 'json' };
import * as contract from '../contract/index.js';
import { HandoffInput } from '../contract/handoffs.js';
import { SessionRequest } from '../contract/sessions.js';
import { ChannelName } from '../contract/channels.js';
import { EligibilityRequest, InviteRequest } from '../contract/deflection.js';
import { TemplateInput } from '../contract/templates.js';
import { createRouters, documentedOperations } from '../src/app.js';
import type { JsonSchema, OpenApiDocument } from '../src/openapi/document.js';
import { TAGS } from '../src/openapi/tags.js';
import { call, seedAccount, startTestC2m, type ApiResponse, type TestC2m } from './helpers.js';
import { accountApi, freshPhone } from './sandbox-phone.js';

/** Routes that are not the API, each with why: pages and files for people, not for programs. */
const NOT_API: [RegExp, string][] = [
  [/^GET \/(admin|agent-workspace)?$/, 'the demo, sign-in and Agent Workspace pages'],
  [/^GET \/assets\/\{name\}$/, 'the element bundles those pages load'],
  [/^GET \/favicon\.(ico|svg)$/, "the pages' icon"],
  [
    /^\w+ \/demo\//,
    "the demo page's files and its demo-key API (on with C2M_DEMO, see demo-gate.ts)",
  ],
];

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** Successful answers with a body the document leaves undescribed, each with why. */
const NO_SCHEMA: [RegExp, string][] = [
  [/^(GET|POST) \/webhooks\/\{provider\}\/\{accountId\}$/, "in each provider's own format"],
  [/^GET \/openapi\.json$/, 'the OpenAPI 3.1 specification describes it'],
];

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
    assert.deepEqual(
      undocumented,
      [],
      'routes registered without a route definition (ApiRouter.add)',
    );
    assert.deepEqual(missing, [], 'documented routes that no router answers');
    for (const [pattern, why] of NOT_API) {
      assert.ok(!documented.some((r) => pattern.test(r)), `${why}: left out, yet documented`);
    }
  });

  it('names each operation once and files it under a known section', () => {
    const OPERATIONS = documentedOperations(
      createRouters(t.c2m.deps, { publicDir: '', bundleDir: '' }),
    );
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
    const OPERATIONS = documentedOperations(
      createRouters(t.c2m.deps, { publicDir: '', bundleDir: '' }),
    );
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

  it('gives every successful JSON answer a schema', () => {
    const undescribed: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const [status, response] of Object.entries(op.responses)) {
          // a 204 has no body; other media types (CSV, HTML, metrics) are not JSON
          if (!/^2/.test(status) || status === '204') continue;
          const json = Object.entries(response.content ?? { 'application/json': {} }).filter(
            ([type]) => /^application\/([\w.-]+\+)?json$/.test(type),
          );
          if (json.some(([, media]) => !media.schema)) {
            undescribed.push(`${method.toUpperCase()} ${path}`);
          }
        }
      }
    }
    const exempt = (route: string) => NO_SCHEMA.some(([pattern]) => pattern.test(route));
    assert.deepEqual(
      undescribed.filter((r) => !exempt(r)),
      [],
      'answers without a schema',
    );
    for (const [pattern, why] of NO_SCHEMA) {
      assert.ok(
        undescribed.some((r) => pattern.test(r)),
        `${why}: exempt, yet described`,
      );
    }
  });

  it('describes what the running server answers', async () => {
    /** The zod schema the document names for this answer, found in the contract by that name. */
    const documented = (method: string, path: string, status: number): z.ZodType => {
      const media = doc.paths[path]?.[method]?.responses[status]?.content?.['application/json'];
      // `Name.output` when the schema reads differently from how it is written
      const name = String(media?.schema?.$ref).split('/').pop()?.split('.')[0] ?? '';
      const schema = (contract as Record<string, unknown>)[name];
      assert.ok(
        schema instanceof z.ZodType,
        `${method} ${path} ${status}: ${name} in the contract`,
      );
      return schema;
    };
    /** Parses, and nothing is left over: zod drops the fields a schema does not name. */
    const answers = (res: ApiResponse, method: string, path: string, status = 200) => {
      assert.equal(res.status, status, JSON.stringify(res.body));
      const parsed = documented(method, path, status).safeParse(res.body);
      assert.ok(parsed.success, `${method} ${path}: ${parsed.error?.message ?? ''}`);
      assert.deepEqual(parsed.data, res.body, `${method} ${path}: fields the schema leaves out`);
    };
    const account = await seedAccount(t, { permissions: ['ivr', 'conversations', 'admin'] });
    const api = accountApi(t, account);
    const base = '/api/account/{accountId}';

    answers(await call(`${t.url}/healthz`, { method: 'GET' }), 'get', '/healthz');
    answers(await call(`${t.url}/readyz`, { method: 'GET' }), 'get', '/readyz');

    const whatsapp = {
      provider: 'whatsapp-cloud',
      phoneNumberId: '1234567890',
      accessToken: 'EAAG-access-token-0123',
      appSecret: 'app-secret-0123',
      verifyToken: 'verify-token-0123',
    };
    answers(await api.put('/providers/wa', whatsapp), 'put', `${base}/providers/{channel}`);
    const sandbox = { provider: 'sandbox' };
    answers(await api.put('/providers/sms', sandbox), 'put', `${base}/providers/{channel}`);
    answers(await api.get('/providers'), 'get', `${base}/providers`);

    const phone = freshPhone();
    const inbound = { channel: 'sms', from: phone, text: 'Hello?' };
    answers(await api.post('/sandbox/inbound', inbound), 'post', `${base}/sandbox/inbound`);
    const messages = `/sandbox/messages?address=${encodeURIComponent(phone)}`;
    answers(await api.get(messages), 'get', `${base}/sandbox/messages`);

    const list = await api.get('/conversations?status=open');
    answers(list, 'get', `${base}/conversations`);
    const [conversation] = (list.body as contract.ConversationList).conversations;
    assert.ok(conversation, 'the consumer’s conversation');
    const one = `${base}/conversations/{id}`;
    const agent = { text: 'How can I help?' };
    answers(
      await api.post(`/conversations/${conversation.id}/messages`, agent),
      'post',
      `${one}/messages`,
      202,
    );
    answers(await api.get(`/conversations/${conversation.id}`), 'get', one);
    answers(await api.post(`/conversations/${conversation.id}/close`), 'post', `${one}/close`);
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
