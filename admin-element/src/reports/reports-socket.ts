import { io, type Socket } from 'socket.io-client';
import {
  REPORTS_NAMESPACE,
  type Ack,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '../../../backend/contract/realtime.js';

/** The client's side of the contract: the event maps reversed. */
type ReportsSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** `live` while subscribed; `offline` before, between reconnects, or when refused. */
export type ReportsFeedState = 'live' | 'offline';

export interface ReportsFeedOptions {
  apiBase: string;
  getToken: () => string | undefined | Promise<string | undefined>;
  /** The account's counts moved (or may have, after a reconnect): fetch them again. */
  onChange: () => void;
  onState?: (state: ReportsFeedState) => void;
}

const SUBSCRIBE_TIMEOUT_MS = 10_000;

/**
 * Follows one account's reporting counts over c2m's `/reports` Socket.IO namespace. The token is
 * asked for on every (re)connect, so a host that refreshes it stays signed in; after a reconnect
 * `onChange` is called once, to catch up on what happened while the socket was away. WebSocket
 * only, so the host page needs no CORS grant for it. Returns the function that stops following.
 */
export function watchReports(opts: ReportsFeedOptions): () => void {
  const socket: ReportsSocket = io(`${opts.apiBase.replace(/\/+$/, '')}${REPORTS_NAMESPACE}`, {
    path: '/socket.io',
    transports: ['websocket'],
    auth: (give) => {
      void Promise.resolve(opts.getToken()).then((token) => give({ token }));
    },
  });
  let subscribedBefore = false;
  socket.on('connect', () => {
    socket
      .timeout(SUBSCRIBE_TIMEOUT_MS)
      .emit('reports:subscribe', (err: Error | null, answer: Ack<{ accountId: string }>) => {
        if (err || 'error' in answer) {
          opts.onState?.('offline');
          return;
        }
        opts.onState?.('live');
        if (subscribedBefore) opts.onChange();
        subscribedBefore = true;
      });
  });
  socket.on('disconnect', () => opts.onState?.('offline'));
  socket.on('connect_error', () => opts.onState?.('offline'));
  socket.on('reports:changed', () => opts.onChange());
  // the session ended and the server disconnects: connect again, which asks the host for its
  // token; a host that refreshed it stays live, one whose token is over stays offline (refused)
  socket.on('session:expired', () => {
    opts.onState?.('offline');
    socket.once('disconnect', () => socket.connect());
  });
  return () => {
    socket.disconnect();
  };
}
