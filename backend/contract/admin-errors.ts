// The admin API's error codes and a check of its error body as plain code, no zod, so the admin
// element's first paint can read the server's errors: errors.ts builds the zod schema the server
// answers with from the same list.
import type { AdminErrorBody } from './errors.js';

/** The admin API's error codes, for the brand's users and the admin element. */
export const ADMIN_ERROR_CODES = [
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'rate_limited',
  'internal',
  'unavailable',
] as const;
export type AdminErrorCode = (typeof ADMIN_ERROR_CODES)[number];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The `error` of an admin API error body (`AdminErrorBody`), or undefined when `body` is not one:
 * a known code and a message, field errors only as text, the rest left out.
 */
export function readAdminError(body: unknown): AdminErrorBody['error'] | undefined {
  const error = isRecord(body) ? body.error : undefined;
  if (!isRecord(error) || typeof error.message !== 'string') return undefined;
  const code = ADMIN_ERROR_CODES.find((c) => c === error.code);
  if (!code) return undefined;
  const fieldErrors = isRecord(error.details) ? error.details.fieldErrors : undefined;
  if (fieldErrors !== undefined) {
    if (!isRecord(fieldErrors)) return undefined;
    if (!Object.values(fieldErrors).every((v) => typeof v === 'string')) return undefined;
  }
  return {
    code,
    message: error.message,
    ...(fieldErrors && { details: { fieldErrors: fieldErrors as Record<string, string> } }),
    ...(typeof error.requestId === 'string' && { requestId: error.requestId }),
  };
}
