import type { Context, Next } from 'koa';
import type { Logger } from 'pino';
import { isDatabaseBusy } from '../db/busy.js';
import { isDatabaseUnreachable } from '../db/unreachable.js';
import { AppError, databaseBusy, databaseUnreachable } from '../errors.js';
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
      const requestId = String(ctx.state.requestId ?? '');
      if (clientWentAway(ctx, thrown)) {
        // nobody is there to answer, and nothing was done: a fact of the traffic, not a fault
        log.info({ requestId, method: ctx.method, path: ctx.path }, 'client closed the request');
        ctx.status = 400;
        return;
      }
      const err = asDependencyFault(thrown, log);
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

/**
 * The client hung up before its request had fully arrived (reading the body then fails with
 * `aborted`): an IVR that gave up waiting, a load generator stopping.
 */
function clientWentAway(ctx: Context, thrown: unknown): boolean {
  return (
    !ctx.req.complete &&
    thrown instanceof Error &&
    thrown.message === 'aborted' &&
    (thrown as { code?: unknown }).code === 'ECONNRESET'
  );
}

/**
 * A dependency's fault of the moment as the 503 (with Retry-After) the client may retry, never a
 * 500: a write that could not get SQLite's lock in time rolled back; PostgreSQL could not be
 * reached. Anything else is returned as it is.
 */
function asDependencyFault(thrown: unknown, log: Logger): unknown {
  if (isDatabaseBusy(thrown)) return databaseBusy();
  if (isDatabaseUnreachable(thrown)) {
    log.warn({ err: (thrown as Error).message }, 'PostgreSQL unreachable: answered 503');
    return databaseUnreachable();
  }
  return thrown;
}
