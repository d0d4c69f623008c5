import type { Db } from './database.js';

/**
 * One database transaction and what it will tell the rest of the app once committed. `E` is the
 * app's event type; the storage layer does not know who listens.
 */
export interface Work<E> extends UnitOfWork<E> {
  /** The open transaction: every write of this unit goes through it. */
  readonly db: Db;
  /** Queues an event, published after the commit; dropped with everything else on a rollback. */
  emit(event: E): void;
}

export interface UnitOfWork<E> {
  /**
   * Runs `work` in a transaction (BEGIN IMMEDIATE with the busy wait of busy.ts) and then
   * publishes the events it queued, in order. Called on a `Work`, it joins that unit instead, so a
   * function that needs atomicity can run alone or as part of a larger unit.
   */
  run<T>(work: (w: Work<E>) => Promise<T>): Promise<T>;
}

/**
 * The unit of work of one app. `publish` is told each event after its commit; a process that
 * has no listeners (the CLI) leaves it out, and its events are only written.
 */
export function createUnitOfWork<E>(db: Db, publish: (event: E) => void = () => {}): UnitOfWork<E> {
  return {
    async run(work) {
      const queued: E[] = [];
      const result = await db.transaction().execute((tx) => work(joined(tx, queued)));
      for (const event of queued) publish(event);
      return result;
    },
  };
}

function joined<E>(db: Db, queued: E[]): Work<E> {
  const w: Work<E> = {
    db,
    emit: (event) => queued.push(event),
    run: (work) => work(w),
  };
  return w;
}
