import type {
  EligibilityRequest,
  EligibilityResponse,
  InviteResponse,
} from '../../backend/contract/deflection.js';
import { DEMO_KEY_HEADER, type DemoContext } from '../../backend/contract/demo.js';
import type {
  SandboxInbound,
  SandboxInboundResult,
  SandboxMessageList,
  SandboxStatusResult,
} from '../../backend/contract/sandbox.js';
import { C2mError } from '../../client/src/errors.js';

/**
 * The calls the demo page makes, all to c2m's `/demo` routes with this start's key: no credential
 * of the demo account reaches the browser, only the short sessions `context()` hands out. A
 * refusal throws the client's `C2mError`, read from c2m's `{errorCode, errorMessage}`.
 */
export class DemoApi {
  constructor(
    private readonly key: string,
    /** Where c2m answers; the page's own origin unless a test says otherwise. */
    private readonly baseUrl = '',
    private readonly fetcher: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  context(): Promise<DemoContext> {
    return this.call('GET', '/demo/context');
  }

  /** The IVR's eligibility check, as the demo account. */
  eligibility(request: EligibilityRequest): Promise<EligibilityResponse> {
    return this.call('POST', '/demo/ivr/eligibility', request);
  }

  /** The IVR's invite for an eligible call. */
  invite(callId: string): Promise<InviteResponse> {
    return this.call('POST', '/demo/ivr/invite', { callId });
  }

  /** What the sandbox phone of `address` (and of the app user `consumerId`) holds, newest first. */
  phoneMessages(address: string, consumerId?: string): Promise<SandboxMessageList> {
    const query = new URLSearchParams({ address });
    if (consumerId) query.set('consumerId', consumerId);
    return this.call('GET', `/demo/phone/messages?${query}`);
  }

  /** The phone's read receipt for a message it received. */
  markRead(messageId: string): Promise<SandboxStatusResult> {
    return this.call('POST', `/demo/phone/messages/${encodeURIComponent(messageId)}/status`, {
      status: 'read',
    });
  }

  /** The consumer's text, as the phone sends it to c2m. */
  sendFromPhone(message: SandboxInbound): Promise<SandboxInboundResult> {
    return this.call('POST', '/demo/phone/inbound', message);
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { [DEMO_KEY_HEADER]: this.key };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await this.fetcher(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw await C2mError.fromResponse(res);
    return (await res.json()) as T;
  }
}

/** A refusal as the page shows it: `1001: consumerPhoneNumber: must be E.164, …`. */
export function describeError(err: unknown): string {
  if (err instanceof C2mError) {
    return err.errorCode ? `${err.errorCode}: ${err.errorMessage}` : `HTTP ${err.status}`;
  }
  return err instanceof Error ? err.message : String(err);
}
