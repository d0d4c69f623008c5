// The one fetch c2m uses for a URL a tenant gave it (providers, conversation sink, event webhooks).
// It applies outbound-url.ts's rules to the connection itself: the name is resolved once, inside
// the socket's own lookup, and only addresses that passed the check are handed to the socket — so
// a DNS answer that changes between a check and the connect (rebinding) cannot reach loopback or
// a private network. IP literals skip lookup and are checked before the request is made.
import type { LookupAddress, LookupOptions } from 'node:dns';
import { Agent, fetch as undiciFetch } from 'undici';
import {
  checkOutboundUrl,
  OutboundRefused,
  refusalOf,
  resolveChecked,
  urlRefusal,
  type OutboundPolicy,
  type UrlCheck,
} from './outbound-url.js';

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

export interface OutboundGuard {
  /** The save-time check: the API and CLI answer its reason naming the field. */
  check: (raw: string) => Promise<UrlCheck>;
  /**
   * `fetch` for tenant-given URLs: the rules checked on this call, the connection made to the
   * checked address, `redirect: 'manual'` forced and any 3xx thrown as OutboundRefused (its body
   * unread). A refusal rejects with OutboundRefused; see `refusalOf`.
   */
  fetch: typeof fetch;
  close: () => Promise<void>;
}

/** HTTP statuses whose Response may carry no body. */
const NULL_BODY = new Set([101, 204, 205, 304]);

export function createOutboundGuard(policy: OutboundPolicy): OutboundGuard {
  // net and tls call this for names only; with autoSelectFamily (Node's default) they ask `all`
  const lookup = (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    resolveChecked(hostname.replace(/^\[|\]$/g, ''), policy).then(
      (found) => {
        const wanted = found.filter((a) => !options.family || a.family === options.family);
        const usable = wanted.length > 0 ? wanted : found;
        if (options.all) callback(null, usable);
        else callback(null, usable[0].address, usable[0].family);
      },
      (err: Error) => callback(err, []),
    );
  };
  // one pool per app instance, not a module singleton: a second app in the process gets its own
  const agent = new Agent({ connect: { lookup } });

  async function guardedFetch(input: string | URL | Request, init?: RequestInit) {
    // a Request's own method, headers and body would not reach undici's fetch: callers pass a URL
    if (input instanceof Request) throw new TypeError('outbound fetch takes a URL, not a Request');
    const url = new URL(String(input));
    const refusal = urlRefusal(url, policy.allowLoopback);
    if (refusal) throw new OutboundRefused(refusal);
    let res;
    try {
      res = await undiciFetch(url, {
        ...(init as Parameters<typeof undiciFetch>[1]),
        redirect: 'manual', // a redirect could lead anywhere: it counts as a failure
        dispatcher: agent,
      });
    } catch (err) {
      throw refusalOf(err) ?? err;
    }
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      throw new OutboundRefused(`HTTP ${res.status} redirect not followed`, 'redirect', res.status);
    }
    // a Response of this runtime (not undici's own class), so callers' `instanceof` holds
    return new Response(NULL_BODY.has(res.status) ? null : (res.body as ReadableStream | null), {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers as unknown as HeadersInit,
    });
  }

  return {
    check: (raw) => checkOutboundUrl(raw, policy),
    fetch: guardedFetch,
    close: () => agent.close(),
  };
}
