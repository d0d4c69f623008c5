import Router from '@koa/router';
import type { z } from 'zod';
import { HandoffInput, HandoffListQuery, HandoffView } from '../../../contract/handoffs.js';
import { Page } from '../../../contract/page.js';
import type { AppDeps } from '../deps.js';
import type { AdminSession } from '../sessions/admin-auth.js';
import { adminAuth } from '../sessions/admin-auth.js';
import { readJson } from '../../http/body.js';
import { parseHandoffFields } from './handoff-input.js';
import { presentHandoff } from './handoffs.presenter.js';
import {
  createHandoff,
  getHandoff,
  listAccountHandoffs,
  removeHandoff,
  replaceHandoff,
} from './handoffs.service.js';

const BASE = '/api/admin/account/:accountId/handoffs';

type HandoffPage = z.infer<ReturnType<typeof Page<typeof HandoffView>>>;

/** The API handoffs screen: list, read, create, replace and delete, each as the policy allows. */
export function handoffAdminRoutes(deps: AppDeps): Router {
  const router = new Router();
  const accountOf = (state: { session?: AdminSession }) => state.session!.accountId;

  router.get(BASE, adminAuth(deps, 'handoffs:view'), async (ctx) => {
    const query = parseHandoffFields(HandoffListQuery, ctx.query);
    const page = await listAccountHandoffs(deps, accountOf(ctx.state), query);
    ctx.body = {
      items: page.items.map(presentHandoff),
      total: page.total,
      offset: query.offset,
      limit: query.limit,
    } satisfies HandoffPage;
  });

  router.get(`${BASE}/:id`, adminAuth(deps, 'handoffs:view'), async (ctx) => {
    ctx.body = presentHandoff(await getHandoff(deps, accountOf(ctx.state), ctx.params.id));
  });

  router.post(BASE, adminAuth(deps, 'handoffs:create'), async (ctx) => {
    const input = parseHandoffFields(HandoffInput, await readJson(ctx));
    const handoff = await createHandoff(deps, accountOf(ctx.state), input);
    ctx.status = 201;
    ctx.set('Location', `${ctx.path}/${handoff.id}`);
    ctx.body = presentHandoff(handoff);
  });

  router.put(`${BASE}/:id`, adminAuth(deps, 'handoffs:edit'), async (ctx) => {
    const input = parseHandoffFields(HandoffInput, await readJson(ctx));
    const handoff = await replaceHandoff(deps, accountOf(ctx.state), ctx.params.id, input);
    ctx.body = presentHandoff(handoff);
  });

  router.delete(`${BASE}/:id`, adminAuth(deps, 'handoffs:delete'), async (ctx) => {
    await removeHandoff(deps, accountOf(ctx.state), ctx.params.id);
    ctx.status = 204;
  });

  return router;
}
