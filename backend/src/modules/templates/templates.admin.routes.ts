import Router from '@koa/router';
import type { Context } from 'koa';
import {
  TemplateInput,
  TemplateListQuery,
  TemplateReviewInput,
  type TemplateStatusView,
  type TemplateView,
} from '../../../contract/templates.js';
import type { AdminSession } from '../sessions/admin-auth.js';
import { adminAuth } from '../sessions/admin-auth.js';
import { readJson } from '../../http/body.js';
import { parseInput } from '../../http/validate.js';
import type { AppDeps } from '../deps.js';
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

const accountOf = (ctx: Context) => (ctx.state.session as AdminSession).accountId;
const idOf = (ctx: Context) => (ctx.params as { id: string }).id;

/**
 * WhatsApp message templates of one account: drafts are written here, submitted to WhatsApp (or
 * the sandbox) for review, and only approved ones can be picked by a handoff.
 */
export function templateAdminRoutes(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/admin/account/:accountId' });

  router.get('/templates', adminAuth(deps, 'templates:view'), async (ctx) => {
    const query = parseInput(TemplateListQuery, ctx.query);
    const page = await listAccountTemplates(deps, accountOf(ctx), query);
    ctx.body = {
      items: page.items.map(presentTemplate),
      total: page.total,
      offset: query.offset,
      limit: query.limit,
    } satisfies { items: TemplateView[]; total: number; offset: number; limit: number };
  });

  // before `/templates/:id`, which would otherwise take `status` for an id
  router.get('/templates/status', adminAuth(deps, 'templates:status'), async (ctx) => {
    const query = parseInput(TemplateListQuery, ctx.query);
    const page = await listApprovedTemplates(deps, accountOf(ctx), query);
    ctx.body = {
      items: page.items.map(presentTemplateStatus),
      total: page.total,
      offset: query.offset,
      limit: query.limit,
    } satisfies { items: TemplateStatusView[]; total: number; offset: number; limit: number };
  });

  router.get('/templates/:id', adminAuth(deps, 'templates:view'), async (ctx) => {
    ctx.body = presentTemplate(await getTemplate(deps, accountOf(ctx), idOf(ctx)));
  });

  router.post('/templates', adminAuth(deps, 'templates:create'), async (ctx) => {
    const input = parseInput(TemplateInput, await readJson(ctx));
    ctx.status = 201;
    ctx.body = presentTemplate(await createTemplate(deps, accountOf(ctx), input));
  });

  router.put('/templates/:id', adminAuth(deps, 'templates:edit'), async (ctx) => {
    const input = parseInput(TemplateInput, await readJson(ctx));
    ctx.body = presentTemplate(await updateTemplate(deps, accountOf(ctx), idOf(ctx), input));
  });

  // a clone is a new template: creating is the right it needs
  router.post('/templates/:id/clone', adminAuth(deps, 'templates:create'), async (ctx) => {
    ctx.status = 201;
    ctx.body = presentTemplate(await cloneTemplate(deps, accountOf(ctx), idOf(ctx)));
  });

  router.post('/templates/:id/submit', adminAuth(deps, 'templates:publish'), async (ctx) => {
    ctx.body = presentTemplate(await submitTemplate(deps, accountOf(ctx), idOf(ctx)));
  });

  router.post('/templates/:id/review', adminAuth(deps, 'templates:publish'), async (ctx) => {
    const review = parseInput(TemplateReviewInput, await readJson(ctx));
    ctx.body = presentTemplate(await reviewTemplate(deps, accountOf(ctx), idOf(ctx), review));
  });

  router.delete('/templates/:id', adminAuth(deps, 'templates:delete'), async (ctx) => {
    await deleteTemplate(deps, accountOf(ctx), idOf(ctx));
    ctx.status = 204;
  });

  return router;
}
