import { z } from 'zod';
import { identifier } from './text.js';

/** A consumer's app on a device, registered for in-app invites (push). */
export const DeviceRegistration = z.object({
  consumerId: identifier(255).min(1),
  appId: identifier(128).min(1),
  platform: z.enum(['ios', 'android', 'web']),
  token: z.string().min(8).max(4096),
});
export type DeviceRegistration = z.infer<typeof DeviceRegistration>;
