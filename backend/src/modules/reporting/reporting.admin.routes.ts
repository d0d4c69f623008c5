import {
  ReportsAnalyticsRequest,
  ReportsDimensions,
  ReportsDimensionsQuery,
} from '../../../contract/admin-reports.js';
import { AnalyticsResponse } from '../../../contract/reporting.js';
import { adminErrors } from '../../http/error-models.js';
import { json } from '../../http/operation.js';
import { ApiRouter } from '../../http/route.js';
import type { AppDeps } from '../deps.js';
import { admin } from '../sessions/admin-auth.js';
import { findAccount } from '../accounts/accounts.repo.js';

/**
 * The admin element's reporting dashboard: the analytics funnel for a window of at most 60 days
 * and the values its filters may offer. Session auth and the admin error shape, unlike the
 * reporting API (OAuth, the product's error body); the counts are the same `queryAnalytics`
 * reads, on a worker thread (query-pool.ts).
 */
export function reportingAdminRoutes(deps: AppDeps): ApiRouter {
  const router = new ApiRouter(adminErrors, {
    prefix: '/api/admin/account/:accountId/reports',
    tag: 'Admin: reports',
  });
  const auth = admin(deps, 'reports:view');

  router.add({
    name: 'getReportAnalytics',
    method: 'post',
    path: '/analytics',
    summary: 'The funnel for a window of at most 60 days',
    auth,
    body: ReportsAnalyticsRequest,
    example: { attemptedStartTime: 1767225600000, attemptedEndTime: 1767830400000 },
    responses: { 200: json(AnalyticsResponse, 'One row per channel, skill and day') },
    handle: async (_ctx, { caller: { accountId }, body }) => {
      const { attemptedStartTime, attemptedEndTime, timezone: asked, ...filters } = body;
      const window = { attemptedStartTime, attemptedEndTime };
      // the account's days (its settings' zone) unless the dashboard names a zone
      const timezone = asked ?? (await findAccount(deps, accountId))?.timezone ?? 'UTC';
      const analytics = await deps.queries.run(
        accountId,
        'analytics',
        accountId,
        window,
        filters,
        timezone,
      );
      return {
        requestMetadata: { accountId, app: 'c2m', ...window, timezone, filters },
        analytics,
      } satisfies AnalyticsResponse;
    },
  });

  router.add({
    name: 'getReportDimensions',
    method: 'get',
    path: '/dimensions',
    summary: "The values a window's filters may offer",
    auth,
    query: ReportsDimensionsQuery,
    responses: { 200: json(ReportsDimensions, 'Each list sorted') },
    handle: async (_ctx, { caller: { accountId }, query }) =>
      (await deps.queries.run(
        accountId,
        'dimensions',
        accountId,
        query,
      )) satisfies ReportsDimensions,
  });
  return router;
}
