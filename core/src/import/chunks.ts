import type { ImportStateChunk } from './import-state';
import type { BucketState } from './usage-aggregator';

/**
 * A large daily-usage CSV read in parallel: each chunk is a byte range that starts where a record
 * starts, read by its own BillImporter (after the file's header line) on another thread or queue
 * worker, then merged in file order into the result one pass over the file gives, to the cent and
 * to the row number. Only what can be merged exactly is chunked; everything else is refused here
 * and read in one pass:
 *  - a CSV in UTF-8, LF or CRLF line endings, a header line without quotes, a daily format;
 *  - no exact duplicate check of usage rows (it needs every earlier row), no strict mode;
 *  - each chunk but the last ends exactly on a record's end (a line break inside a quoted field
 *    at a chunk's start shows as the chunk before it ending inside a record);
 *  - the later chunks start with the billing currency of the file's first accepted row (read from
 *    its head), which the first chunk must confirm;
 *  - no chunk after the first refused a bucket's first row for its text (one pass would have
 *    added that row to a bucket an earlier chunk opened), and none listed the most invoice
 *    numbers a summary keeps.
 */
export interface UsageChunk {
  /** False: the chunk cannot be merged (`why` says why); the file is then read in one pass. */
  readonly ok: boolean;
  readonly why?: string;
  /** Records after the header line (blank ones included): the row numbers the chunk used. */
  readonly rowsAfterHeader: number;
  readonly state: ImportStateChunk;
  readonly buckets: readonly BucketState[];
}

/** Where a chunk's bytes are in the file; `from` is a record's first byte (the first chunk's is 0). */
export interface ChunkRange {
  readonly from: number;
  readonly to: number;
}

export const NOT_CHUNKED = (why: string): UsageChunk => ({
  ok: false,
  why,
  rowsAfterHeader: 0,
  state: {
    rowsRead: 0,
    rowsAccepted: 0,
    rowsRejected: 0,
    errorCount: 0,
    errors: [],
    rejected: [],
    rejectedAmounts: [],
    rejectedWithoutAmount: 0,
    currencies: [],
    billingCurrency: null,
    invoiceNumbers: [],
    minStart: null,
    maxEndExclusive: null,
  },
  buckets: [],
});

/**
 * Splits a file of `size` bytes into `count` ranges of about equal size, each but the first starting
 * after the first line feed at or after its even share (`lineFeedAt(offset)` finds it, -1: none).
 * Fewer ranges when line feeds are too far apart; the header's bytes are never in a later range.
 */
export function planChunks(size: number, count: number, headerEnd: number, lineFeedAt: (offset: number) => number): ChunkRange[] {
  const starts = [0];
  for (let k = 1; k < count; k++) {
    const target = Math.max(headerEnd, Math.floor((size * k) / count));
    const lf = lineFeedAt(target);
    if (lf < 0) break;
    const start = lf + 1;
    if (start >= size || start <= (starts[starts.length - 1] as number)) continue;
    starts.push(start);
  }
  return starts.map((from, i) => ({ from, to: i + 1 < starts.length ? (starts[i + 1] as number) : size }));
}
