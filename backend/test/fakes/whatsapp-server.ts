import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HungRequests } from './hung-requests.js';
import {
  checkRequest,
  checkTemplateSend,
  META_ERRORS,
  metaError,
  type FakeTemplate,
  type Rejection,
  type SentMessage,
} from './whatsapp-rules.js';

export { META_ERRORS, metaError, type FakeTemplate, type SentMessage };

/**
 * A local stand-in for Meta's WhatsApp Cloud API (graph.facebook.com): it accepts template sends
 * the way Meta documents them, answers Meta's own error bodies, and sends signed webhooks.
 */
export interface FakeWhatsAppOptions {
  phoneNumberId: string;
  displayPhoneNumber: string;
  wabaId: string;
  accessToken: string;
  appSecret: string;
  apiVersion: string;
  templates: FakeTemplate[];
}

/** What a recipient's next sends answer: one of Meta's errors, a plain 5xx, or no answer at all. */
export type ScriptedAnswer =
  keyof typeof META_ERRORS | 'hang' | { status: number; raw: string; contentType?: string };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

export interface HttpAnswer {
  status: number;
  body: string;
}

export interface FakeWhatsApp {
  /** The Graph API base URL, for the adapter's settings.baseUrl. */
  url: string;
  requests: RecordedRequest[];
  sent: SentMessage[];
  /** The sends scripted to 'hang', and when the adapter hung up on them. */
  hung: HungRequests;
  /** Answer the next `times` sends to `to` (digits, as Meta receives it) with `answer`. */
  script(to: string, answer: ScriptedAnswer, times?: number): void;
  /**
   * POST a webhook delivery the way Meta does: raw JSON bytes, signed with X-Hub-Signature-256.
   * A string payload is sent as it is (e.g. broken JSON); anything else is serialised.
   */
  deliver(url: string, payload: unknown, opts?: DeliverOptions): Promise<HttpAnswer>;
  /** Meta's subscription check: GET url?hub.mode=…&hub.verify_token=…&hub.challenge=… */
  handshake(
    url: string,
    verifyToken: string,
    mode?: string,
  ): Promise<HttpAnswer & { challenge: string }>;
  close(): Promise<void>;
}

export interface DeliverOptions {
  /** Sign with this secret instead of the app secret. */
  secret?: string;
  /** Send no signature header at all. */
  unsigned?: boolean;
  /** Change the bytes after signing, as a tampering proxy would. */
  tamper?: (raw: string) => string;
}

export async function startFakeWhatsApp(opts: FakeWhatsAppOptions): Promise<FakeWhatsApp> {
  const requests: RecordedRequest[] = [];
  const sent: SentMessage[] = [];
  const scripts = new Map<string, { answer: ScriptedAnswer; times: number }>();
  const hung = new HungRequests();
  const messagesPath = `/${opts.apiVersion}/${opts.phoneNumberId}/messages`;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      requests.push({ method: req.method ?? '', path, headers: req.headers, rawBody });
      const refused = checkRequest(req.method ?? '', path, req.headers, {
        path: messagesPath,
        accessToken: opts.accessToken,
      });
      if (refused) return answer(res, refused);
      const checked = checkTemplateSend(rawBody, opts.templates);
      if ('code' in checked) return answer(res, checked);
      const script = scripts.get(checked.to);
      if (script && script.times > 0) {
        script.times -= 1;
        return answerScripted(res, script.answer, hung);
      }
      const wamid = `wamid.${Buffer.from(`${checked.to}:${randomBytes(12).toString('hex')}`).toString('base64')}`;
      sent.push({ wamid, ...checked });
      json(res, 200, {
        messaging_product: 'whatsapp',
        contacts: [{ input: checked.to, wa_id: checked.to }],
        messages: [{ id: wamid, message_status: 'accepted' }],
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    sent,
    hung,
    script(to, answer, times = Number.POSITIVE_INFINITY) {
      scripts.set(to, { answer, times });
    },
    async deliver(url, payload, o = {}) {
      const raw = typeof payload === 'string' ? payload : JSON.stringify(payload);
      const signature = createHmac('sha256', o.secret ?? opts.appSecret)
        .update(raw)
        .digest('hex');
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'facebookexternalua',
          ...(!o.unsigned && { 'x-hub-signature-256': `sha256=${signature}` }),
        },
        body: o.tamper ? o.tamper(raw) : raw,
      });
      return { status: res.status, body: await res.text() };
    },
    async handshake(url, verifyToken, mode = 'subscribe') {
      const challenge = String(randomBytes(4).readUInt32BE());
      const target = new URL(url);
      target.searchParams.set('hub.mode', mode);
      target.searchParams.set('hub.verify_token', verifyToken);
      target.searchParams.set('hub.challenge', challenge);
      const res = await fetch(target);
      return { status: res.status, body: await res.text(), challenge };
    },
    close() {
      // a scripted hang keeps its socket open: end it, or close() would wait for ever
      server.closeAllConnections();
      return new Promise((resolve, reject) =>
        server.close((err) => (err ? reject(err) : resolve())),
      );
    },
  };
}

function answerScripted(res: ServerResponse, scripted: ScriptedAnswer, hung: HungRequests): void {
  if (scripted === 'hang') return hung.hold(res);
  if (typeof scripted === 'object') {
    res
      .writeHead(scripted.status, { 'content-type': scripted.contentType ?? 'text/html' })
      .end(scripted.raw);
    return;
  }
  answer(res, META_ERRORS[scripted]);
}

function answer(res: ServerResponse, rejection: Rejection): void {
  json(res, rejection.status, metaError(rejection));
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, { 'content-type': 'application/json; charset=UTF-8' })
    .end(JSON.stringify(body));
}
