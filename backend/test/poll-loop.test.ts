// The background loops' shared helper (db/poll-loop.ts): rounds one at a time, again at once while
// there is work, a nudge never lost, and a busy database rested out rather than reported as broken.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import SqliteDatabase from 'better-sqlite3';
import {
  afterFailedRound,
  backoffDelay,
  BUSY_BACKOFF_MS,
  pollLoop,
  type PollLoop,
} from '../src/db/poll-loop.js';

const quiet = { warn: () => {}, error: () => {} };
const LONG_POLL_MS = 60_000;

/** Resolves when `n` rounds have started. */
function rounds(n: number) {
  let started = 0;
  let reached!: () => void;
  const done = new Promise<void>((ok) => (reached = ok));
  return {
    done,
    count: () => started,
    started: () => {
      started += 1;
      if (started === n) reached();
    },
  };
}

describe('poll loop', () => {
  // the loop's timers do not hold the process open (a server's loops must not keep it alive)
  let keepAlive: NodeJS.Timeout;
  before(() => (keepAlive = setInterval(() => {}, 1000)));
  after(() => clearInterval(keepAlive));

  it('runs again at once while a round reports work, then waits for its poll', async () => {
    const seen = rounds(3);
    const left = [2, 1, 0];
    const loop = pollLoop(
      () => {
        seen.started();
        return Promise.resolve(left.shift() ?? 0);
      },
      { pollMs: LONG_POLL_MS, log: quiet, name: 'test' },
    );
    loop.start();
    await seen.done;
    await loop.stop();
    assert.equal(seen.count(), 3);
  });

  it('runs one more round when nudged during a round that found nothing', async () => {
    const seen = rounds(2);
    let nudgedOnce = false;
    const loop: PollLoop = pollLoop(
      () => {
        seen.started();
        if (!nudgedOnce) {
          nudgedOnce = true;
          // something committed while this round was looking
          loop.nudge();
        }
        return Promise.resolve(0);
      },
      { pollMs: LONG_POLL_MS, log: quiet, name: 'test' },
    );
    loop.start();
    await seen.done;
    await loop.stop();
    assert.equal(seen.count(), 2);
  });

  it('lets the round in hand finish on stop, and starts no other', async () => {
    let finish!: () => void;
    const started = rounds(1);
    let finished = false;
    const loop = pollLoop(
      async () => {
        started.started();
        await new Promise<void>((ok) => (finish = ok));
        finished = true;
        return 1;
      },
      { pollMs: LONG_POLL_MS, log: quiet, name: 'test' },
    );
    loop.start();
    await started.done;
    const stopped = loop.stop();
    finish();
    await stopped;
    assert.equal(finished, true);
    assert.equal(started.count(), 1);
  });

  it('backs off after a busy database, and reports any other failure at the poll', () => {
    const logged: string[] = [];
    const log = { warn: () => logged.push('warn'), error: () => logged.push('error') };
    const busy = new SqliteDatabase.SqliteError('database is locked', 'SQLITE_BUSY');
    assert.equal(afterFailedRound(log, 'test', busy, 20), BUSY_BACKOFF_MS);
    assert.equal(afterFailedRound(log, 'test', new Error('boom'), 20), 20);
    assert.deepEqual(logged, ['warn', 'error']);
  });

  it('doubles the backoff up to its cap, with jitter over the upper half', () => {
    for (const [attempts, ceiling] of [
      [0, 100],
      [1, 200],
      [3, 800],
      [10, 1000],
    ] as const) {
      const delay = backoffDelay(attempts, 100, 1000);
      assert.ok(delay >= ceiling / 2 && delay <= ceiling, `${attempts}: ${delay}`);
    }
  });
});
