import type { ServerToClientEvents } from '../../contract/realtime.js';
import type { AppDeps } from '../modules/deps.js';
import { outboundView } from '../modules/widget/outbound.query.js';
import type { ConversationRef, DomainEvents } from '../modules/events/domain-events.js';
import { startReportsFeed } from './reports-feed.js';
import { followersRoom, roomsOf } from './rooms.js';
import type { RealtimeServer } from './socket-server.js';

export interface Publisher {
  /** Stops listening and waits for the broadcasts already begun. */
  stop(): Promise<void>;
}

/**
 * Whether any socket, on any node, follows one of an account's consumers. Only then is an
 * outbound change worth reading: most invites have no widget open on them, and the reads cost more
 * than the invite's own request.
 */
export type HasFollowers = (accountId: string) => boolean;

/**
 * The answer on one node: Socket.IO's in-memory adapter holds every socket. A cluster adapter's
 * rooms are this node's only, so several nodes need a cluster-wide answer instead.
 */
export const localFollowers =
  (io: RealtimeServer): HasFollowers =>
  (accountId) =>
    (io.of('/').adapter.rooms.get(followersRoom(accountId))?.size ?? 0) > 0;

/**
 * Turns domain events into broadcasts to the rooms of that account's consumer. One at a time, in
 * the order the events came, so a widget never sees `created` after `status-changed`. An event of
 * an account nobody follows is dropped before its reads (`hasFollowers`).
 */
export function startPublisher(
  io: RealtimeServer,
  deps: Pick<AppDeps, 'db' | 'log'> & { domainEvents: DomainEvents },
  hasFollowers: HasFollowers = localFollowers(io),
): Publisher {
  let queue = Promise.resolve();
  const run = (work: () => Promise<void>) => {
    queue = queue.then(work).catch((err: unknown) => {
      deps.log.error({ err }, 'realtime broadcast failed');
    });
  };

  const outbound = (
    event: 'outbound:created' | 'outbound:status-changed' | 'outbound:replied',
    accountId: string,
    transactionId: string,
  ) =>
    run(async () => {
      // asked when the event's turn comes: a widget that subscribed meanwhile is told
      if (!hasFollowers(accountId)) return;
      const view = await outboundView(deps.db, accountId, transactionId);
      if (!view) return;
      const conversations = await deps.db
        .selectFrom('conversations')
        .select('id')
        .where('account_id', '=', accountId)
        .where('transaction_id', '=', transactionId)
        .execute();
      const rooms = roomsOf(accountId, {
        phone: view.consumerPhoneNumber,
        consumerId: view.consumerId,
        conversationIds: conversations.map((c) => c.id),
      });
      if (rooms.length) io.to(rooms).emit(event, view);
    });

  const conversation = <E extends 'conversation:opened' | 'conversation:closed'>(
    event: E,
    accountId: string,
    c: ConversationRef,
    payload: Parameters<ServerToClientEvents[E]>[0],
  ) =>
    run(() => {
      const rooms = roomsOf(accountId, {
        phone: c.consumerPhone,
        consumerId: c.consumerId,
        conversationIds: [c.conversationId],
      });
      // the union of the two payload shapes cannot be narrowed through the generic
      (io.to(rooms).emit as (e: E, p: typeof payload) => boolean)(event, payload);
      return Promise.resolve();
    });

  const stopOutbound = deps.domainEvents.subscribe({
    'transaction-created': (accountId, id) => outbound('outbound:created', accountId, id),
    'transaction-changed': (accountId, id, status) =>
      outbound(
        status === 'replied' ? 'outbound:replied' : 'outbound:status-changed',
        accountId,
        id,
      ),
    'conversation-opened': (accountId, c) =>
      conversation('conversation:opened', accountId, c, {
        conversationId: c.conversationId,
        transactionId: c.transactionId,
      }),
    'conversation-closed': (accountId, c) =>
      conversation('conversation:closed', accountId, c, { conversationId: c.conversationId }),
  });
  const stopReports = startReportsFeed(io, deps.domainEvents);

  return {
    async stop() {
      stopOutbound();
      stopReports();
      await queue;
    },
  };
}
