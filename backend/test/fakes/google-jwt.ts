// The fake token endpoint's check of a JWT bearer grant (RFC 7523), with the answers Google's
// token endpoint gives: 400 `{error, error_description}`.
import { verify, type KeyObject } from 'node:crypto';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Google accepts assertions that live at most an hour, with a little clock skew. */
const MAX_LIFETIME_S = 3600;
const SKEW_S = 60;

export const oauthError = (error: string, description: string, status = 400) => ({
  status,
  body: { error, error_description: description },
});

interface Expect {
  clientEmail: string;
  publicKey: KeyObject;
  tokenUrl: string;
  now: number;
}

type Failure = ReturnType<typeof oauthError>;

export function checkAssertion(
  form: URLSearchParams,
  expect: Expect,
): { scopes: Set<string> } | Failure {
  const grant = form.get('grant_type');
  if (grant !== JWT_BEARER)
    return oauthError('unsupported_grant_type', `Invalid grant_type: ${grant ?? ''}`);
  const parts = (form.get('assertion') ?? '').split('.');
  if (parts.length !== 3) return oauthError('invalid_request', 'Invalid JWT format.');
  const [h, c, s] = parts as [string, string, string];
  const header = decode(h);
  if (header?.alg !== 'RS256')
    return oauthError('invalid_grant', 'Invalid JWT: alg must be RS256.');
  const signed = verify(
    'RSA-SHA256',
    Buffer.from(`${h}.${c}`),
    expect.publicKey,
    Buffer.from(s, 'base64url'),
  );
  if (!signed) return oauthError('invalid_grant', 'Invalid JWT Signature.');
  const claims = decode(c);
  if (!claims) return oauthError('invalid_request', 'Invalid JWT format.');
  if (claims.iss !== expect.clientEmail) {
    return oauthError('invalid_grant', 'Invalid grant: account not found');
  }
  if (claims.aud !== expect.tokenUrl) {
    return oauthError('invalid_grant', 'Invalid JWT: Failed audience check.');
  }
  const { iat, exp } = claims;
  const nowS = expect.now / 1000;
  if (
    typeof iat !== 'number' ||
    typeof exp !== 'number' ||
    exp - iat > MAX_LIFETIME_S ||
    exp <= nowS ||
    iat > nowS + SKEW_S
  ) {
    return oauthError(
      'invalid_grant',
      'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
    );
  }
  if (typeof claims.scope !== 'string' || claims.scope.trim() === '') {
    return oauthError('invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
  }
  return { scopes: new Set(claims.scope.split(' ')) };
}

function decode(part: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
