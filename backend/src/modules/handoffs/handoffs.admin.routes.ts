import { HandoffInput, HandoffListQuery, HandoffView } from '../../../contract/handoffs.js';
import { Page } from '../../../contract/page.js';
import type { AppDeps } from '../deps.js';
import { admin } from '../sessions/admin-auth.js';
import { adminErrors } from '../../http/error-models.js';
import { empty, json } from '../../http/operation.js';
import { ApiRouter } from '../../http/route.js';
import { presentHandoff } from './handoffs.presenter.js';
import {
  createHandoff,
  getHandoff,
  listAccountHandoffs,
  removeHandoff,
  replaceHandoff,
} from './handoffs.service.js';

const EXAMPLE = {
  title: 'Billing',
  lookback: { days: 1, hours: 0 },
  channels: [
    {
      name: 'sms',
      enabled: true,
      message: 'Hi {{1}}, reply here to chat.',
      defaults: { '1': 'there' },
    },
  ],
};
const MISSING = { 404: 'No such handoff' };

/** The API handoffs screen: list, read, create, replace and delete, each as the policy allows. */
export function handoffAdminRoutes(deps: AppDeps): ApiRouter {
  const router = new ApiRouter(adminErrors, {
    prefix: '/api/admin/account/:accountId/handoffs',
    tag: 'Admin: handoffs',
  });

  router.add({
    name: 'listHandoffs',
    method: 'get',
    path: '',
    summary: 'List handoffs',
    auth: admin(deps, 'handoffs:view'),
    query: HandoffListQuery,
    responses: { 200: json(Page(HandoffView), 'One page') },
    handle: async (_ctx, { caller, query }) => {
      const page = await listAccountHandoffs(deps, caller.accountId, query);
      return {
        items: page.items.map(presentHandoff),
        total: page.total,
        offset: query.offset,
        limit: query.limit,
      };
    },
  });

  router.add({
    name: 'createHandoff',
    method: 'post',
    path: '',
    summary: 'Create a handoff',
    auth: admin(deps, 'handoffs:create'),
    body: HandoffInput,
    example: EXAMPLE,
    responses: { 201: json(HandoffView, 'Created (Location)') },
    handle: async (ctx, { caller, body }) => {
      const handoff = await createHandoff(deps, caller.accountId, body);
      ctx.status = 201;
      ctx.set('Location', `${ctx.path}/${handoff.id}`);
      return presentHandoff(handoff);
    },
  });

  router.add({
    name: 'getHandoff',
    method: 'get',
    path: '/:id',
    summary: 'Read a handoff',
    auth: admin(deps, 'handoffs:view'),
    responses: { 200: json(HandoffView, 'The handoff') },
    errors: MISSING,
    handle: async (_ctx, { caller, params }) =>
      presentHandoff(await getHandoff(deps, caller.accountId, params.id)),
  });

  router.add({
    name: 'replaceHandoff',
    method: 'put',
    path: '/:id',
    summary: 'Replace a handoff',
    auth: admin(deps, 'handoffs:edit'),
    body: HandoffInput,
    example: EXAMPLE,
    responses: { 200: json(HandoffView, 'As saved') },
    errors: MISSING,
    handle: async (_ctx, { caller, params, body }) =>
      presentHandoff(await replaceHandoff(deps, caller.accountId, params.id, body)),
  });

  router.add({
    name: 'deleteHandoff',
    method: 'delete',
    path: '/:id',
    summary: 'Delete a handoff',
    auth: admin(deps, 'handoffs:delete'),
    responses: { 204: empty('Deleted') },
    errors: MISSING,
    handle: async (ctx, { caller, params }) => {
      await removeHandoff(deps, caller.accountId, params.id);
      ctx.status = 204;
    },
  });
  return router;
}
