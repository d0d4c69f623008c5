import type { ServerResponse } from 'node:http';

/**
 * The requests a fake provider never answers ('hang'), and the moment their caller gives up on
 * each. A client whose timeout works closes the connection; one whose timeout never fires leaves it
 * open, and a test waiting on `nextHangUp()` then fails on its own `{ timeout }`.
 */
export class HungRequests {
  private closed = 0;
  private waiting: { count: number; resolve: () => void }[] = [];

  /** Leaves `res` unanswered and notes when its caller closes the connection. */
  hold(res: ServerResponse): void {
    res.once('close', () => {
      this.closed += 1;
      const due = this.waiting.filter((w) => w.count <= this.closed);
      this.waiting = this.waiting.filter((w) => w.count > this.closed);
      for (const w of due) w.resolve();
    });
  }

  /** Resolves once the caller has closed one more hung request than it had when asked. */
  nextHangUp(): Promise<void> {
    const count = this.closed + 1;
    return new Promise((resolve) => this.waiting.push({ count, resolve }));
  }
}
