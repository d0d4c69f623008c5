import {
  SandboxInbound,
  SandboxInboundResult,
  SandboxMessageList,
  SandboxMessagesQuery,
  SandboxStatus,
  SandboxStatusResult,
} from '../../../contract/sandbox.js';
import type { AppDeps } from '../deps.js';
import { ivrErrors } from '../../http/error-models.js';
import { json } from '../../http/operation.js';
import { ApiRouter } from '../../http/route.js';
import { ivr } from '../accounts/ivr-auth.js';
import {
  listSandboxMessages,
  receiveSandboxInbound,
  reportSandboxStatus,
} from './sandbox.service.js';

/**
 * The consumer's phone for the sandbox provider: read what c2m sent, report it delivered / read /
 * failed, and answer with text — through the same pipeline real provider webhooks use.
 */
export function sandboxRoutes(deps: AppDeps): ApiRouter {
  const router = new ApiRouter(ivrErrors, {
    prefix: '/api/account/:accountId/sandbox',
    tag: 'Sandbox phone',
  });
  const auth = ivr(deps, ['admin', 'ivr']);

  router.add({
    name: 'listSandboxMessages',
    method: 'get',
    path: '/messages',
    summary: 'What the sandbox sent and received, newest first (100)',
    auth,
    query: SandboxMessagesQuery,
    responses: { 200: json(SandboxMessageList, 'Newest first') },
    handle: async (_ctx, { caller: { accountId }, query: { address } }) =>
      ({
        messages: await listSandboxMessages(deps.db, accountId, address ? [address] : []),
      }) satisfies SandboxMessageList,
  });

  router.add({
    name: 'reportSandboxStatus',
    method: 'post',
    path: '/messages/:messageId/status',
    summary: 'Report a sent message delivered, read or failed',
    auth,
    body: SandboxStatus,
    example: { status: 'read' },
    responses: { 200: json(SandboxStatusResult, 'What the status pipeline made of it') },
    errors: { 404: 'No such sandbox message' },
    handle: async (_ctx, { caller: { accountId }, params, body }) => ({
      outcome: await reportSandboxStatus(deps, accountId, params.messageId, body),
    }),
  });

  router.add({
    name: 'answerAsConsumer',
    method: 'post',
    path: '/inbound',
    summary: 'Answer as the consumer',
    auth,
    body: SandboxInbound,
    example: { channel: 'sms', from: '+14155550100', text: 'Hi!' },
    responses: { 200: json(SandboxInboundResult, 'What the inbound pipeline made of it') },
    handle: async (_ctx, { caller: { accountId }, body }) => ({
      outcome: await receiveSandboxInbound(deps, accountId, body),
    }),
  });
  return router;
}
