import type { C2mReady } from './c2m-server.js';
import type { Target } from './load.js';

/**
 * A new valid US number for every request (+1 415 NXX XXXX, checked valid by libphonenumber-js/max),
 * so no number ever meets the per-number frequency cap or an open conversation. Line numbers start
 * at 1000: the sandbox channel acts out failures for numbers ending 0000–0004.
 */
export function phoneNumbers(): () => string {
  let n = 0;
  return () => {
    const line = 1000 + (n % 9000);
    const exchange = 200 + (Math.floor(n / 9000) % 800);
    n++;
    return `+1415${exchange}${line}`;
  };
}

/** The eligibility body an IVR sends; the baseline gets the same shape so parsing costs match. */
function eligibilityBody(c2m: C2mReady, phone: string): string {
  return JSON.stringify({
    skill: c2m.skill,
    consumerPhoneNumber: phone,
    handoffId: c2m.handoffId,
    templateVariables: { '1': 'Ana' },
    ivrNumber: '+18005550100',
  });
}

export function baselineTarget(port: number, c2m: C2mReady, phone: () => string): Target {
  return {
    name: 'baseline',
    url: `http://127.0.0.1:${port}/echo`,
    headers: {},
    body: () => eligibilityBody(c2m, phone()),
  };
}

/** Eligible callIds handed out from eligibility answers to invites, each used once. */
export class CallIdPool {
  private readonly ids: string[] = [];
  private next = 0;
  ineligible = 0;
  /** Invites that found the pool empty and repeated a callId (an idempotent replay, not an invite). */
  reused = 0;

  get size(): number {
    return this.ids.length;
  }
  get remaining(): number {
    return this.ids.length - this.next;
  }

  add(id: string): void {
    this.ids.push(id);
  }

  take(): string {
    if (this.next < this.ids.length) return this.ids[this.next++];
    this.reused++;
    return this.ids[this.ids.length - 1];
  }
}

export function eligibilityTarget(
  c2m: C2mReady,
  auth: { baseUrl: string; token: string },
  phone: () => string,
  pool: CallIdPool,
  name = 'eligibility',
): Target {
  return {
    name,
    url: `${auth.baseUrl}/api/account/${c2m.accountId}/eligibility?v=2.0`,
    headers: { authorization: `Bearer ${auth.token}` },
    body: () => eligibilityBody(c2m, phone()),
    onResponse(status, body) {
      if (status !== 200) return;
      const answer = JSON.parse(body) as { eligible: boolean; callId: string };
      if (answer.eligible) pool.add(answer.callId);
      else pool.ineligible++;
    },
  };
}

export function inviteTarget(
  c2m: C2mReady,
  auth: { baseUrl: string; token: string },
  pool: CallIdPool,
): Target {
  return {
    name: 'invite',
    url: `${auth.baseUrl}/api/account/${c2m.accountId}/invite?v=2.0`,
    headers: { authorization: `Bearer ${auth.token}` },
    body: () => JSON.stringify({ callId: pool.take() }),
  };
}
