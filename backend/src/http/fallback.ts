import type Router from '@koa/router';
import type { Context, Next } from 'koa';
import { IvrErrorCode } from '../../contract/errors.js';
import { AppError } from '../errors.js';

/** After every router: a known path with another method is 405, anything else 404. */
export function notFoundOrMethodNotAllowed(routers: Router[]) {
  return async function notFoundOrMethodNotAllowed(ctx: Context, next: Next) {
    await next();
    if (ctx.body !== undefined || ctx.status !== 404) return;
    const allowed = new Set<string>();
    for (const router of routers) {
      for (const layer of router.match(ctx.path, ctx.method).path) {
        for (const m of layer.methods) allowed.add(m);
      }
    }
    if (allowed.size > 0) {
      throw new AppError(405, IvrErrorCode.methodNotAllowed, 'Method Not Allowed', {
        Allow: [...allowed].join(', '),
      });
    }
    throw new AppError(404, IvrErrorCode.notFound, 'Not Found');
  };
}
