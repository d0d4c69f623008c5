// A brand's push proxy as c2m documents it (backend/src/channels/push-proxy.ts): checks the
// X-C2M-* headers and the JSON body, keeps one notification per id, and reports receipts and
// replies back signed the same way. The signature code is written out again here on purpose, so
// a mistake in c2m's signing cannot pass its own check.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

const Push = z
  .object({
    id: z.string().min(1),
    accountId: z.string().min(1),
    consumerId: z.string().min(1),
    apps: z.array(z.string().min(1)).max(3),
    text: z.string().min(1),
    sentAt: z.iso.datetime(),
  })
  .strict();
export type Push = z.infer<typeof Push>;

export interface RecordedPush {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * `hang`: never answer. `take-and-hang`: take the notification (deliver it), then never answer —
 * the answer c2m waits for is lost, as when c2m crashes mid-call.
 */
export type Scripted = { status: number; body?: unknown } | 'hang' | 'take-and-hang';

export interface PushProxyFake {
  /** Where c2m posts (settings.url). */
  readonly url: string;
  readonly requests: RecordedPush[];
  /** Notifications the proxy took, once per id. */
  readonly delivered: Push[];
  script(...replies: Scripted[]): void;
  /** A signed report as the proxy sends it; `opts` forge or age it. */
  signedReport(
    events: object[],
    opts?: ReportOptions,
  ): { headers: Record<string, string>; body: string };
  sendReport(url: string, events: object[], opts?: ReportOptions): Promise<Response>;
  close(): Promise<void>;
}

export interface ReportOptions {
  secret?: string;
  /** Unix seconds; defaults to the fake's clock. */
  timestamp?: number;
  signature?: string;
}

const sign = (secret: string, timestamp: string, body: string) =>
  'v1=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

export async function startPushProxyFake(opts: {
  secret: string;
  now?: () => number;
  /** Answer `{id: <own id>}` (default) or an empty 202. */
  ownIds?: boolean;
  /**
   * A repeated Idempotency-Key: `accept` (default) answers as the first time, `conflict` answers
   * 409 `{code: "duplicate", id}` — both deliver nothing again, as c2m's contract asks.
   */
  onRepeat?: 'accept' | 'conflict';
}): Promise<PushProxyFake> {
  const now = opts.now ?? Date.now;
  const requests: RecordedPush[] = [];
  const delivered: Push[] = [];
  const ownIdOf = new Map<string, string>();
  const scripts: Scripted[] = [];

  function handle(req: RecordedPush): { status: number; body?: unknown } | 'hang' {
    if (req.method !== 'POST' || req.path !== '/push') {
      return { status: 404, body: { code: 'not_found', message: 'no such endpoint' } };
    }
    const ts = String(req.headers['x-c2m-timestamp'] ?? '');
    if (!/^\d+$/.test(ts) || Math.abs(now() / 1000 - Number(ts)) > 300) {
      return { status: 401, body: { code: 'stale_timestamp', message: 'X-C2M-Timestamp too old' } };
    }
    const given = Buffer.from(String(req.headers['x-c2m-signature'] ?? ''));
    const expected = Buffer.from(sign(opts.secret, ts, req.body));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { status: 401, body: { code: 'bad_signature', message: 'X-C2M-Signature mismatch' } };
    }
    if (!String(req.headers['content-type']).startsWith('application/json')) {
      return { status: 415, body: { code: 'bad_content_type', message: 'JSON expected' } };
    }
    let parsed;
    try {
      parsed = Push.safeParse(JSON.parse(req.body));
    } catch {
      return { status: 400, body: { code: 'bad_json', message: 'body is not JSON' } };
    }
    if (!parsed.success) {
      return {
        status: 400,
        body: { code: 'bad_request', message: parsed.error.issues[0]?.message },
      };
    }
    if (req.headers['x-c2m-delivery'] !== parsed.data.id) {
      return {
        status: 400,
        body: { code: 'bad_delivery', message: 'X-C2M-Delivery must be the id' },
      };
    }
    if (req.headers['idempotency-key'] !== parsed.data.id) {
      return { status: 400, body: { code: 'bad_key', message: 'Idempotency-Key must be the id' } };
    }
    const next = scripts.shift();
    if (next && next !== 'take-and-hang') return next;
    // a repeated id is a retry of one we took: notify once
    let own = ownIdOf.get(parsed.data.id);
    if (own && opts.onRepeat === 'conflict') {
      return { status: 409, body: { code: 'duplicate', id: own } };
    }
    if (!own) {
      own = `pp-${delivered.push(parsed.data)}`;
      ownIdOf.set(parsed.data.id, own);
    }
    if (next === 'take-and-hang') return 'hang';
    return opts.ownIds === false ? { status: 202 } : { status: 202, body: { id: own } };
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec: RecordedPush = {
        method: req.method ?? 'GET',
        path: new URL(req.url ?? '/', 'http://127.0.0.1').pathname,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(rec);
      const reply = handle(rec);
      if (reply === 'hang') return;
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const signedReport = (events: object[], o: ReportOptions = {}) => {
    const body = JSON.stringify({ events });
    const timestamp = String(o.timestamp ?? Math.floor(now() / 1000));
    return {
      headers: {
        'content-type': 'application/json',
        'x-c2m-timestamp': timestamp,
        'x-c2m-signature': o.signature ?? sign(o.secret ?? opts.secret, timestamp, body),
      },
      body,
    };
  };

  return {
    url: `${base}/push`,
    requests,
    delivered,
    script: (...replies) => void scripts.push(...replies),
    signedReport,
    sendReport(url, events, o) {
      const { headers, body } = signedReport(events, o);
      return fetch(url, { method: 'POST', headers, body });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
