import type { Context, Next } from 'koa';
import type { Logger } from 'pino';
import {
  IvrErrorCode,
  type AdminErrorBody,
  type AdminErrorCode,
  type IvrErrorBody,
  type ReportingErrorBody,
} from '../../contract/errors.js';
import { isDatabaseBusy } from '../db/busy.js';
import { AppError, databaseBusy } from '../errors.js';

/** The admin API answers `{error: {code, message, details}}`; the IVR API keeps the product's shape. */
export const ADMIN_PREFIX = '/api/admin/';
/** The reporting API answers as the product's does (spec §9.5): `{code, requestTraceId, message}`. */
const REPORTING_PATH = /^\/api\/account\/[^/]+\/app\//;

/**
 * Registered first: every failure below becomes `{errorCode, errorMessage}`. Errors we did not
 * expect become a 500 that carries the request id and nothing internal; the stack goes to the log.
 */
export function errorHandler(log: Logger) {
  return async function errorHandler(ctx: Context, next: Next) {
    try {
      await next();
    } catch (thrown) {
      // a write that could not get the lock in time rolled back: a 503 the client may retry
      const err = isDatabaseBusy(thrown) ? databaseBusy() : thrown;
      const requestId = String(ctx.state.requestId ?? '');
      const admin = ctx.path.startsWith(ADMIN_PREFIX);
      if (REPORTING_PATH.test(ctx.path)) {
        const known = err instanceof AppError;
        if (!known)
          log.error({ err, requestId, method: ctx.method, path: ctx.path }, 'unhandled error');
        ctx.status = known ? err.status : 500;
        if (known) ctx.set(err.headers);
        ctx.body = {
          code: ctx.status,
          requestTraceId: requestId,
          message: known ? err.message : `Internal Server Error (request id ${requestId})`,
        } satisfies ReportingErrorBody;
        return;
      }
      if (err instanceof AppError) {
        ctx.status = err.status;
        ctx.set(err.headers);
        ctx.body = admin
          ? ({
              error: {
                code: adminCodeOf(err),
                message: err.message,
                ...(err.admin?.fieldErrors && { details: { fieldErrors: err.admin.fieldErrors } }),
              },
            } satisfies AdminErrorBody)
          : ({ errorCode: err.code, errorMessage: err.message } satisfies IvrErrorBody);
        return;
      }
      log.error({ err, requestId, method: ctx.method, path: ctx.path }, 'unhandled error');
      ctx.status = 500;
      const message = `Internal Server Error (request id ${requestId})`;
      ctx.body = admin
        ? ({ error: { code: 'internal', message, requestId } } satisfies AdminErrorBody)
        : ({
            errorCode: IvrErrorCode.internal,
            errorMessage: message,
            requestId,
          } satisfies IvrErrorBody);
    }
  };
}

const ADMIN_CODES: Record<number, AdminErrorCode> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  429: 'rate_limited',
  503: 'unavailable',
};

/** The admin API's code for an error, from its own or from its HTTP status. */
export function adminCodeOf(err: AppError): AdminErrorCode {
  return (
    err.admin?.code ??
    ADMIN_CODES[err.status] ??
    (err.status >= 500 ? 'internal' : 'validation_failed')
  );
}
