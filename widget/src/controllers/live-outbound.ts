import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { io, type Socket } from 'socket.io-client';
import type { OutboundMessageView } from '../../../backend/contract/outbound.js';
import type {
  Ack,
  ClientToServerEvents,
  ConnectRefusal,
  ServerToClientEvents,
  SessionEnded,
  WidgetSubject,
} from '../../../backend/contract/realtime.js';
import type { CxWidgetState } from '../c2m-cx-widget/c2m-cx-widget.js';

/** The client's side of the contract: the event maps reversed. */
type WidgetSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * An async function that answers a fresh c2m session token. It may reject with an error whose
 * `reason` is `'revoked'` (the key or credential behind it is gone: the widget says so),
 * `'expired'` (the user must sign in again) or `'unauthorized'` (not allowed); any other
 * rejection counts as a lost connection.
 */
export type TokenProvider = () => Promise<string>;

/** Where to connect and whom to follow; `undefined` while the host is not configured to go live. */
export interface LiveOutboundOptions {
  apiBase: string;
  /** A c2m session token of a widget role (agent, agent manager, admin, campaign manager). */
  token: string | undefined;
  /** Renews the session before it expires (and gives the first token when `token` is unset). */
  tokenProvider?: TokenProvider;
  subject: WidgetSubject;
}

/** The element the controller feeds: it owns the list and the state the controller writes. */
export interface LiveOutboundHost extends ReactiveControllerHost {
  messages: OutboundMessageView[];
  state: CxWidgetState;
}

const SUBSCRIBE_TIMEOUT_MS = 10_000;
/** A session is renewed this long before it expires (or at 80% of a shorter life). */
const RENEW_AHEAD_MS = 60_000;

/** The later of two views of one message: statuses only move forward, so the longer history. */
const later = (a: OutboundMessageView, b: OutboundMessageView) =>
  b.statusHistory.length >= a.statusHistory.length ? b : a;

/** `list` with `incoming` merged in by id, newest first. */
function merge(list: OutboundMessageView[], incoming: OutboundMessageView[]) {
  const byId = new Map(list.map((m) => [m.id, m]));
  for (const m of incoming) {
    const known = byId.get(m.id);
    byId.set(m.id, known ? later(known, m) : m);
  }
  return [...byId.values()].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
}

/** When a session token expires (ms since the epoch), read from its payload; unverified. */
function expiryOf(token: string): number | undefined {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const { exp } = JSON.parse(json) as { exp?: unknown };
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** The state a provider's refusal leads to. */
function refusalState(err: unknown): CxWidgetState {
  const reason = (err as { reason?: unknown } | null)?.reason;
  if (reason === 'revoked') return 'revoked';
  if (reason === 'expired') return 'expired';
  if (reason === 'unauthorized') return 'unauthorized';
  return 'offline';
}

/**
 * Keeps a host's outbound messages live over c2m's Socket.IO: subscribes to the subject on every
 * connect (so after a network drop the ack catches the list up, and the token is checked again),
 * and merges each broadcast into the list by message id. With a token provider it renews the
 * session on the open socket before it expires (`session:renew`: the feed goes on), and after an
 * ended session connects again with a fresh one. WebSocket only, so the host page's origin needs
 * no CORS grant from c2m.
 */
export class LiveOutboundController implements ReactiveController {
  private socket?: WidgetSocket;
  /** What the open socket was made for, to tell when the host's configuration changed. */
  private key?: string;
  /** The session the socket uses now (the host's, or the provider's latest). */
  private token?: string;
  private renewTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly host: LiveOutboundHost,
    private readonly options: () => LiveOutboundOptions | undefined,
  ) {
    host.addController(this);
  }

  hostConnected() {
    this.sync();
  }

  hostDisconnected() {
    this.close();
  }

  /**
   * Opens, reopens or closes the socket to match the host's current options (a new token reopens
   * it too, which is how a widget left unauthorized recovers).
   */
  sync() {
    const options = this.options();
    const key =
      options && JSON.stringify({ ...options, tokenProvider: Boolean(options.tokenProvider) });
    if (key === this.key) return;
    this.close();
    if (!options || !key) return;
    this.key = key;
    this.host.messages = [];
    this.host.state = 'loading';
    void this.open(options);
  }

  /** Starts over: the way back from an ended session, a revoked key or a lost connection. */
  retry() {
    this.close();
    this.sync();
  }

  /** A fresh token from the provider, or undefined with the state set to why not. */
  private async fresh(provider: TokenProvider): Promise<string | undefined> {
    try {
      return await provider();
    } catch (err) {
      this.host.state = refusalState(err);
      return undefined;
    }
  }

  private async open(options: LiveOutboundOptions) {
    const { apiBase, subject, tokenProvider } = options;
    const key = this.key;
    this.token = options.token ?? (tokenProvider && (await this.fresh(tokenProvider)));
    if (key !== this.key) return; // the host moved on meanwhile
    if (!this.token && tokenProvider) return; // the provider refused: its state is shown
    const socket: WidgetSocket = io(apiBase, {
      path: '/socket.io',
      transports: ['websocket'],
      // asked at each (re)connect: the latest session
      auth: (cb) => cb({ token: this.token }),
    });
    this.socket = socket;
    /** Whether the provider was already asked for this refusal (ask once, then show it). */
    let retried = false;
    socket.on('connect', () => {
      retried = false;
      this.subscribe(socket, subject);
      this.scheduleRenewal(socket, tokenProvider);
    });
    socket.on('connect_error', (err: Error & { data?: ConnectRefusal }) => {
      if (socket !== this.socket) return;
      if (err.message !== 'unauthorized') {
        this.host.state = 'offline'; // Socket.IO tries again by itself
        return;
      }
      // a refused token is final for Socket.IO: a provider may have a fresh one
      if (tokenProvider && !retried) {
        retried = true;
        void this.reconnect(socket, tokenProvider);
        return;
      }
      this.host.state = err.data?.reason === 'expired' ? 'expired' : 'unauthorized';
    });
    // the session expired or was revoked: the server disconnects right after
    socket.on('session:expired', (e: SessionEnded) => {
      if (socket !== this.socket) return;
      clearTimeout(this.renewTimer);
      if (tokenProvider) void this.reconnect(socket, tokenProvider);
      else this.host.state = e.reason === 'expired' ? 'expired' : 'unauthorized';
    });
    socket.on('disconnect', (reason) => {
      if (socket !== this.socket) return;
      // the network or the server went away: Socket.IO reconnects, the ack catches up
      if (
        reason === 'transport close' ||
        reason === 'transport error' ||
        reason === 'ping timeout'
      ) {
        this.host.state = 'offline';
      }
    });
    const receive = (m: OutboundMessageView) => {
      this.host.messages = merge(this.host.messages, [m]);
    };
    socket.on('outbound:created', receive);
    socket.on('outbound:status-changed', receive);
    socket.on('outbound:replied', receive);
  }

  /** A fresh session, then the same socket connects again (its subscribe catches up). */
  private async reconnect(socket: WidgetSocket, provider: TokenProvider) {
    const token = await this.fresh(provider);
    if (socket !== this.socket || !token) return;
    this.token = token;
    // after the server's disconnect that follows `session:expired`
    if (socket.connected) socket.once('disconnect', () => socket.connect());
    else socket.connect();
  }

  /** Renews the session on the open socket before it expires; its rooms (the feed) stay. */
  private scheduleRenewal(socket: WidgetSocket, provider: TokenProvider | undefined) {
    clearTimeout(this.renewTimer);
    const expiresAt = this.token && expiryOf(this.token);
    if (!provider || !expiresAt) return;
    const left = expiresAt - Date.now();
    const wait = Math.max(0, left - Math.min(RENEW_AHEAD_MS, left * 0.2));
    this.renewTimer = setTimeout(() => void this.renew(socket, provider), wait);
  }

  private async renew(socket: WidgetSocket, provider: TokenProvider) {
    const token = await this.fresh(provider);
    if (socket !== this.socket || !token) return;
    socket
      .timeout(SUBSCRIBE_TIMEOUT_MS)
      .emit('session:renew', token, (err: Error | null, answer: Ack<{ expiresAt: string }>) => {
        if (socket !== this.socket || err) return; // no answer: the disconnect says why
        if ('error' in answer) {
          this.host.state = answer.error.code === 'unauthorized' ? 'expired' : 'unauthorized';
          return;
        }
        this.token = token;
        this.scheduleRenewal(socket, provider);
      });
  }

  private subscribe(socket: WidgetSocket, subject: WidgetSubject) {
    socket
      .timeout(SUBSCRIBE_TIMEOUT_MS)
      .emit(
        'widget:subscribe',
        subject,
        (err: Error | null, answer: Ack<OutboundMessageView[]>) => {
          if (socket !== this.socket) return; // answered after the host moved on
          if (err || 'error' in answer) {
            this.host.state = 'error';
            return;
          }
          this.host.messages = merge(this.host.messages, answer.data);
          this.host.state = 'ready';
        },
      );
  }

  private close() {
    clearTimeout(this.renewTimer);
    this.socket?.disconnect();
    this.socket = undefined;
    this.key = undefined;
    this.token = undefined;
  }
}
