import { isDatabaseBusy } from '../../db/busy.js';
import { databaseBusy } from '../../errors.js';

/**
 * A reporting thread's failure as it crosses to the request thread: an Error does not survive
 * postMessage with its class or code, so what the error handler tells apart travels as data.
 */
export interface ThreadError {
  message: string;
  /** SQLite's lock was held too long (a 503). */
  busy: boolean;
  /** The driver's code (ECONNREFUSED, PostgreSQL's 57P01…): an unreachable database is a 503 too. */
  code?: string;
}

export function toThreadError(err: unknown): ThreadError {
  const code = (err as { code?: unknown } | undefined)?.code;
  return {
    message: err instanceof Error ? err.message : String(err),
    busy: isDatabaseBusy(err),
    ...(typeof code === 'string' ? { code } : {}),
  };
}

/** The error as the request thread's error handler needs it (see http/error-handler.ts). */
export function fromThreadError(e: ThreadError): Error {
  if (e.busy) return databaseBusy();
  return Object.assign(new Error(e.message), e.code ? { code: e.code } : {});
}
