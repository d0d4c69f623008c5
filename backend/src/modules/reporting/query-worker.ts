// A heavy-read worker thread (see query-pool.ts): the reporting queries, run on a read-only
// connection of its own, so a 59-day analytics or a transactions count never holds the thread
// that answers every other account's requests.
import { parentPort, workerData } from 'node:worker_threads';
import { openReadOnly } from '../../db/database.js';
import { QUERIES, type QueryMessage, type QueryReply } from './query-pool.js';
import { lowerOwnPriority } from './thread-priority.js';
import { toThreadError } from './thread-error.js';

lowerOwnPriority();
const port = parentPort!;
const db = openReadOnly((workerData as { file: string }).file);

port.on('message', (message: QueryMessage) => {
  const query = QUERIES[message.name] as (db: unknown, ...args: unknown[]) => Promise<unknown>;
  query(db, ...message.args).then(
    (result) => port.postMessage({ id: message.id, result } satisfies QueryReply),
    (err: unknown) =>
      port.postMessage({
        id: message.id,
        error: toThreadError(err),
      } satisfies QueryReply),
  );
});
