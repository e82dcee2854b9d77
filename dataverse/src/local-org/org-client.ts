import {
  type BatchOperation,
  type BatchOptions,
  type BatchResult,
  type DataverseClient,
  DataverseError,
  type EntityRecord,
  type Page,
  type QueryOptions,
  type RecordKey,
  type RetrieveOptions,
  type UpdateOptions,
  type UpsertResult,
} from '../client/types';
import type { Engine, PreValidated, Scope } from './engine';
import type { TableMeta } from './metadata';
import { demand, demandRead, demandWrite, privilegeOf, type Caller } from './security';
import { badRequest, ErrorCodes } from './errors';
import { fromRecordKey } from './keys';
import { MAX_DEPTH } from './pipeline';
import { project, runQuery } from './query/execute';
import { nextPageQuery, parseQueryString } from './query/options';

/**
 * A DataverseClient over the engine. At the top (scope null) each call is its own transaction;
 * bound to a scope (a plug-in's `context.client`, a batch change set) calls join that scope's
 * transaction and run at the given pipeline depth.
 */
export class OrgClient implements DataverseClient {
  constructor(
    private readonly engine: Engine,
    private readonly scope: Scope | null,
    private readonly depth: number,
    /** The calling user whose roles are enforced; none for the system (tools, in-process plug-ins). */
    private readonly caller?: Caller,
  ) {}

  private table(entitySet: string): TableMeta {
    return this.engine.tableBySet(entitySet);
  }

  /** Create or Write, whichever the row's existence makes an upsert (Dataverse checks the one it does). */
  private demandUpsert(meta: TableMeta, key: RecordKey | undefined, record: EntityRecord): void {
    if (!this.caller) return;
    const exists = key !== undefined && this.engine.findRow(meta, fromRecordKey(key)) !== undefined;
    demandWrite(this.caller, exists ? 'Write' : 'Create', meta, record, this.engine.metadata);
  }

  private run<T>(fn: (scope: Scope) => Promise<T>): Promise<T> {
    if (this.depth > MAX_DEPTH) {
      return Promise.reject(
        new DataverseError(
          `This operation was canceled because it would exceed the maximum pipeline depth of ${MAX_DEPTH} (a plug-in loop).`,
          400,
          ErrorCodes.infiniteLoop,
        ),
      );
    }
    return this.scope ? fn(this.scope) : this.engine.transaction(fn);
  }

  retrieve<T extends object = EntityRecord>(entitySet: string, key: RecordKey, options: RetrieveOptions = {}): Promise<T> {
    return this.run(async () => {
      const meta = this.engine.tableBySet(entitySet);
      demandRead(this.caller, meta);
      const row = this.engine.mustFindRow(meta, fromRecordKey(key));
      return project(this.engine.store, this.engine.metadata, meta, row, options.select, options.expand) as T;
    });
  }

  retrieveMultiple<T extends object = EntityRecord>(entitySet: string, options: QueryOptions = {}): Promise<Page<T>> {
    return this.run(async () => this.page<T>(entitySet, options));
  }

  private page<T>(entitySet: string, options: QueryOptions & { skipToken?: string }): Page<T> {
    const meta = this.engine.tableBySet(entitySet);
    demandRead(this.caller, meta);
    const result = runQuery(this.engine.store, this.engine.metadata, meta, options);
    const rest = { ...options, skipToken: undefined, pageSize: undefined };
    return result.nextSkipToken
      ? { value: result.value as T[], nextLink: `${entitySet}?${nextPageQuery(rest, result.nextSkipToken)}` }
      : { value: result.value as T[] };
  }

  retrieveNextPage<T extends object = EntityRecord>(nextLink: string): Promise<Page<T>> {
    return this.run(async () => {
      const path = nextLink.replace(/^.*\/api\/data\/v\d+\.\d+\//, '').replace(/^\/+/, '');
      const q = path.indexOf('?');
      if (q < 0) throw badRequest(`'${nextLink}' is not a next-page link.`);
      return this.page<T>(path.slice(0, q), parseQueryString(path.slice(q + 1)));
    });
  }

  /**
   * A caller's own Create, Update or Delete (no transaction yet): PreValidation runs first, outside
   * the transaction, then the operation in one. Inside a transaction everything runs in it.
   */
  private async validated<T>(
    message: 'Create' | 'Update' | 'Delete',
    entitySet: string,
    record: EntityRecord,
    key: RecordKey | undefined,
    fn: (scope: Scope, pre: PreValidated | undefined) => Promise<T>,
  ): Promise<T> {
    if (this.scope || this.depth !== 1) return this.run((scope) => fn(scope, undefined));
    const meta = this.engine.tableBySet(entitySet);
    let pre: PreValidated | undefined;
    try {
      pre = await this.engine.preValidate(message, meta, record, key === undefined ? undefined : fromRecordKey(key));
    } catch (error) {
      throw asDataverseError(error);
    }
    return this.engine.transaction((scope) => fn(scope, pre), pre?.correlationId);
  }

  create(entitySet: string, record: EntityRecord): Promise<string> {
    try {
      demandWrite(this.caller, 'Create', this.table(entitySet), record, this.engine.metadata);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.validated('Create', entitySet, record, undefined, (scope, pre) =>
      this.engine.create(this.engine.tableBySet(entitySet), record, scope, this.depth, {}, pre),
    );
  }

  update(entitySet: string, key: RecordKey, record: EntityRecord, options: UpdateOptions = {}): Promise<void> {
    try {
      demandWrite(this.caller, 'Write', this.table(entitySet), record, this.engine.metadata);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.validated('Update', entitySet, record, key, async (scope, pre) => {
      const meta = this.engine.tableBySet(entitySet);
      const row = this.engine.mustFindRow(meta, fromRecordKey(key));
      await this.engine.update(meta, row, record, scope, this.depth, options.ifMatch, pre);
    });
  }

  upsert(entitySet: string, key: RecordKey, record: EntityRecord): Promise<UpsertResult> {
    try {
      this.demandUpsert(this.table(entitySet), key, record);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.run((scope) => this.engine.upsert(this.engine.tableBySet(entitySet), fromRecordKey(key), record, scope, this.depth));
  }

  delete(entitySet: string, key: RecordKey): Promise<void> {
    try {
      demand(this.caller, privilegeOf('Delete', this.table(entitySet)));
    } catch (error) {
      return Promise.reject(error);
    }
    return this.validated('Delete', entitySet, {}, key, async (scope, pre) => {
      const meta = this.engine.tableBySet(entitySet);
      await this.engine.delete(meta, this.engine.mustFindRow(meta, fromRecordKey(key)), scope, this.depth, pre);
    });
  }

  createMultiple(entitySet: string, records: readonly EntityRecord[]): Promise<string[]> {
    try {
      for (const r of records) demandWrite(this.caller, 'Create', this.table(entitySet), r, this.engine.metadata);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.run((scope) => this.engine.createMultiple(this.engine.tableBySet(entitySet), records, scope, this.depth));
  }

  upsertMultiple(entitySet: string, keyColumns: readonly string[], records: readonly EntityRecord[]): Promise<void> {
    try {
      // Each target may create or update: both rights, as the stricter reading.
      for (const r of records)
        for (const right of ['Create', 'Write'] as const) demandWrite(this.caller, right, this.table(entitySet), r, this.engine.metadata);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.run(async (scope) => {
      await this.engine.upsertMultiple(this.engine.tableBySet(entitySet), keyColumns, records, scope, this.depth);
    });
  }

  private async applyOne(op: BatchOperation, client: OrgClient): Promise<BatchResult> {
    switch (op.kind) {
      case 'create':
        return { ok: true, id: await client.create(op.entitySet, op.record), created: true };
      case 'update':
        await client.update(op.entitySet, op.key, op.record, op.ifMatch === undefined ? {} : { ifMatch: op.ifMatch });
        return { ok: true };
      case 'upsert': {
        const r = await client.upsert(op.entitySet, op.key, op.record);
        return { ok: true, id: r.id, created: r.created };
      }
      case 'delete':
        await client.delete(op.entitySet, op.key);
        return { ok: true };
    }
  }

  /**
   * Atomic: one transaction; on failure nothing is applied and every result carries the error.
   * Otherwise each operation commits on its own; without continueOnError the first failure stops
   * the batch and the operations after it report that they were not run.
   */
  async executeBatch(operations: readonly BatchOperation[], options: BatchOptions = {}): Promise<BatchResult[]> {
    if (options.atomic) {
      try {
        return await this.run(async (scope) => {
          const inner = new OrgClient(this.engine, scope, this.depth, this.caller);
          const results: BatchResult[] = [];
          for (const op of operations) results.push(await this.applyOne(op, inner));
          return results;
        });
      } catch (error) {
        const e = asDataverseError(error);
        return operations.map(() => ({ ok: false, error: e }));
      }
    }
    const results: BatchResult[] = [];
    let stopped: DataverseError | undefined;
    for (const op of operations) {
      if (stopped) {
        results.push({ ok: false, error: new DataverseError(`Not run: an earlier operation of the batch failed (${stopped.message}).`, 424) });
        continue;
      }
      try {
        results.push(await this.applyOne(op, this));
      } catch (error) {
        const e = asDataverseError(error);
        results.push({ ok: false, error: e });
        if (!options.continueOnError) stopped = e;
      }
    }
    return results;
  }

  execute<T = unknown>(action: string, parameters: EntityRecord, bound?: { entitySet: string; key?: RecordKey }): Promise<T> {
    const name = action.replace(/^Microsoft\.Dynamics\.CRM\./, '');
    return this.run(async (scope) => {
      if (bound && (name === 'CreateMultiple' || name === 'UpsertMultiple')) {
        const meta = this.engine.tableBySet(bound.entitySet);
        const targets = parameters['Targets'];
        if (!Array.isArray(targets)) throw badRequest(`${name} needs a Targets array.`);
        for (const t of targets as EntityRecord[])
          for (const right of name === 'CreateMultiple' ? (['Create'] as const) : (['Create', 'Write'] as const))
            demandWrite(this.caller, right, meta, t, this.engine.metadata);
        if (name === 'CreateMultiple') return { Ids: await this.engine.createMultiple(meta, targets as EntityRecord[], scope, this.depth) } as T;
        await this.engine.upsertMultiple(meta, undefined, targets as EntityRecord[], scope, this.depth);
        return {} as T;
      }
      const meta = bound ? this.engine.tableBySet(bound.entitySet) : undefined;
      const id = meta && bound?.key !== undefined ? this.engine.mustFindRow(meta, fromRecordKey(bound.key)).id : undefined;
      return (await this.engine.execute(name, parameters, scope, this.depth, meta ? { meta, ...(id ? { id } : {}) } : undefined)) as T;
    });
  }
}

export function asDataverseError(error: unknown): DataverseError {
  if (error instanceof DataverseError) return error;
  return new DataverseError(error instanceof Error ? error.message : String(error), 500);
}
