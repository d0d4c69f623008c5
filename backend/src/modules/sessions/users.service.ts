import { z } from 'zod';
import { Role } from '../../../contract/policy.js';
import { identifier } from '../../../contract/text.js';
import { onDuplicate } from '../../db/constraints.js';
import { fieldErrors } from '../../errors.js';
import type { AppDeps } from '../deps.js';
import { parseInput } from '../../http/validate.js';
import { createUser } from './users.repo.js';

export const MIN_PASSWORD = 8;
/** The sign-in endpoint takes at most this many characters. */
export const MAX_PASSWORD = 256;

const NewUser = z.object({
  username: identifier(128).min(1),
  role: z.enum(Role.options, { error: `must be one of ${Role.options.join(', ')}` }),
  password: z
    .string()
    .max(MAX_PASSWORD, `at most ${MAX_PASSWORD} characters`)
    // refused rather than kept: the command line's `--password` trims, so it could not repeat them
    .refine((p) => p === p.trim(), 'must not begin or end with a space')
    .refine((p) => p.length >= MIN_PASSWORD, `at least ${MIN_PASSWORD} characters`),
});
/** As a form or the command line gives it: the role is checked with the rest. */
export interface NewUser {
  username: string;
  role: string;
  password: string;
}

/** A person who signs in on the admin page; the password is kept only as a hash. */
export async function addUser(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  accountId: string,
  input: NewUser,
): Promise<string> {
  const user = parseInput(NewUser, input);
  return createUser(deps.db, { accountId, ...user, now: deps.clock() }).catch(
    onDuplicate(() =>
      fieldErrors({ username: `account ${accountId} already has a user '${user.username}'` }),
    ),
  );
}
