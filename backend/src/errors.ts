import { IvrErrorCode, type AdminErrorCode } from '../contract/errors.js';

/** The one error type every layer throws; the error handler turns it into the wire shape. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly headers: Record<string, string> = {},
    /** The admin API's view of the same error: its string code and per-field rules. */
    readonly admin?: { code: AdminErrorCode; fieldErrors?: Record<string, string> },
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** 400 naming each field and the rule it broke; nothing was stored. */
export function fieldErrors(fields: Record<string, string>): AppError {
  const [field, rule] = Object.entries(fields)[0] ?? ['body', 'is invalid'];
  return new AppError(
    400,
    IvrErrorCode.invalidRequest,
    field ? `${field}: ${rule}` : rule,
    {},
    {
      code: 'validation_failed',
      fieldErrors: fields,
    },
  );
}

export const invalidRequest = (message: string) =>
  new AppError(400, IvrErrorCode.invalidRequest, message);
export const unauthorized = (message = 'Invalid Bearer token') =>
  new AppError(401, IvrErrorCode.invalidToken, message, { 'WWW-Authenticate': 'Bearer, OAuth' });
export const forbidden = (message = 'Not enough privilege to perform this operation') =>
  new AppError(403, IvrErrorCode.forbidden, message);
/** 409: the object exists, but the change would break a rule about its state. */
export const conflict = (message: string) =>
  new AppError(409, IvrErrorCode.invalidRequest, message, {}, { code: 'conflict' });
export const notFound = (message = 'Not Found') =>
  new AppError(404, IvrErrorCode.notFound, message);

/** Another process held the database's write lock too long: nothing was stored, try again. */
export const databaseBusy = () =>
  new AppError(503, IvrErrorCode.unavailable, 'The database is busy; retry shortly', {
    'Retry-After': '1',
  });

/**
 * Redis, which several nodes share their limits, nonces and live events through, did not answer in
 * time: nothing was done, try again (shared-state/redis.ts turns its failures into this).
 */
export const sharedStateUnavailable = () =>
  new AppError(503, IvrErrorCode.unavailable, 'Shared state is unreachable; retry shortly', {
    'Retry-After': '1',
  });

/** PostgreSQL did not answer (down, restarting, cut off): nothing was stored, try again. */
export const databaseUnreachable = () =>
  new AppError(503, IvrErrorCode.unavailable, 'The database is unreachable; retry shortly', {
    'Retry-After': '5',
  });
