// engine: sqlite
// WAL checkpoints off the request thread (issue 13): the server's connection never checkpoints
// inside a commit (wal_autocheckpoint 0); a thread of its own keeps the -wal file bounded under a
// stream of writes, empties it when writes stop, ends with close(), and when it dies the server
// falls back to checkpointing in its commits rather than letting the WAL grow for ever.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { databaseFile, openDatabase, type Db } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { newAccountId, newHandoffId, newUuid } from '../src/ids.js';
import { insertAccount } from '../src/modules/accounts/accounts.repo.js';
import { startTestC2m, type TestC2m, waitFor } from './helpers.js';

/** The WAL size past which the checkpoint thread restarts the log (C2M_SQLITE_WAL_LIMIT_MB). */
const LIMIT_MB = 8;
const WRITES = 3000;
const MB = 1024 * 1024;

const walSize = (file: string) => (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `WRITES` eligibility-shaped calls, one commit each (as the IVR API writes them), in rounds with
 * a pause between so the writes span several of the thread's checks. Answers the largest -wal
 * size seen between rounds.
 */
async function writeCalls(db: Db, file: string, accountId: string): Promise<number> {
  let largest = 0;
  const handoffId = newHandoffId();
  for (let i = 0; i < WRITES; i++) {
    const now = Date.now();
    await db
      .insertInto('calls')
      .values({
        id: newUuid(),
        account_id: accountId,
        handoff_id: handoffId,
        skill: 'sales',
        consumer_phone: `+1415555${String(i).padStart(4, '0')}`,
        consumer_id: null,
        ivr_number: '+18005550100',
        sdes_json: '[]',
        template_vars_json: JSON.stringify({ 1: 'Ana' }),
        eligible: 1,
        decisions_json: JSON.stringify([{ channel: 'sms', eligible: true, reason: 'eligible' }]),
        created_at: now,
        expires_at: now + 3_600_000,
        report_channel: 'sms',
        report_outcome: 'eligible',
        report_error: null,
      })
      .execute();
    if (i % 25 === 24) {
      largest = Math.max(largest, walSize(file));
      await pause(15);
    }
  }
  return Math.max(largest, walSize(file));
}

const countCalls = async (db: Db, accountId: string) =>
  Number(
    (
      await db
        .selectFrom('calls')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('account_id', '=', accountId)
        .executeTakeFirstOrThrow()
    ).n,
  );

const autocheckpoint = async (db: Db) =>
  (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db)).rows[0]
    .wal_autocheckpoint;

/** The commits checkpoint until the thread has started; then they stop doing it. */
const threadRunning = (db: Db) =>
  waitFor(async () => (await autocheckpoint(db)) === 0, 'the checkpoint thread to start');

async function newAccount(db: Db): Promise<string> {
  const accountId = newAccountId();
  await insertAccount(db, { id: accountId, name: `Account ${accountId}`, now: Date.now() });
  return accountId;
}

describe('WAL checkpoints on a thread of their own', () => {
  /** What the same writes leave in the WAL with no checkpoint at all. */
  let uncheckpointedBytes: number;

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'c2m-nockpt-'));
    try {
      const file = databaseFile(dir);
      const { db, sqlite } = openDatabase(file, { synchronous: 'normal', busyTimeoutMs: 1000 });
      await migrateToLatest(db);
      sqlite.pragma('wal_autocheckpoint = 0');
      uncheckpointedBytes = await writeCalls(db, file, await newAccount(db));
      await db.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('a running server', () => {
    let t: TestC2m;
    let file: string;
    before(async () => {
      t = await startTestC2m({ C2M_SQLITE_WAL_LIMIT_MB: String(LIMIT_MB) });
      file = databaseFile(t.dataDir);
    });
    after(() => t.close());

    it('never checkpoints in a commit of its own connection once the thread runs', async () => {
      await threadRunning(t.c2m.deps.db);
    });

    it('keeps the -wal file bounded under a stream of writes, and empties it once they stop', async () => {
      const accountId = await newAccount(t.c2m.deps.db);
      const largest = await writeCalls(t.c2m.deps.db, file, accountId);
      // the writes are large enough that the bound means something
      assert.ok(
        uncheckpointedBytes > 4 * LIMIT_MB * MB,
        `no checkpoints: ${uncheckpointedBytes} bytes`,
      );
      assert.ok(
        largest < 2 * LIMIT_MB * MB,
        `-wal reached ${largest} bytes (no checkpoints: ${uncheckpointedBytes})`,
      );
      await waitFor(() => walSize(file) === 0, 'the quiet server to truncate the WAL', 10_000);
      assert.equal(await countCalls(t.c2m.deps.db, accountId), WRITES);
    });
  });

  it('stops the thread on close(), leaves no WAL behind, and keeps every write', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'c2m-test-'));
    try {
      const t = await startTestC2m({}, { dataDir });
      await threadRunning(t.c2m.deps.db);
      const file = databaseFile(dataDir);
      let exited = false;
      t.c2m.checkpointer!.thread?.once('exit', () => (exited = true));
      const accountId = await newAccount(t.c2m.deps.db);
      await writeCalls(t.c2m.deps.db, file, accountId);
      await t.close();
      assert.ok(exited, 'the checkpoint thread has exited');
      assert.equal(existsSync(`${file}-wal`), false);

      const { db } = openDatabase(file, { synchronous: 'normal', busyTimeoutMs: 1000 });
      try {
        assert.equal(await countCalls(db, accountId), WRITES);
      } finally {
        await db.destroy();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('falls back to checkpoints in the commits when the thread dies', async () => {
    const t = await startTestC2m({ C2M_SQLITE_WAL_LIMIT_MB: String(LIMIT_MB) });
    try {
      const file = databaseFile(t.dataDir);
      await threadRunning(t.c2m.deps.db);
      await t.c2m.checkpointer!.thread!.terminate();
      await waitFor(
        async () => (await autocheckpoint(t.c2m.deps.db)) > 0,
        'autocheckpoint back on the main connection',
      );
      const accountId = await newAccount(t.c2m.deps.db);
      const largest = await writeCalls(t.c2m.deps.db, file, accountId);
      assert.ok(largest < 2 * LIMIT_MB * MB, `-wal reached ${largest} bytes`);
      assert.equal(await countCalls(t.c2m.deps.db, accountId), WRITES);
    } finally {
      await t.close();
    }
  });
});
