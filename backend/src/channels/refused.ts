import { refusalOf } from '../outbound/outbound-url.js';
import type { ProviderError, SendResult } from './types.js';

/**
 * A provider call the outbound guard would not make (a refused address, a redirect) as the
 * transaction's error: final, since the same settings would be refused again, so the worker moves
 * on to the handoff's next channel. Undefined when `err` is some other failure.
 */
export function refusedCall(
  err: unknown,
  errorSource: string,
): (ProviderError & { retryable: false }) | undefined {
  const refused = refusalOf(err);
  if (!refused) return undefined;
  return {
    retryable: false,
    errorSource,
    errorCode: refused.code,
    errorMessage:
      refused.code === 'redirect'
        ? `provider answered with a redirect (HTTP ${refused.status}), not followed`
        : `refused URL: ${refused.message}`,
  };
}

/** A code a provider put in its answer, kept only when it looks like one (never free text). */
export function providerCode(value: unknown): string | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  return typeof text === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(text) ? text : undefined;
}

/** How an adapter says a send failed: `fail(retryable, errorCode, errorMessage)` as `errorSource`'s. */
export function sendFailure(errorSource: string) {
  return (retryable: boolean, errorCode: string, errorMessage: string): SendResult => ({
    ok: false,
    retryable,
    errorSource,
    errorCode,
    errorMessage,
  });
}
