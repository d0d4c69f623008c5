// A brand's contact center as the conversation sink sees it (or a brand's endpoint for event
// webhooks): a local HTTP server on 127.0.0.1 that records every delivery (headers and raw body) and
// answers as the test tells it to.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SinkEvent {
  id: string;
  type: string;
  accountId: string;
  conversationId: string;
  sequence: number;
  occurredAt: string;
  data: Record<string, unknown>;
}

export interface ReceivedDelivery<E = SinkEvent> {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The parsed body, when it is JSON. */
  event: E | undefined;
  /** What the receiver answered. */
  status: number;
}

/** Decides the answer to one delivery; `attempt` counts the deliveries of the same id, from 1. */
export type Responder<E = SinkEvent> = (
  d: ReceivedDelivery<E>,
  attempt: number,
  res: ServerResponse,
) => number;

export interface SinkReceiver<E = SinkEvent> {
  url: string;
  origin: string;
  received: ReceivedDelivery<E>[];
  /** Deliveries the receiver took (2xx). */
  accepted(): ReceivedDelivery<E>[];
  respond: Responder<E>;
  close(): Promise<void>;
}

export async function startSinkReceiver<E = SinkEvent>(
  path = '/c2m/events',
): Promise<SinkReceiver<E>> {
  const attempts = new Map<string, number>();
  const receiver: SinkReceiver<E> = {
    url: '',
    origin: '',
    received: [],
    accepted: () => receiver.received.filter((d) => d.status >= 200 && d.status < 300),
    respond: () => 200,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let event: E | undefined;
      try {
        event = JSON.parse(rawBody) as E;
      } catch {
        event = undefined;
      }
      const delivery: ReceivedDelivery<E> = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        rawBody,
        event,
        status: 0,
      };
      const id = String(req.headers['x-c2m-delivery'] ?? '');
      const attempt = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, attempt);
      delivery.status = receiver.respond(delivery, attempt, res);
      receiver.received.push(delivery);
      res.statusCode = delivery.status;
      res.end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  receiver.origin = `http://127.0.0.1:${port}`;
  receiver.url = `${receiver.origin}${path}`;
  return receiver;
}
