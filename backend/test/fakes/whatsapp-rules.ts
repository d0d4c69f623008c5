import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * What Meta's Cloud API checks on `POST /{version}/{phone-number-id}/messages`, and the error it
 * answers for each mistake (codes and texts from Meta's error-code reference).
 */
export interface FakeTemplate {
  name: string;
  language: string;
  /** How many {{n}} placeholders the approved body has. */
  bodyParams: number;
  status?: 'APPROVED' | 'PAUSED' | 'DISABLED';
}

export interface SentMessage {
  wamid: string;
  to: string;
  template: string;
  language: string;
  parameters: string[];
  /** A free-form text message (inside the 24-hour customer service window). */
  text?: string;
  /** biz_opaque_callback_data, which Meta echoes on the message's status webhooks. */
  callbackData: string | undefined;
}

export interface Rejection {
  status: number;
  code: number;
  title: string;
  details: string;
}

const reject = (status: number, code: number, title: string, details: string): Rejection => ({
  status,
  code,
  title,
  details,
});

/** Answers a test can script for a recipient, as Meta gives them. */
export const META_ERRORS = {
  not_on_whatsapp: reject(400, 131026, 'Message Undeliverable.', 'Message Undeliverable.'),
  window_closed: reject(
    400,
    131047,
    'Re-engagement message',
    'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  ),
  throughput: reject(
    400,
    130429,
    'Rate limit hit',
    'Cloud API message throughput has been reached.',
  ),
  pair_rate: reject(
    400,
    131056,
    '(Business Account, Consumer Account) pair rate limit hit',
    'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
  ),
  spam_rate: reject(
    400,
    131048,
    'Spam rate limit hit',
    'Message failed to send because there are restrictions on how many messages can be sent from this phone number.',
  ),
  unsupported_type: reject(
    400,
    131051,
    'Unsupported message type',
    'Message type is not currently supported.',
  ),
  server_error: reject(
    500,
    131000,
    'Something went wrong',
    'Message failed to send due to an unknown error.',
  ),
} satisfies Record<string, Rejection>;

/** Meta's Graph API error body; `message` is `(#code) title`, `details` the useful part. */
export function metaError({ code, title, details }: Omit<Rejection, 'status'>) {
  return {
    error: {
      message: `(#${code}) ${title}`,
      type: 'OAuthException',
      code,
      error_data: { messaging_product: 'whatsapp', details },
      fbtrace_id: `A${randomBytes(9).toString('base64url')}`,
    },
  };
}

/** Graph's checks before it looks at the body: the edge, the token, the content type. */
export function checkRequest(
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  expected: { path: string; accessToken: string },
): Rejection | undefined {
  if (method !== 'POST' || path !== expected.path) {
    const id = path.split('/')[2] ?? '';
    const details = `Unsupported ${method} request. Object with ID '${id}' does not exist.`;
    return reject(400, 100, 'Invalid parameter', details);
  }
  if (!headers.authorization) {
    return reject(400, 2500, 'An active access token must be used', 'No access token');
  }
  if (headers.authorization !== `Bearer ${expected.accessToken}`) {
    const title = 'Invalid OAuth access token - Cannot parse access token';
    return reject(401, 190, title, 'Invalid OAuth access token');
  }
  if (!headers['content-type']?.startsWith('application/json')) {
    return reject(400, 100, 'Invalid parameter', 'Content-Type must be application/json');
  }
  return undefined;
}

type TemplateBody = { name?: unknown; language?: { code?: unknown }; components?: unknown };
type Param = { type?: unknown; text?: unknown };

/** Meta's validation of a template send against the templates approved for the account. */
export function checkTemplateSend(
  rawBody: string,
  templates: FakeTemplate[],
): Omit<SentMessage, 'wamid'> | Rejection {
  const invalid = (details: string) => reject(400, 100, 'Invalid parameter', details);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(rawBody) as Record<string, unknown>;
  } catch {
    return invalid('Request body is not valid JSON');
  }
  if (body.messaging_product !== 'whatsapp') {
    return invalid('The parameter messaging_product is required.');
  }
  if (body.recipient_type !== undefined && body.recipient_type !== 'individual') {
    return invalid('recipient_type must be individual');
  }
  if (typeof body.to !== 'string' || !/^\d{6,15}$/.test(body.to)) {
    return invalid('Parameter to must be the digits of a phone number');
  }
  if (body.type === 'text') {
    const text = (body.text as { body?: unknown } | undefined)?.body;
    if (typeof text !== 'string' || text === '') return invalid('text.body is required');
    return {
      to: body.to,
      template: '',
      language: '',
      parameters: [],
      text,
      callbackData: undefined,
    };
  }
  if (body.type !== 'template') return invalid('This fake takes type template or text');
  const t = body.template as TemplateBody | undefined;
  const found = templates.find((x) => x.name === t?.name && x.language === t?.language?.code);
  if (!found) {
    const details = `template name (${String(t?.name)}) does not exist in ${String(t?.language?.code)}`;
    return reject(404, 132001, 'Template name does not exist in the translation', details);
  }
  if (found.status === 'PAUSED') {
    return reject(400, 132015, 'Template is Paused', 'Template is paused due to low quality');
  }
  if (found.status === 'DISABLED') {
    return reject(400, 132016, 'Template is disabled', 'Template has been disabled');
  }
  const components = Array.isArray(t?.components)
    ? (t.components as { type?: unknown; parameters?: unknown }[])
    : [];
  const raw = components.find((c) => c.type === 'body')?.parameters;
  const params = Array.isArray(raw) ? (raw as Param[]) : [];
  if (params.length !== found.bodyParams) {
    const title = 'Number of parameters does not match the expected number of params';
    const details = `body: number of localizable_params (${params.length}) does not match the expected number of params (${found.bodyParams})`;
    return reject(400, 132000, title, details);
  }
  if (params.some((p) => p.type !== 'text' || typeof p.text !== 'string' || p.text === '')) {
    const title = 'Parameter format does not match format in the created template';
    return reject(400, 132012, title, 'body: text parameters must be non-empty');
  }
  const callbackData = body.biz_opaque_callback_data;
  return {
    to: body.to,
    template: found.name,
    language: found.language,
    parameters: params.map((p) => String(p.text)),
    callbackData: typeof callbackData === 'string' ? callbackData : undefined,
  };
}
