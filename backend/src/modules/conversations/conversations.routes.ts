import type { ChannelName } from '../../../contract/channels.js';
import {
  AgentMessageQueued,
  ConversationDetail,
  ConversationList,
  ConversationsQuery,
  ConversationView,
} from '../../../contract/conversations.js';
import { AgentMessage } from '../../../contract/conversations.js';
import { IvrErrorCode } from '../../../contract/errors.js';
import type { AppDeps } from '../deps.js';
import { AppError, notFound } from '../../errors.js';
import { ivrErrors } from '../../http/error-models.js';
import { json } from '../../http/operation.js';
import { ApiRouter } from '../../http/route.js';
import { ivr } from '../accounts/ivr-auth.js';
import { isOptedOut } from '../optouts/optouts.repo.js';
import { findConversation, transcript, type ConversationRow } from './conversations.repo.js';
import { closeConversation, postAgentMessage } from './conversations.service.js';

/** A timestamp as ISO 8601; null stays null (a conversation not yet closed). */
function iso(ms: number): string;
function iso(ms: number | null): string | null;
function iso(ms: number | null) {
  return ms === null ? null : new Date(ms).toISOString();
}

export function presentConversation(c: ConversationRow): ConversationView {
  return {
    id: c.id,
    status: c.status,
    // stored as text; only a ChannelName is ever written
    channel: c.channel as ChannelName,
    skill: c.skill,
    deflection: c.deflection === 1,
    consumerPhoneNumber: c.consumer_phone,
    consumerId: c.consumer_id,
    handoffId: c.handoff_id,
    transactionId: c.transaction_id,
    context: JSON.parse(c.context_json) as Record<string, unknown>,
    openedAt: iso(c.opened_at),
    closedAt: iso(c.closed_at),
  };
}

/** Conversations for the brand's contact center: read with transcript, post agent messages, close. */
export function conversationRoutes(deps: AppDeps): ApiRouter {
  const router = new ApiRouter(ivrErrors, {
    prefix: '/api/account/:accountId/conversations',
    tag: 'Conversations',
  });
  const auth = ivr(deps, ['conversations', 'admin']);
  const missing = { 404: 'No such conversation' };

  const load = async (accountId: string, id: string) => {
    const c = await findConversation(deps.db, accountId, id);
    if (!c) throw notFound('No such conversation');
    return c;
  };

  router.add({
    name: 'listConversations',
    method: 'get',
    path: '',
    summary: 'List conversations, newest first (100)',
    auth,
    query: ConversationsQuery,
    responses: { 200: json(ConversationList, 'Newest first') },
    handle: async (_ctx, { caller: { accountId }, query }) => {
      const rows = await deps.db
        .selectFrom('conversations')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('status', '=', query.status)
        .orderBy('opened_at', 'desc')
        .limit(100)
        .execute();
      return { conversations: rows.map(presentConversation) } satisfies ConversationList;
    },
  });

  router.add({
    name: 'getConversation',
    method: 'get',
    path: '/:id',
    summary: 'Read a conversation with its transcript',
    auth,
    responses: { 200: json(ConversationDetail, 'The conversation and its `transcript`') },
    errors: missing,
    handle: async (_ctx, { caller: { accountId }, params }) => {
      const c = await load(accountId, params.id);
      const messages = await transcript(deps.db, c.id);
      return {
        ...presentConversation(c),
        transcript: messages.map((m) => ({
          id: m.id,
          author: m.direction === 'inbound' ? 'consumer' : m.transaction_id ? 'c2m' : 'agent',
          channel: m.channel as ChannelName,
          text: m.body,
          status: m.status,
          errorCode: m.error_code,
          at: iso(m.created_at),
        })),
      } satisfies ConversationDetail;
    },
  });

  router.add({
    name: 'sendAgentMessage',
    method: 'post',
    path: '/:id/messages',
    summary: "Send an agent's message",
    auth,
    body: AgentMessage,
    example: { text: 'Thanks, your order ships today.' },
    responses: { 202: json(AgentMessageQueued, 'Queued') },
    errors: { 404: 'No such conversation', 409: 'Closed, or the consumer opted out' },
    handle: async (ctx, { caller: { accountId }, params, body }) => {
      const c = await load(accountId, params.id);
      if (c.status !== 'open') {
        throw new AppError(409, IvrErrorCode.cannotSend, 'The conversation is closed');
      }
      const consumer = c.consumer_phone ?? c.consumer_id ?? '';
      if (await isOptedOut(deps.db, accountId, consumer)) {
        throw new AppError(409, IvrErrorCode.cannotSend, 'The consumer opted out (sent STOP)');
      }
      const messageId = await postAgentMessage(deps.db, {
        conversation: c,
        text: body.text,
        now: deps.clock(),
      });
      deps.nudgeOutbox();
      deps.nudgeSink();
      ctx.status = 202;
      return { messageId } satisfies AgentMessageQueued;
    },
  });

  router.add({
    name: 'closeConversation',
    method: 'post',
    path: '/:id/close',
    summary: 'Close a conversation',
    auth,
    responses: { 200: json(ConversationView, 'The closed conversation') },
    errors: missing,
    handle: async (_ctx, { caller: { accountId }, params }) => {
      const c = await load(accountId, params.id);
      await closeConversation(deps.uow, { conversation: c, now: deps.clock() });
      deps.nudgeSink();
      return presentConversation(await load(accountId, c.id)) satisfies ConversationView;
    },
  });
  return router;
}
