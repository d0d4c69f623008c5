import type { Context, Next } from 'koa';
import { notFound } from '../../http/errors.js';

/** The peer address of a connection from this machine (IPv4, IPv6, IPv4-mapped IPv6). */
const LOOPBACK_PEER =
  /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;
/** The names this machine answers to as itself (any port). */
const LOOPBACK_HOST = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d{1,5})?$/i;
const FORWARDING_HEADERS = ['Forwarded', 'X-Forwarded-For', 'X-Real-IP'];

/**
 * Whether a request comes from a browser on this very machine, looking at this machine by a
 * loopback name. Deliberately stricter than `ctx.ip`:
 * - the TCP peer must be loopback, and no forwarding header may be present at all, whatever
 *   `C2M_TRUST_PROXY` says: a reverse proxy on the same host makes every request loopback, and the
 *   client's own `X-Forwarded-For` is the first entry Koa would trust;
 * - the Host must be a loopback name, so a DNS-rebound page (evil.example -> 127.0.0.1) cannot
 *   read the sessions this route hands out;
 * - a browser's cross-site request (Sec-Fetch-Site, Origin) is refused.
 */
export function isLocalRequest(ctx: Context): boolean {
  if (!LOOPBACK_PEER.test(ctx.req.socket.remoteAddress ?? '')) return false;
  if (FORWARDING_HEADERS.some((h) => ctx.get(h) !== '')) return false;
  if (!LOOPBACK_HOST.test(ctx.get('Host'))) return false;
  const site = ctx.get('Sec-Fetch-Site');
  if (site !== '' && site !== 'same-origin' && site !== 'none') return false;
  const origin = ctx.get('Origin');
  return origin === '' || origin === `${ctx.protocol}://${ctx.get('Host')}`;
}

/** The demo's routes exist for local requests only; anyone else gets the plain 404 of any path. */
export async function localOnly(ctx: Context, next: Next) {
  if (!isLocalRequest(ctx)) throw notFound();
  await next();
}
