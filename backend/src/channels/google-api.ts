import { z } from 'zod';
import { GoogleAuthError, safeJson, withAccessToken, type AccessTokens } from './google-auth.js';
import { refusedCall } from './refused.js';
import type { AdapterContext, ProviderError } from './types.js';

/** What came back from a Google JSON API, with transport and token failures as values. */
export type ApiOutcome =
  | { kind: 'http'; status: number; body: unknown }
  | { kind: 'network'; code: 'timeout' | 'network_error'; message: string }
  /** The outbound guard would not make the call (see refused.ts). */
  | { kind: 'refused'; failure: ProviderError }
  | { kind: 'auth'; retryable: boolean; code: string; message: string };

/** Google's error envelope (AIP-193): `{error: {code, message, status, details}}`. */
export const GoogleErrorBody = z.object({
  error: z.object({
    code: z.number().int(),
    message: z.string(),
    status: z.string().optional(),
    details: z.array(z.looseObject({ '@type': z.string() })).optional(),
  }),
});
export type GoogleErrorBody = z.infer<typeof GoogleErrorBody>;

export interface GoogleRequest {
  method: 'GET' | 'POST';
  url: string;
  json?: unknown;
}

/**
 * One authorized call. A 401 means the token was refused, so the call is made once more with a
 * fresh token; FCM's `THIRD_PARTY_AUTH_ERROR` is also a 401 but blames the APNs/web-push
 * credentials, which a new Google token does not fix.
 */
export async function googleCall(
  ctx: AdapterContext,
  tokens: AccessTokens,
  req: GoogleRequest,
): Promise<ApiOutcome> {
  try {
    return await withAccessToken(tokens, (token) => send(ctx, token, req), isTokenRefused);
  } catch (err) {
    if (err instanceof GoogleAuthError) {
      return { kind: 'auth', retryable: err.retryable, code: err.code, message: err.message };
    }
    throw err;
  }
}

async function send(ctx: AdapterContext, token: string, req: GoogleRequest): Promise<ApiOutcome> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    accept: 'application/json',
  };
  if (req.json !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
  try {
    const res = await ctx.fetch(req.url, {
      method: req.method,
      headers,
      body: req.json === undefined ? undefined : JSON.stringify(req.json),
      signal: AbortSignal.timeout(ctx.timeoutMs),
    });
    return { kind: 'http', status: res.status, body: safeJson(await res.text()) };
  } catch (err) {
    return networkOutcome(err, ctx.timeoutMs);
  }
}

export function networkOutcome(err: unknown, timeoutMs: number): ApiOutcome {
  const refused = refusedCall(err, '');
  if (refused) return { kind: 'refused', failure: refused };
  if (err instanceof Error && err.name === 'TimeoutError') {
    return { kind: 'network', code: 'timeout', message: `no answer within ${timeoutMs} ms` };
  }
  return { kind: 'network', code: 'network_error', message: 'provider unreachable' };
}

function isTokenRefused(o: ApiOutcome): boolean {
  if (o.kind !== 'http' || o.status !== 401) return false;
  const details = GoogleErrorBody.safeParse(o.body).data?.error.details ?? [];
  return !details.some((d) => d.errorCode === 'THIRD_PARTY_AUTH_ERROR');
}

/** Throttling and server trouble may pass; any other refusal will be the same next time. */
export const retryableHttp = (status: number) => status === 429 || status >= 500;

/** Our words for Google's canonical error statuses (AIP-193) and FCM's own error codes. */
const DESCRIPTIONS: Record<string, string> = {
  INVALID_ARGUMENT: 'the request was refused as invalid',
  FAILED_PRECONDITION: 'the request cannot be done in the current state',
  NOT_FOUND: 'not found (for RCS: the number cannot be reached)',
  ALREADY_EXISTS: 'already exists',
  PERMISSION_DENIED: 'permission denied: check the service account’s roles',
  UNAUTHENTICATED: 'authentication failed: check the service account',
  RESOURCE_EXHAUSTED: 'quota exhausted or rate limited',
  UNAVAILABLE: 'service temporarily unavailable',
  INTERNAL: 'internal error at the provider',
  DEADLINE_EXCEEDED: 'the provider timed out',
  UNREGISTERED: 'the device token is no longer registered',
  SENDER_ID_MISMATCH: 'the device token belongs to another Firebase project',
  QUOTA_EXCEEDED: 'FCM sending quota exceeded',
  THIRD_PARTY_AUTH_ERROR: 'APNs or web push credentials refused: check them in Firebase',
};

/** A code the answer gave, kept only when it has the shape of Google's enum names. */
const googleCode = (code: string | undefined) =>
  code && /^[A-Z][A-Z_]{1,40}$/.test(code) ? code : undefined;

/**
 * A failed outcome as the transaction's error: the provider's own code where it gave one
 * (`codeOf`, else the canonical `status` such as `NOT_FOUND`), else the HTTP status. The message
 * is ours (the status and our words for the code), never the answer's text: the answer may come
 * from any host the settings name.
 */
export function googleFailure(
  o: ApiOutcome,
  errorSource: string,
  codeOf: (body: GoogleErrorBody) => string | undefined = () => undefined,
): ProviderError & { retryable: boolean } {
  if (o.kind === 'refused') return { ...o.failure, retryable: false, errorSource };
  if (o.kind === 'network') {
    return { retryable: true, errorSource, errorCode: o.code, errorMessage: o.message };
  }
  if (o.kind === 'auth') {
    return {
      retryable: o.retryable,
      errorSource,
      errorCode: `oauth_${o.code}`,
      errorMessage: `cannot get an access token: ${o.message}`,
    };
  }
  const parsed = GoogleErrorBody.safeParse(o.body);
  const body = parsed.success ? parsed.data : undefined;
  const code = googleCode(body && codeOf(body)) ?? googleCode(body?.error.status);
  const described = code && DESCRIPTIONS[code];
  return {
    retryable: retryableHttp(o.status),
    errorSource,
    errorCode: code ?? `http_${o.status}`,
    errorMessage:
      `HTTP ${o.status}` + (code ? ` ${code}` : '') + (described ? `: ${described}` : ''),
  };
}
