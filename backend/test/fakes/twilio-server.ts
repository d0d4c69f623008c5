// A local Twilio Programmable Messaging: the Create Message endpoint checked the way Twilio
// documents it (path, Basic auth, form fields) answering Twilio's own resource and error shapes,
// plus status callbacks and incoming messages sent to any URL, signed by Twilio's helper library.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HungRequests } from './hung-requests.js';
import twilio from 'twilio';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  form: URLSearchParams;
}

/** What the next accepted create answers instead of a 201, in order. */
export type ScriptedAnswer =
  { error: number; status: number; message?: string } | { status: number; raw: string } | 'hang';

export interface TwilioFake {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  /** Every request to the REST API, in order, whether or not it was accepted. */
  requests: RecordedRequest[];
  /** The creates scripted to 'hang', and when the adapter hung up on them. */
  hung: HungRequests;
  /** Queue answers for the next valid creates (a fresh 201 once the queue is empty). */
  script(...answers: ScriptedAnswer[]): void;
  /** POST a webhook to `url` as Twilio does: form-encoded, signed with the auth token. */
  sendWebhook(url: string, params: Record<string, string>, o?: WebhookOptions): Promise<Response>;
  close(): Promise<void>;
}

export interface WebhookOptions {
  /** Sign with this token instead of the account's (a forged request). */
  signWith?: string;
  /** Sign for this URL but post to the given one (a tampered URL). */
  signedUrl?: string;
  /** Sign these params but post the real ones (a tampered body). */
  signedParams?: Record<string, string>;
}

export const sid = (prefix: string): string => prefix + randomBytes(16).toString('hex');

const E164 = /^\+[1-9]\d{1,14}$/;

export async function startTwilioFake(
  opts: { accountSid?: string; authToken?: string } = {},
): Promise<TwilioFake> {
  const accountSid = opts.accountSid ?? sid('AC');
  const authToken = opts.authToken ?? randomBytes(16).toString('hex');
  const requests: RecordedRequest[] = [];
  const queue: ScriptedAnswer[] = [];
  const hung = new HungRequests();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const path = req.url ?? '/';
      requests.push({ method: req.method ?? '', path, headers: req.headers, form });
      handle(req, res, path, form);
    });
  });

  function handle(req: IncomingMessage, res: ServerResponse, path: string, form: URLSearchParams) {
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(path);
    const notFound = `The requested resource ${path} was not found`;
    if (!match) return fail(res, 404, 20404, notFound);
    if (req.method !== 'POST') return fail(res, 405, 20004, 'Method not allowed');
    if (!authorized(req.headers.authorization)) return fail(res, 401, 20003, 'Authenticate');
    if (match[1] !== accountSid) return fail(res, 404, 20404, notFound);
    const refusal = checkForm(req.headers['content-type'], form);
    if (refusal) return fail(res, 400, refusal[0], refusal[1]);
    const next = queue.shift();
    if (next === 'hang') return hung.hold(res); // answered never; close() drops the socket
    if (next && 'raw' in next) return send(res, next.status, next.raw);
    if (next) return fail(res, next.status, next.error, next.message ?? `Error ${next.error}`);
    send(res, 201, JSON.stringify(messageResource(form)));
  }

  function authorized(header: string | undefined): boolean {
    const [scheme, encoded] = (header ?? '').split(' ');
    if (scheme !== 'Basic' || !encoded) return false;
    return Buffer.from(encoded, 'base64').toString('utf8') === `${accountSid}:${authToken}`;
  }

  function messageResource(form: URLSearchParams) {
    const messageSid = sid('SM');
    const created = new Date().toUTCString().replace('GMT', '+0000'); // Twilio's RFC 2822 dates
    const service = form.get('MessagingServiceSid');
    return {
      account_sid: accountSid,
      api_version: '2010-04-01',
      body: form.get('Body'),
      date_created: created,
      date_sent: null,
      date_updated: created,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      // with a Messaging Service, Twilio picks the sender after accepting the message
      from: form.get('From'),
      messaging_service_sid: service,
      num_media: '0',
      num_segments: String(Math.max(1, Math.ceil((form.get('Body') ?? '').length / 153))),
      price: null,
      price_unit: 'USD',
      sid: messageSid,
      status: service ? 'accepted' : 'queued',
      subresource_uris: {
        media: `/2010-04-01/Accounts/${accountSid}/Messages/${messageSid}/Media.json`,
      },
      to: form.get('To'),
      uri: `/2010-04-01/Accounts/${accountSid}/Messages/${messageSid}.json`,
    };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    requests,
    hung,
    script: (...answers) => void queue.push(...answers),
    async sendWebhook(url, params, o = {}) {
      const signature = twilio.getExpectedTwilioSignature(
        o.signWith ?? authToken,
        o.signedUrl ?? url,
        o.signedParams ?? params,
      );
      return fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': signature,
          'i-twilio-idempotency-token': randomBytes(16).toString('hex'),
          'user-agent': 'TwilioProxy/1.1',
        },
        body: new URLSearchParams(params),
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The documented checks of Create Message, as [Twilio error code, Twilio's message]. */
function checkForm(
  contentType: string | undefined,
  form: URLSearchParams,
): [number, string] | null {
  // Twilio reads only form-encoded parameters: anything else arrives as no parameters at all
  const params = contentType?.startsWith('application/x-www-form-urlencoded')
    ? form
    : new URLSearchParams();
  const to = params.get('To');
  const from = params.get('From');
  const service = params.get('MessagingServiceSid');
  const body = params.get('Body');
  const callback = params.get('StatusCallback');
  if (!to) return [21604, "A 'To' phone number is required."];
  if (!E164.test(to)) return [21211, `The 'To' number ${to} is not a valid phone number.`];
  // Twilio accepts both (From then picks a number of the service); c2m sends exactly one
  if ((from === null) === (service === null)) {
    return [21603, "fake: send exactly one of 'From' and 'MessagingServiceSid'"];
  }
  if (from !== null && !E164.test(from)) {
    return [21212, `The 'From' number ${from} is not a valid phone number.`];
  }
  if (service !== null && !/^MG[0-9a-f]{32}$/i.test(service)) {
    return [21701, 'The Messaging Service Sid is invalid.'];
  }
  if (!body) return [21602, 'Message body is required.'];
  if (body.length > 1600) {
    return [21617, 'The concatenated message body exceeds the 1600 character limit.'];
  }
  if (callback !== null && !/^https?:\/\/[^/\s]+/.test(callback)) {
    return [21609, `The StatusCallback URL ${callback} is not a valid URL.`];
  }
  return null;
}

function fail(res: ServerResponse, status: number, code: number, message: string): void {
  send(
    res,
    status,
    JSON.stringify({
      code,
      message,
      more_info: `https://www.twilio.com/docs/errors/${code}`,
      status,
    }),
  );
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(body);
}

/** The parameters of a status callback, as Twilio posts them. */
export function statusParams(
  fake: Pick<TwilioFake, 'accountSid'>,
  messageSid: string,
  status: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    AccountSid: fake.accountSid,
    ApiVersion: '2010-04-01',
    From: '+14155550100',
    MessageSid: messageSid,
    MessageStatus: status,
    SmsSid: messageSid,
    SmsStatus: status,
    To: '+14155550123',
    ...extra,
  };
}

/** The parameters of an incoming SMS, as Twilio posts them. */
export function inboundParams(
  fake: Pick<TwilioFake, 'accountSid'>,
  body: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const messageSid = sid('SM');
  return {
    AccountSid: fake.accountSid,
    ApiVersion: '2010-04-01',
    Body: body,
    From: '+14155550123',
    FromCountry: 'US',
    MessageSid: messageSid,
    NumMedia: '0',
    NumSegments: '1',
    SmsMessageSid: messageSid,
    SmsSid: messageSid,
    SmsStatus: 'received',
    To: '+14155550100',
    ToCountry: 'US',
    ...extra,
  };
}
