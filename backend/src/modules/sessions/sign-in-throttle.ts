import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { memoryStore, type LimiterStore } from '../../http/rate-limit.js';

/**
 * The sign-in rules (README, "Admin API, roles and sessions"): after `consecutiveFailures` wrong
 * passwords for one name from one address, that name is locked out from that address only, for
 * `firstBlockSeconds`, doubling at each further lockout up to `maxBlockSeconds`; a success starts
 * over. An address with `failuresPerIp` failures in `ipWindowSeconds`, whatever the names, is
 * stopped for that window. Every count is forgotten after its window, so memory does not grow.
 */
export interface SignInRules {
  consecutiveFailures: number;
  /** How long a failure (and a lockout, for the doubling) is remembered. */
  failureWindowSeconds: number;
  firstBlockSeconds: number;
  maxBlockSeconds: number;
  failuresPerIp: number;
  ipWindowSeconds: number;
}

export const SIGN_IN_RULES: SignInRules = {
  consecutiveFailures: 5,
  failureWindowSeconds: 24 * 3600,
  firstBlockSeconds: 60,
  maxBlockSeconds: 3600,
  failuresPerIp: 100,
  ipWindowSeconds: 24 * 3600,
};

/** Who is trying: the name in its account, from the client's address (`ctx.ip`). */
export interface SignInKey {
  accountId: string;
  username: string;
  ip: string;
}

/**
 * The counters, as rate-limiter-flexible limiters: in memory on one node; a shared store (Redis)
 * gives the same limiters to every node without a change to SignInThrottle.
 */
export interface SignInLimiters {
  byNameAndIp: RateLimiterAbstract;
  /** How many lockouts a name+address had lately: the doubling's exponent. */
  lockouts: RateLimiterAbstract;
  byIp: RateLimiterAbstract;
}

/** The three counters, made by `store`: in memory (one node) or in Redis (every node's). */
export function signInLimiters(
  rules: SignInRules,
  store: LimiterStore = memoryStore,
): SignInLimiters {
  return {
    byNameAndIp: store({
      keyPrefix: 'sign-in:name-ip',
      points: rules.consecutiveFailures,
      duration: rules.failureWindowSeconds,
    }),
    lockouts: store({
      keyPrefix: 'sign-in:lockouts',
      points: Number.MAX_SAFE_INTEGER,
      duration: rules.failureWindowSeconds,
    }),
    byIp: store({
      keyPrefix: 'sign-in:ip',
      points: rules.failuresPerIp,
      duration: rules.ipWindowSeconds,
    }),
  };
}

export const memorySignInLimiters = (rules: SignInRules) => signInLimiters(rules, memoryStore);

/** Counts sign-in failures and says how long a name+address or an address must wait. */
export class SignInThrottle {
  constructor(
    private readonly limiters: SignInLimiters,
    readonly rules: SignInRules,
  ) {}

  /** Milliseconds to wait before this name may be tried from this address; 0 when it may now. */
  async waitMs(k: SignInKey): Promise<number> {
    const [nameAndIp, ip] = await Promise.all([
      this.limiters.byNameAndIp.get(nameIpKey(k)),
      this.limiters.byIp.get(k.ip),
    ]);
    const blocked = (res: typeof ip, points: number) =>
      res && res.consumedPoints > points ? res.msBeforeNext : 0;
    return Math.max(
      blocked(nameAndIp, this.rules.consecutiveFailures),
      blocked(ip, this.rules.failuresPerIp),
    );
  }

  /** A wrong password (or an unknown name): counted for the name+address and the address. */
  async failed(k: SignInKey): Promise<void> {
    const key = nameIpKey(k);
    const [nameAndIp, ip] = await Promise.all([
      this.limiters.byNameAndIp.penalty(key, 1),
      this.limiters.byIp.penalty(k.ip, 1),
    ]);
    if (nameAndIp.consumedPoints >= this.rules.consecutiveFailures) {
      const lockouts = (await this.limiters.lockouts.penalty(key, 1)).consumedPoints;
      const seconds = Math.min(
        this.rules.maxBlockSeconds,
        this.rules.firstBlockSeconds * 2 ** (lockouts - 1),
      );
      await this.limiters.byNameAndIp.block(key, seconds);
    }
    if (ip.consumedPoints >= this.rules.failuresPerIp) {
      await this.limiters.byIp.block(k.ip, this.rules.ipWindowSeconds);
    }
  }

  /** Signed in: the name+address starts over (the address's daily count stays). */
  async succeeded(k: SignInKey): Promise<void> {
    const key = nameIpKey(k);
    await Promise.all([this.limiters.byNameAndIp.delete(key), this.limiters.lockouts.delete(key)]);
  }
}

/** Case-folded, so `Ada` and `ada` share one count. */
const nameIpKey = (k: SignInKey) => `${k.accountId}:${k.username.toLowerCase()}:${k.ip}`;
