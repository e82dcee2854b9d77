import { Deserializer, Serializer } from 'node:v8';
import { readUsageChunk, readUsageChunkTo, type BucketState, type ImportOptions, type UsageChunk, type UsageChunkPlan } from '../../core/src/import';
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

/**
 * The same chunk, serialized (node:v8) as it is read: each bucket is written as the core hands it
 * over (readUsageChunkTo), so the thread never holds its buckets twice, then a null, then the rest
 * of the chunk. chunkOfBytes reads it back.
 */
export function serializedChunkOfFile(file: string, plan: UsageChunkPlan, index: number, options: ImportOptions = {}): Uint8Array {
  const range = plan.ranges[index];
  if (range === undefined) throw new Error(`chunk ${index} is not in the plan`);
  const out = new Serializer();
  out.writeHeader();
  const chunk = readUsageChunkTo(plan, index, fileBytesSync(file, range.from, range.to), options, (bucket) => out.writeValue(bucket));
  out.writeValue(null);
  out.writeValue(chunk);
  return out.releaseBuffer();
}

/** A chunk serializedChunkOfFile wrote. */
export function chunkOfBytes(bytes: Uint8Array): UsageChunk {
  const input = new Deserializer(bytes);
  input.readHeader();
  const buckets: BucketState[] = [];
  for (let bucket = input.readValue() as BucketState | null; bucket !== null; bucket = input.readValue() as BucketState | null) buckets.push(bucket);
  const chunk = input.readValue() as UsageChunk;
  return chunk.ok ? { ...chunk, buckets } : chunk;
}
