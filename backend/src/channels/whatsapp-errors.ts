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

/** Meta's code for a number that is not on WhatsApp (message undeliverable), as c2m stores codes. */
export const NOT_ON_WHATSAPP_CODE = '131026';

/**
 * Everything else Meta names is a verdict on this message or this configuration (131026 not on
 * WhatsApp, 131047 outside the 24-hour window, 131051 unsupported type, 1320xx template errors,
 * 100 invalid parameter, 190 expired token…): retrying would fail the same way, so the worker moves
 * on to the handoff's next channel instead.
 */
export function isRetryableMetaCode(code: number): boolean {
  return RETRYABLE_CODES.has(code);
}

/**
 * Our words for the Meta codes an admin meets when sending, by `code`. Meta's own `message` and
 * `details` are never stored: the answer may come from whatever host the settings name, and it
 * may quote the request.
 */
const MESSAGES: Record<number, string> = {
  0: 'authentication failed: check the access token',
  1: 'WhatsApp could not process the request (unknown error)',
  2: 'WhatsApp service temporarily unavailable',
  3: 'the app lacks the capability for this call',
  4: 'too many calls for this app (rate limit)',
  10: 'permission denied: check the token’s permissions for this phone number',
  100: 'invalid parameter in the request',
  190: 'the access token has expired or is invalid',
  200: 'permission denied for this WhatsApp Business Account',
  368: 'the account is temporarily blocked for policy violations',
  80007: 'WhatsApp Business Account rate limit reached',
  130429: 'Cloud API throughput limit reached',
  131000: 'WhatsApp failed to send the message (something went wrong)',
  131005: 'access denied: check the token’s permissions',
  131008: 'a required parameter is missing',
  131009: 'a parameter value is invalid',
  131016: 'WhatsApp service temporarily unavailable',
  131021: 'the recipient cannot be the sender',
  131026: 'message undeliverable: the number may not be on WhatsApp',
  131031: 'the business account is locked',
  131042: 'business payment issue on the WhatsApp account',
  131045: 'the sender phone number is not registered',
  131047: 'more than 24 hours since the consumer last replied: use a template',
  131048: 'spam rate limit reached for this number',
  131051: 'unsupported message type',
  131056: 'too many messages to the same consumer (pair rate limit)',
  132000: 'the template’s parameter count does not match',
  132001: 'the template does not exist in this language or is not approved',
  132005: 'the template’s text is too long once filled in',
  132007: 'the template’s content breaks WhatsApp policy',
  132012: 'a template parameter has the wrong format',
  132015: 'the template is paused for low quality',
  132016: 'the template is disabled for low quality',
  133010: 'the sender phone number is not registered on the Cloud API',
};

/** Our text for a Meta error code: the description when we know the code, else the code itself. */
export function metaErrorText(code: number, httpStatus?: number): string {
  const known = MESSAGES[code];
  if (known) return known;
  return `WhatsApp error ${code}` + (httpStatus === undefined ? '' : ` (HTTP ${httpStatus})`);
}

/** Our reporting triple for one Meta error: its code and our words for it. */
export function describeMetaError(
  error: MetaError,
  httpStatus?: number,
): ProviderError & { retryable: boolean } {
  return {
    retryable: isRetryableMetaCode(error.code),
    errorSource: 'wa',
    errorCode: String(error.code),
    errorMessage: metaErrorText(error.code, httpStatus),
  };
}
