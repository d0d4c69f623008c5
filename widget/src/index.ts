// Public entry of the agent widget bundle: defines the tags and re-exports the public types. A tag
// already defined (a second copy of this bundle on the page) is left alone instead of throwing.
import { C2mCxWidget } from './c2m-cx-widget/c2m-cx-widget.js';

export { C2mCxWidget };
// the Agent Workspace page (backend/public/agent-workspace.html) needs only this bundle and the SDK
export { startAgentWorkspaceWidget } from './agent-workspace/agent-workspace.js';
export { widgetKeyTokenProvider } from './agent-workspace/widget-key.js';
export type { TokenProvider } from './controllers/live-outbound.js';
export type {
  AgentWorkspaceOptions,
  AgentWorkspaceWidget,
} from './agent-workspace/agent-workspace.js';
export type { AgentSdk, AgentSdkUpdate } from './agent-workspace/agent-sdk.js';
export type { CxWidgetState, C2mSignInEvent } from './c2m-cx-widget/c2m-cx-widget.js';
export type {
  OutboundChannel,
  OutboundMessageView,
  OutboundStatus,
  OutboundStatusChange,
} from '../../backend/contract/outbound.js';

if (!customElements.get('c2m-cx-widget')) customElements.define('c2m-cx-widget', C2mCxWidget);
