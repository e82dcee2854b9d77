/** One chunk of a large usage file, read on a worker thread (see parallel-import.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import type { ImportOptions, UsageChunkPlan } from '../../core/src/import';
import { serializeChunkOfFile } from './read-chunk';

export interface ChunkJob {
  readonly file: string;
  readonly plan: UsageChunkPlan;
  readonly index: number;
  readonly options: ImportOptions & { readonly createHasher?: undefined };
}

const job = workerData as ChunkJob;
try {
  // Serialized as it is read, in pieces that are moved, not cloned: the coordinator rebuilds the
  // chunk once this thread has ended and its memory is free (read-chunk.ts).
  serializeChunkOfFile(job.file, job.plan, job.index, job.options, (bytes) => {
    // Only a buffer of its own can be moved (a small one may share Node's pool: copied).
    const piece = bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength ? bytes : new Uint8Array(bytes);
    parentPort?.postMessage(piece, [piece.buffer as ArrayBuffer]);
  });
} catch (error) {
  // The coordinator reads the file in one pass instead; it logs nothing of the bill's content.
  parentPort?.postMessage({ ok: false, why: `the chunk's worker failed: ${(error as Error).message}` });
}
