import { z } from 'zod';
import { SettingsInput } from '../../../contract/settings.js';
import { identifier } from '../../../contract/text.js';
import type { CachedDb } from '../../db/read-cache.js';
import { newAccountId } from '../../ids.js';
import type { AppDeps } from '../deps.js';
import { parseInput } from '../../http/validate.js';
import { findAccount, insertAccount, type Account } from './accounts.repo.js';

export type { Account };

/** A new account: its brand name and, optionally, its IVR API rate limit (the settings' rule). */
const NewAccount = z.object({
  name: identifier(255).min(1),
  rateLimitPerSec: SettingsInput.shape.rateLimitPerSec,
});
export type NewAccount = z.input<typeof NewAccount>;

export function getAccount(from: CachedDb, id: string): Promise<Account | undefined> {
  return findAccount(from, id);
}

/** Creates an account with the default channels and texts; returns its id. */
export async function createAccount(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  input: NewAccount,
): Promise<string> {
  const account = parseInput(NewAccount, input);
  const id = newAccountId();
  await insertAccount(deps.db, { id, ...account, now: deps.clock() });
  return id;
}
