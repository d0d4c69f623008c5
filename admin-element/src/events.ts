import type { AccountChannel, SettingsView } from '../../backend/contract/settings.js';
import type { HandoffChannel, HandoffView } from '../../backend/contract/handoffs.js';
import type { TemplateView } from '../../backend/contract/templates.js';

/**
 * The events <c2m-admin> and its views fire for user actions. Each bubbles and crosses shadow
 * roots, so the host page can listen on <c2m-admin> itself.
 */
const init = { bubbles: true, composed: true } as const;

/** A handoff in the list was chosen (to edit it, or to look at it for a read-only role). */
export class C2mHandoffSelectedEvent extends Event {
  static readonly eventName = 'c2m-handoff-selected';
  constructor(readonly handoff: HandoffView) {
    super(C2mHandoffSelectedEvent.eventName, init);
  }
}

/** The user asked for a new handoff. */
export class C2mHandoffCreateRequestedEvent extends Event {
  static readonly eventName = 'c2m-handoff-create-requested';
  constructor() {
    super(C2mHandoffCreateRequestedEvent.eventName, init);
  }
}

/** A handoff was created or updated on the server; `handoff` is what the server stored. */
export class C2mHandoffSavedEvent extends Event {
  static readonly eventName = 'c2m-handoff-saved';
  constructor(
    readonly handoff: HandoffView,
    readonly created: boolean,
  ) {
    super(C2mHandoffSavedEvent.eventName, init);
  }
}

/** A handoff was deleted on the server. */
export class C2mHandoffDeletedEvent extends Event {
  static readonly eventName = 'c2m-handoff-deleted';
  constructor(readonly id: string) {
    super(C2mHandoffDeletedEvent.eventName, init);
  }
}

/** The user left the handoff editor without saving. */
export class C2mHandoffEditCancelledEvent extends Event {
  static readonly eventName = 'c2m-handoff-edit-cancelled';
  constructor() {
    super(C2mHandoffEditCancelledEvent.eventName, init);
  }
}

/**
 * The channels or their order changed in <c2m-channel-order>; `channels` is the new list, each
 * channel the object it was given (a handoff's keeps its message) with `enabled` updated.
 */
export class C2mChannelsChangeEvent extends Event {
  static readonly eventName = 'c2m-channels-change';
  constructor(readonly channels: AccountChannel[]) {
    super(C2mChannelsChangeEvent.eventName, init);
  }
}

/** One channel's message settings changed in <c2m-channel-composer>. */
export class C2mChannelChangeEvent extends Event {
  static readonly eventName = 'c2m-channel-change';
  constructor(readonly channel: HandoffChannel) {
    super(C2mChannelChangeEvent.eventName, init);
  }
}

/** The SMS opt-out text was edited in <c2m-channel-composer>. */
export class C2mOptOutTextChangeEvent extends Event {
  static readonly eventName = 'c2m-opt-out-text-change';
  constructor(readonly text: string) {
    super(C2mOptOutTextChangeEvent.eventName, init);
  }
}

/** A WhatsApp template and the values of its variables were picked. */
export class C2mTemplateChangeEvent extends Event {
  static readonly eventName = 'c2m-template-change';
  constructor(
    readonly templateName: string | undefined,
    readonly templateLanguage: string | undefined,
    /** The template's body with the variables' values filled in. */
    readonly message: string,
  ) {
    super(C2mTemplateChangeEvent.eventName, init);
  }
}

/** A WhatsApp template was chosen in the list to edit. */
export class C2mTemplateSelectedEvent extends Event {
  static readonly eventName = 'c2m-template-selected';
  constructor(readonly template: TemplateView) {
    super(C2mTemplateSelectedEvent.eventName, init);
  }
}

/** The user asked for a new WhatsApp template. */
export class C2mTemplateCreateRequestedEvent extends Event {
  static readonly eventName = 'c2m-template-create-requested';
  constructor() {
    super(C2mTemplateCreateRequestedEvent.eventName, init);
  }
}

/** A WhatsApp template was created or updated (and, when `submitted`, sent for approval). */
export class C2mTemplateSavedEvent extends Event {
  static readonly eventName = 'c2m-template-saved';
  constructor(
    readonly template: TemplateView,
    readonly created: boolean,
    readonly submitted: boolean,
  ) {
    super(C2mTemplateSavedEvent.eventName, init);
  }
}

/** A template's status changed by a user action: submitted, cloned, or reviewed in the sandbox. */
export class C2mTemplateChangedEvent extends Event {
  static readonly eventName = 'c2m-template-changed';
  constructor(
    readonly template: TemplateView,
    readonly action: 'submitted' | 'cloned' | 'reviewed',
  ) {
    super(C2mTemplateChangedEvent.eventName, init);
  }
}

/** A WhatsApp template was deleted. */
export class C2mTemplateDeletedEvent extends Event {
  static readonly eventName = 'c2m-template-deleted';
  constructor(readonly id: string) {
    super(C2mTemplateDeletedEvent.eventName, init);
  }
}

/** The user left the template editor without saving. */
export class C2mTemplateEditCancelledEvent extends Event {
  static readonly eventName = 'c2m-template-edit-cancelled';
  constructor() {
    super(C2mTemplateEditCancelledEvent.eventName, init);
  }
}

/** The account settings were saved; `settings` is what the server stored. */
export class C2mSettingsSavedEvent extends Event {
  static readonly eventName = 'c2m-settings-saved';
  constructor(readonly settings: SettingsView) {
    super(C2mSettingsSavedEvent.eventName, init);
  }
}

/** An IVR credential was created, rotated or revoked; `credential` never carries a secret. */
export class C2mCredentialChangedEvent extends Event {
  static readonly eventName = 'c2m-credential-changed';
  constructor(
    readonly credential: { id: string; name: string; keyId: string },
    readonly action: 'created' | 'rotated' | 'revoked',
  ) {
    super(C2mCredentialChangedEvent.eventName, init);
  }
}

/** A widget installation key was created or revoked; `key` never carries the key itself. */
export class C2mWidgetKeyChangedEvent extends Event {
  static readonly eventName = 'c2m-widget-key-changed';
  constructor(
    readonly key: { id: string; name: string },
    readonly action: 'created' | 'revoked',
  ) {
    super(C2mWidgetKeyChangedEvent.eventName, init);
  }
}

/**
 * Sign out was pressed: c2m has ended the session (its token is refused from then on; unless c2m
 * could not be reached), the element has forgotten its token and shows nothing of the account; the
 * host shows its own sign-in.
 */
export class C2mSignOutEvent extends Event {
  static readonly eventName = 'c2m-sign-out';
  constructor(readonly userId: string | undefined) {
    super(C2mSignOutEvent.eventName, init);
  }
}

declare global {
  interface HTMLElementEventMap {
    'c2m-widget-key-changed': C2mWidgetKeyChangedEvent;
    'c2m-sign-out': C2mSignOutEvent;
    'c2m-handoff-selected': C2mHandoffSelectedEvent;
    'c2m-handoff-create-requested': C2mHandoffCreateRequestedEvent;
    'c2m-handoff-saved': C2mHandoffSavedEvent;
    'c2m-handoff-deleted': C2mHandoffDeletedEvent;
    'c2m-handoff-edit-cancelled': C2mHandoffEditCancelledEvent;
    'c2m-channels-change': C2mChannelsChangeEvent;
    'c2m-channel-change': C2mChannelChangeEvent;
    'c2m-opt-out-text-change': C2mOptOutTextChangeEvent;
    'c2m-template-change': C2mTemplateChangeEvent;
    'c2m-template-selected': C2mTemplateSelectedEvent;
    'c2m-template-create-requested': C2mTemplateCreateRequestedEvent;
    'c2m-template-saved': C2mTemplateSavedEvent;
    'c2m-template-changed': C2mTemplateChangedEvent;
    'c2m-template-deleted': C2mTemplateDeletedEvent;
    'c2m-template-edit-cancelled': C2mTemplateEditCancelledEvent;
    'c2m-settings-saved': C2mSettingsSavedEvent;
    'c2m-credential-changed': C2mCredentialChangedEvent;
  }
}
