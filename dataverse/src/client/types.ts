/**
 * The one way the suite reads and writes Dataverse. Implementations: the embedded local org
 * (in-process), the Node Web API client (dynamics-web-api, also pointed at the local org's HTTP
 * face), and the browser adapters (Xrm.WebApi in forms, context.webAPI in PCF controls).
 *
 * Records travel in Web API JSON shape: logical names, `_x_value` for lookups on read,
 * `Schema@odata.bind` for lookups on write, `@odata.etag` on read.
 */
export type EntityRecord = Record<string, unknown>;

/** A row by primary id, or by an alternate key's column values. */
export type RecordKey = string | Readonly<Record<string, string | number>>;

export interface ExpandOption {
  /** Single-valued navigation property (a lookup's schema name, e.g. `cspb_CustomerId`). */
  readonly property: string;
  readonly select?: readonly string[];
}

export interface RetrieveOptions {
  readonly select?: readonly string[];
  readonly expand?: readonly ExpandOption[];
}

export interface QueryOptions extends RetrieveOptions {
  /** An OData `$filter` expression (build it with `filter` in ./odata). */
  readonly filter?: string;
  readonly orderBy?: readonly string[];
  readonly top?: number;
  /** Rows per page (Prefer: odata.maxpagesize); more pages follow through `nextLink`. */
  readonly pageSize?: number;
}

export interface Page<T> {
  readonly value: T[];
  /** Opaque link to the next page (`@odata.nextLink`), absent on the last page. */
  readonly nextLink?: string;
}

export interface UpdateOptions {
  /** Only update when the row still has this ETag (optimistic concurrency): else 412. */
  readonly ifMatch?: string;
}

export interface UpsertResult {
  readonly id: string;
  readonly created: boolean;
}

/** One operation inside a $batch. */
export type BatchOperation =
  | { readonly kind: 'create'; readonly entitySet: string; readonly record: EntityRecord }
  | { readonly kind: 'update'; readonly entitySet: string; readonly key: RecordKey; readonly record: EntityRecord; readonly ifMatch?: string }
  | { readonly kind: 'upsert'; readonly entitySet: string; readonly key: RecordKey; readonly record: EntityRecord }
  | { readonly kind: 'delete'; readonly entitySet: string; readonly key: RecordKey };

export interface BatchOptions {
  /**
   * All operations in one change set: all succeed or none is applied. When it fails, every result
   * carries the same error: Dataverse does not say which operation failed.
   */
  readonly atomic?: boolean;
  /** Outside a change set, keep going after a failed operation (Prefer: odata.continue-on-error). */
  readonly continueOnError?: boolean;
}

export type BatchResult = { readonly ok: true; readonly id?: string; readonly created?: boolean } | { readonly ok: false; readonly error: DataverseError };

export interface DataverseClient {
  /** Parallel requests the server suggests (x-ms-dop-hint), when the adapter knows it. */
  readonly parallelismHint?: number;
  retrieve<T extends object = EntityRecord>(entitySet: string, key: RecordKey, options?: RetrieveOptions): Promise<T>;
  retrieveMultiple<T extends object = EntityRecord>(entitySet: string, options?: QueryOptions): Promise<Page<T>>;
  /** Follows a `nextLink` returned by retrieveMultiple. */
  retrieveNextPage<T extends object = EntityRecord>(nextLink: string): Promise<Page<T>>;
  create(entitySet: string, record: EntityRecord): Promise<string>;
  update(entitySet: string, key: RecordKey, record: EntityRecord, options?: UpdateOptions): Promise<void>;
  upsert(entitySet: string, key: RecordKey, record: EntityRecord): Promise<UpsertResult>;
  delete(entitySet: string, key: RecordKey): Promise<void>;
  /** CreateMultiple: all records or none (Dataverse applies the message atomically). */
  createMultiple(entitySet: string, records: readonly EntityRecord[]): Promise<string[]>;
  /** UpsertMultiple: each record carries its alternate-key columns; all or none. */
  upsertMultiple(entitySet: string, keyColumns: readonly string[], records: readonly EntityRecord[]): Promise<void>;
  executeBatch(operations: readonly BatchOperation[], options?: BatchOptions): Promise<BatchResult[]>;
  /** An unbound (or entity-set-bound) custom action or message. */
  execute<T = unknown>(action: string, parameters: EntityRecord, bound?: { entitySet: string; key?: RecordKey }): Promise<T>;
  /**
   * The same connection retrying transient failures of the bulk calls (createMultiple,
   * upsertMultiple, executeBatch) under `policy`, for adapters that retry themselves (HTTP). A
   * caller with its own retry loop uses this instead of wrapping another loop around the
   * adapter's, so there is one retry layer and `policy.onRetry` sees every retry. Absent: the
   * adapter does not retry (in-process org), and the caller retries.
   */
  withRetryPolicy?(policy: RetryPolicyLike): DataverseClient;
}

/** What a retry layer takes (see ../bulk/retry for the defaults). */
export interface RetryPolicyLike {
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly jitter?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly onRetry?: (info: { readonly attempt: number; readonly delayMs: number; readonly error: DataverseError }) => void;
}

/** Why a call failed, in the terms Dataverse answers with. */
export class DataverseError extends Error {
  constructor(
    message: string,
    /** HTTP status (404 not found, 412 ETag mismatch, 429 throttled, 503 unavailable, ...). */
    readonly status: number,
    /** Dataverse error code when known (e.g. 0x80040237 duplicate key). */
    readonly code?: string,
    /** Milliseconds the server asked us to wait (Retry-After), on 429/503. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DataverseError';
  }

  /** Worth retrying as is: throttling, transient unavailability, timeouts. */
  get transient(): boolean {
    return this.status === 429 || this.status === 503 || this.status === 502 || this.status === 504 || this.status === 0;
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `accounts(guid)` or `accounts(accountnumber='A1',x=2)`: how the Web API addresses a row. A key
 * part that is a lookup (`_cspb_runid_value`) takes a bare GUID, as Dataverse expects.
 */
export function recordPath(entitySet: string, key: RecordKey): string {
  if (typeof key === 'string') return `${entitySet}(${key})`;
  const parts = Object.entries(key).map(([column, value]) => {
    if (typeof value === 'number') return `${column}=${value}`;
    if (column.startsWith('_') && GUID.test(value)) return `${column}=${value}`;
    return `${column}='${value.replace(/'/g, "''")}'`;
  });
  return `${entitySet}(${parts.join(',')})`;
}
