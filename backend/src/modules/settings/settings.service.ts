import { ChannelName } from '../../../contract/channels.js';
import { inTransaction } from '../../db/database.js';
import type { CachedDb } from '../../db/read-cache.js';
import { fieldErrors, notFound } from '../../errors.js';
import { findAccount, updateAccountSettings, type Account } from '../accounts/accounts.repo.js';
import { listSkills, setRouting, type Skill } from '../skills/skills.repo.js';
import { presentSettings } from './settings.presenter.js';
import type { AdminSettingsInput, AdminSettingsView } from '../../../contract/settings.js';

export async function loadSettings(from: CachedDb, accountId: string): Promise<AdminSettingsView> {
  const account = await findAccount(from, accountId);
  if (!account) throw notFound();
  return presentSettings(account, await listSkills(from.db, accountId));
}

/**
 * Applies the fields given, all or none: the rules that need the account's skills are checked
 * inside the transaction that writes, so a 400 stores nothing.
 */
export async function updateSettings(
  to: CachedDb,
  accountId: string,
  input: AdminSettingsInput,
): Promise<AdminSettingsView> {
  await inTransaction(to.db, async (db) => {
    const tx = { db, reads: to.reads };
    const account = await findAccount(tx, accountId);
    if (!account) throw notFound();
    const skills = await listSkills(db, accountId);
    const broken = brokenRules(account, skills, input);
    if (Object.keys(broken).length > 0) throw fieldErrors(broken);

    const { routing, ...accountFields } = input;
    if (Object.values(accountFields).some((v) => v !== undefined)) {
      await updateAccountSettings(tx, accountId, accountFields);
    }
    if (routing) await setRouting(tx, accountId, routing);
  });
  // the repos cleared the memo inside the transaction; a read racing the commit may have refilled it
  to.reads.forget();
  return loadSettings(to, accountId);
}

/** The rules a schema cannot check alone, first broken rule per field. */
function brokenRules(
  account: Account,
  skills: readonly Skill[],
  input: AdminSettingsInput,
): Record<string, string> {
  const broken: Record<string, string> = {};
  if (input.channels) {
    const names = new Set(input.channels.map((c) => c.name));
    if (ChannelName.options.some((n) => !names.has(n))) {
      broken.channels = `list each channel once, in priority order: ${ChannelName.options.join(', ')}`;
    } else if (!input.channels.some((c) => c.enabled)) {
      broken.channels = 'enable at least one channel';
    }
  }

  const routed = new Map(skills.map((s) => [s.name, s.routingEnabled]));
  if (input.routing) {
    const names = input.routing.map((r) => r.name);
    if (new Set(names).size !== names.length) broken.routing = 'each skill at most once';
    input.routing.forEach((r, i) => {
      if (!routed.has(r.name)) broken[`routing.${i}.name`] = `no skill '${r.name}' on this account`;
      else routed.set(r.name, r.routingEnabled);
    });
  }

  // checked only when touched: a default left unrouted by an older tool does not block other edits
  if (input.defaultSkill !== undefined || input.routing !== undefined) {
    const skill = input.defaultSkill === undefined ? account.defaultSkill : input.defaultSkill;
    if (skill !== null && !routed.has(skill)) {
      broken.defaultSkill = `no skill '${skill}' on this account`;
    } else if (skill !== null && !routed.get(skill)) {
      const unrouted = input.routing?.findIndex((r) => r.name === skill && !r.routingEnabled) ?? -1;
      if (input.defaultSkill === undefined && unrouted >= 0) {
        broken[`routing.${unrouted}.routingEnabled`] =
          `'${skill}' is the default skill: choose another default skill first`;
      } else {
        broken.defaultSkill = 'must be a skill with routing enabled';
      }
    }
  }
  return broken;
}
