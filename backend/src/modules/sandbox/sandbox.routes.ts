import Router from '@koa/router';
import { sql } from 'kysely';
import { SandboxInbound, SandboxStatus } from '../../../contract/messaging.js';
import type { AppDeps } from '../../deps.js';
import { parseWith, readJson } from '../../http/body.js';
import { notFound } from '../../http/errors.js';
import { ivrAuth, type IvrAuth } from '../../http/ivr-auth.js';
import { newUuid } from '../../ids.js';
import { receiveInbound } from '../messaging/inbound.service.js';
import { applyStatus } from '../messaging/status.service.js';

/**
 * The consumer's phone for the sandbox provider: read what c2m sent, report it delivered / read /
 * failed, and answer with text — through the same pipeline real provider webhooks use.
 */
export function sandboxRoutes(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/account/:accountId/sandbox' });
  router.use(ivrAuth(deps, ['admin', 'ivr']));

  router.get('/messages', async (ctx) => {
    const { accountId } = ctx.state.auth as IvrAuth;
    const address = typeof ctx.query.address === 'string' ? ctx.query.address : undefined;
    let query = deps.db
      .selectFrom('messages')
      .select([
        'id',
        'direction',
        'channel',
        'to_address',
        'from_address',
        'body',
        'status',
        'error_code',
        'conversation_id',
        'created_at',
      ])
      .where('account_id', '=', accountId)
      .where('provider', '=', 'sandbox');
    if (address) {
      query = query.where((eb) =>
        eb.or([eb('to_address', '=', address), eb('from_address', '=', address)]),
      );
    }
    // newest first; messages of the same millisecond in the order they were stored (ids are random)
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy(sql`rowid`, 'desc')
      .limit(100)
      .execute();
    ctx.body = {
      messages: rows.map((m) => ({
        id: m.id,
        direction: m.direction,
        channel: m.channel,
        to: m.to_address,
        from: m.from_address,
        text: m.body,
        status: m.status,
        errorCode: m.error_code,
        conversationId: m.conversation_id,
        createdAt: new Date(m.created_at).toISOString(),
      })),
    };
  });

  router.post('/messages/:messageId/status', async (ctx) => {
    const { accountId } = ctx.state.auth as IvrAuth;
    const input = parseWith(SandboxStatus, await readJson(ctx));
    const message = await deps.db
      .selectFrom('messages')
      .select(['provider_message_id'])
      .where('account_id', '=', accountId)
      .where('provider', '=', 'sandbox')
      .where('direction', '=', 'outbound')
      .where('id', '=', ctx.params.messageId ?? '')
      .executeTakeFirst();
    if (!message?.provider_message_id) throw notFound('No such sandbox message');
    const outcome = await applyStatus(deps, {
      accountId,
      provider: 'sandbox',
      eventId: newUuid(),
      providerMessageId: message.provider_message_id,
      status: input.status,
      at: deps.clock(),
      ...(input.status === 'failed' && {
        error: {
          errorSource: 'sandbox',
          errorCode: input.errorCode ?? 'failed',
          errorMessage: input.errorMessage ?? 'failed on the sandbox phone',
        },
      }),
    });
    ctx.body = { outcome };
  });

  router.post('/inbound', async (ctx) => {
    const { accountId } = ctx.state.auth as IvrAuth;
    const input = parseWith(SandboxInbound, await readJson(ctx));
    const id = newUuid();
    const outcome = await receiveInbound(deps, {
      accountId,
      channel: input.channel,
      provider: 'sandbox',
      eventId: id,
      providerMessageId: `SB${id.replace(/-/g, '')}`,
      from: input.from,
      to: 'sandbox',
      text: input.text,
      at: deps.clock(),
    });
    ctx.body = { outcome };
  });
  return router;
}
