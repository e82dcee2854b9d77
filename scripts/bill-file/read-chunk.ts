import { readUsageChunk, type ImportOptions, type UsageChunk, type UsageChunkPlan } from '../../core/src/import';
import { fileBytesSync } from './file-bytes';

/**
 * Reads chunk `index` of a planned usage file (core/src/import/chunks.ts) from disk, through the
 * core's readUsageChunk. A worker thread (chunk-worker.ts) and a queue worker (bench/scale-out.ts)
 * both call this.
 */
export function readChunkOfFile(file: string, plan: UsageChunkPlan, index: number, options: ImportOptions = {}): UsageChunk {
  const range = plan.ranges[index];
  if (range === undefined) throw new Error(`chunk ${index} is not in the plan`);
  return readUsageChunk(plan, index, fileBytesSync(file, range.from, range.to), options);
}
