import { z } from 'zod';
import type { ProviderError } from './types.js';

/**
 * Meta's Graph API error shape, answered by the Cloud API on every failed call and (without `type`)
 * inside `statuses[].errors` of the messages webhook. Meta asks integrators to build on `code` and
 * `error_data.details`, never on titles or subcodes (deprecated since v16.0).
 */
export const MetaError = z.object({
  message: z.string().optional(),
  title: z.string().optional(),
  type: z.string().optional(),
  code: z.number().int(),
  error_subcode: z.number().int().optional(),
  error_data: z.object({ details: z.string().optional() }).loose().optional(),
  fbtrace_id: z.string().optional(),
});
export type MetaError = z.infer<typeof MetaError>;

export const MetaErrorBody = z.object({ error: MetaError });

/**
 * Codes that mean "not now" rather than "never": throughput, pair rate, spam rate and the Graph
 * API's app / account call limits, plus Meta's own transient failures. Meta answers most of them
 * with HTTP 400, so the code decides, not the status.
 */
const RETRYABLE_CODES = new Set([
  1, // API Unknown: invalid request or possible server error
  2, // API Service: temporary downtime or overload
  4, // API Too Many Calls (app rate limit)
  80007, // WhatsApp Business Account rate limit
  130429, // Cloud API throughput reached
  131000, // Something went wrong
  131016, // Service unavailable
  131048, // Spam rate limit hit
  131056, // Pair rate limit: too many messages to the same user
]);

/**
 * Everything else Meta names is a verdict on this message or this configuration (131026 not on
 * WhatsApp, 131047 outside the 24-hour window, 131051 unsupported type, 1320xx template errors,
 * 100 invalid parameter, 190 expired token…): retrying would fail the same way, so the worker moves
 * on to the handoff's next channel instead.
 */
export function isRetryableMetaCode(code: number): boolean {
  return RETRYABLE_CODES.has(code);
}

/** Our reporting triple for one Meta error, with the message Meta deems most useful first. */
export function describeMetaError(error: MetaError): ProviderError & { retryable: boolean } {
  const details = error.error_data?.details?.trim();
  const text = details || error.message?.trim() || error.title?.trim() || 'WhatsApp error';
  return {
    retryable: isRetryableMetaCode(error.code),
    errorSource: 'wa',
    errorCode: String(error.code),
    errorMessage: text.slice(0, 500),
  };
}
