import { readFile } from 'node:fs/promises';
import type { DemoContext } from '../../../contract/demo.js';
import { SANDBOX_NUMBERS } from '../../channels/sandbox.js';
import type { AppDeps } from '../deps.js';
import { demoCredentialsFile, type DemoCredentials } from './bootstrap.js';
import { mintSession } from '../sessions/admin-auth.js';
import { notFound } from '../../errors.js';
import { findAccount, type Account } from '../accounts/accounts.repo.js';
import { listHandoffs } from '../handoffs/handoffs.repo.js';
import { listSkills } from '../skills/skills.repo.js';

/** The demo page's sessions are short: the page fetches fresh ones before they expire. */
export const DEMO_SESSION_TTL_SECONDS = 900;
const MAX_HANDOFFS = 50;

/** Who the page signs in as; these users exist only inside the session tokens. */
const DEMO_USERS = { admin: 'demo-admin', agent: 'demo-agent' } as const;

/**
 * The demo account of this data dir: the one `demo-credentials.json` names (written when c2m
 * created it), if the database still has it. Only its id is read from the file, never a secret.
 */
export async function findDemoAccount(deps: AppDeps): Promise<Account> {
  let accountId: unknown;
  try {
    const file = await readFile(demoCredentialsFile(deps.config.dataDir), 'utf8');
    accountId = (JSON.parse(file) as Partial<DemoCredentials>).accountId;
  } catch {
    accountId = undefined;
  }
  const account = typeof accountId === 'string' ? await findAccount(deps, accountId) : undefined;
  if (!account) {
    throw notFound(
      'No demo account in this data dir: start with an empty C2M_DATA_DIR or run npx c2m demo',
    );
  }
  return account;
}

/** Everything the demo page needs to start: what to deflect with, and sessions for the elements. */
export async function presentDemoContext(deps: AppDeps, account: Account): Promise<DemoContext> {
  const [handoffs, skills] = await Promise.all([
    listHandoffs(deps.db, account.id, {
      offset: 0,
      limit: MAX_HANDOFFS,
      sort: 'createdAt',
      order: 'asc',
    }),
    listSkills(deps.db, account.id),
  ]);
  const session = (role: keyof typeof DEMO_USERS) => ({
    role,
    ...mintSession(deps, {
      accountId: account.id,
      userId: DEMO_USERS[role],
      role,
      ttlSeconds: DEMO_SESSION_TTL_SECONDS,
    }),
  });
  return {
    accountId: account.id,
    accountName: account.name,
    handoffs: handoffs.items
      .filter((h) => h.active)
      .map((h) => ({
        id: h.id,
        title: h.title,
        channels: h.channels.filter((c) => c.enabled).map((c) => c.name),
      })),
    skills: skills.filter((s) => s.routingEnabled).map((s) => s.name),
    sandboxEndings: SANDBOX_NUMBERS,
    sessions: { admin: session('admin'), agent: session('agent') },
  };
}
