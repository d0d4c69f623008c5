import { isDatabaseBusy } from '../../db/busy.js';
import { isDatabaseUnreachable } from '../../db/unreachable.js';
import { databaseBusy, databaseUnreachable } from '../../errors.js';

/**
 * A reporting thread's failure as it crosses to the request thread: an Error does not survive
 * postMessage with its class or code, so what the error handler tells apart travels as data.
 */
export interface ThreadError {
  message: string;
  /** SQLite's lock was held too long (a 503). */
  busy: boolean;
  /** PostgreSQL could not be reached (a 503 too). */
  unreachable: boolean;
}

export function toThreadError(err: unknown): ThreadError {
  return {
    message: err instanceof Error ? err.message : String(err),
    busy: isDatabaseBusy(err),
    unreachable: isDatabaseUnreachable(err),
  };
}

/** The error as the request thread's error handler needs it (see http/error-handler.ts). */
export function fromThreadError(e: ThreadError): Error {
  if (e.busy) return databaseBusy();
  if (e.unreachable) return databaseUnreachable();
  return new Error(e.message);
}
