import { z } from 'zod';
import { ChannelName } from './channels.js';

/**
 * The header the demo page sends this start's key in. The page reads the key from the `#demo=`
 * fragment of the URL c2m printed at start-up; a fragment never reaches a server or its logs.
 */
export const DEMO_KEY_HEADER = 'X-C2M-Demo-Key';

/** A short session the demo page hands to one of its elements, and when to fetch a fresh one. */
export const DemoSession = z.object({
  role: z.enum(['admin', 'agent']),
  token: z.string(),
  expiresAt: z.iso.datetime(),
});
export type DemoSession = z.infer<typeof DemoSession>;

/** An active handoff of the demo account, with its enabled channels in priority order. */
export const DemoHandoff = z.object({
  id: z.string(),
  title: z.string(),
  channels: z.array(ChannelName),
});
export type DemoHandoff = z.infer<typeof DemoHandoff>;

/** `GET /demo/context`: everything the demo page needs to start, and never a credential. */
export const DemoContext = z.object({
  accountId: z.string(),
  accountName: z.string(),
  handoffs: z.array(DemoHandoff),
  /** The skills with routing on. */
  skills: z.array(z.string()),
  /** Phone number endings the sandbox acts out (README, "The sandbox channel"). */
  sandboxEndings: z.record(z.string(), z.string()),
  sessions: z.object({ admin: DemoSession, agent: DemoSession }),
});
export type DemoContext = z.infer<typeof DemoContext>;
