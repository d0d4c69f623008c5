import { z } from 'zod';
import { ChannelName } from './channels.js';

const E164 = z.string().regex(/^\+[1-9]\d{1,14}$/, 'must be E.164, e.g. +14155550100');

/** The sandbox phone: what a consumer's handset would do. */
export const SandboxInbound = z.object({
  channel: ChannelName.default('sms'),
  /** The consumer: a phone number, or a consumerId for in-app. */
  from: z.string().min(1).max(255),
  text: z.string().min(1).max(4096),
});
export type SandboxInbound = z.infer<typeof SandboxInbound>;

export const SandboxStatus = z.object({
  status: z.enum(['delivered', 'read', 'failed']),
  errorCode: z.string().max(32).optional(),
  errorMessage: z.string().max(500).optional(),
});
export type SandboxStatus = z.infer<typeof SandboxStatus>;

export const AgentMessage = z.object({ text: z.string().trim().min(1).max(4096) });
export type AgentMessage = z.infer<typeof AgentMessage>;

export const DeviceRegistration = z.object({
  consumerId: z.string().min(1).max(255),
  appId: z.string().min(1).max(128),
  platform: z.enum(['ios', 'android', 'web']),
  token: z.string().min(8).max(4096),
});
export type DeviceRegistration = z.infer<typeof DeviceRegistration>;

export const SinkSettingsInput = z.object({
  url: z.url(),
  secret: z.string().min(16, 'at least 16 characters').max(256),
});
export type SinkSettingsInput = z.infer<typeof SinkSettingsInput>;

export { E164 };
