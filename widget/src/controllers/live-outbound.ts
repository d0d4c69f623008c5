import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { io, type Socket } from 'socket.io-client';
import type { OutboundMessageView } from '../../../backend/contract/outbound.js';
import type {
  Ack,
  ClientToServerEvents,
  ServerToClientEvents,
  WidgetSubject,
} from '../../../backend/contract/realtime.js';
import type { CxWidgetState } from '../c2m-cx-widget/c2m-cx-widget.js';

/** The client's side of the contract: the event maps reversed. */
type WidgetSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Where to connect and whom to follow; `undefined` while the host is not configured to go live. */
export interface LiveOutboundOptions {
  apiBase: string;
  /** A c2m session token of a widget role (agent, agent manager, admin, campaign manager). */
  token: string | undefined;
  subject: WidgetSubject;
}

/** The element the controller feeds: it owns the list and the state the controller writes. */
export interface LiveOutboundHost extends ReactiveControllerHost {
  messages: OutboundMessageView[];
  state: CxWidgetState;
}

const SUBSCRIBE_TIMEOUT_MS = 10_000;

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

/**
 * Keeps a host's outbound messages live over c2m's Socket.IO: subscribes to the subject on every
 * connect (so after a network drop the ack catches the list up, and the token is checked again),
 * and merges each broadcast into the list by message id. WebSocket only, so the host page's
 * origin needs no CORS grant from c2m.
 */
export class LiveOutboundController implements ReactiveController {
  private socket?: WidgetSocket;
  /** What the open socket was made for, to tell when the host's configuration changed. */
  private key?: string;

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
    const key = options && JSON.stringify(options);
    if (key === this.key) return;
    this.close();
    if (!options || !key) return;
    this.key = key;
    this.host.messages = [];
    this.host.state = 'loading';
    this.open(options);
  }

  private open({ apiBase, token, subject }: LiveOutboundOptions) {
    const socket: WidgetSocket = io(apiBase, {
      path: '/socket.io',
      transports: ['websocket'],
      auth: { token },
    });
    this.socket = socket;
    socket.on('connect', () => this.subscribe(socket, subject));
    socket.on('connect_error', (err) => {
      // a refused token is final (Socket.IO does not retry it); anything else is retried
      this.host.state = err.message === 'unauthorized' ? 'unauthorized' : 'error';
    });
    // the session expired or was revoked: the server disconnects right after; a new token from
    // the host (sync) opens a new socket
    socket.on('session:expired', () => {
      if (socket === this.socket) this.host.state = 'unauthorized';
    });
    const receive = (m: OutboundMessageView) => {
      this.host.messages = merge(this.host.messages, [m]);
    };
    socket.on('outbound:created', receive);
    socket.on('outbound:status-changed', receive);
    socket.on('outbound:replied', receive);
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
    this.socket?.disconnect();
    this.socket = undefined;
    this.key = undefined;
  }
}
