import { IvrErrorCode } from '../../contract/errors.js';

/** The one error type every layer throws; the error handler turns it into the wire shape. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const invalidRequest = (message: string) =>
  new AppError(400, IvrErrorCode.invalidRequest, message);
export const unauthorized = (message = 'Invalid Bearer token') =>
  new AppError(401, IvrErrorCode.invalidToken, message, { 'WWW-Authenticate': 'Bearer, OAuth' });
export const forbidden = (message = 'Not enough privilege to perform this operation') =>
  new AppError(403, IvrErrorCode.forbidden, message);
export const notFound = (message = 'Not Found') =>
  new AppError(404, IvrErrorCode.notFound, message);
