import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import { IvrErrorCode } from '../../contract/errors.js';
import type { AppDeps } from '../modules/deps.js';
import { AppError } from '../errors.js';
import { ivrErrors } from '../http/error-models.js';
import { fromThisMachine } from '../http/local-request.js';
import { ApiRouter, anyone } from '../http/route.js';

/**
 * `GET /metrics` in Prometheus' text format, for a scraper on the same host or one that presents
 * `Authorization: Bearer $C2M_METRICS_TOKEN`; anyone else gets 403, so publishing the port does not
 * publish the metrics by accident.
 */
export function metricsRoutes(deps: AppDeps): ApiRouter {
  const router = new ApiRouter(ivrErrors, { tag: 'Operations' });
  router.add({
    name: 'getMetrics',
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics',
    description:
      'Answers a scraper on the same host, or one sending `Authorization: Bearer ' +
      '$C2M_METRICS_TOKEN` when that is set.',
    auth: anyone,
    responses: {
      200: { description: 'The text exposition format', body: { contentType: 'text/plain' } },
    },
    errors: { 403: 'Neither loopback nor the metrics token' },
    handle: async (ctx) => {
      if (!fromThisMachine(ctx) && !hasToken(ctx, deps.config.metricsToken)) {
        throw new AppError(
          403,
          IvrErrorCode.forbidden,
          'Forbidden: /metrics answers loopback, or a bearer token when C2M_METRICS_TOKEN is set',
        );
      }
      ctx.set('Cache-Control', 'no-store');
      ctx.type = deps.metrics.registry.contentType;
      ctx.body = await deps.metrics.registry.metrics();
    },
  });
  return router;
}

function hasToken(ctx: Context, token: string | undefined): boolean {
  if (!token) return false;
  const given = /^Bearer (.+)$/.exec(ctx.get('Authorization'))?.[1] ?? '';
  // equal-length digests: the comparison's time says nothing about the token
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}
