import { ChunkRange, planChunks, UsageChunk } from './chunks';
import { BillImporter } from './importer';
import { importBytes } from './stream-adapters';
import { Sha256 } from './sha256';
import { sniff } from './text-decoding';
import { ImportOptions, ImportResult } from './types';
import { BucketState } from './usage-aggregator';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/** How a file is read in chunks: its header bytes, the later chunks' billing currency, the ranges. */
export interface UsageChunkPlan {
  /** The file's bytes up to and including the header line's line feed (each chunk reads them first). */
  readonly header: Uint8Array;
  readonly seed: string;
  readonly ranges: readonly ChunkRange[];
}

const noHash = () => ({ update: () => undefined, digestHex: () => '' });

/**
 * Plans `count` chunks of a file of `size` bytes from its first bytes (`head`, a megabyte or so,
 * ending anywhere) and a way to find the first line feed at or after an offset. Null when the file
 * must be read in one pass: not a UTF-8 daily-usage CSV with LF or CRLF records, a header line
 * with quotes, no accepted row in the head, options chunks cannot honour, or one range only.
 */
export function planUsageChunks(
  head: Uint8Array,
  size: number,
  count: number,
  lineFeedAt: (offset: number) => number,
  options: ImportOptions = {},
): UsageChunkPlan | null {
  if (count < 2 || options.mode === 'strict' || options.detectDuplicates === true || options.detectDuplicates === 'all') return null;
  if (options.encoding !== undefined && options.encoding !== 'utf-8') return null;
  const s = sniff(head);
  if (s.container !== 'text' || s.encoding !== 'utf-8') return null;
  let at = s.bom ? 3 : 0;
  while (at < head.length && (head[at] === 0x20 || head[at] === 0x09 || head[at] === CR || head[at] === LF)) at++;
  const lf = head.indexOf(LF, at);
  if (lf < 0) return null;
  for (let i = at; i < lf; i++) if (head[i] === QUOTE || (head[i] === CR && i !== lf - 1)) return null;
  const lastLf = head.lastIndexOf(LF);
  const probe = importBytes(head.subarray(0, lastLf + 1), { ...options, maxErrors: 1, createHasher: noHash });
  const seed = probe.summary.currencies[0];
  if (probe.summary.failed || probe.lines.length > 0 || probe.usage.length === 0 || seed === undefined) return null;
  const ranges = planChunks(size, count, lf + 1, lineFeedAt);
  if (ranges.length < 2) return null;
  return { header: head.slice(0, lf + 1), seed, ranges };
}

/** Reads one planned chunk (`bytes` are the range's) into plain data for mergeChunks. */
export function readUsageChunk(plan: UsageChunkPlan, index: number, bytes: Iterable<Uint8Array>, options: ImportOptions = {}): UsageChunk {
  return chunkReader(plan, index, bytes, options).finishChunk(index === plan.ranges.length - 1);
}

/** readUsageChunk, with the buckets handed to `take` one at a time (BillImporter.finishChunkTo). */
export function readUsageChunkTo(
  plan: UsageChunkPlan,
  index: number,
  bytes: Iterable<Uint8Array>,
  options: ImportOptions,
  take: (bucket: BucketState) => void,
): UsageChunk {
  return chunkReader(plan, index, bytes, options).finishChunkTo(index === plan.ranges.length - 1, take);
}

function chunkReader(plan: UsageChunkPlan, index: number, bytes: Iterable<Uint8Array>, options: ImportOptions): BillImporter {
  const importer = new BillImporter({ ...options, createHasher: noHash });
  importer.beginChunk(index === 0 ? null : plan.seed);
  if (index > 0) importer.push(plan.header);
  for (const b of bytes) importer.push(b);
  return importer;
}

/**
 * The in-memory form (tests, a browser): reads `bytes` in `count` chunks one after the other and
 * merges them; one pass when the file cannot be chunked. Same result as importBytes.
 */
export function importBytesInChunks(bytes: Uint8Array, count: number, options: ImportOptions = {}): ImportResult {
  const plan = planUsageChunks(bytes.subarray(0, 1 << 20), bytes.length, count, (offset) => bytes.indexOf(LF, offset), options);
  if (plan === null) return importBytes(bytes, options);
  const chunks = plan.ranges.map((r, i) => readUsageChunk(plan, i, [bytes.subarray(r.from, r.to)], options));
  const hasher = options.createHasher ? options.createHasher() : new Sha256();
  hasher.update(bytes);
  const merged = BillImporter.mergeChunks(plan.header, chunks, plan.seed, { contentHash: hasher.digestHex(), byteLength: bytes.length }, options);
  return merged ?? importBytes(bytes, options);
}
