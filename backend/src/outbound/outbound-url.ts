// The rules for every URL a tenant gives c2m to call (provider base URLs, token URLs, push
// proxies, the conversation sink, event webhooks): which addresses it may reach and what a URL may
// look like. The save-time check is here; the guarded fetch that applies the same rules to the
// connection itself (outbound-fetch.ts) uses them too, so the two cannot drift.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Every address a name resolves to; injected in tests to play a DNS that changes its answer. */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolve: ResolveHost = (hostname) =>
  lookup(hostname, { all: true, verbatim: true });

export interface OutboundPolicy {
  /**
   * Development only (C2M_ALLOW_LOOPBACK_URLS): plain http and loopback addresses, so local fakes
   * and receivers work. Private networks, link-local and the rest stay refused.
   */
  allowLoopback: boolean;
  resolve?: ResolveHost;
}

export type UrlCheck = { ok: true } | { ok: false; reason: string };

/** A call the guard would not make; its message is ours and names no secret. */
export class OutboundRefused extends Error {
  override readonly name = 'OutboundRefused';
  constructor(
    reason: string,
    readonly code: 'url_refused' | 'redirect' = 'url_refused',
    /** The redirect's HTTP status. */
    readonly status?: number,
  ) {
    super(reason);
  }
}

/** The guard's refusal behind an error, also when fetch wrapped it ("fetch failed", cause …). */
export function refusalOf(err: unknown): OutboundRefused | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth += 1) {
    if (e instanceof OutboundRefused) return e;
  }
  return undefined;
}

type Range = readonly [prefix: number[], bits: number];

/** IPv4 ranges that are not the public internet (RFC 6890 special-purpose, multicast, reserved). */
const V4_REFUSED: Range[] = [
  [[0, 0, 0, 0], 8],
  [[10, 0, 0, 0], 8],
  [[100, 64, 0, 0], 10],
  [[127, 0, 0, 0], 8],
  [[169, 254, 0, 0], 16],
  [[172, 16, 0, 0], 12],
  [[192, 0, 0, 0], 24],
  [[192, 0, 2, 0], 24],
  [[192, 168, 0, 0], 16],
  [[198, 18, 0, 0], 15],
  [[198, 51, 100, 0], 24],
  [[203, 0, 113, 0], 24],
  [[224, 0, 0, 0], 4],
  [[240, 0, 0, 0], 4],
];
const V4_LOOPBACK: Range = [[127, 0, 0, 0], 8];

/**
 * IPv6 ranges refused outright: unspecified, loopback (allowed in development, below), the
 * IPv4-compatible ::/96, unique-local fc00::/7, link-local fe80::/10, site-local fec0::/10,
 * multicast ff00::/8, discard-only 100::/64, documentation 2001:db8::/32, and the tunnels that
 * carry an IPv4 address a host may route to — 6to4 2002::/16, Teredo and the other IETF protocol
 * assignments 2001::/23, local-use NAT64 64:ff9b:1::/48.
 */
const V6_REFUSED: Range[] = [
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 96],
  [[0xfc], 7],
  [[0xfe, 0x80], 10],
  [[0xfe, 0xc0], 10],
  [[0xff], 8],
  [[0x01, 0x00, 0, 0, 0, 0, 0, 0], 64],
  [[0x20, 0x01, 0x0d, 0xb8], 32],
  [[0x20, 0x02], 16],
  [[0x20, 0x01, 0x00], 23],
  [[0x00, 0x64, 0xff, 0x9b, 0x00, 0x01], 48],
];
/** IPv4-mapped ::ffff:0:0/96 and NAT64 64:ff9b::/96 are judged by the IPv4 address they carry. */
const V6_CARRYING_V4: Range[] = [
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], 96],
  [[0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0], 96],
];
const V6_LOOPBACK = [...Array<number>(15).fill(0), 1];

function inRange(bytes: number[], [prefix, bits]: Range): boolean {
  for (let i = 0; i * 8 < bits; i += 1) {
    const take = Math.min(8, bits - i * 8);
    const mask = (0xff << (8 - take)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** The 16 bytes of an address `isIP` already called IPv6 (`::` expanded, a dotted tail read). */
function ipv6Bytes(address: string): number[] {
  let text = address;
  const dotted = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(2).map(Number);
    text = `${dotted[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const all =
    tail === undefined
      ? left
      : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return all.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

const REFUSED = (address: string) => `host resolves to a private or loopback address (${address})`;

function v4Refusal(bytes: number[], allowLoopback: boolean, shown: string): string | undefined {
  if (allowLoopback && inRange(bytes, V4_LOOPBACK)) return undefined;
  return V4_REFUSED.some((r) => inRange(bytes, r)) ? REFUSED(shown) : undefined;
}

/**
 * Why c2m must not connect to `address`, or undefined when it may. Loopback (127/8, ::1 and
 * IPv4-mapped loopback) only with `allowLoopback`.
 */
export function addressRefusal(address: string, allowLoopback: boolean): string | undefined {
  const family = isIP(address);
  if (family === 4) return v4Refusal(address.split('.').map(Number), allowLoopback, address);
  if (family !== 6 || address.includes('%')) return `not an IP address (${address})`;
  const bytes = ipv6Bytes(address);
  if (allowLoopback && bytes.every((b, i) => b === V6_LOOPBACK[i])) return undefined;
  if (V6_CARRYING_V4.some((r) => inRange(bytes, r))) {
    return v4Refusal(bytes.slice(12), allowLoopback, address);
  }
  return V6_REFUSED.some((r) => inRange(bytes, r)) ? REFUSED(address) : undefined;
}

/** The host of a URL as an address or a name, without IPv6 brackets. */
export const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');

/**
 * The rules a URL must meet before any resolution: https (http only in development), no userinfo
 * (it would travel as Basic auth to whoever answers), and an IP-literal host checked as an address
 * (a connection to a literal never asks DNS, so this is its only check).
 */
export function urlRefusal(url: URL, allowLoopback: boolean): string | undefined {
  if (url.protocol !== 'https:' && !(allowLoopback && url.protocol === 'http:')) {
    return 'must use https';
  }
  if (url.username || url.password) return 'must not carry credentials';
  const host = hostOf(url);
  return isIP(host) ? addressRefusal(host, allowLoopback) : undefined;
}

/** Resolves `hostname` and checks every answer: one bad answer refuses the name. */
export async function resolveChecked(
  hostname: string,
  policy: OutboundPolicy,
): Promise<ResolvedAddress[]> {
  if (isIP(hostname)) {
    const refusal = addressRefusal(hostname, policy.allowLoopback);
    if (refusal) throw new OutboundRefused(refusal);
    return [{ address: hostname, family: isIP(hostname) }];
  }
  let addresses: ResolvedAddress[];
  try {
    addresses = await (policy.resolve ?? systemResolve)(hostname);
  } catch {
    addresses = [];
  }
  if (addresses.length === 0) throw new OutboundRefused(`host ${hostname} does not resolve`);
  for (const { address } of addresses) {
    const refusal = addressRefusal(address, policy.allowLoopback);
    if (refusal) throw new OutboundRefused(refusal);
  }
  return addresses;
}

/**
 * The check made when a URL is saved (API and CLI answer its reason naming the field). Every call
 * is checked again by the guarded fetch, against the address it then connects to.
 */
export async function checkOutboundUrl(raw: string, policy: OutboundPolicy): Promise<UrlCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  const refusal = urlRefusal(url, policy.allowLoopback);
  if (refusal) return { ok: false, reason: refusal };
  try {
    await resolveChecked(hostOf(url), policy);
    return { ok: true };
  } catch (err) {
    if (err instanceof OutboundRefused) return { ok: false, reason: err.message };
    throw err;
  }
}
