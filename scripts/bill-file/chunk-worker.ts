/** One chunk of a large usage file, read on a worker thread (see parallel-import.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import type { ImportOptions, UsageChunkPlan } from '../../core/src/import';
import { serializedChunkOfFile } from './read-chunk';

export interface ChunkJob {
  readonly file: string;
  readonly plan: UsageChunkPlan;
  readonly index: number;
  readonly options: ImportOptions & { readonly createHasher?: undefined };
}

const job = workerData as ChunkJob;
try {
  // Serialized as it is read and moved, not cloned: the coordinator rebuilds it once this thread has
  // ended and its memory is free (both at once were the peak of a million-row run, bench:reconcile).
  const bytes = serializedChunkOfFile(job.file, job.plan, job.index, job.options);
  // Only a buffer of its own can be moved (a small one may share Node's pool: copied).
  const moved = bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength ? bytes : new Uint8Array(bytes);
  parentPort?.postMessage(moved, [moved.buffer as ArrayBuffer]);
} catch (error) {
  // The coordinator reads the file in one pass instead; it logs nothing of the bill's content.
  parentPort?.postMessage({ ok: false, why: `the chunk's worker failed: ${(error as Error).message}` });
}
