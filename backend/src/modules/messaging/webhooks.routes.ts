import type { Context } from 'koa';
import type { AppDeps } from '../deps.js';
import { readRawBody } from '../../http/body.js';
import { notFound } from '../../errors.js';
import { ivrErrors } from '../../http/error-models.js';
import { empty } from '../../http/operation.js';
import { ApiRouter, anyone } from '../../http/route.js';
import { nestingProblem } from '../../http/json-depth.js';
import type { RawWebhook } from '../../channels/types.js';
import { fromMetaTemplateStatus } from '../../channels/whatsapp-templates.js';
import { recordTemplateStatus } from '../templates/templates.service.js';
import { firstDelivery, receiveInbound } from './inbound.service.js';
import { applyStatus } from './status.service.js';

const WEBHOOK_BODY_LIMIT = 1024 * 1024;

/**
 * Every provider reports to `/webhooks/:provider/:accountId`. The account's own provider settings
 * verify the signature, so no account can be written to with another's secret. Events are
 * processed before the answer; a provider that retries gets the same outcome (de-duplicated).
 */
export function webhookRoutes(deps: AppDeps): ApiRouter {
  const router = new ApiRouter(ivrErrors, {
    prefix: '/webhooks/:provider/:accountId',
    tag: 'Provider webhooks',
  });
  const handle = async (ctx: Context, { provider, accountId }: Record<string, string>) => {
    const found = await deps.channels.receiverFor(accountId, provider);
    if (!found) throw notFound(`No ${provider} webhook is configured here`);
    const req: RawWebhook = {
      method: ctx.method,
      url: `${ctx.protocol}://${ctx.host}${ctx.originalUrl}`,
      headers: Object.fromEntries(
        Object.entries(ctx.headers).map(([k, v]) => [
          k.toLowerCase(),
          Array.isArray(v) ? v.join(',') : v,
        ]),
      ),
      rawBody: ctx.method === 'POST' ? await readRawBody(ctx, WEBHOOK_BODY_LIMIT) : Buffer.alloc(0),
    };
    // the same nesting limit as every JSON body c2m takes, before any receiver parses it
    const tooDeep = ctx.is('application/json')
      ? nestingProblem(req.rawBody.toString('utf8'))
      : undefined;
    const verdict = tooDeep
      ? ({ ok: false, status: 400, reason: tooDeep } as const)
      : found.receiver.receive(req);
    if (!verdict.ok) {
      deps.log.warn({ provider, accountId, reason: verdict.reason }, 'webhook refused');
      ctx.status = verdict.status;
      ctx.body = { error: verdict.status === 401 ? 'invalid signature' : verdict.reason };
      return;
    }
    if ('reply' in verdict) {
      ctx.type = 'text/plain';
      ctx.body = verdict.reply;
      return;
    }
    for (const event of verdict.events) {
      if (event.kind === 'status') {
        await applyStatus(deps, {
          accountId,
          provider,
          eventId: event.eventId,
          providerMessageId: event.providerMessageId,
          status: event.status,
          at: event.at,
          error: event.error,
        });
      } else if (event.kind === 'template_status') {
        const status = fromMetaTemplateStatus(event.status);
        if (status && (await firstDelivery(deps, provider, event.eventId, accountId))) {
          await recordTemplateStatus(deps, accountId, {
            providerTemplateId: event.providerTemplateId,
            status,
            reason: event.reason,
          });
        }
      } else {
        await receiveInbound(deps, {
          accountId,
          channel: found.channel,
          provider,
          eventId: event.eventId,
          providerMessageId: event.providerMessageId,
          from: event.from,
          to: event.to,
          text: event.text,
          at: event.at,
        });
      }
    }
    if (provider === 'twilio') {
      // an empty TwiML answer: c2m replies through the API, not inline
      ctx.type = 'text/xml';
      ctx.body = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
    } else {
      ctx.body = { received: verdict.events.length };
    }
  };
  const webhook = {
    path: '',
    description:
      'Paste this URL into the provider’s console; the account’s provider settings verify ' +
      'the signature (Twilio, WhatsApp Cloud, RBM, the push proxy).',
    auth: anyone,
    responses: { 200: empty('Processed; a retry gets the same outcome') },
    errors: { 401: 'Invalid signature', 404: 'No such provider configured for the account' },
    handle: (ctx: Context, { params }: { params: Record<string, string> }) => handle(ctx, params),
  };
  router.add({
    ...webhook,
    name: 'verifyProviderWebhook',
    method: 'get',
    summary: "A provider's verification handshake",
  });
  router.add({
    ...webhook,
    name: 'receiveProviderEvents',
    method: 'post',
    summary: "A provider's events",
  });
  return router;
}
