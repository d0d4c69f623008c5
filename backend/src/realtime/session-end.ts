import type { ExtendedError, Namespace, Socket } from 'socket.io';
import type {
  AckCallback,
  ClientToServerEvents,
  ConnectRefusal,
  ServerToClientEvents,
  SessionEnded,
} from '../../contract/realtime.js';
import type { AppDeps } from '../modules/deps.js';
import {
  authenticateSession,
  sessionTokenExpired,
  type VerifiedSession,
} from '../modules/sessions/admin-auth.js';
import { SESSION_CHECK_CACHE_MS } from '../modules/sessions/session-guard.js';
import type { RealtimeServer, SocketData } from './socket-server.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no server-to-server events
type SessionSocket = Socket<ClientToServerEvents, ServerToClientEvents, {}, SocketData>;

/** setTimeout's longest delay; a later expiry is left to the per-event check and the sweep. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const MESSAGES: Record<SessionEnded['reason'], string> = {
  expired: 'Sign in again: the session expired',
  revoked: 'Sign in again: the session was ended (its credential revoked or its user changed)',
};

/** `connect_error` with message `unauthorized` and, in its data, why (ConnectRefusal). */
function refused(reason: ConnectRefusal['reason']): ExtendedError {
  return Object.assign(new Error('unauthorized'), { data: { reason } satisfies ConnectRefusal });
}

/**
 * A namespace's door: a session token whose session stands and whose role `may` enter. Then the
 * socket is ended when its session is: at its expiry (a timer), and on any event it sends after,
 * unless the client renews it first (`session:renew`) with a fresh token of the same account.
 */
export function sessionDoor(deps: AppDeps, may: (s: VerifiedSession) => boolean) {
  /** The token's session when it stands and may enter; else undefined. */
  const check = async (token: unknown) => {
    if (typeof token !== 'string') return undefined;
    const session = await authenticateSession(deps, `Bearer ${token}`);
    return session && may(session) ? session : undefined;
  };

  return function sessionDoor(socket: SessionSocket, next: (err?: ExtendedError) => void) {
    const token: unknown = (socket.handshake.auth as { token?: unknown }).token;
    check(token).then(
      (session) => {
        if (session) admit(socket, next, session);
        else {
          const expired = typeof token === 'string' && sessionTokenExpired(deps, token);
          next(refused(expired ? 'expired' : 'unauthorized'));
        }
      },
      (err: unknown) => {
        deps.log.error({ err }, 'socket authentication failed');
        next(refused('unauthorized'));
      },
    );
  };

  function admit(
    socket: SessionSocket,
    next: (err?: ExtendedError) => void,
    session: VerifiedSession,
  ) {
    socket.data.session = session;
    let timer: NodeJS.Timeout | undefined;
    const endAtExpiry = (s: VerifiedSession) => {
      clearTimeout(timer);
      const wait = Math.min(MAX_TIMER_MS, Math.max(0, s.expiresAtMs - deps.clock()));
      timer = setTimeout(() => endSession(socket, 'expired'), wait);
    };
    endAtExpiry(session);
    socket.once('disconnect', () => clearTimeout(timer));
    // a fresh session of the same account on the open socket: its rooms (the feed) stay
    socket.on('session:renew', (fresh, ack) => {
      if (typeof ack !== 'function') return;
      check(fresh).then(
        (renewed) => {
          if (!renewed) {
            ack({ error: { code: 'unauthorized', message: MESSAGES.expired } });
          } else if (renewed.accountId !== socket.data.session.accountId) {
            ack({ error: { code: 'forbidden', message: 'A session of another account' } });
          } else {
            socket.data.session = renewed;
            endAtExpiry(renewed);
            ack({ data: { expiresAt: new Date(renewed.expiresAtMs).toISOString() } });
          }
        },
        (err: unknown) => {
          deps.log.error({ err }, 'socket session renewal failed');
          ack({ error: { code: 'internal_error', message: 'Could not renew the session' } });
        },
      );
    });
    // every other event the client sends is checked first: an ended session gets nothing more
    socket.use((packet, nextPacket) => {
      if (packet[0] === 'session:renew') return nextPacket();
      void whyEnded(deps, socket.data.session).then((reason) => {
        if (!reason) return nextPacket();
        const ack: unknown = packet[packet.length - 1];
        if (typeof ack === 'function') {
          (ack as AckCallback<never>)({
            error: { code: 'unauthorized', message: MESSAGES[reason] },
          });
        }
        endSession(socket, reason);
      }, nextPacket);
    });
    next();
  }
}

async function whyEnded(
  deps: AppDeps,
  session: VerifiedSession,
): Promise<SessionEnded['reason'] | undefined> {
  if (deps.clock() >= session.expiresAtMs) return 'expired';
  return (await deps.sessions.stands(session)) ? undefined : 'revoked';
}

/** Tells the element why (it shows its sign-in-again state), then disconnects the socket. */
function endSession(socket: SessionSocket, reason: SessionEnded['reason']): void {
  if (socket.disconnected) return;
  socket.emit('session:expired', { reason, message: MESSAGES[reason] });
  // a namespace disconnect goes out after the event; the client does not reconnect by itself
  socket.disconnect();
}

/**
 * Ends the sockets of sessions that ended while they sent nothing: at once on a revoke in this
 * process, and every SESSION_CHECK_CACHE_MS for a change made elsewhere (the CLI, another node)
 * or an expiry the timer could not hold. Returns the function that stops it.
 */
export function watchSessions(io: RealtimeServer, deps: AppDeps, namespaces: string[]): () => void {
  let running = false;
  const sweep = async () => {
    if (running) return;
    running = true;
    try {
      for (const name of namespaces) {
        const nsp: Namespace<ClientToServerEvents, ServerToClientEvents, object, SocketData> =
          io.of(name);
        for (const socket of nsp.sockets.values()) {
          const reason = await whyEnded(deps, socket.data.session);
          if (reason) endSession(socket, reason);
        }
      }
    } catch (err) {
      deps.log.error({ err }, 'session sweep failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void sweep(), SESSION_CHECK_CACHE_MS);
  timer.unref();
  const unsubscribe = deps.sessions.onEnded(() => void sweep());
  return () => {
    clearInterval(timer);
    unsubscribe();
  };
}
