import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Twilio's request signature (`X-Twilio-Signature`), computed the way Twilio documents it: start
 * from the full URL Twilio called (scheme, host, path and query, exactly as configured), append each
 * POST parameter sorted by name as name + value with no separators, HMAC-SHA1 the UTF-8 bytes with
 * the account's auth token, base64 the digest. A name sent more than once contributes each distinct
 * value in sorted order, as Twilio's own helper library does.
 */
export function twilioSignature(authToken: string, url: string, params: URLSearchParams): string {
  const valuesByName = new Map<string, string[]>();
  for (const [name, value] of params) {
    const values = valuesByName.get(name);
    if (values) values.push(value);
    else valuesByName.set(name, [value]);
  }
  let data = url;
  // default sort: by UTF-16 code unit, i.e. case-sensitive, as Twilio sorts
  for (const name of [...valuesByName.keys()].sort()) {
    for (const value of [...new Set(valuesByName.get(name))].sort()) data += name + value;
  }
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/**
 * Does `header` sign this request? Twilio signs the URL as it was configured, which may or may not
 * name the scheme's default port while the URL we reconstruct does the opposite, so the URL is tried
 * as received, without its port and with the default port (the variants Twilio's library accepts).
 */
export function verifyTwilioSignature(
  authToken: string,
  header: string | undefined,
  url: string,
  params: URLSearchParams,
): boolean {
  if (!header) return false;
  const given = Buffer.from(header, 'utf8');
  let valid = false;
  // every candidate is computed and compared, so timing does not tell which variant matched
  for (const candidate of urlVariants(url)) {
    const expected = Buffer.from(twilioSignature(authToken, candidate, params), 'utf8');
    if (given.length === expected.length && timingSafeEqual(given, expected)) valid = true;
  }
  return valid;
}

/** The URL as received, without its port, and with the scheme's default port; no duplicates. */
function urlVariants(url: string): string[] {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/is.exec(url);
  if (!match) return [url];
  const [, scheme, authority, rest] = match as unknown as [string, string, string, string];
  const hostEnd = authority.lastIndexOf(']') + 1;
  const portStart = authority.indexOf(':', Math.max(hostEnd, authority.lastIndexOf('@') + 1));
  const host = portStart === -1 ? authority : authority.slice(0, portStart);
  const defaultPort = scheme.toLowerCase() === 'https://' ? ':443' : ':80';
  return [...new Set([url, scheme + host + rest, scheme + host + defaultPort + rest])];
}
