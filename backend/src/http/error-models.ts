import type { z } from 'zod';
import { AdminErrorBody, type AdminErrorCode } from '../../contract/errors.js';
import { IvrErrorBody, IvrErrorCode } from '../../contract/errors.js';
import { ReportingErrorBody } from '../../contract/errors.js';
import type { AppError } from '../errors.js';

/**
 * How one audience's API answers a failure. A router declares its model (http/route.ts) and every
 * error of its routes is written in it; `paths` is the audience's own path space, which answers
 * for requests no route took (an unknown path, a wrong method) in the same shape.
 */
export class ErrorModel {
  constructor(
    readonly name: string,
    /** The error body, as the API reference shows it. */
    readonly body: z.ZodType,
    /** The body for an error: a known one, or (undefined) one we did not expect: a 500. */
    readonly render: (err: AppError | undefined, requestId: string) => unknown,
    readonly paths?: RegExp,
  ) {}

  /** The model of the first audience whose paths hold `path`, else `otherwise`. */
  static forPath(path: string, models: readonly ErrorModel[], otherwise: ErrorModel): ErrorModel {
    return models.find((m) => m.paths?.test(path)) ?? otherwise;
  }
}

/** Where the admin API lives (its CORS rule reads it too). */
export const ADMIN_PREFIX = '/api/admin/';

const internal = (requestId: string) => `Internal Server Error (request id ${requestId})`;

/** The IVR API keeps the product's shape: `{errorCode, errorMessage}`, numeric codes. */
export const ivrErrors = new ErrorModel('ivr', IvrErrorBody, (err, requestId) =>
  err
    ? ({ errorCode: err.code, errorMessage: err.message } satisfies IvrErrorBody)
    : ({
        errorCode: IvrErrorCode.internal,
        errorMessage: internal(requestId),
        requestId,
      } satisfies IvrErrorBody),
);

/** The admin API: `{error: {code, message, details}}` with string codes and per-field rules. */
export const adminErrors = new ErrorModel(
  'admin',
  AdminErrorBody,
  (err, requestId) =>
    err
      ? ({
          error: {
            code: adminCodeOf(err),
            message: err.message,
            ...(err.admin?.fieldErrors && { details: { fieldErrors: err.admin.fieldErrors } }),
          },
        } satisfies AdminErrorBody)
      : ({
          error: { code: 'internal', message: internal(requestId), requestId },
        } satisfies AdminErrorBody),
  new RegExp(`^${ADMIN_PREFIX}`),
);

/** The reporting API answers as the product's does: `{code, requestTraceId, message}`. */
export const reportingErrors = new ErrorModel(
  'reporting',
  ReportingErrorBody,
  (err, requestId) =>
    ({
      code: err ? err.status : 500,
      requestTraceId: requestId,
      message: err ? err.message : internal(requestId),
    }) satisfies ReportingErrorBody,
  /^\/api\/account\/[^/]+\/app\//,
);

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
