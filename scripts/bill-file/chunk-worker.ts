/**
 * One chunk of a large usage file, read on a worker thread (see parallel-import.ts): the file's
 * header line, then the chunk's byte range, through the core importer's chunk mode.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { BillImporter, type ImportOptions, type UsageChunkPlan } from '../../core/src/import';

export interface ChunkJob {
  readonly file: string;
  readonly plan: UsageChunkPlan;
  readonly index: number;
  readonly options: ImportOptions & { readonly createHasher?: undefined };
}

function readChunk(job: ChunkJob): void {
  const range = job.plan.ranges[job.index];
  if (range === undefined) throw new Error(`chunk ${job.index} is not in the plan`);
  const importer = new BillImporter({ ...job.options, createHasher: () => ({ update: () => undefined, digestHex: () => '' }) });
  importer.beginChunk(job.index === 0 ? null : job.plan.seed);
  if (job.index > 0) importer.push(job.plan.header);
  // One buffer, read into again and again: a stream's fresh megabyte per read is freed only by a
  // garbage collection, and a thread reading half a gigabyte would hold dozens of them meanwhile.
  const buffer = new Uint8Array(1 << 20);
  const fd = openSync(job.file, 'r');
  try {
    for (let at = range.from; at < range.to; ) {
      const n = readSync(fd, buffer, 0, Math.min(buffer.length, range.to - at), at);
      if (n === 0) throw new Error(`the file ends at byte ${at}, before its chunk does (${range.to})`);
      importer.push(buffer.subarray(0, n));
      at += n;
    }
  } finally {
    closeSync(fd);
  }
  parentPort?.postMessage(importer.finishChunk(job.index === job.plan.ranges.length - 1));
}

try {
  readChunk(workerData as ChunkJob);
} catch (error) {
  // The coordinator reads the file in one pass instead; it logs nothing of the bill's content.
  parentPort?.postMessage({ ok: false, why: `the chunk's worker failed: ${(error as Error).message}` });
}
