import { type BatchOperation, type DataverseClient, DataverseError, type EntityRecord } from '../client/types';
import { asRecordKey, keyFromRecord, type KeyValues } from './record-key';
import { defaultSleep, retryDelay, type RetryPolicy, withRetry } from './retry';

/**
 * Writes many rows of one table through any DataverseClient: chunks of `batchSize` rows as one
 * UpsertMultiple each (idempotent by alternate key, so a retry, or a second run after a crash,
 * creates no duplicate), `parallelism` chunks in flight, transient failures retried with back-off
 * (Retry-After honoured). A chunk refused for a reason that is not transient (one bad row fails
 * the whole Multiple message) is written again as a $batch with continue-on-error, so the good
 * rows land and each bad row is reported with its error.
 */
export interface BulkWriteOptions {
  readonly entitySet: string;
  /** Alternate-key columns of the table: chunks go as UpsertMultiple. */
  readonly keyColumns?: readonly string[];
  /**
   * Without a key, chunks go as CreateMultiple, which is not idempotent: a chunk retried after a
   * lost answer, or a re-run, can create duplicates. Required to be true to accept that.
   */
  readonly acceptDuplicatesOnRetry?: boolean;
  /** Rows per Multiple request (default 1,000, Microsoft's advice for standard tables). */
  readonly batchSize?: number;
  /** Chunks in flight; default the client's `parallelismHint` (x-ms-dop-hint), else 1. */
  readonly parallelism?: number;
  readonly retry?: RetryPolicy;
  /** Retry a refused chunk row by row in a $batch (default true). */
  readonly fallbackToBatch?: boolean;
  readonly onProgress?: (progress: BulkProgress) => void;
  /** Stops taking new chunks (chunks in flight finish); the result says `aborted`. */
  readonly signal?: AbortSignal;
}

export interface BulkProgress {
  readonly chunksDone: number;
  readonly rowsWritten: number;
  readonly rowsFailed: number;
  readonly retries: number;
}

export interface BulkRowError {
  /** Position of the row in the input. */
  readonly index: number;
  readonly key?: KeyValues;
  readonly error: DataverseError;
}

export interface BulkResult extends BulkProgress {
  readonly errors: readonly BulkRowError[];
  /** Chunks that had to be written row by row through $batch. */
  readonly fallbackChunks: number;
  readonly parallelism: number;
  readonly aborted: boolean;
}

/** Implemented by clients that know Dataverse's recommended parallelism (the Node adapter). */
export interface ParallelismHinted {
  readonly parallelismHint?: number;
}

interface Chunk {
  readonly start: number;
  readonly records: readonly EntityRecord[];
}

async function* chunksOf(records: Iterable<EntityRecord> | AsyncIterable<EntityRecord>, size: number): AsyncGenerator<Chunk> {
  let buffer: EntityRecord[] = [];
  let start = 0;
  for await (const record of records) {
    buffer.push(record);
    if (buffer.length === size) {
      yield { start, records: buffer };
      start += buffer.length;
      buffer = [];
    }
  }
  if (buffer.length) yield { start, records: buffer };
}

export async function writeBulk(
  client: DataverseClient,
  records: Iterable<EntityRecord> | AsyncIterable<EntityRecord>,
  options: BulkWriteOptions,
): Promise<BulkResult> {
  const { entitySet, keyColumns } = options;
  if (!keyColumns?.length && !options.acceptDuplicatesOnRetry) {
    throw new Error(`writeBulk(${entitySet}): give the alternate-key columns (idempotent upserts), or set acceptDuplicatesOnRetry to use CreateMultiple.`);
  }
  const batchSize = options.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, not ${batchSize}`);
  const hint = (client as DataverseClient & ParallelismHinted).parallelismHint;
  const parallelism = Math.max(1, options.parallelism ?? hint ?? 1);
  const retry = options.retry ?? {};
  const fallback = options.fallbackToBatch ?? true;

  const state = { chunksDone: 0, rowsWritten: 0, rowsFailed: 0, retries: 0, fallbackChunks: 0 };
  const errors: BulkRowError[] = [];
  const policy: RetryPolicy = {
    ...retry,
    onRetry: (info) => {
      state.retries++;
      retry.onRetry?.(info);
    },
  };
  const progress = (): BulkProgress => ({ chunksDone: state.chunksDone, rowsWritten: state.rowsWritten, rowsFailed: state.rowsFailed, retries: state.retries });
  const keyOf = (record: EntityRecord) => (keyColumns?.length ? keyFromRecord(keyColumns, record) : undefined);
  // One retry layer: the adapter's own (HTTP clients retry 429/503 with Retry-After), told this
  // policy so every retry is counted; only an adapter without one is wrapped in a loop here.
  const retrying = client.withRetryPolicy?.(policy);
  const writer = retrying ?? client;
  const retried = <T>(fn: () => Promise<T>): Promise<T> => (retrying ? fn() : withRetry(fn, policy));

  const writeMultiple = (chunk: Chunk) =>
    retried(() =>
      keyColumns?.length ? writer.upsertMultiple(entitySet, keyColumns, chunk.records) : writer.createMultiple(entitySet, chunk.records).then(() => undefined),
    );

  /** Row by row in one $batch (continue-on-error); transient row failures are retried, the rest reported. */
  const writeRowByRow = async (chunk: Chunk) => {
    state.fallbackChunks++;
    let pending = chunk.records.map((record, i) => ({ index: chunk.start + i, record }));
    const attempts = Math.max(1, retry.maxAttempts ?? 6);
    for (let attempt = 1; pending.length > 0; attempt++) {
      const operations: BatchOperation[] = pending.map(({ record }) => {
        const key = keyOf(record);
        return key ? { kind: 'upsert', entitySet, key: asRecordKey(key), record } : { kind: 'create', entitySet, record };
      });
      const results = await retried(() => writer.executeBatch(operations, { continueOnError: true }));
      const again: typeof pending = [];
      let wait: DataverseError | undefined;
      results.forEach((result, i) => {
        const row = pending[i]!;
        if (result.ok) state.rowsWritten++;
        else if (result.error.transient && attempt < attempts) {
          again.push(row);
          wait ??= result.error;
        } else {
          state.rowsFailed++;
          const key = keyOf(row.record);
          errors.push({ index: row.index, ...(key ? { key } : {}), error: result.error });
        }
      });
      pending = again;
      if (wait) {
        state.retries++;
        await (retry.sleep ?? defaultSleep)(retryDelay(wait, attempt, retry));
      }
    }
  };

  const source = chunksOf(records, batchSize);
  let failure: unknown;
  let aborted = false;
  const worker = async () => {
    for (;;) {
      if (failure !== undefined) return;
      if (options.signal?.aborted) {
        aborted = true;
        return;
      }
      const next = await source.next();
      if (next.done) return;
      const chunk = next.value;
      try {
        try {
          await writeMultiple(chunk);
          state.rowsWritten += chunk.records.length;
        } catch (error) {
          // Transient failures that outlived their retries, and bugs, stop the run; a refusal goes row by row.
          if (!(error instanceof DataverseError) || error.transient || !fallback) throw error;
          await writeRowByRow(chunk);
        }
      } catch (error) {
        failure ??= error;
        return;
      }
      state.chunksDone++;
      options.onProgress?.(progress());
    }
  };
  await Promise.all(Array.from({ length: parallelism }, worker));
  if (failure !== undefined) throw failure;
  return { ...progress(), errors, fallbackChunks: state.fallbackChunks, parallelism, aborted };
}
