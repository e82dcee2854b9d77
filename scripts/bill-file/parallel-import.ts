/**
 * A bill file read the fastest way this machine allows, with the result of one pass: a large
 * daily-usage CSV is split into as many chunks as there are cores, each read by a worker thread
 * while this thread hashes the file, and the chunks are merged in file order by the core
 * (core/src/import/chunks.ts). Anything the core will not chunk, a small file, or a file that
 * changed while it was read, is read in one pass. The CLI's commands and the benches call this.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  BillImporter,
  importBill,
  NOT_CHUNKED,
  planUsageChunks,
  type ImportOptions,
  type ImportResult,
  type UsageChunk,
  type UsageChunkPlan,
} from '../../core/src/import';
import type { ChunkJob } from './chunk-worker';
import { fileBytes } from './file-bytes';
import { chunkOfPieces } from './read-chunk';

/** Below this a worker's start-up costs more than it saves. */
export const MIN_CHUNKED_BYTES = 64 * 1024 * 1024;
const HEAD_BYTES = 1 << 20;
const WORKER_YOUNG_GENERATION_MB = 6;
/** How far a line feed is looked for after a split point before the file is read in one pass. */
const MAX_LINE_SEARCH = 16 * 1024 * 1024;

export interface FileImportOptions {
  /** Chunks (threads) to read with; default: the cores available. 1 reads in one pass. */
  readonly parallelism?: number;
  /** Smallest file read in chunks (tests lower it). */
  readonly minChunkedBytes?: number;
  /**
   * Told as soon as it is known whether the file is read in chunks (true: a daily-usage file, so
   * it holds no licence lines) or in one pass (false), before it is read.
   */
  readonly onPlanned?: (chunked: boolean) => void;
}

export interface FileImportResult extends ImportResult {
  /** How many chunks the file was read in (1: one pass), and why not more when it could not be. */
  readonly chunks: number;
  readonly oneReason?: string;
}

export async function importBillFile(file: string, options: ImportOptions = {}, how: FileImportOptions = {}): Promise<FileImportResult> {
  const parallelism = how.parallelism ?? availableParallelism();
  const before = statSync(file);
  const onePass = async (why?: string): Promise<FileImportResult> => {
    how.onPlanned?.(false);
    return onePassOf(why);
  };
  const onePassOf = async (why?: string): Promise<FileImportResult> => ({
    ...(await importBill(fileBytes(file), { ...options, createHasher: options.createHasher ?? nodeSha256 })),
    chunks: 1,
    ...(why !== undefined ? { oneReason: why } : {}),
  });
  if (parallelism < 2 || before.size < (how.minChunkedBytes ?? MIN_CHUNKED_BYTES)) return onePass();
  const plan = planOf(file, before.size, parallelism, options);
  if (plan === null) return onePass('not a daily-usage CSV the core reads in chunks');
  how.onPlanned?.(true);
  // Functions do not cross to a thread; the chunks need no hasher (this thread hashes the file).
  const cloneable: ChunkJob['options'] = { ...options, createHasher: undefined };
  const hashing = hashFile(file);
  const chunks = await Promise.all(plan.ranges.map((_, index) => readChunk({ file, plan, index, options: cloneable })));
  const contentHash = await hashing;
  const after = statSync(file);
  if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) return onePassOf('the file changed while it was read');
  const merged = BillImporter.mergeChunks(plan.header, chunks, plan.seed, { contentHash, byteLength: before.size }, options);
  if (merged === null) return onePassOf(chunks.find((c) => !c.ok)?.why ?? 'the chunks could not be merged');
  return { ...merged, chunks: chunks.length };
}

/** The chunks a file is read in (null: one pass), from its first megabyte and line feeds found by reading. */
export function planOf(file: string, size: number, parallelism: number, options: ImportOptions): UsageChunkPlan | null {
  const fd = openSync(file, 'r');
  try {
    const head = new Uint8Array(Math.min(size, HEAD_BYTES));
    readSync(fd, head, 0, head.length, 0);
    const window = new Uint8Array(64 * 1024);
    const lineFeedAt = (offset: number): number => {
      for (let at = offset; at < size && at < offset + MAX_LINE_SEARCH; at += window.length) {
        const n = readSync(fd, window, 0, window.length, at);
        const i = window.subarray(0, n).indexOf(10);
        if (i >= 0) return at + i;
      }
      return -1;
    };
    return planUsageChunks(head, size, parallelism, lineFeedAt, options);
  } finally {
    closeSync(fd);
  }
}

/**
 * A chunk's worker: the bundle scripts/run.js builds beside the CLI's (`npm run reconcile`), else
 * the TypeScript source through tsx's require hook (tests, benches run with tsx: a worker does not
 * inherit the `--import tsx` loader of the thread that starts it, nor jest's transform).
 */
const BUNDLED_WORKER = join(__dirname, 'chunk-worker.js');
const WORKER_BOOT = `require('tsx/cjs'); require(${JSON.stringify(join(__dirname, 'chunk-worker.ts'))});`;

function readChunk(job: ChunkJob): Promise<UsageChunk> {
  return new Promise((resolve) => {
    // A small young generation: three threads' default ones were a quarter of the peak memory
    // of a million-row import (bench:reconcile), at no cost in time; the old one is not capped.
    const limits = { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } };
    const worker = existsSync(BUNDLED_WORKER)
      ? new Worker(BUNDLED_WORKER, { workerData: job, ...limits })
      : new Worker(WORKER_BOOT, { eval: true, workerData: job, ...limits });
    // The chunk arrives in serialized pieces (chunk-worker.ts), rebuilt once its thread has ended;
    // a plain object is the thread's refusal.
    const pieces: Uint8Array[] = [];
    let refused: UsageChunk | undefined;
    worker.on('message', (message: UsageChunk | Uint8Array) => {
      if (message instanceof Uint8Array) pieces.push(message);
      else refused = message;
    });
    // A piece that cannot be read back: the chunk is incomplete, so it is refused (one pass instead).
    worker.once('messageerror', (error) => (refused = NOT_CHUNKED(`a piece of the chunk was lost: ${error.message}`)));
    worker.once('error', (error) => resolve(NOT_CHUNKED(`the chunk's worker failed: ${error.message}`)));
    worker.once('exit', (code) => {
      if (refused !== undefined) resolve(refused);
      else if (code !== 0 || pieces.length === 0) resolve(NOT_CHUNKED(`the chunk's worker stopped (exit code ${code})`));
      else resolve(chunkOfPieces(pieces));
    });
  });
}

/** SHA-256 of the file, read between the other work of this thread. */
async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const bytes of fileBytes(file)) hash.update(bytes);
  return hash.digest('hex');
}

function nodeSha256(): { update(d: Uint8Array): unknown; digestHex(): string } {
  const hash = createHash('sha256');
  return { update: (d: Uint8Array) => hash.update(d), digestHex: () => hash.digest('hex') };
}

/** How the CLI reads a bill file (the reconcile bench reads its files the same way). */
export function billFileOptions(fileName: string, encoding?: ImportOptions['encoding']): ImportOptions {
  return {
    fileName,
    ...(encoding ? { encoding } : {}),
    // A line printed twice is a charge billed twice: the engine lists it as a duplicate charge
    // with its money instead of the importer dropping it as a bad row.
    detectDuplicates: false,
    createHasher: nodeSha256,
  };
}
