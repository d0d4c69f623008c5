import type { Context, Next } from 'koa';
import type { Logger } from 'pino';
import { isDatabaseBusy } from '../db/busy.js';
import { AppError, databaseBusy } from '../errors.js';
import { ErrorModel } from './error-models.js';

/**
 * Registered first: every failure below is answered in the error model of the route that took
 * the request (its router declares it). A request no route took is answered in the model whose
 * paths hold it, else `otherwise`. Errors we did not expect become a 500 that carries the request
 * id and nothing internal; the stack goes to the log.
 */
export function errorHandler(
  log: Logger,
  audiences: { models: readonly ErrorModel[]; otherwise: ErrorModel },
) {
  return async function errorHandler(ctx: Context, next: Next) {
    try {
      await next();
    } catch (thrown) {
      // a write that could not get the lock in time rolled back: a 503 the client may retry
      const err = isDatabaseBusy(thrown) ? databaseBusy() : thrown;
      const requestId = String(ctx.state.requestId ?? '');
      const declared: unknown = ctx.state.errorModel;
      const model =
        declared instanceof ErrorModel
          ? declared
          : ErrorModel.forPath(ctx.path, audiences.models, audiences.otherwise);
      if (err instanceof AppError) {
        ctx.status = err.status;
        ctx.set(err.headers);
        ctx.body = model.render(err, requestId);
        return;
      }
      log.error({ err, requestId, method: ctx.method, path: ctx.path }, 'unhandled error');
      ctx.status = 500;
      ctx.body = model.render(undefined, requestId);
    }
  };
}
