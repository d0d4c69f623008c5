import { z } from 'zod';
import { Action, Role } from './policy.js';
import { identifier } from './text.js';

/** A short-lived session for one of the brand's users, minted by the brand portal's backend. */
export const SessionRequest = z.object({
  userId: identifier(128).min(1),
  role: Role,
  /** Seconds, at most an hour; default 15 minutes. */
  ttlSeconds: z.number().int().min(60).max(3600).default(900),
});
export type SessionRequest = z.infer<typeof SessionRequest>;

/** A session and what its role may do (the policy table's row), so an element hides the rest. */
export const SessionResponse = z.object({
  token: z.string(),
  expiresAt: z.string(),
  role: Role,
  actions: z.array(Action),
});
export type SessionResponse = z.infer<typeof SessionResponse>;

/** Sign-in of a user the account keeps itself (username and password), for the same session. */
export const LoginRequest = z.object({
  accountId: identifier(32).min(1),
  username: identifier(128).min(1),
  password: z.string().min(1).max(256),
});
export type LoginRequest = z.infer<typeof LoginRequest>;
