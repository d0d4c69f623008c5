// The c2m under test for `npm run bench:widget`, as its own process: the real startC2m on a file
// database in the data dir the parent gives (C2M_DATA_DIR), one account with an SMS handoff (sent
// through the sandbox provider), an IVR OAuth2 credential and an agent session token. Besides
// `ready` it answers two IPC questions:
//   - `outbound`: every outbound message of the account (id, phone, transaction, status), read
//     straight from the database, so the parent knows which message to mark read for which phone;
//   - `commits`: the number of Socket.IO connections open, and for each transaction, when its move to `read` was committed. Taken in the
//     domain-events listener, which the unit of work (db/unit-of-work.ts) calls synchronously right
//     after the database transaction commits (the realtime publisher is told by the same emit, just before us), as
//     performance.timeOrigin + performance.now() (ms since the epoch, sub-ms resolution).
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../backend/src/config.js';
import type { AppDeps } from '../backend/src/modules/deps.js';
import { mintSession } from '../backend/src/modules/sessions/admin-auth.js';
import { type OAuth2Secrets } from '../backend/src/modules/accounts/credentials.service.js';
import { startC2m } from '../backend/src/server.js';
import { sendToParent, type ReadyMessage } from './children.js';
import { seedBenchAccount } from './seed.js';

export interface WidgetC2mReady extends ReadyMessage {
  accountId: string;
  skill: string;
  handoffId: string;
  oauth2: OAuth2Secrets;
  /** A session token of role `agent`, what a brand portal hands its agent's widget. */
  agentToken: string;
}

export interface OutboundRow {
  messageId: string;
  phone: string;
  transactionId: string;
  status: string;
}

export type WidgetChildAnswer =
  | { type: 'outbound'; rows: OutboundRow[] }
  | { type: 'commits'; at: Record<string, number>; sockets: number };

/** The shared bench account, plus a session for the agent whose widgets follow the phones. */
async function seed(deps: AppDeps): Promise<Omit<WidgetC2mReady, keyof ReadyMessage>> {
  const account = await seedBenchAccount(deps, 'Widget bench');
  const { accountId } = account;
  const { token: agentToken } = mintSession(deps, {
    accountId,
    userId: 'bench-agent',
    role: 'agent',
    ttlSeconds: 3600,
  });
  return { ...account, agentToken };
}

const config = loadConfig({
  ...process.env,
  PORT: '0',
  HOST: '127.0.0.1',
  C2M_DEMO: '0',
  C2M_LOG_LEVEL: process.env.C2M_LOG_LEVEL ?? 'warn',
  // receipts only when the bench posts them
  C2M_SANDBOX_RECEIPT_MS: process.env.C2M_SANDBOX_RECEIPT_MS ?? '3600000',
  C2M_OUTBOX_POLL_MS: process.env.C2M_OUTBOX_POLL_MS ?? '20',
});
const c2m = await startC2m(config);
const seeded = await seed(c2m.deps);

const readCommittedAt: Record<string, number> = {};
c2m.deps.domainEvents.on('transaction-changed', (_accountId, transactionId, status) => {
  if (status === 'read')
    readCommittedAt[transactionId] ??= performance.timeOrigin + performance.now();
});

process.on('message', (question: { type?: string }) => {
  if (question.type === 'commits') {
    process.send?.({
      type: 'commits',
      at: readCommittedAt,
      sockets: c2m.io.engine.clientsCount,
    } satisfies WidgetChildAnswer);
  } else if (question.type === 'outbound') {
    void c2m.deps.db
      .selectFrom('messages')
      .select(['id', 'to_address', 'transaction_id', 'status'])
      .where('account_id', '=', seeded.accountId)
      .where('direction', '=', 'outbound')
      .execute()
      .then((rows) =>
        process.send?.({
          type: 'outbound',
          rows: rows.map((r) => ({
            messageId: r.id,
            phone: r.to_address,
            transactionId: r.transaction_id ?? '',
            status: r.status,
          })),
        } satisfies WidgetChildAnswer),
      );
  }
});

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  c2m.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop); // the parent died: do not outlive it

sendToParent({ type: 'ready', port: c2m.port, ...seeded } satisfies WidgetC2mReady);
