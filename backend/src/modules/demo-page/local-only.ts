import type { Context, Next } from 'koa';
import { notFound } from '../../http/errors.js';
import { fromThisMachine } from '../../http/local-request.js';

/** The names this machine answers to as itself (any port). */
const LOOPBACK_HOST = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d{1,5})?$/i;

/**
 * Whether a request comes from a browser on this very machine, looking at this machine by a
 * loopback name:
 * - made on this machine, not passed on by a proxy (`fromThisMachine`);
 * - the Host must be a loopback name, so a DNS-rebound page (evil.example -> 127.0.0.1) cannot
 *   read the sessions this route hands out;
 * - a browser's cross-site request (Sec-Fetch-Site, Origin) is refused.
 */
export function isLocalRequest(ctx: Context): boolean {
  if (!fromThisMachine(ctx)) return false;
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
