import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, Next } from 'koa';
import { DEMO_KEY_HEADER } from '../../../contract/demo.js';
import { notFound, unauthorized } from '../../errors.js';
import { fromThisMachine } from '../../http/local-request.js';

/** How the demo page's API is served this start: its key, and from where it may be called. */
export interface DemoAccess {
  key: string;
  anyHost: boolean;
}

/**
 * A new key per start: only someone who saw the start-up output can use the demo, whatever a proxy
 * in front of c2m makes requests look like. In the URL's fragment, which browsers never send, so
 * it reaches no access log.
 */
export function newDemoAccess(anyHost: boolean): DemoAccess {
  return { key: randomBytes(24).toString('base64url'), anyHost };
}

export const demoPageUrl = (baseUrl: string, access: DemoAccess) =>
  `${baseUrl}/#demo=${access.key}`;

/** The names this machine answers to as itself (any port). */
const LOOPBACK_HOST = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d{1,5})?$/i;

/** A browser's cross-site request (Sec-Fetch-Site, Origin) is refused. */
function sameSite(ctx: Context): boolean {
  const site = ctx.get('Sec-Fetch-Site');
  if (site !== '' && site !== 'same-origin' && site !== 'none') return false;
  const origin = ctx.get('Origin');
  return origin === '' || origin === `${ctx.protocol}://${ctx.get('Host')}`;
}

/**
 * Whether a request comes from a browser on this very machine, looking at this machine by a
 * loopback name:
 * - made on this machine, not passed on by a proxy (`fromThisMachine`);
 * - the Host must be a loopback name, so a DNS-rebound page (evil.example -> 127.0.0.1) cannot
 *   read the sessions this route hands out;
 * - not a cross-site request.
 */
export function isLocalRequest(ctx: Context): boolean {
  return fromThisMachine(ctx) && LOOPBACK_HOST.test(ctx.get('Host')) && sameSite(ctx);
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * The demo's routes: a request from where they may be called (else the plain 404 of any path)
 * that carries this start's key (else 401, so the page can say to open the printed URL). Keys
 * are compared as digests in constant time, so neither their length nor a prefix leaks.
 */
export function demoGate(access: DemoAccess) {
  const expected = digest(access.key);
  return async function demoGate(ctx: Context, next: Next) {
    if (!(access.anyHost ? sameSite(ctx) : isLocalRequest(ctx))) throw notFound();
    if (!timingSafeEqual(digest(ctx.get(DEMO_KEY_HEADER)), expected)) {
      throw unauthorized(
        "Open the demo from the URL c2m printed at start-up: it holds this start's demo key",
      );
    }
    await next();
  };
}
