// The export thread (see export-thread.ts): reads and formats every open export, one chunk each
// time the request thread asks for it, so a slow client holds one chunk in memory, not its export.
// Exports take turns here: each has at most one chunk asked for at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { openReadOnly } from '../../db/database.js';
import type { ExportMessage, ExportReply } from './export-thread.js';
import { exportLines } from './exports.js';
import { lowerOwnPriority } from './thread-priority.js';
import { toThreadError } from './thread-error.js';

/** Text per chunk sent to the request thread: few messages, little held per export. */
const CHUNK_CHARS = 64 * 1024;

lowerOwnPriority();
const port = parentPort!;
const { file } = workerData as { file: string };
const db = openReadOnly(file);
const open = new Map<number, AsyncGenerator<string>>();
const encoder = new TextEncoder();

port.on('message', (message: ExportMessage) => {
  if ('cancel' in message) {
    // the client left: closing the generator closes its reader (readInChunks' finally)
    void open.get(message.id)?.return(undefined);
    open.delete(message.id);
    return;
  }
  if ('start' in message) open.set(message.id, exportLines(db, file, message.start));
  void sendChunk(message.id);
});

async function sendChunk(id: number): Promise<void> {
  const lines = open.get(id);
  if (!lines) return;
  try {
    let text = '';
    let done = false;
    while (!done && text.length < CHUNK_CHARS) {
      const step = await lines.next();
      if (step.done) done = true;
      else text += step.value;
    }
    if (!open.has(id)) return; // cancelled meanwhile
    if (done) open.delete(id);
    // a fresh buffer of its own, moved to the request thread rather than copied
    const chunk = encoder.encode(text);
    port.postMessage({ id, chunk, done } satisfies ExportReply, [chunk.buffer]);
  } catch (err) {
    open.delete(id);
    port.postMessage({
      id,
      error: toThreadError(err),
    } satisfies ExportReply);
  }
}
