// PostgreSQL that cannot be reached (down, restarting, a network cut) is a fault of the moment,
// not of the request: the error handler answers 503 with Retry-After and the background loops back
// off, while the pool drops the broken connections and makes new ones once PostgreSQL answers.

/** Socket errors of a connection that could not be made or was cut. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL's own codes for it: class 08 (connection exception), 57P01-57P03 (the server is
 * shutting down or starting), 53300 (no connection slot left).
 */
const isUnavailableSqlState = (code: string) =>
  /^08[0-9A-Z]{3}$/.test(code) || /^57P0[123]$/.test(code) || code === '53300';

/** What node-postgres and its pool say when a connection breaks or cannot be had in time. */
const DRIVER_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
];

/**
 * Marks what the PostgreSQL driver threw (database.ts wraps its pool): the same socket codes come
 * from a client that hung up mid-request or a messaging provider that refused a connection, and
 * neither is the database's fault.
 */
const FROM_DATABASE = Symbol('c2m.fromDatabase');

export function fromDatabase(err: unknown): unknown {
  if (err instanceof Error) Object.defineProperty(err, FROM_DATABASE, { value: true });
  return err;
}

/**
 * True when `err`, thrown by the database driver, (or what it wraps) says the database could not
 * be reached, not that a query was wrong.
 */
export function isDatabaseUnreachable(err: unknown): boolean {
  return err instanceof Error && FROM_DATABASE in err && saysUnreachable(err);
}

function saysUnreachable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || isUnavailableSqlState(code))) {
      return true;
    }
    if (DRIVER_MESSAGES.some((m) => e instanceof Error && e.message.startsWith(m))) return true;
    // a dual-stack host's refusals come as one AggregateError of each address's error
    if (e instanceof AggregateError && e.errors.some(saysUnreachable)) return true;
    e = e.cause;
  }
  return false;
}

/**
 * One line for why a connection (to PostgreSQL, to Redis) failed. Node's refusal from a host with
 * several addresses is an AggregateError whose own message is empty: its parts say what happened.
 */
export function connectionFailure(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if (err.message) return err.message;
  if (err instanceof AggregateError && err.errors.length > 0) {
    return [...new Set(err.errors.map(connectionFailure))].join('; ');
  }
  return (err as { code?: string }).code ?? err.name;
}
