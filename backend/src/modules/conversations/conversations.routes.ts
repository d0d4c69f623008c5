import Router from '@koa/router';
import type { ChannelName } from '../../../contract/channels.js';
import {
  AgentMessage,
  type AgentMessageQueued,
  type ConversationDetail,
  type ConversationList,
  type ConversationView,
} from '../../../contract/conversations.js';
import { IvrErrorCode } from '../../../contract/errors.js';
import type { AppDeps } from '../deps.js';
import { parseWith, readJson } from '../../http/body.js';
import { AppError, notFound } from '../../errors.js';
import { ivrAuth, type IvrAuth } from '../accounts/ivr-auth.js';
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
export function conversationRoutes(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/account/:accountId/conversations' });
  router.use(ivrAuth(deps, ['conversations', 'admin']));

  const load = async (accountId: string, id: string | undefined) => {
    const c = await findConversation(deps.db, accountId, id ?? '');
    if (!c) throw notFound('No such conversation');
    return c;
  };

  router.get('/', async (ctx) => {
    const { accountId } = ctx.state.auth as IvrAuth;
    const status = ctx.query.status === 'closed' ? 'closed' : 'open';
    const rows = await deps.db
      .selectFrom('conversations')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('status', '=', status)
      .orderBy('opened_at', 'desc')
      .limit(100)
      .execute();
    ctx.body = { conversations: rows.map(presentConversation) } satisfies ConversationList;
  });

  router.get('/:id', async (ctx) => {
    const { accountId } = ctx.state.auth as IvrAuth;
    const c = await load(accountId, ctx.params.id);
    const messages = await transcript(deps.db, c.id);
    ctx.body = {
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
  });

  router.post('/:id/messages', async (ctx) => {
    const { accountId } = ctx.state.auth as IvrAuth;
    const input = parseWith(AgentMessage, await readJson(ctx));
    const c = await load(accountId, ctx.params.id);
    if (c.status !== 'open') {
      throw new AppError(409, IvrErrorCode.cannotSend, 'The conversation is closed');
    }
    const consumer = c.consumer_phone ?? c.consumer_id ?? '';
    if (await isOptedOut(deps.db, accountId, consumer)) {
      throw new AppError(409, IvrErrorCode.cannotSend, 'The consumer opted out (sent STOP)');
    }
    const messageId = await postAgentMessage(deps.db, {
      conversation: c,
      text: input.text,
      now: deps.clock(),
    });
    deps.nudgeOutbox();
    deps.nudgeSink();
    ctx.status = 202;
    ctx.body = { messageId } satisfies AgentMessageQueued;
  });

  router.post('/:id/close', async (ctx) => {
    const { accountId } = ctx.state.auth as IvrAuth;
    const c = await load(accountId, ctx.params.id);
    await closeConversation(deps.uow, { conversation: c, now: deps.clock() });
    deps.nudgeSink();
    ctx.body = presentConversation(await load(accountId, c.id)) satisfies ConversationView;
  });
  return router;
}
