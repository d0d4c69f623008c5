// A real c2m for the browser tests of <c2m-admin> and <c2m-cx-widget>: started by
// scripts/web-backend.mjs (a @web/test-runner plugin), not by the node test runner. It listens on
// 127.0.0.1:0 with a fresh data dir, seeds one account that lets the test runner's page origins
// call its admin API, mints an admin, a read-only and an agent session, prints one JSON line with
// all that (plus, under `ivr`, what the plugin needs to play the IVR and the sandbox phone from
// Node), and runs until its stdin closes or it is sent SIGTERM / SIGINT.
import { createServer } from 'node:http';
import { mintSession } from '../src/modules/sessions/admin-auth.js';
import { updateAccountSettings } from '../src/modules/accounts/accounts.repo.js';
import { createOAuth2Credential } from '../src/modules/accounts/credentials.service.js';
import { adminSession, bearerToken, ivrClient, seedAccount, startTestC2m } from './helpers.js';
import { deflect } from './sandbox-phone.js';

const origins = (process.env.C2M_WEB_ORIGINS ?? '')
  .split(',')
  .map((o) => o.trim())
  .filter(Boolean);

const t = await startTestC2m({ C2M_DEMO: '0' });
const account = await seedAccount(t, { permissions: ['ivr', 'admin'] });
await updateAccountSettings(t.c2m.deps, account.accountId, { allowedOrigins: origins });

// the reports dashboard's tests filter by IVR numbers no other test uses, so their counts are
// known: REPORTS_IVR has one delivered invite and one unreachable caller, LIVE_IVR one invite
const REPORTS_IVR = '+18005550142';
const LIVE_IVR = '+18005550143';
await deflect(t, account, '+14155557101', {
  skill: 'billing',
  eligibility: { ivrNumber: REPORTS_IVR },
});
await ivrClient(t, account).eligibility({
  skill: 'sales',
  consumerPhoneNumber: '+14155570000', // the sandbox's "reachable on no channel"
  handoffId: account.handoffs.sms,
  ivrNumber: REPORTS_IVR,
});
await deflect(t, account, '+14155557102', { eligibility: { ivrNumber: LIVE_IVR } });

// an agent session minted by a credential of its own, which the widget's test revokes
const revocable = await createOAuth2Credential(t.c2m.deps.db, {
  accountId: account.accountId,
  name: 'revoked by the widget test',
  permissions: ['admin'],
  now: t.clock.now(),
});
const revocableAgent = mintSession(t.c2m.deps, {
  accountId: account.accountId,
  userId: 'agent-revocable',
  role: 'agent',
  credentialId: revocable.id,
  ttlSeconds: 3600,
}).token;

// an agent session that expired an hour ago: the widget says "expired", not "not signed in"
const expiredAgent = mintSession(
  { ...t.c2m.deps, clock: () => t.clock.now() - 2 * 3600_000 },
  { accountId: account.accountId, userId: 'agent-expired', role: 'agent', ttlSeconds: 3600 },
).token;

// sessions of any length on request, for the widget's renewal tests (from Node only: the plugin
// keeps this URL from the browser): POST {ttlSeconds, widgetKeyId?} → {token}
const minter = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const { ttlSeconds, widgetKeyId } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      ttlSeconds: number;
      widgetKeyId?: string;
    };
    const { token, expiresAt } = mintSession(t.c2m.deps, {
      accountId: account.accountId,
      userId: widgetKeyId ? `widget-key:${widgetKeyId}` : 'agent-short',
      role: 'agent',
      ...(widgetKeyId && { widgetKeyId }),
      ttlSeconds,
    });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ token, expiresAt }));
  });
});
await new Promise<void>((ok) => minter.listen(0, '127.0.0.1', ok));
const minterAddress = minter.address();
const mintUrl = `http://127.0.0.1:${typeof minterAddress === 'object' && minterAddress ? minterAddress.port : 0}`;

const [admin, readOnly, agent, ivrBearer, signOutAdmin] = await Promise.all([
  adminSession(t, account, 'admin'),
  adminSession(t, account, 'read_only'),
  adminSession(t, account, 'agent'),
  bearerToken(t.url, account.oauth2),
  // the same user's second session, which the header's test signs out (the others stay valid)
  adminSession(t, account, 'admin'),
]);
process.stdout.write(
  `${JSON.stringify({
    apiBase: t.url,
    accountId: account.accountId,
    tokens: {
      admin,
      read_only: readOnly,
      agent,
      revocable_agent: revocableAgent,
      expired_agent: expiredAgent,
      sign_out_admin: signOutAdmin,
    },
    reports: { ivrNumber: REPORTS_IVR, liveIvrNumber: LIVE_IVR },
    // the IVR credential and the SMS handoff: scripts/web-backend.mjs keeps these from the browser
    ivr: {
      bearer: ivrBearer,
      smsHandoffId: account.handoffs.sms,
      waSmsHandoffId: account.handoffs.waSms,
      revocableCredentialId: revocable.id,
      mintUrl,
    },
  })}\n`,
);

let closing = false;
async function shutdown() {
  if (closing) return;
  closing = true;
  minter.close();
  await t.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
// the parent holds our stdin: when it goes away without a signal (a crash), so do we
process.stdin.on('end', () => void shutdown());
process.stdin.resume();
