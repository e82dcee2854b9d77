import { closeSync, openSync, readSync } from 'node:fs';
import { BillImporter, type ImportOptions, type UsageChunk, type UsageChunkPlan } from '../../core/src/import';

/**
 * Reads chunk `index` of a planned usage file (core/src/import/chunks.ts): the file's header line,
 * then the chunk's byte range, through the core importer's chunk mode. A worker thread
 * (chunk-worker.ts) and a queue worker (bench/scale-out.ts) both call this.
 */
export function readChunkOfFile(file: string, plan: UsageChunkPlan, index: number, options: ImportOptions = {}): UsageChunk {
  const range = plan.ranges[index];
  if (range === undefined) throw new Error(`chunk ${index} is not in the plan`);
  const importer = new BillImporter({ ...options, createHasher: () => ({ update: () => undefined, digestHex: () => '' }) });
  importer.beginChunk(index === 0 ? null : plan.seed);
  if (index > 0) importer.push(plan.header);
  // One buffer, read into again and again: a stream's fresh megabyte per read is freed only by a
  // garbage collection, and a thread reading half a gigabyte would hold dozens of them meanwhile.
  const buffer = new Uint8Array(1 << 20);
  const fd = openSync(file, 'r');
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
  return importer.finishChunk(index === plan.ranges.length - 1);
}
