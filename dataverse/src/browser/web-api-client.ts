import { queryString } from '../client/odata';
import {
  DataverseError,
  type BatchOperation,
  type BatchOptions,
  type BatchResult,
  type DataverseClient,
  type EntityRecord,
  type Page,
  type QueryOptions,
  type RecordKey,
  type RetrieveOptions,
  type RetryPolicyLike,
  type UpdateOptions,
  type UpsertResult,
} from '../client/types';

/**
 * The part Xrm.WebApi (form scripts) and ComponentFramework.WebApi (PCF `context.webAPI`) have in
 * common. Both take table logical names and `?$select=...` option strings.
 */
export interface WebApiLike {
  createRecord(entityLogicalName: string, data: object): PromiseLike<{ id: string }>;
  updateRecord(entityLogicalName: string, id: string, data: object): PromiseLike<unknown>;
  deleteRecord(entityLogicalName: string, id: string): PromiseLike<unknown>;
  retrieveRecord(entityLogicalName: string, id: string, options?: string): PromiseLike<object>;
  retrieveMultipleRecords(entityLogicalName: string, options?: string, maxPageSize?: number): PromiseLike<{ entities: object[]; nextLink?: string }>;
}

export interface WebApiClientOptions {
  /** Entity set name -> table logical name (the generated `entitySetNames`, inverted). */
  readonly logicalNames: Readonly<Record<string, string>>;
  /**
   * Where operations the host API lacks go (If-Match updates, upsert by key, CreateMultiple,
   * UpsertMultiple, $batch, actions): e.g. a Web API client on the same origin. Without it those
   * operations fail with a 501 naming the operation, never silently degrade.
   */
  readonly fallback?: DataverseClient;
}

function unwrap(error: unknown): DataverseError {
  if (error instanceof DataverseError) return error;
  const e = error as { message?: string; errorCode?: number; code?: number; status?: number; httpStatusCode?: number };
  return new DataverseError(
    e?.message ?? String(error),
    e?.status ?? e?.httpStatusCode ?? 500,
    e?.errorCode !== undefined ? `0x${(e.errorCode >>> 0).toString(16)}` : undefined,
  );
}

/**
 * The request a host's nextLink stands for: the link is a full URL whose path names the entity set
 * and whose query is the options of the next retrieveMultipleRecords call.
 */
export function nextPageRequest(nextLink: string): { entitySet: string; options: string } {
  const url = new URL(nextLink, 'https://host.invalid/');
  return { entitySet: decodeURIComponent(url.pathname.split('/').pop() ?? ''), options: url.search };
}

/** A DataverseClient over Xrm.WebApi or context.webAPI. */
export class WebApiClient implements DataverseClient {
  constructor(
    private readonly api: WebApiLike,
    private readonly options: WebApiClientOptions,
  ) {}

  get parallelismHint(): number | undefined {
    return this.options.fallback?.parallelismHint;
  }

  /** The bulk calls go through the fallback client: it is the retry layer when it has one. */
  get withRetryPolicy(): ((policy: RetryPolicyLike) => DataverseClient) | undefined {
    const fallback = this.options.fallback;
    if (!fallback?.withRetryPolicy) return undefined;
    return (policy) => new WebApiClient(this.api, { ...this.options, fallback: (fallback.withRetryPolicy as (p: RetryPolicyLike) => DataverseClient)(policy) });
  }

  private logical(entitySet: string): string {
    const name = this.options.logicalNames[entitySet];
    if (!name) throw new DataverseError(`unknown entity set ${entitySet}`, 404);
    return name;
  }

  private fallback(operation: string): DataverseClient {
    if (!this.options.fallback) throw new DataverseError(`${operation} is not available through this host's Web API and no fallback client was given`, 501);
    return this.options.fallback;
  }

  private async call<T>(run: () => PromiseLike<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw unwrap(error);
    }
  }

  async retrieve<T extends object = EntityRecord>(entitySet: string, key: RecordKey, options: RetrieveOptions = {}): Promise<T> {
    if (typeof key !== 'string') return this.fallback('retrieve by alternate key').retrieve<T>(entitySet, key, options);
    const query = queryString(options);
    return (await this.call(() => this.api.retrieveRecord(this.logical(entitySet), key, query ? `?${query}` : undefined))) as T;
  }

  async retrieveMultiple<T extends object = EntityRecord>(entitySet: string, options: QueryOptions = {}): Promise<Page<T>> {
    const query = queryString(options);
    const result = await this.call(() => this.api.retrieveMultipleRecords(this.logical(entitySet), query ? `?${query}` : undefined, options.pageSize));
    return result.nextLink ? { value: result.entities as T[], nextLink: result.nextLink } : { value: result.entities as T[] };
  }

  async retrieveNextPage<T extends object = EntityRecord>(nextLink: string): Promise<Page<T>> {
    const { entitySet, options } = nextPageRequest(nextLink);
    const result = await this.call(() => this.api.retrieveMultipleRecords(this.logical(entitySet), options));
    return result.nextLink ? { value: result.entities as T[], nextLink: result.nextLink } : { value: result.entities as T[] };
  }

  async create(entitySet: string, record: EntityRecord): Promise<string> {
    return (await this.call(() => this.api.createRecord(this.logical(entitySet), record))).id;
  }

  async update(entitySet: string, key: RecordKey, record: EntityRecord, options: UpdateOptions = {}): Promise<void> {
    // Neither host API sends If-Match, so optimistic concurrency needs the fallback.
    if (options.ifMatch || typeof key !== 'string') return this.fallback('update with If-Match or by alternate key').update(entitySet, key, record, options);
    await this.call(() => this.api.updateRecord(this.logical(entitySet), key, record));
  }

  async upsert(entitySet: string, key: RecordKey, record: EntityRecord): Promise<UpsertResult> {
    return this.fallback('upsert').upsert(entitySet, key, record);
  }

  async delete(entitySet: string, key: RecordKey): Promise<void> {
    if (typeof key !== 'string') return this.fallback('delete by alternate key').delete(entitySet, key);
    await this.call(() => this.api.deleteRecord(this.logical(entitySet), key));
  }

  async createMultiple(entitySet: string, records: readonly EntityRecord[]): Promise<string[]> {
    return this.fallback('CreateMultiple').createMultiple(entitySet, records);
  }

  async upsertMultiple(entitySet: string, keyColumns: readonly string[], records: readonly EntityRecord[]): Promise<void> {
    return this.fallback('UpsertMultiple').upsertMultiple(entitySet, keyColumns, records);
  }

  async executeBatch(operations: readonly BatchOperation[], options?: BatchOptions): Promise<BatchResult[]> {
    return this.fallback('$batch').executeBatch(operations, options);
  }

  async execute<T = unknown>(action: string, parameters: EntityRecord, bound?: { entitySet: string; key?: RecordKey }): Promise<T> {
    return this.fallback(`action ${action}`).execute<T>(action, parameters, bound);
  }
}

/** Entity set -> logical name, from the generated `entitySetNames` (logical -> set). */
export function logicalNamesOf(entitySetNames: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(entitySetNames).map(([logical, set]) => [set, logical]));
}
