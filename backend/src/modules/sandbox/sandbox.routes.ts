import Router from '@koa/router';
import {
  SandboxInbound,
  SandboxStatus,
  type SandboxInboundResult,
  type SandboxMessageList,
  type SandboxStatusResult,
} from '../../../contract/sandbox.js';
import type { AppDeps } from '../deps.js';
import { parseWith, readJson } from '../../http/body.js';
import { ivrAuth, type IvrAuth } from '../accounts/ivr-auth.js';
import {
  listSandboxMessages,
  receiveSandboxInbound,
  reportSandboxStatus,
} from './sandbox.service.js';

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
    ctx.body = {
      messages: await listSandboxMessages(deps.db, accountId, address ? [address] : []),
    } satisfies SandboxMessageList;
  });

  router.post('/messages/:messageId/status', async (ctx) => {
    const { accountId } = ctx.state.auth as IvrAuth;
    const input = parseWith(SandboxStatus, await readJson(ctx));
    const outcome = await reportSandboxStatus(deps, accountId, ctx.params.messageId ?? '', input);
    ctx.body = { outcome } satisfies SandboxStatusResult;
  });

  router.post('/inbound', async (ctx) => {
    const { accountId } = ctx.state.auth as IvrAuth;
    const input = parseWith(SandboxInbound, await readJson(ctx));
    ctx.body = {
      outcome: await receiveSandboxInbound(deps, accountId, input),
    } satisfies SandboxInboundResult;
  });
  return router;
}
