/**
 * One chunk of a large usage file, read on a worker thread (see parallel-import.ts): the file's
 * header line, then the chunk's byte range, through the core importer's chunk mode.
 */
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { BillImporter, type ImportOptions, type UsageChunkPlan } from '../../core/src/import';

export interface ChunkJob {
  readonly file: string;
  readonly plan: UsageChunkPlan;
  readonly index: number;
  readonly options: Omit<ImportOptions, 'createHasher'>;
}

async function readChunk(job: ChunkJob): Promise<void> {
  const range = job.plan.ranges[job.index];
  if (range === undefined) throw new Error(`chunk ${job.index} is not in the plan`);
  const importer = new BillImporter({ ...job.options, createHasher: () => ({ update: () => undefined, digestHex: () => '' }) });
  importer.beginChunk(job.index === 0 ? null : job.plan.seed);
  if (job.index > 0) importer.push(job.plan.header);
  if (range.to > range.from)
    for await (const bytes of createReadStream(job.file, { start: range.from, end: range.to - 1, highWaterMark: 1 << 20 })) importer.push(bytes as Buffer);
  parentPort?.postMessage(importer.finishChunk(job.index === job.plan.ranges.length - 1));
}

readChunk(workerData as ChunkJob).catch((error: unknown) => {
  // The coordinator reads the file in one pass instead; it logs nothing of the bill's content.
  parentPort?.postMessage({ ok: false, why: `the chunk's worker failed: ${(error as Error).message}` });
});
