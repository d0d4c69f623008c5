// engine: sqlite
// Another process (the CLI, a backup tool) holding SQLite's write lock must not freeze c2m:
// /healthz stays fast, a write that cannot get the lock in time is a 503 with Retry-After that
// stored nothing, and everything works again once the lock is released.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { databaseFile } from '../src/db/database.js';
import {
  adminApi,
  adminSession,
  call,
  ivrClient,
  seedAccount,
  startTestC2m,
  type SeededAccount,
  type TestC2m,
  waitFor,
} from './helpers.js';

const BUSY_TIMEOUT_MS = 600;
const MOBILE = '+14155550123';

describe('another connection holding the write lock', () => {
  let t: TestC2m;
  let account: SeededAccount;
  let locker: SqliteDatabase.Database;

  before(async () => {
    t = await startTestC2m({ C2M_SQLITE_BUSY_TIMEOUT_MS: String(BUSY_TIMEOUT_MS) });
    account = await seedAccount(t, { permissions: ['ivr', 'admin'] });
    locker = new SqliteDatabase(databaseFile(t.dataDir));
  });
  after(async () => {
    if (locker.inTransaction) locker.exec('ROLLBACK');
    locker.close();
    await t.close();
  });

  const countRows = async (table: 'calls' | 'transactions') =>
    (
      await t.c2m.deps.db
        .selectFrom(table)
        .select('id')
        .where('account_id', '=', account.accountId)
        .execute()
    ).length;

  // every answer below is awaited while the lock is still held (it is released only in `finally`):
  // a request that waited for the lock rather than answering would hang; the timeout fails it
  it(
    'keeps /healthz fast, answers writes 503 + Retry-After, stores nothing, then recovers',
    { timeout: 30_000 },
    async () => {
      const ivr = ivrClient(t, account);
      const body = { skill: 'sales', consumerPhoneNumber: MOBILE, handoffId: account.handoffs.sms };
      const first = await ivr.eligibility(body);
      assert.equal(first.status, 200, JSON.stringify(first.body));
      const { callId } = first.body as { callId: string };
      const token = await adminSession(t, account, 'admin');
      const [callsBefore, transactionsBefore] = [
        await countRows('calls'),
        await countRows('transactions'),
      ];

      locker.exec('BEGIN IMMEDIATE');
      try {
        const eligibility = ivr.eligibility({ ...body, consumerPhoneNumber: '+14155550124' });
        const invite = ivr.invite({ callId });
        const admin = adminApi(t, account.accountId, token).put('/settings', {
          frequencyCapPerHour: 7,
        });
        let writesAnswered = 0;
        const answered = () => void writesAnswered++;
        for (const write of [eligibility, invite, admin]) void write.then(answered, answered);
        // asked while those writes wait for the lock: liveness never waits on the database. A
        // process frozen by a write's wait would answer that write's 503 before /healthz. (Two of
        // three, so one scheduling hiccup on a busy machine does not decide.)
        const whileWritesWait: boolean[] = [];
        for (let i = 0; i < 3; i++) {
          const health = await call(`${t.url}/healthz`, { method: 'GET' });
          whileWritesWait.push(writesAnswered === 0);
          assert.equal(health.status, 200);
        }
        assert.ok(
          whileWritesWait.filter(Boolean).length >= 2,
          `/healthz answered while the writes waited: ${whileWritesWait.join(', ')}`,
        );

        const [elig, inv, adm] = await Promise.all([eligibility, invite, admin]);
        for (const res of [elig, inv]) {
          assert.equal(res.status, 503, JSON.stringify(res.body));
          assert.equal(res.headers.get('Retry-After'), '1');
          assert.equal((res.body as { errorCode: number }).errorCode, 5003);
        }
        assert.equal(adm.status, 503, JSON.stringify(adm.body));
        assert.equal(adm.headers.get('Retry-After'), '1');
        assert.equal((adm.body as { error: { code: string } }).error.code, 'unavailable');
        // they answered while the lock was still held, so none waited for it; /readyz too, within
        // its own timeout for the database
        const readyz = await call(`${t.url}/readyz`, { method: 'GET' });
        assert.ok([200, 503].includes(readyz.status));
      } finally {
        locker.exec('ROLLBACK');
      }

      assert.equal(await countRows('calls'), callsBefore, 'a 503 stored no call');
      assert.equal(
        await countRows('transactions'),
        transactionsBefore,
        'a 503 stored no transaction',
      );
      const settings = await adminApi(t, account.accountId, token).get('/settings');
      assert.notEqual((settings.body as { frequencyCapPerHour?: number }).frequencyCapPerHour, 7);

      const invited = await ivr.invite({ callId });
      assert.equal(invited.status, 200, JSON.stringify(invited.body));
      assert.equal(await countRows('transactions'), transactionsBefore + 1);
      const again = await ivr.eligibility({ ...body, consumerPhoneNumber: '+14155550124' });
      assert.equal(again.status, 200, JSON.stringify(again.body));
    },
  );

  it('a lock held for longer than the timeout does not stop the outbox worker', async () => {
    locker.exec('BEGIN IMMEDIATE');
    try {
      // the worker polls every 20 ms in tests: each poll meanwhile fails to claim a job
      await new Promise((resolve) => setTimeout(resolve, BUSY_TIMEOUT_MS * 2));
    } finally {
      locker.exec('ROLLBACK');
    }
    const ivr = ivrClient(t, account);
    const elig = await ivr.eligibility({
      skill: 'sales',
      consumerPhoneNumber: '+14155550125',
      handoffId: account.handoffs.sms,
    });
    const { callId } = elig.body as { callId: string };
    assert.equal((await ivr.invite({ callId })).status, 200);
    const sent = async () =>
      (
        await t.c2m.deps.db
          .selectFrom('transactions')
          .select('status')
          .where('call_id', '=', callId)
          .executeTakeFirst()
      )?.status;
    await waitFor(async () => (await sent()) !== 'queued', 'the worker to send after the lock');
  });
});
