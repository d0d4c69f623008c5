/**
 * The records of an NDJSON body, parsed as the bytes arrive: an export of any size is never held
 * in memory whole. Reads with a reader rather than `for await` over the stream, which not every
 * browser supports. Leaving the loop early cancels the download.
 */
export async function* ndjsonRecords<T>(body: ReadableStream<Uint8Array>): AsyncGenerator<T> {
  let buffered = '';
  for await (const chunk of textChunks(body)) {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') yield JSON.parse(line) as T;
  }
  if (buffered.trim() !== '') yield JSON.parse(buffered) as T;
}

/** The body as UTF-8 text, chunk by chunk (a character split across chunks is kept whole). */
export async function* textChunks(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      const text = decoder.decode(next.value, { stream: true });
      if (text !== '') yield text;
    }
    done = true;
    const rest = decoder.decode();
    if (rest !== '') yield rest;
  } finally {
    if (!done) await reader.cancel();
    reader.releaseLock();
  }
}
