import type { Context, Next } from 'koa';
import type { Metrics } from './metrics.js';

/** What @koa/router leaves on the context: every layer whose path matched, in order. */
interface MatchedLayer {
  path: string | RegExp;
  methods: string[];
}

/**
 * Counts and times each request by its route template. Registered before the error handler, so
 * the status is the one the client got.
 */
export function httpMetrics(metrics: Pick<Metrics, 'httpRequests' | 'httpDuration'>) {
  return async function httpMetrics(ctx: Context, next: Next) {
    const started = performance.now();
    try {
      await next();
    } finally {
      const labels = { method: ctx.method, route: routeOf(ctx), status: String(ctx.status) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, (performance.now() - started) / 1000);
    }
  };
}

/**
 * The template of the route that answered (`/api/account/:accountId/eligibility`), never the raw
 * path: one series per account or id would grow without bound. Not `ctx._matchedRoute`: the router
 * overwrites it with a `router.use()` layer's pattern when that layer answers (a 401 from auth).
 */
function routeOf(ctx: Context): string {
  const matched = (ctx as { matched?: MatchedLayer[] }).matched ?? [];
  const route = matched.findLast((layer) => layer.methods.includes(ctx.method));
  return route ? String(route.path) : 'unmatched';
}
