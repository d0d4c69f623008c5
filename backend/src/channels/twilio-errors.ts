import { z } from 'zod';
import { refusedCall } from './refused.js';
import type { ProviderError } from './types.js';

/**
 * Twilio error codes c2m meets when sending SMS, with a message an admin can act on. The 2xxxx codes
 * come back synchronously from the Messages API, the 3xxxx carrier codes arrive later in status
 * callbacks. Our own wording is used instead of Twilio's `message`, which often quotes the phone
 * number and, from a host that is not Twilio, could be anything. Twilio warns that codes get
 * refined over time, so an unknown code is reported as its number.
 */
const MESSAGES: Record<string, string> = {
  '20003': 'authentication failed: check the account SID and auth token',
  '20404': 'Twilio resource not found: check the account SID',
  '20429': 'too many concurrent requests to Twilio',
  '21211': "invalid 'To' phone number",
  '21212': "invalid 'From' phone number",
  '21408': 'SMS to this region is not enabled in the Twilio geo permissions',
  '21602': 'message body is required',
  '21604': "'To' phone number is required",
  '21606': "the 'From' number cannot send SMS to this destination",
  '21608': 'trial account: the recipient is not a verified number',
  '21610': 'the recipient has opted out of messages from this sender (replied STOP)',
  '21611': "the 'From' number has too many queued messages",
  '21612': "Twilio cannot route a message between this 'To' and 'From'",
  '21614': "the 'To' number is not a mobile number",
  '21617': 'message body exceeds 1600 characters',
  '21701': 'the Messaging Service SID is invalid',
  '30001': 'Twilio queue overflow: too many messages queued for this sender',
  '30002': 'the Twilio account is suspended',
  '30003': 'unreachable destination handset (switched off or out of coverage)',
  '30004': 'message blocked by the recipient or their carrier',
  '30005': 'unknown destination handset: the number does not exist on the carrier',
  '30006': 'landline or unreachable carrier: the number cannot receive SMS',
  '30007': 'message filtered by the carrier (spam or content rules)',
  '30008': 'unknown delivery error reported by the carrier',
  '30034': 'sender is not registered for US A2P 10DLC',
  '30036': 'message expired in the Twilio queue before it could be sent',
};

/** Failures that are worth another attempt later: the request was throttled, or queued too deep. */
const RETRYABLE_CODES = new Set(['20429', '21611', '30001']);

export function twilioErrorMessage(code: string, httpStatus?: number): string {
  const known = MESSAGES[code];
  if (known) return known;
  return `Twilio error ${code}` + (httpStatus === undefined ? '' : ` (HTTP ${httpStatus})`);
}

export function isRetryableTwilioCode(code: string): boolean {
  return RETRYABLE_CODES.has(code);
}

export type TwilioFailure = ProviderError & { retryable: boolean };

/**
 * A Messages API answer that is not 2xx. Twilio documents 429 as never processed and always safe to
 * retry; a 5xx may come from Twilio or a proxy in front of it, so it is retried too. Every other 4xx
 * is a request Twilio will refuse again.
 */
export function twilioHttpFailure(httpStatus: number, body: unknown): TwilioFailure {
  const parsed = parseTwilioError(body);
  const errorCode = parsed?.code ?? `http_${httpStatus}`;
  const retryable = httpStatus === 429 || httpStatus >= 500 || isRetryableTwilioCode(errorCode);
  const errorMessage = parsed
    ? twilioErrorMessage(parsed.code, httpStatus)
    : `Twilio answered HTTP ${httpStatus}`;
  return { errorSource: 'twilio', errorCode, errorMessage, retryable };
}

/** A request that got no answer: refused, reset, or slower than our timeout. */
export function twilioNetworkFailure(err: unknown, timeoutMs: number): TwilioFailure {
  const refused = refusedCall(err, 'twilio');
  if (refused) return refused;
  const timedOut =
    err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
  if (timedOut) {
    return {
      errorSource: 'twilio',
      errorCode: 'timeout',
      errorMessage: `no answer from Twilio within ${timeoutMs} ms`,
      retryable: true,
    };
  }
  // undici puts the socket error (ECONNREFUSED, ECONNRESET …) in `cause`; it names no secret
  const cause: unknown = err instanceof Error ? err.cause : undefined;
  const code =
    typeof cause === 'object' && cause !== null && 'code' in cause ? cause.code : undefined;
  const detail = typeof code === 'string' ? code : 'connection failed';
  return {
    errorSource: 'twilio',
    errorCode: 'network',
    errorMessage: `cannot reach Twilio: ${detail}`,
    retryable: true,
  };
}

/** Twilio's error JSON: `{code, message, more_info, status}`. */
const TwilioErrorBody = z.object({
  code: z.union([z.number().int().min(0).max(999_999), z.string().regex(/^\d{1,6}$/)]),
});

function parseTwilioError(body: unknown): { code: string } | undefined {
  const parsed = TwilioErrorBody.safeParse(body);
  return parsed.success ? { code: String(parsed.data.code) } : undefined;
}
