import { BillImporter } from './importer';
import { ImportOptions, ImportResult } from './types';

/**
 * Feeding the parser. A Node Readable (fs.createReadStream) is already an AsyncIterable of Buffer,
 * which is a Uint8Array, so it goes straight into importBill(). A browser File gives a
 * ReadableStream (file.stream()); readableStreamChunks() turns it into an AsyncIterable for
 * browsers whose streams are not async-iterable yet. No file system here: core does no I/O.
 */
export async function importBill(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: ImportOptions = {}): Promise<ImportResult> {
  const importer = new BillImporter(options);
  for await (const chunk of source) importer.push(chunk);
  return importer.finish();
}

/** Synchronous import of bytes already in memory (tests, small uploads, a worker's ArrayBuffer). */
export function importBytes(bytes: Uint8Array, options: ImportOptions = {}, chunkSize = 1 << 20): ImportResult {
  const importer = new BillImporter(options);
  for (let at = 0; at < bytes.length; at += chunkSize) importer.push(bytes.subarray(at, Math.min(bytes.length, at + chunkSize)));
  return importer.finish();
}

/** The part of the WHATWG ReadableStream this adapter needs (lib.dom is not in core's typings). */
export interface ReadableStreamLike<T> {
  getReader(): {
    read(): Promise<{ done: boolean; value?: T }>;
    releaseLock(): void;
    cancel?(reason?: unknown): Promise<void>;
  };
}

/** A browser File/Blob stream (or fetch body) as an AsyncIterable; cancels the stream if the consumer stops early. */
export async function* readableStreamChunks(stream: ReadableStreamLike<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
  const reader = stream.getReader();
  let done = false;
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) {
        done = true;
        return;
      }
      if (r.value !== undefined) yield r.value;
    }
  } finally {
    if (!done && reader.cancel) await reader.cancel();
    reader.releaseLock();
  }
}
