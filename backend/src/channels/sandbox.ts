import type { ChannelAdapter, CapabilityInput, SendInput, SendResult } from './types.js';
import { sendFailure } from './refused.js';

/**
 * The built-in provider: messages stay in c2m's own database (the outbox worker stores every
 * outbound message), where the demo's phone simulator and the tests read them. Like Twilio's test numbers, a few endings of the phone number act out the
 * provider's answers so every flow can be exercised without one:
 *
 *   …0000  reachable on no channel          …0003  every send fails for a while (retried)
 *   …0001  not on WhatsApp                  …0004  SMS refused for good (opted out at carrier)
 *   …0002  WhatsApp send refused for good
 */
export const SANDBOX_NUMBERS = {
  unreachable: '0000',
  notOnWhatsApp: '0001',
  whatsAppFails: '0002',
  transientFailure: '0003',
  smsFails: '0004',
} as const;

export interface SandboxOptions {
  /** Called after a send is stored, to schedule the delivery receipt a real phone would send. */
  onSent: (messageId: string, accountId: string) => Promise<void>;
}

export function sandboxAdapter(opts: SandboxOptions): ChannelAdapter {
  return {
    provider: 'sandbox',
    reachable({ channel, phone }: CapabilityInput) {
      if (phone.endsWith(SANDBOX_NUMBERS.unreachable)) return Promise.resolve(false);
      if (channel === 'wa' && phone.endsWith(SANDBOX_NUMBERS.notOnWhatsApp)) {
        return Promise.resolve(false);
      }
      return Promise.resolve(true);
    },
    async send(input: SendInput): Promise<SendResult> {
      const failure = scriptedFailure(input);
      if (failure) return failure;
      // the worker has already stored the message; a real phone would now report delivery
      await opts.onSent(input.messageId, input.accountId);
      return { ok: true, providerMessageId: `SB${input.messageId.replace(/-/g, '')}` };
    },
  };
}

function scriptedFailure({ channel, to }: SendInput): SendResult | undefined {
  if (to.endsWith(SANDBOX_NUMBERS.transientFailure)) {
    return fail(true, '503', 'sandbox: provider temporarily unavailable');
  }
  if (channel === 'wa' && to.endsWith(SANDBOX_NUMBERS.whatsAppFails)) {
    return fail(false, '131026', 'sandbox: message undeliverable, number not on WhatsApp');
  }
  if (channel === 'sms' && to.endsWith(SANDBOX_NUMBERS.smsFails)) {
    return fail(false, '21610', 'sandbox: attempt to send to unsubscribed recipient');
  }
  return undefined;
}

const fail = sendFailure('sandbox');
