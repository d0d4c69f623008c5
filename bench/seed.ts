// The bench account both bench servers seed: no rate limit, a frequency cap the bench cannot
// reach, skills and one SMS handoff, and IVR OAuth 2.0 credentials.
import type { HandoffChannel } from '../backend/contract/handoffs.js';
import type { AppDeps } from '../backend/src/modules/deps.js';
import { newAccountId, newHandoffId } from '../backend/src/ids.js';
import {
  insertAccount,
  updateAccountSettings,
} from '../backend/src/modules/accounts/accounts.repo.js';
import {
  createOAuth2Credential,
  type OAuth2Secrets,
} from '../backend/src/modules/accounts/credentials.service.js';
import { insertHandoff } from '../backend/src/modules/handoffs/handoffs.repo.js';
import { insertSkill } from '../backend/src/modules/skills/skills.repo.js';

export interface BenchAccount {
  accountId: string;
  skill: string;
  handoffId: string;
  oauth2: OAuth2Secrets;
}

const sms: HandoffChannel = {
  name: 'sms',
  enabled: true,
  message: 'Hi {{1}}, reply here to chat with us.',
  defaults: { '1': 'there' },
  outboundNumber: '+15005550006',
};

export async function seedBenchAccount(deps: AppDeps, name: string): Promise<BenchAccount> {
  const { db } = deps;
  const now = deps.clock();
  const accountId = newAccountId();
  await insertAccount(db, { id: accountId, name, now, rateLimitPerSec: 0 });
  await updateAccountSettings(deps, accountId, { frequencyCapPerHour: 1_000_000 });
  await insertSkill(deps, { accountId, name: 'sales', now });
  await insertSkill(deps, { accountId, name: 'billing', now });
  const handoffId = newHandoffId();
  await insertHandoff(deps, {
    id: handoffId,
    accountId,
    title: 'Bench SMS',
    active: true,
    lookbackMinutes: 60,
    channels: [sms],
    now,
  });
  const oauth2 = await createOAuth2Credential(db, {
    accountId,
    name: 'bench',
    permissions: ['ivr'],
    now,
  });
  return { accountId, skill: 'sales', handoffId, oauth2 };
}
