/**
 * The events the demo's elements fire for user actions. Each bubbles and crosses shadow roots, so
 * <c2m-demo> hears them from the panels it renders.
 */
const init = { bubbles: true, composed: true } as const;

/** The caller's number (and app user id) typed in the IVR simulator: the phone and widget follow it. */
export class C2mDemoCallerChangedEvent extends Event {
  static readonly eventName = 'c2m-demo-caller-changed';
  constructor(
    /** An E.164 number. */
    readonly phone: string,
    readonly consumerId: string | undefined,
  ) {
    super(C2mDemoCallerChangedEvent.eventName, init);
  }
}

/** c2m accepted the invite: the message is on its way to the consumer's phone. */
export class C2mDemoInvitedEvent extends Event {
  static readonly eventName = 'c2m-demo-invited';
  constructor(readonly callId: string) {
    super(C2mDemoInvitedEvent.eventName, init);
  }
}

declare global {
  interface HTMLElementEventMap {
    'c2m-demo-caller-changed': C2mDemoCallerChangedEvent;
    'c2m-demo-invited': C2mDemoInvitedEvent;
  }
}
