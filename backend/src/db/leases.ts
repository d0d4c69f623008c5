// Work leased to this node by an atomic claim (the outbox, the event-webhook and sink deliveries):
// each claimed row carries `locked_until`, and until then no other node claims it. A node that
// dies keeps its rows only until the lease runs out; one that stops, or runs short of lease,
// hands back what it has not started, so another node takes it at once.
import type { Clock } from '../clock.js';

export interface LeaseLimits {
  clock: Clock;
  /** When the rows were claimed, and for how long. */
  claimedAt: number;
  leaseMs: number;
  /** Whether the node is stopping (PollLoop's `stopping`). */
  stopping: () => boolean;
}

/**
 * Whether to hand back what is not started yet: the node is stopping, or half the lease has
 * gone, so a row started now might outlive its lease and be taken by another node meanwhile.
 */
export function shouldHandBack(l: LeaseLimits): boolean {
  return l.stopping() || l.clock() - l.claimedAt > l.leaseMs / 2;
}

/**
 * Runs `each` over the claimed rows in order, one at a time, while the lease allows; returns the
 * rows it did not start, for the caller to hand back.
 */
export async function runLeased<T>(
  rows: readonly T[],
  limits: LeaseLimits,
  each: (row: T) => Promise<void>,
): Promise<T[]> {
  for (let i = 0; i < rows.length; i++) {
    if (shouldHandBack(limits)) return rows.slice(i);
    await each(rows[i]);
  }
  return [];
}
