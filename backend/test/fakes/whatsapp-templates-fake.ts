import { randomBytes, randomInt } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecordedRequest } from './whatsapp-server.js';

/**
 * A local stand-in for Meta's WhatsApp Business Management API, template side: creating a
 * template on a WhatsApp Business Account (`POST /{version}/{waba-id}/message_templates`) and
 * editing one (`POST /{version}/{template-id}`), with Meta's checks and error bodies.
 */
export interface FakeTemplateApiOptions {
  wabaId: string;
  accessToken: string;
  apiVersion: string;
}

export interface StoredMetaTemplate {
  id: string;
  name: string;
  language: string;
  category: string;
  status: string;
  components: unknown[];
}

/** Meta's error as its Graph API answers it, with the template-specific user texts. */
export interface MetaTemplateError {
  status: number;
  code: number;
  subcode?: number;
  title: string;
  userMessage: string;
}

/** What the next create answers: a status (and the category Meta chose), an error, or nothing. */
export type TemplateAnswer =
  | { status: 'PENDING' | 'APPROVED' | 'REJECTED'; category?: string }
  | { error: MetaTemplateError }
  | 'hang';

export const TEMPLATE_ERRORS = {
  server_error: {
    status: 500,
    code: 2,
    title: 'Service temporarily unavailable',
    userMessage: 'Service temporarily unavailable',
  },
  policy: {
    status: 400,
    code: 100,
    subcode: 2388299,
    title: 'Variables can’t be at the start or end of the template',
    userMessage: 'Variables can’t be at the start or end of the template.',
  },
} satisfies Record<string, MetaTemplateError>;

export interface FakeTemplateApi {
  url: string;
  requests: RecordedRequest[];
  templates: StoredMetaTemplate[];
  /** Queue answers for the next creates, in order; afterwards creates answer PENDING. */
  answerNext(...answers: TemplateAnswer[]): void;
  close(): Promise<void>;
}

const CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'];

export async function startFakeTemplateApi(opts: FakeTemplateApiOptions): Promise<FakeTemplateApi> {
  const requests: RecordedRequest[] = [];
  const templates: StoredMetaTemplate[] = [];
  const answers: TemplateAnswer[] = [];
  const createPath = `/${opts.apiVersion}/${opts.wabaId}/message_templates`;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      requests.push({ method: req.method ?? '', path, headers: req.headers, rawBody });
      if (req.headers.authorization !== `Bearer ${opts.accessToken}`) {
        return error(res, {
          status: 401,
          code: 190,
          title: 'Invalid OAuth access token',
          userMessage: 'Invalid OAuth access token - Cannot parse access token',
        });
      }
      if (!req.headers['content-type']?.startsWith('application/json')) {
        return error(res, invalid('Content-Type must be application/json'));
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(rawBody) as Record<string, unknown>;
      } catch {
        return error(res, invalid('Malformed JSON'));
      }
      if (req.method === 'POST' && path === createPath) return create(res, body);
      const edited = templates.find((t) => path === `/${opts.apiVersion}/${t.id}`);
      if (req.method === 'POST' && edited) return edit(res, edited, body);
      const id = path.split('/')[2] ?? '';
      return error(res, {
        ...invalid(`Unsupported post request. Object with ID '${id}' does not exist`),
        subcode: 33,
      });
    });
  });

  function create(res: ServerResponse, body: Record<string, unknown>): void {
    const { name, language, category, components } = body;
    if (typeof name !== 'string' || !/^[a-z0-9_]{1,512}$/.test(name)) {
      return error(res, invalid('name: lowercase letters, digits and underscores only'));
    }
    if (typeof language !== 'string' || language === '') {
      return error(res, invalid('language is required'));
    }
    if (typeof category !== 'string' || !CATEGORIES.includes(category)) {
      return error(res, invalid('category must be MARKETING, UTILITY or AUTHENTICATION'));
    }
    const problem = checkComponents(components);
    if (problem) return error(res, invalid(problem));
    if (templates.some((t) => t.name === name && t.language === language)) {
      return error(res, {
        status: 400,
        code: 100,
        subcode: 2388024,
        title: 'Content in This Language Already Exists',
        userMessage: `There's already ${language} content for this template. You can create a new template and try again.`,
      });
    }
    const next = answers.shift() ?? { status: 'PENDING' };
    if (next === 'hang') return;
    if ('error' in next) return error(res, next.error);
    const stored: StoredMetaTemplate = {
      // Meta's template ids are 15 or 16 digits
      id: `${randomInt(100_000, 1_000_000)}${randomInt(100_000_000, 1_000_000_000)}`,
      name,
      language,
      category: next.category ?? category,
      status: next.status,
      components: components as unknown[],
    };
    templates.push(stored);
    json(res, 200, { id: stored.id, status: stored.status, category: stored.category });
  }

  function edit(res: ServerResponse, t: StoredMetaTemplate, body: Record<string, unknown>): void {
    if (!['APPROVED', 'REJECTED', 'PAUSED'].includes(t.status)) {
      return error(res, invalid(`A template in status ${t.status} cannot be edited`));
    }
    const problem = checkComponents(body.components);
    if (problem) return error(res, invalid(problem));
    t.components = body.components as unknown[];
    if (typeof body.category === 'string') t.category = body.category;
    t.status = 'PENDING';
    json(res, 200, { success: true });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    templates,
    answerNext: (...next) => answers.push(...next),
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) =>
        server.close((err) => (err ? reject(err) : resolve())),
      );
    },
  };
}

/** Meta's checks of a body component: text, and one example per `{{n}}` when there are any. */
function checkComponents(components: unknown): string | undefined {
  if (!Array.isArray(components)) return 'components is required';
  const bodies = components.filter((c) => (c as { type?: unknown }).type === 'BODY');
  if (bodies.length !== 1) return 'exactly one BODY component is required';
  const { text, example } = bodies[0] as {
    text?: unknown;
    example?: { body_text?: unknown };
  };
  if (typeof text !== 'string' || text.length === 0 || text.length > 1024) {
    return 'BODY text must be 1 to 1024 characters';
  }
  const variables = new Set([...text.matchAll(/\{\{(\d+)\}\}/g)].map((m) => m[1])).size;
  const samples = (example?.body_text as unknown[][] | undefined)?.[0];
  if (variables === 0) return example ? 'example given for a body without variables' : undefined;
  if (!Array.isArray(samples) || samples.length !== variables) {
    return `Message template "example" field has ${samples?.length ?? 0} values for ${variables} variables`;
  }
  return undefined;
}

const invalid = (userMessage: string): MetaTemplateError => ({
  status: 400,
  code: 100,
  title: 'Invalid parameter',
  userMessage,
});

function error(res: ServerResponse, e: MetaTemplateError): void {
  json(res, e.status, {
    error: {
      message: e.code === 100 ? 'Invalid parameter' : e.title,
      type: 'OAuthException',
      code: e.code,
      ...(e.subcode !== undefined && { error_subcode: e.subcode }),
      is_transient: e.status >= 500,
      error_user_title: e.title,
      error_user_msg: e.userMessage,
      fbtrace_id: `A${randomBytes(9).toString('base64url')}`,
    },
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, { 'content-type': 'application/json; charset=UTF-8' })
    .end(JSON.stringify(body));
}
