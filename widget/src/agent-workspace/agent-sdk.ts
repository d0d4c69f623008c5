// The part of LivePerson's Agent Workspace Widget SDK (`lpTag.agentSDK`) that c2m uses, typed after
// LivePerson's own documentation of it, so the integration runs against the real SDK or a stand-in.

/** What `bind` hands its callback: the bound path and its full current value. */
export interface AgentSdkUpdate {
  key: string;
  newValue: unknown;
}

export type AgentSdkUpdateCallback = (update: AgentSdkUpdate) => void;
/** Called once the SDK has done (or failed) what it was asked; `err` is set on failure. */
export type AgentSdkDoneCallback = (err?: unknown) => void;

export interface AgentSdkInitOptions {
  notificationCallback?: (notification: unknown) => void;
  visitorFocusedCallback?: () => void;
  visitorBlurredCallback?: () => void;
}

export interface AgentSdk {
  /** The handshake with the workspace; called once, before anything else. */
  init(options: AgentSdkInitOptions): void;
  /** Reads a public-model path once; `null` when the path has no data. */
  get(path: string, onSuccess: (data: unknown) => void, onError?: (err: unknown) => void): void;
  /** Fires at once with the current value (if any), then with the full new value on each change. */
  bind(path: string, callback: AgentSdkUpdateCallback, notifyWhenDone?: AgentSdkDoneCallback): void;
  /** Needs the same path and the same function reference that was bound. */
  unbind(
    path: string,
    callback: AgentSdkUpdateCallback,
    notifyWhenDone?: AgentSdkDoneCallback,
  ): void;
  dispose?(): void;
}

/** The public-model paths the integration binds (README, "The agent's widget"). */
export const AGENT_SDK_PATHS = {
  /** For messaging, the conversation id. */
  conversationId: 'chatInfo.rtSessionId',
  /** `{visitorId, visitorName, …}`; `visitorId` is the consumer id. */
  visitorInfo: 'visitorInfo',
  /** Engagement attributes: where the invite's `sdes` (contacts, customer id) appear. */
  sde: 'SDE',
  /** `{value}`: the consumer id, which may be a phone number. */
  preChatPhone: 'surveyQuestions.preChat.phone',
} as const;

declare global {
  interface Window {
    lpTag?: { agentSDK?: AgentSdk };
  }
}
