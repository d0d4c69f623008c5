import Router from '@koa/router';
import { z } from 'zod';
import { HandoffInput, HandoffListQuery, HandoffView, Page } from '../../../contract/admin.js';
import type { AppDeps } from '../../deps.js';
import type { AdminSession } from '../../http/admin-auth.js';
import { adminAuth } from '../../http/admin-auth.js';
import { readJson } from '../../http/body.js';
import { fieldErrors } from '../../http/errors.js';
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

/**
 * Parses with a contract schema; on failure a 400 whose `fieldErrors` names every field that
 * broke a rule, with its first rule. A schema's own message ("enable at least one channel") wins;
 * the rest are worded by `plainRule`.
 */
function parseHandoffFields<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input, { error: plainRule });
  if (parsed.success) return parsed.data;
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    errors[issue.path.length ? issue.path.join('.') : 'body'] ??= issue.message;
  }
  throw fieldErrors(errors);
}

/** Rules worded as describeIssue words them, for issues the schema gave no message of its own. */
const plainRule: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      if (issue.expected === 'int') return 'must be a whole number';
      return issue.expected === 'object' && !issue.path?.length
        ? 'must be a JSON object'
        : `must be of type ${issue.expected}`;
    case 'too_big':
      return `at most ${String(issue.maximum)}${unitOf(issue.origin)}`;
    case 'too_small':
      return `at least ${String(issue.minimum)}${unitOf(issue.origin)}`;
    default:
      return undefined; // zod's own wording, e.g. the options of an enum
  }
};

const unitOf = (origin: string) =>
  origin === 'string' ? ' characters' : origin === 'array' ? ' items' : '';
