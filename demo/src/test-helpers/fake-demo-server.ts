// A stand-in for c2m's /demo routes, behind the fetch a DemoApi is given: answers by method and
// path, records every request, and answers 404 (as c2m does) to a route it was not told about.
import type { DemoContext } from '../../../backend/contract/demo.js';
import type { SandboxMessageView } from '../../../backend/contract/sandbox.js';
import { DemoApi } from '../demo-api.js';

export interface SeenRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: Headers;
  body: unknown;
}

type Answer = { status?: number; body: unknown };
type Route = (request: SeenRequest) => Answer;

export class FakeDemoServer {
  readonly requests: SeenRequest[] = [];
  private readonly routes = new Map<string, Route>();

  /** Answers `METHOD /path` (query ignored) from now on; a plain value is a 200. */
  on(route: string, answer: Answer | Route): this {
    this.routes.set(route, typeof answer === 'function' ? answer : () => answer);
    return this;
  }

  /** The requests to `METHOD /path` (query ignored). */
  requestsTo(route: string): SeenRequest[] {
    return this.requests.filter((r) => `${r.method} ${r.url.split('?')[0]}` === route);
  }

  readonly fetch: typeof fetch = (input, init) => {
    const raw = typeof init?.body === 'string' ? init.body : undefined;
    const request: SeenRequest = {
      method: init?.method ?? 'GET',
      url: String(input instanceof Request ? input.url : input),
      headers: new Headers(init?.headers),
      body: raw === undefined ? undefined : JSON.parse(raw),
    };
    this.requests.push(request);
    const route = this.routes.get(`${request.method} ${request.url.split('?')[0]}`);
    const answer = route?.(request) ?? {
      status: 404,
      body: { errorCode: 1004, errorMessage: 'Not Found' },
    };
    return Promise.resolve(
      new Response(JSON.stringify(answer.body), {
        status: answer.status ?? 200,
        headers: { 'Content-Type': 'application/json' },
      }),
    );
  };

  api(key = 'test-demo-key'): DemoApi {
    return new DemoApi(key, '', this.fetch);
  }
}

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

export function demoContext(): DemoContext {
  return {
    accountId: '12345678',
    accountName: 'Demo Brand',
    handoffs: [
      { id: 'H000000000000001', title: 'Demo SMS', channels: ['sms'] },
      { id: 'H000000000000002', title: 'Demo WhatsApp then SMS', channels: ['wa', 'sms'] },
    ],
    skills: ['billing', 'sales'],
    sandboxEndings: { unreachable: '0000' },
    sessions: {
      admin: { role: 'admin', token: 'admin-token', expiresAt: inAnHour() },
      agent: { role: 'agent', token: 'agent-token', expiresAt: inAnHour() },
    },
  };
}

let sequence = 0;

/** A message on the sandbox phone; outbound WhatsApp, delivered, unless told otherwise. */
export function phoneMessage(overrides: Partial<SandboxMessageView> = {}): SandboxMessageView {
  sequence++;
  return {
    id: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    direction: 'outbound',
    channel: 'wa',
    to: '+14155550123',
    from: null,
    text: `Message ${sequence}`,
    status: 'delivered',
    errorCode: null,
    conversationId: null,
    createdAt: new Date(Date.UTC(2026, 0, 1, 12, sequence)).toISOString(),
    ...overrides,
  };
}
