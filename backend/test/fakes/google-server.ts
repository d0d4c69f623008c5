// A local stand-in for Google: the OAuth 2.0 token endpoint (JWT bearer grant), FCM HTTP v1
// `messages:send` and the RBM capability / agentMessages calls. It checks requests the way Google
// documents them and answers with Google's own error shapes; tests script failures per endpoint.
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fcmRoute, rbmAgentMessageRoute, rbmCapabilitiesRoute } from './google-routes.js';
import { checkAssertion, oauthError } from './google-jwt.js';
import { signedRbmWebhook, type RbmWebhookOptions } from './google-webhooks.js';

export { fcmErrorBody, googleErrorBody, SCOPE } from './google-routes.js';
export { rbmUserEvent, rbmUserMessage } from './google-webhooks.js';

/** A service account key pair as Google issues it: PEM private key for the adapter. */
export function newServiceAccountKey(): { privateKey: string; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey };
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Endpoint = 'token' | 'fcm' | 'capabilities' | 'agentMessages';
/** An answer a test forces on the next call of an endpoint (after auth and validation pass). */
export type Scripted = { status: number; body?: unknown } | 'hang';
export type Reply = { status: number; body: unknown } | 'hang';

export interface GoogleFakeOptions {
  clientEmail: string;
  /** The public half of the service account key the adapter signs with. */
  publicKey: KeyObject;
  projectId: string;
  agentId: string;
  webhookClientToken: string;
  now?: () => number;
  /** `expires_in` of minted tokens; Google's is 3599. */
  tokenLifetimeS?: number;
}

export interface GoogleFake {
  readonly url: string;
  readonly tokenUrl: string;
  readonly requests: RecordedRequest[];
  /** Access tokens minted so far. */
  readonly minted: string[];
  /** Device tokens FCM knows; any other well-formed token is UNREGISTERED. */
  readonly fcmDevices: Set<string>;
  /** Phones RBM can reach; capabilities and agentMessages answer 404 for the rest. */
  readonly rcsPhones: Set<string>;
  /** Agent message ids RBM has taken (a repeat answers 409 ALREADY_EXISTS). */
  readonly agentMessageIds: Set<string>;
  script(endpoint: Endpoint, ...replies: Scripted[]): void;
  /** Every token minted so far stops working (Google answers 401 UNAUTHENTICATED). */
  revokeAll(): void;
  requestsTo(endpoint: Endpoint): RecordedRequest[];
  rbmWebhook(
    payload: object,
    opts?: RbmWebhookOptions,
  ): { headers: Record<string, string>; body: string };
  sendRbmWebhook(url: string, payload: object, opts?: RbmWebhookOptions): Promise<Response>;
  sendRbmVerification(url: string, secret: string, clientToken?: string): Promise<Response>;
  close(): Promise<void>;
}

export interface FakeState {
  opts: GoogleFakeOptions;
  now: () => number;
  tokens: Map<string, { scopes: Set<string>; expiresAt: number; revoked: boolean }>;
  fcmDevices: Set<string>;
  rcsPhones: Set<string>;
  agentMessageIds: Set<string>;
  next(endpoint: Endpoint): Scripted | undefined;
}

export async function startGoogleFake(opts: GoogleFakeOptions): Promise<GoogleFake> {
  const requests: (RecordedRequest & { endpoint?: Endpoint })[] = [];
  const minted: string[] = [];
  const scripts = new Map<Endpoint, Scripted[]>();
  const state: FakeState = {
    opts,
    now: opts.now ?? Date.now,
    tokens: new Map(),
    fcmDevices: new Set(),
    rcsPhones: new Set(),
    agentMessageIds: new Set(),
    next: (endpoint) => scripts.get(endpoint)?.shift(),
  };
  let tokenUrl = '';

  function tokenRoute(headers: IncomingHttpHeaders, body: string): Reply {
    if (!headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
      return oauthError(
        'invalid_request',
        'Content-Type must be application/x-www-form-urlencoded',
      );
    }
    const form = new URLSearchParams(body);
    const checked = checkAssertion(form, { ...opts, tokenUrl, now: state.now() });
    if ('status' in checked) return checked;
    const scripted = state.next('token');
    if (scripted)
      return scripted === 'hang' ? 'hang' : { status: scripted.status, body: scripted.body };
    const lifetimeS = opts.tokenLifetimeS ?? 3599;
    const token = `ya29.fake-${randomBytes(18).toString('base64url')}`;
    state.tokens.set(token, {
      scopes: checked.scopes,
      expiresAt: state.now() + lifetimeS * 1000,
      revoked: false,
    });
    minted.push(token);
    return {
      status: 200,
      body: { access_token: token, expires_in: lifetimeS, token_type: 'Bearer' },
    };
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = req.method ?? 'GET';
      const rec = {
        method,
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
      };
      const route = routeOf(method, url.pathname);
      requests.push({ ...rec, endpoint: route?.endpoint });
      const reply: Reply = !route
        ? { status: 404, body: { error: { code: 404, message: 'Not Found', status: 'NOT_FOUND' } } }
        : route.endpoint === 'token'
          ? tokenRoute(req.headers, body)
          : route.endpoint === 'fcm'
            ? fcmRoute(state, rec, route.param)
            : route.endpoint === 'capabilities'
              ? rbmCapabilitiesRoute(state, rec, route.param)
              : rbmAgentMessageRoute(state, rec, route.param);
      answer(res, reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  tokenUrl = `${url}/token`;

  const fake: GoogleFake = {
    url,
    tokenUrl,
    requests,
    minted,
    fcmDevices: state.fcmDevices,
    rcsPhones: state.rcsPhones,
    agentMessageIds: state.agentMessageIds,
    script(endpoint, ...replies) {
      scripts.set(endpoint, [...(scripts.get(endpoint) ?? []), ...replies]);
    },
    revokeAll() {
      for (const t of state.tokens.values()) t.revoked = true;
    },
    requestsTo: (endpoint) => requests.filter((r) => r.endpoint === endpoint),
    rbmWebhook: (payload, o) => signedRbmWebhook(payload, opts.webhookClientToken, o),
    sendRbmWebhook(target, payload, o) {
      const { headers, body } = signedRbmWebhook(payload, opts.webhookClientToken, o);
      return fetch(target, { method: 'POST', headers, body });
    },
    sendRbmVerification(target, secret, clientToken = opts.webhookClientToken) {
      return fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ clientToken, secret }),
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

function routeOf(method: string, path: string): { endpoint: Endpoint; param: string } | undefined {
  if (method === 'POST' && path === '/token') return { endpoint: 'token', param: '' };
  let m = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(path);
  if (method === 'POST' && m) return { endpoint: 'fcm', param: decodeURIComponent(m[1]) };
  m = /^\/v1\/phones\/([^/]+)\/capabilities$/.exec(path);
  if (method === 'GET' && m) return { endpoint: 'capabilities', param: decodeURIComponent(m[1]) };
  m = /^\/v1\/phones\/([^/]+)\/agentMessages$/.exec(path);
  if (method === 'POST' && m) return { endpoint: 'agentMessages', param: decodeURIComponent(m[1]) };
  return undefined;
}

function answer(res: ServerResponse, reply: Reply): void {
  // a hung request stays open until the test closes the fake (closeAllConnections)
  if (reply === 'hang') return;
  res.writeHead(reply.status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
}
