// The c2m under test, as its own process: the real startC2m on a file database in the data dir the
// parent gives (C2M_DATA_DIR), plus one bench account. Tells the parent its port over IPC.
import type { HandoffChannel } from '../backend/contract/handoffs.js';
import { loadConfig } from '../backend/src/config.js';
import type { AppDeps } from '../backend/src/deps.js';
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
import { startC2m } from '../backend/src/server.js';
import { sendToParent, type ReadyMessage } from './children.js';

export interface C2mReady extends ReadyMessage {
  accountId: string;
  skill: string;
  handoffId: string;
  oauth2: OAuth2Secrets;
}

const sms: HandoffChannel = {
  name: 'sms',
  enabled: true,
  message: 'Hi {{1}}, reply here to chat with us.',
  outboundNumber: '+15005550006',
};

/** An account with no rate limit and a frequency cap the bench cannot reach. */
async function seedBenchAccount(deps: AppDeps): Promise<Omit<C2mReady, keyof ReadyMessage>> {
  const { db } = deps;
  const now = deps.clock();
  const accountId = newAccountId();
  await insertAccount(db, { id: accountId, name: 'Bench', now, rateLimitPerSec: 0 });
  await updateAccountSettings(db, accountId, { frequencyCapPerHour: 1_000_000 });
  await insertSkill(db, { accountId, name: 'sales', now });
  await insertSkill(db, { accountId, name: 'billing', now });
  const handoffId = newHandoffId();
  await insertHandoff(db, {
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

const config = loadConfig({
  ...process.env,
  PORT: '0',
  HOST: '127.0.0.1',
  C2M_DEMO: '0',
  C2M_LOG_LEVEL: process.env.C2M_LOG_LEVEL ?? 'warn',
});
const c2m = await startC2m(config);
const seeded = await seedBenchAccount(c2m.deps);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  // process.exit (not a natural end) so --cpu-prof still writes its profile
  c2m.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop); // the parent died: do not outlive it

sendToParent({ type: 'ready', port: c2m.port, ...seeded } satisfies C2mReady);
