/**
 * OAuth 1.0a (RFC 5849) request signing rules shared by c2m's verifier and its TypeScript client:
 * pure functions, no Node or browser API beyond TextEncoder and URL.
 */

const encoder = new TextEncoder();

/** RFC 3986 percent-encoding of the UTF-8 bytes: everything except A-Z a-z 0-9 - . _ ~ (§3.6). */
export function percentEncode(value: string): string {
  let out = '';
  for (const byte of encoder.encode(value)) {
    const unreserved =
      (byte >= 0x41 && byte <= 0x5a) ||
      (byte >= 0x61 && byte <= 0x7a) ||
      (byte >= 0x30 && byte <= 0x39) ||
      byte === 0x2d ||
      byte === 0x2e ||
      byte === 0x5f ||
      byte === 0x7e;
    out += unreserved
      ? String.fromCharCode(byte)
      : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/**
 * The signature base string of §3.4.1: METHOD&enc(base URI)&enc(normalized parameters). The query
 * of `url` is always included; `params` are the other sources (protocol parameters without realm,
 * form body), already decoded. `oauth_signature` is left out wherever it appears.
 */
export function signatureBaseString(
  method: string,
  url: string,
  params: Iterable<readonly [name: string, value: string]>,
): string {
  const parsed = new URL(url);
  // WHATWG URL lower-cases scheme and host and drops a default port, as §3.4.1.2 requires.
  const baseUri = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  // URLSearchParams decodes as application/x-www-form-urlencoded (`+` is a space), per §3.4.1.3.1.
  const all = [...parsed.searchParams, ...params]
    .filter(([name]) => name !== 'oauth_signature')
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
    .sort(([an, av], [bn, bv]) => (an === bn ? compare(av, bv) : compare(an, bn)));
  const normalized = all.map(([name, value]) => `${name}=${value}`).join('&');
  return `${method.toUpperCase()}&${percentEncode(baseUri)}&${percentEncode(normalized)}`;
}

/** Byte order, which for percent-encoded (ASCII) strings is what §3.4.1.3.2 asks for. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
