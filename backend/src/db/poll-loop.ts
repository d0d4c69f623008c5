// What every background loop shares (the outbox worker, the sink and event-webhook dispatchers,
// housekeeping): one round at a time, a poll, a nudge, the retry backoff, and what a failed round
// means when another process holds the database.
import type { Logger } from 'pino';
import { isDatabaseBusy } from './busy.js';
import { isDatabaseUnreachable } from './unreachable.js';

/** How long a background loop rests after finding the database busy or unreachable, instead of its poll. */
export const BUSY_BACKOFF_MS = 1000;

/**
 * The one way a background loop reports a failed round: a busy database is expected while another
 * process writes (a warning; the loop backs off), anything else is an error. Returns the delay
 * before the next round.
 */
export function afterFailedRound(
  log: Pick<Logger, 'warn' | 'error'>,
  name: string,
  err: unknown,
  pollMs: number,
): number {
  if (isDatabaseUnreachable(err)) {
    // PostgreSQL is down or cut off: the pool reconnects once it answers; until then, rest
    log.warn({ err: (err as Error).message }, `${name}: the database is unreachable; backing off`);
    return Math.max(pollMs, BUSY_BACKOFF_MS);
  }
  if (!isDatabaseBusy(err)) {
    log.error({ err }, `${name} failed`);
    return pollMs;
  }
  log.warn(`${name}: the database is busy (another process is writing); backing off`);
  return Math.max(pollMs, BUSY_BACKOFF_MS);
}

/**
 * The wait before retry number `attempts` + 1: doubling from `baseMs`, capped at `maxMs`, with
 * jitter over its upper half so work that failed together does not all come back together. Whole
 * milliseconds: it is added to times stored as integers (PostgreSQL's bigint refuses a fraction).
 */
export function backoffDelay(attempts: number, baseMs: number, maxMs: number): number {
  const delay = Math.min(maxMs, baseMs * 2 ** attempts);
  return Math.round(delay / 2 + Math.random() * (delay / 2));
}

export interface PollLoopOptions {
  /** The rest between rounds that found nothing to do. */
  pollMs: number;
  log: Pick<Logger, 'warn' | 'error'>;
  /** Names the loop in its log lines. */
  name: string;
  /**
   * How long a nudge waits for more: the nudges of a burst (one per commit) then make one round,
   * not one each. 0 (the default) runs at once.
   */
  coalesceMs?: number;
}

/**
 * A background loop: `round()` runs once started, then every `pollMs` and at once when nudged, one
 * round at a time. While a round reports progress (a count above 0) the next runs straight away,
 * so a burst drains in consecutive rounds rather than one per poll. A nudge during a round that
 * found nothing runs one more: what was committed meanwhile may have missed that round's query. A
 * nudge waits `coalesceMs` for the rest of its burst; one that finds a round already coming within
 * that time changes nothing. A failed round rests as afterFailedRound says.
 */
export abstract class PollLoop {
  private timer: NodeJS.Timeout | undefined;
  /** When the scheduled round runs (Date.now() time); undefined while none is scheduled. */
  private dueAt: number | undefined;
  private current: Promise<void> | undefined;
  /** From a round's first line: `round`'s synchronous start runs before `current` is set. */
  private inRound = false;
  private running = false;
  private wakeRequested = false;
  private stopRequested = false;

  constructor(private readonly loopOptions: PollLoopOptions) {}

  /** One round of work; returns how much it did (0: rest until the poll or a nudge). */
  protected abstract round(): Promise<number>;

  /**
   * Whether `stop()` is waiting for the round in hand: the round then hands back the leased work
   * it has not started, so another node takes it at once rather than when its lease runs out
   * (leases.ts).
   */
  protected get stopping(): boolean {
    return this.stopRequested;
  }

  /** The first round runs after `firstInMs` (at once by default). */
  start(firstInMs = 0): void {
    this.running = true;
    this.schedule(firstInMs);
  }

  /** Run soon: something was just committed. */
  nudge(): void {
    if (!this.running) return;
    if (this.inRound) {
      this.wakeRequested = true;
      return;
    }
    const coalesceMs = this.loopOptions.coalesceMs ?? 0;
    if (this.dueAt !== undefined && this.dueAt <= Date.now() + coalesceMs) return;
    this.schedule(coalesceMs);
  }

  /** Stops scheduling rounds and waits for the one in hand to finish. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopRequested = true;
    clearTimeout(this.timer);
    this.dueAt = undefined;
    await this.current;
    // a later drain (tests, the CLI) runs its work rather than handing it all back
    this.stopRequested = false;
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.dueAt = Date.now() + ms;
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.dueAt = undefined;
    if (!this.running || this.inRound) return;
    this.inRound = true;
    const { pollMs, log, name } = this.loopOptions;
    let nextMs = pollMs;
    this.current = (async () => {
      for (;;) {
        this.wakeRequested = false;
        const done = await this.round();
        if (!this.running) return;
        if (done === 0) {
          // nudged while this round looked: one more, after the burst's other commits
          if (this.wakeRequested) nextMs = this.loopOptions.coalesceMs ?? 0;
          return;
        }
        // the event loop gets a turn between rounds: a backlog must not hold up the API's requests
        await new Promise((resolve) => setImmediate(resolve));
      }
    })().catch((err: unknown) => {
      nextMs = afterFailedRound(log, `${name} tick`, err, pollMs);
    });
    await this.current;
    this.current = undefined;
    this.inRound = false;
    if (this.running) this.schedule(nextMs);
  }
}

/** A loop whose round is one function, for work that needs no class of its own. */
export function pollLoop(round: () => Promise<number>, opts: PollLoopOptions): PollLoop {
  return new (class extends PollLoop {
    protected round(): Promise<number> {
      return round();
    }
  })(opts);
}
