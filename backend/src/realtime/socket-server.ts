import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { canUseWidget } from '../../contract/policy.js';
import {
  WidgetSubject,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '../../contract/realtime.js';
import type { AppDeps } from '../modules/deps.js';
import type { SocketAdapter } from '../shared-state/socket-adapter.js';
import type { VerifiedSession } from '../modules/sessions/admin-auth.js';
import { describeIssue } from '../../contract/issues.js';
import { listOutbound } from '../modules/widget/outbound.query.js';
import { attachReports } from './reports-feed.js';
import { followersRoom, roomsOf } from './rooms.js';
import { sessionDoor } from './session-end.js';
import { socketRateLimit } from './socket-limit.js';

export interface SocketData {
  session: VerifiedSession;
}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no server-to-server events
type InterServerEvents = {};
export type RealtimeServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

/**
 * Socket.IO on c2m's http server (attach after Koa's handler, so Koa never sees /socket.io/). Each
 * connection is authenticated by a session token and ended with its session (session-end.ts);
 * there is no connection state recovery, so a reconnect is authenticated again and the widget
 * catches up through the ack or the REST list. With several nodes, `adapter` (shared-state/) carries
 * each broadcast to the sockets of the others.
 */
export function attachRealtime(
  http: HttpServer,
  deps: AppDeps,
  adapter?: SocketAdapter,
): RealtimeServer {
  const io: RealtimeServer = new Server(http, {
    path: '/socket.io',
    serveClient: false,
    ...(adapter && { adapter }),
  });

  io.use(sessionDoor(deps, (session) => canUseWidget(session.role)));

  io.on('connection', (socket) => {
    const { accountId } = socket.data.session;
    socket.use(socketRateLimit(deps, 'widget', deps.config.limits.widgetPerSec, accountId));
    socket.on('widget:subscribe', (subject, ack) => {
      if (typeof ack !== 'function') return;
      const parsed = WidgetSubject.safeParse(subject);
      if (!parsed.success) {
        ack({
          error: {
            code: 'invalid_request',
            message: describeIssue(parsed.error, ''),
          },
        });
        return;
      }
      const s = parsed.data;
      // a widget follows one consumer at a time: following another leaves the previous rooms
      for (const room of socket.rooms) if (room !== socket.id) void socket.leave(room);
      void socket.join([
        followersRoom(accountId),
        ...roomsOf(accountId, {
          phone: s.consumerPhoneNumber,
          consumerId: s.consumerId,
          conversationIds: s.conversationId === undefined ? [] : [s.conversationId],
        }),
      ]);
      listOutbound(deps.db, accountId, s, deps.clock()).then(
        (data) => ack({ data }),
        (err: unknown) => {
          deps.log.error({ err }, 'widget subscribe failed');
          ack({ error: { code: 'internal_error', message: 'Could not load the messages' } });
        },
      );
    });
  });
  attachReports(io, deps);
  return io;
}
