import type { Context } from 'koa';

/** The peer address of a connection from this machine (IPv4, IPv6, IPv4-mapped IPv6). */
const LOOPBACK_PEER =
  /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;
const FORWARDING_HEADERS = ['Forwarded', 'X-Forwarded-For', 'X-Real-IP'];

/**
 * Whether the request was made on this machine and not passed on by a proxy: the TCP peer is
 * loopback and no forwarding header is present at all, whatever `C2M_TRUST_PROXY` says. Not
 * `ctx.ip`: a reverse proxy on the same host makes every request loopback, and with a trusted
 * proxy the client's own `X-Forwarded-For` is what Koa would believe.
 */
export function fromThisMachine(ctx: Context): boolean {
  return (
    LOOPBACK_PEER.test(ctx.req.socket.remoteAddress ?? '') &&
    !FORWARDING_HEADERS.some((h) => ctx.get(h) !== '')
  );
}
