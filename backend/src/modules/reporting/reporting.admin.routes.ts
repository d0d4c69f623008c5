import Router from '@koa/router';
import {
  ReportsAnalyticsRequest,
  ReportsDimensionsQuery,
  type ReportsDimensions,
} from '../../../contract/admin-reports.js';
import type { AnalyticsResponse } from '../../../contract/reporting.js';
import type { AppDeps } from '../deps.js';
import { adminAuth, type AdminSession } from '../sessions/admin-auth.js';
import { readJson } from '../../http/body.js';
import { parseInput } from '../../http/validate.js';

/**
 * The admin element's reporting dashboard: the analytics funnel for a window of at most 60 days
 * and the values its filters may offer. Session auth and the admin error shape, unlike the
 * reporting API (OAuth, the product's error body); the counts are the same `queryAnalytics` reads, on a
 * worker thread (query-pool.ts).
 */
export function reportingAdminRoutes(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/admin/account/:accountId/reports' });

  router.post('/analytics', adminAuth(deps, 'reports:view'), async (ctx) => {
    const { accountId } = ctx.state.session as AdminSession;
    const { attemptedStartTime, attemptedEndTime, ...filters } = parseInput(
      ReportsAnalyticsRequest,
      await readJson(ctx),
    );
    const window = { attemptedStartTime, attemptedEndTime };
    const analytics = await deps.queries.run(accountId, 'analytics', accountId, window, filters);
    ctx.body = {
      requestMetadata: { accountId, app: 'c2m', ...window, filters },
      analytics,
    } satisfies AnalyticsResponse;
  });

  router.get('/dimensions', adminAuth(deps, 'reports:view'), async (ctx) => {
    const { accountId } = ctx.state.session as AdminSession;
    const window = parseInput(ReportsDimensionsQuery, ctx.query);
    ctx.body = (await deps.queries.run(
      accountId,
      'dimensions',
      accountId,
      window,
    )) satisfies ReportsDimensions;
  });
  return router;
}
