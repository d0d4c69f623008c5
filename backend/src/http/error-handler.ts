import type { Context, Next } from 'koa';
import type { Logger } from 'pino';
import { IvrErrorCode, type IvrErrorBody } from '../../contract/errors.js';
import { AppError } from './errors.js';

/**
 * Registered first: every failure below becomes `{errorCode, errorMessage}`. Errors we did not
 * expect become a 500 that carries the request id and nothing internal; the stack goes to the log.
 */
export function errorHandler(log: Logger) {
  return async function errorHandler(ctx: Context, next: Next) {
    try {
      await next();
    } catch (err) {
      const requestId = String(ctx.state.requestId ?? '');
      if (err instanceof AppError) {
        ctx.status = err.status;
        ctx.set(err.headers);
        ctx.body = { errorCode: err.code, errorMessage: err.message } satisfies IvrErrorBody;
        return;
      }
      log.error({ err, requestId, method: ctx.method, path: ctx.path }, 'unhandled error');
      ctx.status = 500;
      ctx.body = {
        errorCode: IvrErrorCode.internal,
        errorMessage: `Internal Server Error (request id ${requestId})`,
        requestId,
      } satisfies IvrErrorBody;
    }
  };
}
