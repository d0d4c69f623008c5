import { z } from 'zod';
import { GoogleAuthError, safeJson, withAccessToken, type AccessTokens } from './google-auth.js';
import type { AdapterContext, ProviderError } from './types.js';

/** What came back from a Google JSON API, with transport and token failures as values. */
export type ApiOutcome =
  | { kind: 'http'; status: number; body: unknown }
  | { kind: 'network'; code: 'timeout' | 'network_error'; message: string }
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

/**
 * A failed outcome as the transaction's error: the provider's own code where it gave one
 * (`codeOf`, else the canonical `status` such as `NOT_FOUND`), else the HTTP status.
 */
export function googleFailure(
  o: ApiOutcome,
  errorSource: string,
  codeOf: (body: GoogleErrorBody) => string | undefined = () => undefined,
): ProviderError & { retryable: boolean } {
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
  return {
    retryable: retryableHttp(o.status),
    errorSource,
    errorCode: (body && codeOf(body)) ?? body?.error.status ?? `http_${o.status}`,
    errorMessage: body?.error.message ?? `HTTP ${o.status}`,
  };
}
