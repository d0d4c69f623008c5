import { z } from 'zod';
import * as contract from '../../contract/index.js';
import * as adminReports from '../../contract/admin-reports.js';
import * as reporting from '../../contract/reporting.js';
import * as webhooks from '../../contract/webhooks.js';
import * as credentials from '../../contract/credentials.js';
import * as settings from '../../contract/settings.js';
import type { Access, Content, Operation, Outgoing } from '../http/operation.js';
import { TAGS } from './tags.js';

export type JsonSchema = Record<string, unknown>;

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface OpenApiMedia {
  schema?: JsonSchema;
  example?: unknown;
}

export interface OpenApiResponse {
  description: string;
  content?: Record<string, OpenApiMedia>;
}

export interface OpenApiOperation {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  security: Record<string, string[]>[];
  parameters?: OpenApiParameter[];
  requestBody?: { required: boolean; content: Record<string, OpenApiMedia> };
  responses: Record<string, OpenApiResponse>;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string; license: object };
  servers: { url: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, OpenApiOperation>>;
  /** Requests c2m makes to the brand's URLs. */
  webhooks: Record<string, { post: OpenApiOperation }>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, object> };
}

/**
 * Component names are the contract's own export names, so a client generated from the document
 * speaks of `EligibilityRequest` as the code does. A schema the contract does not export (a page of
 * handoffs, say) is written inline where it is used.
 */
const NAMES = new Map<unknown, string>(
  [contract, adminReports, reporting, webhooks, credentials, settings].flatMap((module) =>
    Object.entries(module).flatMap(([name, value]) =>
      value instanceof z.ZodType ? [[value, name] as const] : [],
    ),
  ),
);

const PERMISSIONS: Record<string, string> = {
  ivr: 'IVR deflection: eligibility and invite ("IVR Engagement")',
  reporting: 'The reporting API',
  admin: 'Account set-up and sessions for the brand’s users',
  conversations: 'Conversations: read, answer, close',
};

const SECURITY_SCHEMES = {
  oauth1: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description:
      'OAuth 1.0a (RFC 5849), the product’s default: `Authorization: OAuth oauth_consumer_key=…, ' +
      'oauth_token=…, oauth_signature_method="HMAC-SHA1"` (or HMAC-SHA256), signed with the ' +
      'consumer and token secrets of an `oauth1` credential. OpenAPI has no OAuth 1.0a type, so it ' +
      'is described as a header; a requirement lists the credential permissions that suffice.',
  },
  bearerToken: {
    type: 'oauth2',
    description:
      'A JWT from the client-credentials grant of an `oauth2` credential, sent as ' +
      '`Authorization: Bearer …`. Its scopes are the credential’s permissions.',
    flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: PERMISSIONS } },
  },
  adminSession: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'A session for one of the brand’s users, from `POST /api/account/{accountId}/sessions` or ' +
      '`POST /api/login`. A requirement names the action the user’s role must be allowed.',
  },
  clientBasic: {
    type: 'http',
    scheme: 'basic',
    description: 'client_id:client_secret of an `oauth2` credential (or send both in the form).',
  },
};

const PATH_PARAMS: Record<string, string> = {
  accountId: 'The account; a credential or session of another account is refused',
  id: 'The object’s id',
  deliveryId: 'A delivery’s id, as the deliveries list shows it',
  messageId: 'A message id, as the sandbox lists it',
  provider: 'The provider, e.g. twilio, whatsapp-cloud, rbm, push-proxy',
};

/** Builds the OpenAPI 3.1 document of the given operations, its schemas from the contract's zod. */
export function buildOpenApiDocument(
  api: { operations: readonly Operation[]; webhooks: readonly Outgoing[] },
  opts: { version: string; serverUrl?: string },
): OpenApiDocument {
  const components = new Components();
  const paths: OpenApiDocument['paths'] = {};
  for (const op of api.operations) {
    const path = toOpenApiPath(op.path);
    paths[path] ??= {};
    paths[path][op.method] = operationItem(op, components);
  }
  const webhooks: OpenApiDocument['webhooks'] = {};
  for (const hook of api.webhooks) webhooks[hook.name] = { post: webhookItem(hook, components) };
  return {
    openapi: '3.1.0',
    info: {
      title: 'c2m',
      version: opts.version,
      description:
        'Connect to Messaging: deflect IVR callers to SMS, WhatsApp, in-app, Apple Messages and ' +
        'RCS. The IVR API answers errors as `{errorCode, errorMessage}`, the admin API as ' +
        '`{error: {code, message, details}}`.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: opts.serverUrl ?? '/' }],
    tags: TAGS.map((t) => ({ ...t })),
    paths,
    webhooks,
    components: { schemas: components.schemas, securitySchemes: SECURITY_SCHEMES },
  };
}

/** The named schemas the document has met so far; a use of one is a `$ref`. */
class Components {
  readonly schemas: Record<string, JsonSchema> = {};

  schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const json = toJsonSchema(schema, io);
    const name = NAMES.get(schema);
    if (!name) return json;
    // the same schema read and written can differ (defaults are optional going in)
    const known = this.schemas[name];
    const key = known && !sameJson(known, json) ? `${name}.${io}` : name;
    this.schemas[key] = json;
    return { $ref: `#/components/schemas/${key}` };
  }

  contentOf(
    body: z.ZodType | Content | Content[],
    io: 'input' | 'output',
    example?: unknown,
  ): Record<string, OpenApiMedia> {
    const contents =
      body instanceof z.ZodType
        ? [{ contentType: 'application/json', schema: body }]
        : [body].flat();
    return Object.fromEntries(
      contents.map(({ contentType, schema }) => {
        const media: OpenApiMedia = {};
        if (schema) media.schema = this.schemaOf(schema, io);
        if (example !== undefined) media.example = example;
        return [contentType, media];
      }),
    );
  }
}

function operationItem(op: Operation, components: Components): OpenApiOperation {
  const parameters = [
    ...pathParameters(op),
    ...objectParameters(op.query, 'query'),
    ...objectParameters(op.headers, 'header'),
  ];
  const errorBody = op.errorBody;
  const responses: Record<string, OpenApiResponse> = {};
  for (const [status, answer] of Object.entries(op.responses)) {
    responses[status] = { description: answer.description };
    if (answer.body) responses[status].content = components.contentOf(answer.body, 'output');
  }
  for (const [status, description] of Object.entries(impliedErrors(op))) {
    responses[status] = { description, content: components.contentOf(errorBody, 'output') };
  }
  return {
    operationId: op.operationId ?? operationId(op),
    tags: [op.tag],
    summary: op.summary,
    ...(op.description && { description: op.description }),
    security: securityOf(op.access),
    ...(parameters.length > 0 && { parameters }),
    ...(op.body && {
      requestBody: {
        required: !op.optionalBody,
        content: components.contentOf(op.body, 'input', op.example),
      },
    }),
    responses,
  };
}

function webhookItem(hook: Outgoing, components: Components): OpenApiOperation {
  return {
    operationId: operationId({ method: 'post', path: `/webhook/${hook.name}` }),
    tags: ['Event webhooks'],
    summary: hook.summary,
    ...(hook.description && { description: hook.description }),
    // the receiver checks the signature header, not a credential of c2m's
    security: [],
    parameters: objectParameters(hook.headers, 'header'),
    requestBody: { required: true, content: components.contentOf(hook.body, 'output') },
    responses: { '200': { description: 'Received (any 2xx); anything else is retried' } },
  };
}

/** Koa's `/a/:id` as OpenAPI's `/a/{id}`. */
const toOpenApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/** JSON Schema 2020-12, the dialect of OpenAPI 3.1; `io: 'input'` for what a client sends. */
export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  // refinements and transforms cannot be written in JSON Schema: the server still checks them
  const json: JsonSchema = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  });
  delete json.$schema;
  return json;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function pathParameters(op: Operation): OpenApiParameter[] {
  const given = op.params ? toJsonSchema(op.params, 'input') : {};
  const properties = (given.properties ?? {}) as Record<string, JsonSchema>;
  return [...op.path.matchAll(/:(\w+)/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    ...(PATH_PARAMS[name] && { description: PATH_PARAMS[name] }),
    schema: properties[name] ?? { type: 'string' },
  }));
}

function objectParameters(
  schema: z.ZodObject | undefined,
  where: 'query' | 'header',
): OpenApiParameter[] {
  if (!schema) return [];
  const json = toJsonSchema(schema, 'input');
  const required = (json.required ?? []) as string[];
  return Object.entries((json.properties ?? {}) as Record<string, JsonSchema>).map(
    ([name, { description, ...property }]) => ({
      name,
      in: where,
      required: required.includes(name),
      ...(typeof description === 'string' && { description }),
      schema: property,
    }),
  );
}

/** The errors every operation of its kind can answer, then the operation's own. */
function impliedErrors(op: Operation): Record<number, string> {
  const errors: Record<number, string> = {};
  if (op.body || op.query || op.params || op.headers) {
    errors[400] = 'The request broke a rule; the message names the field';
  }
  if (op.access !== 'public') errors[401] = 'Missing, invalid or expired credentials';
  // sign-out's session may always end itself: no role is refused
  const anyRole =
    typeof op.access === 'object' && 'session' in op.access && op.access.session === 'own';
  if (typeof op.access === 'object' && !anyRole) {
    errors[403] = 'The credential or role may not do this, or the path is another account’s';
  }
  if (typeof op.access === 'object' && 'session' in op.access) {
    errors[404] = 'Not found (another account’s objects are not there)';
  }
  return { ...errors, ...op.errors };
}

function securityOf(access: Access): Record<string, string[]>[] {
  if (access === 'public') return [];
  // `{}`: the client may instead put its id and secret in the form
  if (access === 'client') return [{ clientBasic: [] }, {}];
  if ('credential' in access) {
    return [{ oauth1: [...access.credential] }, { bearerToken: [...access.credential] }];
  }
  // the widget's and sign-out's: no one action of the policy table
  const anyAction = access.session === 'widget' || access.session === 'own';
  return [{ adminSession: anyAction ? [] : [access.session] }];
}

/** `post /api/account/:accountId/eligibility` → `postApiAccountByAccountIdEligibility`. */
function operationId(op: Pick<Operation, 'method' | 'path'>): string {
  const words = op.path
    .split('/')
    .filter(Boolean)
    .map((part) => (part.startsWith(':') ? `by-${part.slice(1)}` : part));
  return [op.method, ...words]
    .join('-')
    .split(/[^a-zA-Z0-9]+/)
    .map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1)))
    .join('');
}
