/** One chunk of a large usage file, read on a worker thread (see parallel-import.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import type { ImportOptions, UsageChunkPlan } from '../../core/src/import';
import { readChunkOfFile } from './read-chunk';

export interface ChunkJob {
  readonly file: string;
  readonly plan: UsageChunkPlan;
  readonly index: number;
  readonly options: ImportOptions & { readonly createHasher?: undefined };
}

const job = workerData as ChunkJob;
try {
  parentPort?.postMessage(readChunkOfFile(job.file, job.plan, job.index, job.options));
} catch (error) {
  // The coordinator reads the file in one pass instead; it logs nothing of the bill's content.
  parentPort?.postMessage({ ok: false, why: `the chunk's worker failed: ${(error as Error).message}` });
}
