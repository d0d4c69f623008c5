// The unit of work: domain events are published after the commit and only then; each app in a
// process has its own publisher and its own read cache.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findAccount } from '../src/modules/accounts/accounts.repo.js';
import { moveTransaction } from '../src/modules/deflection/transactions.repo.js';
import { recordEvent } from '../src/modules/events/events.repo.js';
import {
  deliveredInvite,
  domainEventsOf,
  seedAccount,
  startTestC2m,
  type SeededAccount,
  type TestC2m,
} from './helpers.js';

const MOBILE = '+14155550123';

const eventRows = (t: TestC2m, transactionId: string) =>
  t.c2m.deps.db
    .selectFrom('events')
    .select('type')
    .where('transaction_id', '=', transactionId)
    .orderBy('id')
    .execute();

describe('unit of work', () => {
  let t: TestC2m;
  let account: SeededAccount;

  before(async () => {
    t = await startTestC2m();
    account = await seedAccount(t);
  });
  after(() => t?.close());

  it('publishes nothing and stores nothing when the work rolls back', async () => {
    const id = await deliveredInvite(t, account);
    const before = await eventRows(t, id);
    const told = domainEventsOf(t);
    try {
      await assert.rejects(
        t.c2m.deps.uow.run(async (w) => {
          assert.equal(await moveTransaction(w, id, { status: 'read', at: t.clock.now() }), true);
          await recordEvent(w, {
            type: 'conversation.closed',
            accountId: account.accountId,
            conversation: {
              conversationId: crypto.randomUUID(),
              transactionId: id,
              consumerPhone: MOBILE,
              consumerId: null,
            },
            at: t.clock.now(),
          });
          throw new Error('changed my mind');
        }),
        /changed my mind/,
      );
      assert.deepEqual(told.seen, []);
      assert.deepEqual(await eventRows(t, id), before);
      const tx = await t.c2m.deps.db
        .selectFrom('transactions')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(tx.status, 'delivered');
    } finally {
      told.stop();
    }
  });

  it('publishes what the work queued, in order, once it has committed', async () => {
    const id = await deliveredInvite(t, account);
    const told = domainEventsOf(t);
    try {
      const at = t.clock.now();
      let seenBeforeCommit = -1;
      await t.c2m.deps.uow.run(async (w) => {
        await moveTransaction(w, id, { status: 'read', at });
        await moveTransaction(w, id, { status: 'replied', at });
        seenBeforeCommit = told.seen.length;
      });
      assert.equal(seenBeforeCommit, 0);
      assert.deepEqual(told.seen, [
        ['transaction-changed', account.accountId, id, 'read'],
        ['transaction-changed', account.accountId, id, 'replied'],
      ]);
    } finally {
      told.stop();
    }
  });
});

describe('two apps in one process', () => {
  let a: TestC2m;
  let b: TestC2m;

  before(async () => {
    [a, b] = await Promise.all([startTestC2m(), startTestC2m()]);
  });
  after(() => Promise.all([a?.close(), b?.close()]));

  it('tells each app only of its own commits', async () => {
    const account = await seedAccount(a);
    const toA = domainEventsOf(a);
    const toB = domainEventsOf(b);
    try {
      const id = await deliveredInvite(a, account);
      assert.deepEqual(toA.seen.slice(0, 2), [
        ['call-created', account.accountId, toA.seen[0]?.[2]],
        ['transaction-created', account.accountId, id],
      ]);
      assert.deepEqual(toB.seen, []);
    } finally {
      toA.stop();
      toB.stop();
    }
  });

  it('answers a cached read from its own database only', async () => {
    const account = await seedAccount(a);
    // cached in a: with one cache for the process, b would answer from it
    assert.equal((await findAccount(a.c2m.deps, account.accountId))?.id, account.accountId);
    assert.equal(await findAccount(b.c2m.deps, account.accountId), undefined);
  });
});
