import { DynamicsWebApi, type Expand } from 'dynamics-web-api';
import {
  type BatchOperation,
  type BatchOptions,
  type BatchResult,
  type DataverseClient,
  DataverseError,
  type EntityRecord,
  type ExpandOption,
  type Page,
  type QueryOptions,
  type RecordKey,
  type RetrieveOptions,
  type UpdateOptions,
  type UpsertResult,
} from '../client/types';
import { entitySetNames } from '../../generated';
import { parseRetryAfter } from '../client/retry-after';
import { keyFromRecord, keyPath } from '../bulk/record-key';
import { type RetryPolicy, withRetry } from '../bulk/retry';
import type { TokenProvider } from './auth';
import { toDataverseError } from './errors';

export interface NodeClientOptions {
  /** Organization URL: `https://contoso.crm.dynamics.com`, or the local org's `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Bearer tokens (see ./auth); omit for the local org, which has no authentication. */
  readonly token?: TokenProvider;
  /** Per-request timeout (default 120 s; Dataverse's own limit is 2 minutes). */
  readonly timeoutMs?: number;
  /** Retries of transient failures (429/503 always; timeouts only for idempotent calls). `false` disables. */
  readonly retry?: RetryPolicy | false;
  /**
   * Act as this user (MSCRMCallerID): the roles enforced are theirs ("Impersonate another user using
   * the Web API", learn.microsoft.com/power-apps/developer/data-platform/webapi/impersonate-another-user-web-api).
   */
  readonly callerId?: string;
}

/** Logical name by entity set, for the `@odata.type` of CreateMultiple/UpsertMultiple targets. */
const logicalBySet = new Map<string, string>(Object.entries(entitySetNames).map(([logical, set]) => [set, logical]));

/** dynamics-web-api adds its own bookkeeping to parsed responses and revives date-times as Date. */
function normalize(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace(/\.000Z$/, 'Z');
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k.startsWith('oData') || k === '@odata.context') continue;
      out[k] = normalize(v);
    }
    return out;
  }
  return value;
}

function expandOf(expand: readonly ExpandOption[] | undefined): Expand[] | undefined {
  return expand?.map((e) => ({ property: e.property, ...(e.select?.length ? { select: [...e.select] } : {}) }));
}

/** The key as dynamics-web-api puts it between the parentheses, values percent-encoded for the path. */
function keyText(key: RecordKey): string {
  if (typeof key === 'string') return key;
  const path = keyPath('x', { ...key }, true);
  return path.slice(2, -1);
}

/**
 * DataverseClient over dynamics-web-api for Node: against a real environment by URL (with an MSAL
 * token provider) or against the local org's HTTP face. dynamics-web-api does not retry throttled
 * requests; this adapter does, honouring Retry-After.
 */
export class NodeDataverseClient implements DataverseClient {
  private readonly api: DynamicsWebApi;
  private readonly pageSizes = new Map<string, number>();
  private dopHint: number | undefined;
  readonly apiUrl: string;

  constructor(private readonly options: NodeClientOptions) {
    const token = options.token;
    this.api = new DynamicsWebApi({
      serverUrl: options.url,
      dataApi: { version: '9.2' },
      timeout: options.timeoutMs ?? 120_000,
      // Errors must reach us: by default the library turns a 412 on a conditional write into `false`.
      propagateErrors: true,
      ...(options.callerId ? { impersonate: options.callerId } : {}),
      onTokenRefresh: token ? async () => ({ accessToken: await token() }) : null,
    });
    this.apiUrl = new URL('api/data/v9.2/', options.url.endsWith('/') ? options.url : `${options.url}/`).toString();
  }

  /**
   * Creates the client and checks the connection with WhoAmI, reading Dataverse's recommended
   * degree of parallelism (x-ms-dop-hint) from the answer: the one request made before any work.
   */
  static async connect(options: NodeClientOptions): Promise<NodeDataverseClient> {
    const client = new NodeDataverseClient(options);
    await client.whoAmI();
    return client;
  }

  /**
   * This connection (library, page sizes, parallelism hint) with the caller's retry settings laid
   * over its own and both told of each retry: the bulk writer's one retry layer.
   */
  withRetryPolicy(policy: RetryPolicy): NodeDataverseClient {
    const own = this.options.retry === false ? {} : (this.options.retry ?? {});
    const merged: RetryPolicy = {
      ...own,
      ...policy,
      onRetry: (info) => {
        own.onRetry?.(info);
        policy.onRetry?.(info);
      },
    };
    const view = Object.create(this) as NodeDataverseClient;
    Object.defineProperty(view, 'options', { value: { ...this.options, retry: merged } });
    return view;
  }

  /** Dataverse's x-ms-dop-hint from the last WhoAmI; undefined before `connect`/`whoAmI`. */
  get parallelismHint(): number | undefined {
    return this.dopHint;
  }

  async whoAmI(): Promise<{ UserId: string; BusinessUnitId: string; OrganizationId: string }> {
    return this.call(true, async () => {
      const headers: Record<string, string> = { Accept: 'application/json', 'OData-MaxVersion': '4.0', 'OData-Version': '4.0' };
      if (this.options.token) headers['Authorization'] = `Bearer ${await this.options.token()}`;
      if (this.options.callerId) headers['MSCRMCallerID'] = this.options.callerId;
      let res: Response;
      try {
        res = await fetch(`${this.apiUrl}WhoAmI`, { headers, signal: AbortSignal.timeout(this.options.timeoutMs ?? 120_000) });
      } catch (error) {
        throw new DataverseError(`WhoAmI: no answer from ${this.apiUrl} (${(error as Error).message})`, 0);
      }
      const text = await res.text();
      const body = (text ? JSON.parse(text) : {}) as {
        error?: { code?: string; message?: string };
        UserId: string;
        BusinessUnitId: string;
        OrganizationId: string;
      };
      if (!res.ok) {
        const retryAfter = res.headers.get('retry-after');
        throw new DataverseError(body.error?.message ?? `WhoAmI failed: HTTP ${res.status}`, res.status, body.error?.code, parseRetryAfter(retryAfter));
      }
      const hint = Number(res.headers.get('x-ms-dop-hint'));
      if (Number.isInteger(hint) && hint > 0) this.dopHint = hint;
      return { UserId: body.UserId, BusinessUnitId: body.BusinessUnitId, OrganizationId: body.OrganizationId };
    });
  }

  /**
   * Runs one library call, mapping its errors. 429 and 503 mean the request was refused, so any
   * call may be repeated; a timeout may hide a write that happened, so only idempotent calls are.
   */
  private call<T>(idempotent: boolean, fn: () => Promise<T>): Promise<T> {
    const once = async () => {
      try {
        return await fn();
      } catch (error) {
        throw toDataverseError(error);
      }
    };
    if (this.options.retry === false) return once();
    return withRetry(once, this.options.retry ?? {}, (e) => e.status === 429 || e.status === 503 || (idempotent && e.transient));
  }

  retrieve<T extends object = EntityRecord>(entitySet: string, key: RecordKey, options: RetrieveOptions = {}): Promise<T> {
    return this.call(true, async () => {
      const expand = expandOf(options.expand);
      const res: unknown = await this.api.retrieve({
        collection: entitySet,
        key: keyText(key),
        ...(options.select?.length ? { select: [...options.select] } : {}),
        ...(expand ? { expand } : {}),
      });
      return normalize(res) as T;
    });
  }

  private page<T>(res: { value: unknown[]; oDataNextLink?: string }, pageSize: number | undefined): Page<T> {
    const value = normalize(res.value) as T[];
    if (!res.oDataNextLink) return { value };
    if (pageSize) this.pageSizes.set(res.oDataNextLink, pageSize);
    return { value, nextLink: res.oDataNextLink };
  }

  retrieveMultiple<T extends object = EntityRecord>(entitySet: string, options: QueryOptions = {}): Promise<Page<T>> {
    return this.call(true, async () => {
      const expand = expandOf(options.expand);
      const res = await this.api.retrieveMultiple({
        collection: entitySet,
        ...(options.select?.length ? { select: [...options.select] } : {}),
        ...(options.filter ? { filter: options.filter } : {}),
        // The library puts $orderby in the URL as is: "name desc" has a space Node's http refuses.
        ...(options.orderBy?.length ? { orderBy: options.orderBy.map((o) => encodeURIComponent(o)) } : {}),
        ...(options.top !== undefined ? { top: options.top } : {}),
        ...(expand ? { expand } : {}),
        ...(options.pageSize ? { maxPageSize: options.pageSize } : {}),
      });
      return this.page<T>(res, options.pageSize);
    });
  }

  retrieveNextPage<T extends object = EntityRecord>(nextLink: string): Promise<Page<T>> {
    // Dataverse wants the same odata.maxpagesize preference on every page of a query.
    const pageSize = this.pageSizes.get(nextLink);
    this.pageSizes.delete(nextLink);
    const collection = /\/api\/data\/v[\d.]+\/([^?(/]+)/.exec(nextLink)?.[1] ?? '';
    return this.call(true, async () =>
      this.page<T>(await this.api.retrieveMultiple({ collection, ...(pageSize ? { maxPageSize: pageSize } : {}) }, nextLink), pageSize),
    );
  }

  create(entitySet: string, record: EntityRecord): Promise<string> {
    return this.call(false, async () => {
      const id: unknown = await this.api.create({ collection: entitySet, data: record });
      if (typeof id !== 'string') throw new DataverseError(`Create on ${entitySet} returned no id (no OData-EntityId header).`, 500);
      return id;
    });
  }

  update(entitySet: string, key: RecordKey, record: EntityRecord, options: UpdateOptions = {}): Promise<void> {
    // If-Match: * by default, so an update never creates a row by accident (an upsert).
    return this.call(true, async () => {
      await this.api.update({ collection: entitySet, key: keyText(key), data: record, ifmatch: options.ifMatch ?? '*' });
    });
  }

  /**
   * Create-only first (If-None-Match: *); when the row exists (412), update-only (If-Match: *).
   * Two conditional requests instead of one plain PATCH tell created from updated, which the
   * library's parsed response does not (it hides the 201/204 status).
   */
  upsert(entitySet: string, key: RecordKey, record: EntityRecord): Promise<UpsertResult> {
    return this.call(true, async () => {
      const k = keyText(key);
      for (let round = 0; round < 3; round++) {
        try {
          const id: unknown = await this.api.upsert({ collection: entitySet, key: k, data: record, ifnonematch: '*' });
          return { id: String(id), created: true };
        } catch (error) {
          if ((error as { status?: number }).status !== 412) throw error;
        }
        try {
          const id: unknown = await this.api.upsert({ collection: entitySet, key: k, data: record, ifmatch: '*' });
          return { id: String(id), created: false };
        } catch (error) {
          // Deleted between the two requests: start again.
          if ((error as { status?: number }).status !== 404) throw error;
        }
      }
      throw new DataverseError(`Upsert of ${entitySet}(${k}) kept racing with a concurrent create/delete.`, 409);
    });
  }

  delete(entitySet: string, key: RecordKey): Promise<void> {
    return this.call(true, async () => {
      await this.api.deleteRecord({ collection: entitySet, key: keyText(key) });
    });
  }

  private odataType(entitySet: string, record: EntityRecord): string {
    const given = record['@odata.type'];
    if (typeof given === 'string') return given;
    const logical = logicalBySet.get(entitySet);
    if (!logical) throw new DataverseError(`Unknown entity set ${entitySet}: give each record an @odata.type.`, 400, '0x80060888');
    return `Microsoft.Dynamics.CRM.${logical}`;
  }

  createMultiple(entitySet: string, records: readonly EntityRecord[]): Promise<string[]> {
    return this.call(false, async () => {
      const Targets = records.map((r) => ({ ...r, '@odata.type': this.odataType(entitySet, r) }));
      const res = (await this.api.callAction({ collection: entitySet, actionName: 'Microsoft.Dynamics.CRM.CreateMultiple', action: { Targets } })) as {
        Ids?: string[];
      };
      return res?.Ids ?? [];
    });
  }

  upsertMultiple(entitySet: string, keyColumns: readonly string[], records: readonly EntityRecord[]): Promise<void> {
    return this.call(true, async () => {
      const Targets = records.map((r) => ({
        ...r,
        '@odata.type': this.odataType(entitySet, r),
        '@odata.id': keyPath(entitySet, keyFromRecord(keyColumns, r)),
      }));
      await this.api.callAction({ collection: entitySet, actionName: 'Microsoft.Dynamics.CRM.UpsertMultiple', action: { Targets } });
    });
  }

  /**
   * One $batch request. Atomic: one change set (all or nothing; a failure is reported on every
   * operation). Otherwise each operation stands alone; continueOnError sends
   * Prefer: odata.continue-on-error, else the operations after the first failure report 424.
   */
  executeBatch(operations: readonly BatchOperation[], options: BatchOptions = {}): Promise<BatchResult[]> {
    const idempotent = operations.every((op) => op.kind !== 'create');
    return this.call(idempotent, async () => {
      // A separate instance per batch: the library keeps "batch mode" as instance state.
      const api = this.api.initializeInstance();
      api.startBatch();
      for (const op of operations) {
        const pending = (() => {
          switch (op.kind) {
            case 'create':
              return api.create({ collection: op.entitySet, data: op.record });
            case 'update':
              return api.update({ collection: op.entitySet, key: keyText(op.key), data: op.record, ifmatch: op.ifMatch ?? '*' });
            case 'upsert':
              return api.upsert({ collection: op.entitySet, key: keyText(op.key), data: op.record });
            case 'delete':
              return api.deleteRecord({ collection: op.entitySet, key: keyText(op.key) });
          }
        })();
        void pending.catch(() => undefined);
      }
      let parts: unknown[];
      try {
        parts = await api.executeBatch({ ...(options.atomic ? {} : { inChangeSet: false }), ...(options.continueOnError ? { continueOnError: true } : {}) });
      } catch (error) {
        // A failed batch answers 4xx with its parts; anything else is the request itself failing.
        if (!Array.isArray(error)) throw error;
        parts = error;
      }
      const isError = (p: unknown) => p instanceof Error;
      if (options.atomic && parts.some(isError)) {
        const e = toDataverseError(parts.find(isError));
        return operations.map((): BatchResult => ({ ok: false, error: e }));
      }
      let stopped: DataverseError | undefined;
      return operations.map((_op, i): BatchResult => {
        if (i >= parts.length) {
          return { ok: false, error: new DataverseError(`Not run: an earlier operation of the batch failed${stopped ? ` (${stopped.message})` : ''}.`, 424) };
        }
        const p = parts[i];
        if (isError(p)) {
          stopped = toDataverseError(p);
          return { ok: false, error: stopped };
        }
        return typeof p === 'string' ? { ok: true, id: p } : { ok: true };
      });
    });
  }

  execute<T = unknown>(action: string, parameters: EntityRecord, bound?: { entitySet: string; key?: RecordKey }): Promise<T> {
    // Custom actions are not known to be idempotent: only refused requests (429/503) are repeated.
    return this.call(false, async () => {
      const res: unknown = await this.api.callAction({
        actionName: action,
        action: parameters,
        ...(bound ? { collection: bound.entitySet, ...(bound.key !== undefined ? { key: keyText(bound.key) } : {}) } : {}),
      });
      return (normalize(res ?? {}) ?? {}) as T;
    });
  }
}
