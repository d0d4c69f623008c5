import { createHash, timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import type { Context } from 'koa';
import { IvrErrorCode } from '../../contract/errors.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../http/errors.js';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
/** A proxy in front of c2m on the same host connects from loopback on behalf of anyone. */
const PROXY_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'];

/**
 * `GET /metrics` in Prometheus' text format, for a scraper on the same host or one that presents
 * `Authorization: Bearer $C2M_METRICS_TOKEN`; anyone else gets 403, so publishing the port does not
 * publish the metrics by accident.
 */
export function metricsRoutes(deps: AppDeps): Router {
  const router = new Router();
  router.get('/metrics', async (ctx) => {
    if (!fromLoopback(ctx) && !hasToken(ctx, deps.config.metricsToken)) {
      throw new AppError(
        403,
        IvrErrorCode.forbidden,
        'Forbidden: /metrics answers loopback, or a bearer token when C2M_METRICS_TOKEN is set',
      );
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.type = deps.metrics.registry.contentType;
    ctx.body = await deps.metrics.registry.metrics();
  });
  return router;
}

/** The TCP peer, not `ctx.ip`: with C2M_TRUST_PROXY that is a header anyone can write. */
function fromLoopback(ctx: Context): boolean {
  const peer = ctx.req.socket.remoteAddress ?? '';
  return LOOPBACK.test(peer) && !PROXY_HEADERS.some((h) => ctx.get(h) !== '');
}

function hasToken(ctx: Context, token: string | undefined): boolean {
  if (!token) return false;
  const given = /^Bearer (.+)$/.exec(ctx.get('Authorization'))?.[1] ?? '';
  // equal-length digests: the comparison's time says nothing about the token
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}
