import { deserialize, serialize } from 'node:v8';
import {
  NOT_CHUNKED,
  readUsageChunk,
  readUsageChunkTo,
  type BucketState,
  type ImportOptions,
  type UsageChunk,
  type UsageChunkPlan,
} from '../../core/src/import';
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

/** Buckets per piece: a few hundred kilobytes, which a thread makes and hands over at once. */
const PIECE_BUCKETS = 256;

/**
 * The same chunk, serialized (node:v8) as it is read and handed to `emit` in pieces: a list of
 * buckets per piece, as the core hands them over (readUsageChunkTo), then the rest of the chunk.
 * The thread never holds its buckets twice, nor one growing buffer of all of them (both threads'
 * copies at once were the peak memory of a million-row run). chunkOfPieces reads them back.
 */
export function serializeChunkOfFile(file: string, plan: UsageChunkPlan, index: number, options: ImportOptions, emit: (piece: Uint8Array) => void): void {
  const range = plan.ranges[index];
  if (range === undefined) throw new Error(`chunk ${index} is not in the plan`);
  let batch: BucketState[] = [];
  let count = 0;
  const flush = () => {
    if (batch.length > 0) emit(serialize(batch));
    batch = [];
  };
  const chunk = readUsageChunkTo(plan, index, fileBytesSync(file, range.from, range.to), options, (bucket) => {
    batch.push(bucket);
    count++;
    if (batch.length === PIECE_BUCKETS) flush();
  });
  flush();
  const last: LastPiece = { chunk, buckets: count };
  emit(serialize(last));
}

/** The last piece: the chunk without its buckets, and how many were sent before it. */
interface LastPiece {
  readonly chunk: UsageChunk;
  readonly buckets: number;
}

/**
 * A chunk from the pieces serializeChunkOfFile emitted, in order; refused (read in one pass) when
 * a piece is missing or does not read back.
 */
export function chunkOfPieces(pieces: readonly Uint8Array[]): UsageChunk {
  try {
    const last = pieces[pieces.length - 1];
    if (last === undefined) return NOT_CHUNKED('the chunk came back empty');
    const { chunk, buckets: count } = deserialize(last) as LastPiece;
    if (!chunk.ok) return chunk;
    const buckets = pieces.slice(0, -1).flatMap((p) => deserialize(p) as BucketState[]);
    if (buckets.length !== count) return NOT_CHUNKED(`the chunk came back with ${buckets.length} of its ${count} buckets`);
    return { ...chunk, buckets };
  } catch (error) {
    return NOT_CHUNKED(`the chunk could not be read back: ${(error as Error).message}`);
  }
}
