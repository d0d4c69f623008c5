import { z } from 'zod';

// Widget installation keys: registered once in LivePerson's Agent Workspace
// (`/agent-workspace#key=…`); the page trades the key for short widget sessions and renews them.

export const WidgetKeyInput = z.object({
  /** Where it is installed, for the list (e.g. "Agent Workspace, EU"). */
  name: z.string().trim().min(1).max(100),
});
export type WidgetKeyInput = z.infer<typeof WidgetKeyInput>;

/** A key as listed: never its secret. */
export const WidgetKeyView = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type WidgetKeyView = z.infer<typeof WidgetKeyView>;

/** Answered once, when the key is created: the key itself and the URL to register. */
export const CreatedWidgetKey = WidgetKeyView.extend({
  key: z.string(),
  /** The Agent Workspace page with the key in its fragment (never sent to a server). */
  workspaceUrl: z.string(),
});
export type CreatedWidgetKey = z.infer<typeof CreatedWidgetKey>;

/** A widget session minted from a key: `POST /api/widget/sessions`. */
export const WidgetSessionRequest = z.object({ key: z.string().min(1).max(200) });
export type WidgetSessionRequest = z.infer<typeof WidgetSessionRequest>;

export const WidgetSessionResponse = z.object({
  token: z.string(),
  expiresAt: z.string(),
  accountId: z.string(),
});
export type WidgetSessionResponse = z.infer<typeof WidgetSessionResponse>;
