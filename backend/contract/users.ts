import { z } from 'zod';
import { Role } from './policy.js';
import { identifier } from './text.js';

// The people who sign in on c2m's own page, as the admin element and the CLI manage them. A
// password goes in and is kept only as a slow hash; no answer ever holds one.

export const MIN_PASSWORD = 8;
/** The sign-in endpoint takes at most this many characters. */
export const MAX_PASSWORD = 256;

export const Password = z
  .string({ error: 'is required' })
  .max(MAX_PASSWORD, `at most ${MAX_PASSWORD} characters`)
  // refused rather than kept: the command line's `--password` trims, so it could not repeat them
  .refine((p) => p === p.trim(), 'must not begin or end with a space')
  .refine((p) => p.length >= MIN_PASSWORD, `at least ${MIN_PASSWORD} characters`);

export const UserRole = z.enum(Role.options, {
  error: `must be one of ${Role.options.join(', ')}`,
});

/** A new user: the sign-in name (unique in the account), the role and a first password. */
export const UserInput = z.object({
  username: identifier(128).min(1, 'is required'),
  role: UserRole,
  password: Password,
});
export type UserInput = z.infer<typeof UserInput>;

/** An administrator sets a user's new password (and tells it to them). */
export const PasswordReset = z.object({ password: Password });
export type PasswordReset = z.infer<typeof PasswordReset>;

/** A user as listed: never the password or its hash. */
export const UserView = z.object({
  id: z.string(),
  username: z.string(),
  role: Role,
  createdAt: z.string(),
});
export type UserView = z.infer<typeof UserView>;

export const UserList = z.object({ items: z.array(UserView) });
export type UserList = z.infer<typeof UserList>;
