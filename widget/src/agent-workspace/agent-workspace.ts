// LivePerson Agent Workspace glue: finds the conversation and consumer the agent is looking at
// through the Agent Workspace Widget SDK and points a <c2m-cx-widget> at them as the data arrives.
import type { C2mCxWidget } from '../c2m-cx-widget/c2m-cx-widget.js';
import type { TokenProvider } from '../controllers/live-outbound.js';
import { AGENT_SDK_PATHS, type AgentSdk, type AgentSdkUpdateCallback } from './agent-sdk.js';
import { subjectOf, type ConsumerSubject, type WorkspaceModel } from './consumer-identity.js';

export interface AgentWorkspaceOptions {
  /** `lpTag.agentSDK`, or a stand-in with the same API. */
  sdk: AgentSdk;
  /** Where the widget goes; a `<c2m-cx-widget>` already inside is reused. */
  mount: HTMLElement;
  /** The c2m server, e.g. `https://c2m.example.com`. */
  apiBase: string;
  /** A c2m session token, role agent or agent manager (or give `tokenProvider`). */
  token?: string;
  /**
   * Fresh sessions, renewed before they expire: on the Agent Workspace page, from the widget
   * installation key (widgetKeyTokenProvider).
   */
  tokenProvider?: TokenProvider;
  /** Told when the SDK refuses a binding (for instance before the workspace handshake). */
  onError?: (path: string, err: unknown) => void;
}

export interface AgentWorkspaceWidget {
  readonly element: C2mCxWidget;
  /** Unbinds every path (with the very callbacks bound) and removes the widget it added. */
  dispose(): void;
}

/** Each subject field and the attribute of <c2m-cx-widget> it sets. */
const ATTRIBUTES: Record<keyof ConsumerSubject, string> = {
  conversationId: 'conversation-id',
  consumerPhoneNumber: 'consumer-phone-number',
  consumerId: 'consumer-id',
};

function applySubject(element: C2mCxWidget, subject: ConsumerSubject) {
  for (const [field, attribute] of Object.entries(ATTRIBUTES)) {
    const value = subject[field as keyof ConsumerSubject];
    if (value === undefined) element.removeAttribute(attribute);
    else if (element.getAttribute(attribute) !== value) element.setAttribute(attribute, value);
  }
}

/**
 * Calls `sdk.init({})`, binds the conversation id (`chatInfo.rtSessionId`), `visitorInfo`, `SDE`
 * and the pre-chat phone question, and keeps the widget's `conversation-id`,
 * `consumer-phone-number` and `consumer-id` in step with what they say. A new conversation in the
 * workspace re-targets the same widget.
 */
export function startAgentWorkspaceWidget(options: AgentWorkspaceOptions): AgentWorkspaceWidget {
  const { sdk, mount, apiBase, token, tokenProvider } = options;
  const existing = mount.querySelector('c2m-cx-widget');
  const element = existing ?? document.createElement('c2m-cx-widget');
  element.setAttribute('api-base', apiBase);
  element.token = token;
  element.tokenProvider = tokenProvider;
  if (!existing) mount.append(element);

  const model: WorkspaceModel = {};
  const bindings = Object.entries(AGENT_SDK_PATHS).map(([field, path]) => {
    const callback: AgentSdkUpdateCallback = ({ newValue }) => {
      model[field as keyof WorkspaceModel] = newValue;
      applySubject(element, subjectOf(model));
    };
    return { path, callback };
  });

  const reportError = (path: string) => (err?: unknown) => {
    if (err) options.onError?.(path, err);
  };
  sdk.init({});
  for (const { path, callback } of bindings) sdk.bind(path, callback, reportError(path));

  let disposed = false;
  return {
    element,
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const { path, callback } of bindings) sdk.unbind(path, callback, reportError(path));
      if (!existing) element.remove();
    },
  };
}
