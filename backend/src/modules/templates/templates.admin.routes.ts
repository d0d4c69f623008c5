import { Page } from '../../../contract/page.js';
import {
  TemplateInput,
  TemplateListQuery,
  TemplateReviewInput,
  TemplateStatusView,
  TemplateView,
} from '../../../contract/templates.js';
import { adminErrors } from '../../http/error-models.js';
import { empty, json } from '../../http/operation.js';
import { ApiRouter } from '../../http/route.js';
import type { AppDeps } from '../deps.js';
import { admin } from '../sessions/admin-auth.js';
import { presentTemplate, presentTemplateStatus } from './templates.presenter.js';
import {
  cloneTemplate,
  createTemplate,
  deleteTemplate,
  getTemplate,
  listAccountTemplates,
  listApprovedTemplates,
  reviewTemplate,
  submitTemplate,
  updateTemplate,
} from './templates.service.js';

const EXAMPLE = {
  name: 'order_update',
  category: 'UTILITY',
  language: 'en_US',
  wabaId: '102290129340398',
  phoneNumber: '+14155550100',
  body: 'Hi {{1}}, reply here to chat with us.',
  examples: ['Ada'],
};
const MISSING = { 404: 'No such template' };
const SETTLED = { 404: 'No such template', 409: 'Not a draft or rejected template' };

/**
 * WhatsApp message templates of one account: drafts are written here, submitted to WhatsApp (or
 * the sandbox) for review, and only approved ones can be picked by a handoff.
 */
export function templateAdminRoutes(deps: AppDeps): ApiRouter {
  const router = new ApiRouter(adminErrors, {
    prefix: '/api/admin/account/:accountId/templates',
    tag: 'Admin: templates',
  });

  router.add({
    name: 'listTemplates',
    method: 'get',
    path: '',
    summary: 'List templates',
    auth: admin(deps, 'templates:view'),
    query: TemplateListQuery,
    responses: { 200: json(Page(TemplateView), 'One page') },
    handle: async (_ctx, { caller, query }) => {
      const page = await listAccountTemplates(deps, caller.accountId, query);
      return {
        items: page.items.map(presentTemplate),
        total: page.total,
        offset: query.offset,
        limit: query.limit,
      };
    },
  });

  // before `/:id`, which would otherwise take `status` for an id
  router.add({
    name: 'listTemplateStatuses',
    method: 'get',
    path: '/status',
    summary: "Approved templates' status (no content)",
    auth: admin(deps, 'templates:status'),
    query: TemplateListQuery,
    responses: { 200: json(Page(TemplateStatusView), 'One page') },
    handle: async (_ctx, { caller, query }) => {
      const page = await listApprovedTemplates(deps, caller.accountId, query);
      return {
        items: page.items.map(presentTemplateStatus),
        total: page.total,
        offset: query.offset,
        limit: query.limit,
      };
    },
  });

  router.add({
    name: 'createTemplate',
    method: 'post',
    path: '',
    summary: 'Create a draft',
    auth: admin(deps, 'templates:create'),
    body: TemplateInput,
    example: EXAMPLE,
    responses: { 201: json(TemplateView, 'The draft') },
    errors: { 409: 'A template with this name and language exists' },
    handle: async (ctx, { caller, body }) => {
      const template = await createTemplate(deps, caller.accountId, body);
      ctx.status = 201;
      return presentTemplate(template);
    },
  });

  router.add({
    name: 'getTemplate',
    method: 'get',
    path: '/:id',
    summary: 'Read a template',
    auth: admin(deps, 'templates:view'),
    responses: { 200: json(TemplateView, 'The template') },
    errors: MISSING,
    handle: async (_ctx, { caller, params }) =>
      presentTemplate(await getTemplate(deps, caller.accountId, params.id)),
  });

  router.add({
    name: 'updateTemplate',
    method: 'put',
    path: '/:id',
    summary: 'Change a draft or rejected template',
    auth: admin(deps, 'templates:edit'),
    body: TemplateInput,
    example: EXAMPLE,
    responses: { 200: json(TemplateView, 'As saved') },
    errors: SETTLED,
    handle: async (_ctx, { caller, params, body }) =>
      presentTemplate(await updateTemplate(deps, caller.accountId, params.id, body)),
  });

  router.add({
    name: 'deleteTemplate',
    method: 'delete',
    path: '/:id',
    summary: 'Delete a template no handoff uses',
    auth: admin(deps, 'templates:delete'),
    responses: { 204: empty('Deleted') },
    errors: { 404: 'No such template', 409: 'A handoff sends with it' },
    handle: async (ctx, { caller, params }) => {
      await deleteTemplate(deps, caller.accountId, params.id);
      ctx.status = 204;
    },
  });

  // a clone is a new template: creating is the right it needs
  router.add({
    name: 'cloneTemplate',
    method: 'post',
    path: '/:id/clone',
    summary: 'Copy a template into a new draft',
    auth: admin(deps, 'templates:create'),
    responses: { 201: json(TemplateView, 'The new draft') },
    errors: MISSING,
    handle: async (ctx, { caller, params }) => {
      const template = await cloneTemplate(deps, caller.accountId, params.id);
      ctx.status = 201;
      return presentTemplate(template);
    },
  });

  router.add({
    name: 'submitTemplate',
    method: 'post',
    path: '/:id/submit',
    summary: 'Submit for WhatsApp review',
    auth: admin(deps, 'templates:publish'),
    responses: { 200: json(TemplateView, 'Pending review') },
    errors: SETTLED,
    handle: async (_ctx, { caller, params }) =>
      presentTemplate(await submitTemplate(deps, caller.accountId, params.id)),
  });

  router.add({
    name: 'reviewTemplate',
    method: 'post',
    path: '/:id/review',
    summary: 'Approve or reject (the sandbox’s stand-in for WhatsApp)',
    auth: admin(deps, 'templates:publish'),
    body: TemplateReviewInput,
    example: { decision: 'approve' },
    responses: { 200: json(TemplateView, 'Approved or rejected') },
    errors: { 404: 'No such template', 409: 'Not pending, or the account has WhatsApp' },
    handle: async (_ctx, { caller, params, body }) =>
      presentTemplate(await reviewTemplate(deps, caller.accountId, params.id, body)),
  });
  return router;
}
