import { randomUUID } from 'node:crypto';
import { DataverseError, type EntityRecord, type UpsertResult } from '../client/types';
import { keyFromRecord } from '../bulk/record-key';
import { badRequest, ErrorCodes, notFound, pluginError, resourceNotFound } from './errors';
import { describeKey, GUID, parseRecordRef, type KeyValue, type ParsedKey } from './keys';
import { readNameOf, type OrgMetadata, type TableMeta } from './metadata';
import { Mutex } from './mutex';
import { type AsyncFailure, type Mode, type PluginContext, Pipeline, type Stage } from './pipeline';
import { etagOf, project } from './query/execute';
import { readableProperties } from './query/properties';
import { Journal, Store, type StoredRow } from './store';
import { checkRequired, checkValue, defaults, normalizeWrite } from './values';
import { applyCurrency } from './currency';

/** One transaction: its undo journal, its correlation id and the async steps it releases on commit. */
export interface Scope {
  readonly journal: Journal;
  readonly correlationId: string;
  readonly afterCommit: (() => Promise<void>)[];
}

/** What a PreValidation run outside the transaction hands to the operation it validated. */
export interface PreValidated {
  readonly message: 'Create' | 'Update' | 'Delete';
  readonly id: string;
  /** The Target as the PreValidation steps left it. */
  readonly target: Record<string, unknown>;
  readonly sharedVariables: Map<string, unknown>;
  readonly correlationId: string;
}

export interface EngineOptions {
  /** Clock for createdon/modifiedon (tests pin it). */
  readonly now?: () => Date;
  /** Called after each commit that wrote something (persistence hooks here). */
  /**
   * Called with each committed transaction's journal before the write is acknowledged (the caller
   * awaits it, still holding the lock): the file-backed org appends and fsyncs its redo record here.
   */
  readonly onCommit?: (journal: Journal) => Promise<void> | void;
  /** ISO code of the org's base currency (default USD): a row with amounts and no currency gets it. */
  readonly baseCurrency?: string;
}

/** Dataverse returns date-times to the second, UTC. */
function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

type ClientFactory = (scope: Scope | null, depth: number) => import('../client/types').DataverseClient;

/**
 * The org's operations over the store: each runs the pipeline around the write and records its
 * undo steps in the scope's journal. Transactions are serialised by one mutex.
 */
export class Engine {
  readonly pipeline = new Pipeline();
  readonly asyncFailures: AsyncFailure[] = [];
  private readonly pendingAsync = new Set<Promise<void>>();
  private readonly lock = new Mutex();
  private clientFactory: ClientFactory | undefined;

  constructor(
    readonly metadata: OrgMetadata,
    readonly store: Store,
    private readonly options: EngineOptions = {},
  ) {}

  /** Set by the org: how a plug-in's `context.client` is made (kept out of here to avoid a cycle). */
  useClientFactory(factory: ClientFactory): void {
    this.clientFactory = factory;
  }

  private client(scope: Scope | null, depth: number) {
    if (!this.clientFactory) throw new Error('engine has no client factory');
    return this.clientFactory(scope, depth);
  }

  // ---- transactions -------------------------------------------------------------------------

  transaction<T>(fn: (scope: Scope) => Promise<T>, correlationId: string = randomUUID()): Promise<T> {
    return this.lock.run(async () => {
      const scope: Scope = { journal: new Journal(), correlationId, afterCommit: [] };
      let result: T;
      try {
        result = await fn(scope);
      } catch (error) {
        scope.journal.rollback();
        throw error;
      }
      if (scope.journal.writes > 0) {
        try {
          await this.options.onCommit?.(scope.journal);
        } catch (error) {
          // Not durable, so not done: the caller is told, and the org is as before.
          scope.journal.rollback();
          throw error;
        }
      }
      for (const job of scope.afterCommit) this.startAsync(job);
      return result;
    });
  }

  /** Runs `fn` with no transaction in progress or starting (compacting the saved file). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.lock.run(fn);
  }

  private startAsync(job: () => Promise<void>): void {
    // After the lock is released: the async step's own writes take it in turn.
    const p: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve)).then(job).finally(() => this.pendingAsync.delete(p));
    this.pendingAsync.add(p);
  }

  /** Resolves when every async step started so far (and those they started) has finished. */
  async asyncIdle(): Promise<void> {
    while (this.pendingAsync.size > 0) await Promise.all([...this.pendingAsync]);
  }

  /** Applies `fn` with the journal of a fresh transaction that is not wrapped in the pipeline (imports). */
  raw<T>(fn: (journal: Journal) => T): Promise<T> {
    return this.transaction(async (scope) => fn(scope.journal));
  }

  // ---- addressing ---------------------------------------------------------------------------

  tableBySet(entitySet: string): TableMeta {
    const meta = this.metadata.tryBySet(entitySet);
    if (!meta) throw resourceNotFound(entitySet);
    return meta;
  }

  private lastNow: { ms: number; text: string } = { ms: NaN, text: '' };

  /** createdon/modifiedon text; formatted once per millisecond (bulk writes create thousands a ms). */
  private now(): string {
    const date = this.options.now?.() ?? new Date();
    const ms = date.getTime();
    if (ms !== this.lastNow.ms) this.lastNow = { ms, text: isoSeconds(date) };
    return this.lastNow.text;
  }

  /** A key's property names -> read names (a lookup key part may be named by its column). */
  private keyProperty(meta: TableMeta, name: string): string {
    if (meta.readColumns.has(name)) return name;
    const column = meta.columns.get(name);
    return column ? readNameOf(column) : name;
  }

  findRow(meta: TableMeta, key: ParsedKey): StoredRow | undefined {
    if (typeof key === 'string') return this.store.get(meta, key);
    const names = Object.keys(key);
    if (names.length === 1 && names[0] === meta.primaryId) {
      const id = key[meta.primaryId];
      if (typeof id !== 'string' || !GUID.test(id)) throw badRequest(`${meta.primaryId} must be a GUID.`);
      return this.store.get(meta, id);
    }
    const values: Record<string, KeyValue> = {};
    for (const [name, value] of Object.entries(key))
      values[this.keyProperty(meta, name)] = typeof value === 'string' && GUID.test(value) ? value.toLowerCase() : value;
    const wanted = Object.keys(values).sort().join(',');
    const declared = meta.keys.find((k) => [...k.properties].sort().join(',') === wanted);
    if (!declared) {
      const keys = meta.keys.map((k) => `(${k.properties.join(',')})`).join(' or ') || 'none';
      throw badRequest(
        `The key in the request URI is not valid for resource 'Microsoft.Dynamics.CRM.${meta.logicalName}'. Ensure that the names and number of key properties match the declared key for the resource (declared keys: ${keys}).`,
      );
    }
    return this.store.findByKey(meta, declared, values);
  }

  mustFindRow(meta: TableMeta, key: ParsedKey): StoredRow {
    const row = this.findRow(meta, key);
    if (!row) throw notFound(meta.logicalName, describeKey(key));
    return row;
  }

  /** `accounts(<guid>)` (relative, absolute or by alternate key) -> the id it names. */
  private resolveBind(meta: TableMeta, nav: string, targetSet: string, ref: string): string {
    const parsed = parseRecordRef(ref);
    if (!parsed) throw badRequest(`${nav}@odata.bind on ${meta.logicalName}: '${ref}' is not a record reference like '${targetSet}(<guid>)'.`);
    if (parsed.entitySet !== targetSet) throw badRequest(`${nav}@odata.bind on ${meta.logicalName} must reference '${targetSet}', not '${parsed.entitySet}'.`);
    return this.mustFindRow(this.tableBySet(targetSet), parsed.key).id;
  }

  private writeChanges(meta: TableMeta, body: EntityRecord): { id?: string; changes: Record<string, unknown> } {
    const n = normalizeWrite(meta, body);
    const changes: Record<string, unknown> = { ...n.changes };
    for (const [prop, { column, ref }] of Object.entries(n.binds)) {
      changes[prop] = ref === null ? null : this.resolveBind(meta, column.navigationProperty, column.targetEntitySet, ref);
    }
    return n.id === undefined ? { changes } : { id: n.id, changes };
  }

  /** Plug-ins may rewrite the Target: whatever they leave must still be a valid write. */
  private checkTarget(meta: TableMeta, target: Record<string, unknown>, id: string): void {
    for (const [prop, value] of Object.entries(target)) {
      if (prop === meta.primaryId) {
        if (value !== id) throw badRequest(`The Target's ${meta.primaryId} cannot be changed by a plug-in.`);
        continue;
      }
      const column = meta.readColumns.get(prop);
      if (!column) throw badRequest(`Invalid property '${prop}' in the Target of '${meta.logicalName}' (plug-ins use read names: lookups as _x_value).`);
      checkValue(meta, column, value);
      if (column.type === 'lookup' && typeof value === 'string') {
        const target = this.metadata.tryByLogical(column.target);
        if (target && !this.store.get(target, value)) throw notFound(target.logicalName, value);
      }
    }
  }

  // ---- pipeline -----------------------------------------------------------------------------

  private async runStage(stage: Stage, base: Omit<PluginContext, 'stage' | 'mode' | 'client'>, scope: Scope | null, depth: number): Promise<void> {
    const mode: Mode = 'sync';
    const table = base.primaryEntityName;
    for (const step of this.pipeline.stepsFor(base.messageName, table, stage, mode, base.messageName === 'Update' ? base.target : undefined)) {
      const context: PluginContext = { ...base, stage, mode, client: this.client(scope, depth + 1) };
      try {
        await step.handler(context);
      } catch (error) {
        throw pluginError(error);
      }
    }
    if (stage === 'PostOperation' && scope) this.queueAsync(base, scope, depth);
  }

  /**
   * PreValidation of a caller's Create, Update or Delete, before its transaction exists ("For the
   * initial operation, this stage will occur before the main system operation. This provides an
   * opportunity to include logic to cancel the operation before the database transaction is
   * created": learn.microsoft.com/power-apps/developer/data-platform/event-framework). A step here
   * holds no lock: its own calls back to the org run as the org's other callers do. Undefined when
   * no PreValidation step is registered (the stage then runs, empty, inside the transaction).
   */
  async preValidate(
    message: 'Create' | 'Update' | 'Delete',
    meta: TableMeta,
    body: EntityRecord,
    key: ParsedKey | undefined,
  ): Promise<PreValidated | undefined> {
    if (this.pipeline.stepsFor(message, meta.logicalName, 'PreValidation', 'sync').length === 0) return undefined;
    const sharedVariables = new Map<string, unknown>();
    if (message === 'Create') {
      const { id: bodyId, changes } = this.writeChanges(meta, body);
      const id = (bodyId ?? randomUUID()).toLowerCase();
      const target: Record<string, unknown> = { ...changes, [meta.primaryId]: id };
      const base = {
        messageName: message,
        primaryEntityName: meta.logicalName,
        primaryEntityId: id,
        depth: 1,
        correlationId: randomUUID(),
        target,
        preEntityImages: {},
        postEntityImages: {},
        inputParameters: { Target: target },
        outputParameters: {},
        sharedVariables,
      };
      await this.runStage('PreValidation', base, null, 1);
      return { message, id, target, sharedVariables, correlationId: base.correlationId };
    }
    const row = this.mustFindRow(meta, key as ParsedKey);
    const target: Record<string, unknown> =
      message === 'Update' ? { ...this.writeChanges(meta, body).changes, [meta.primaryId]: row.id } : { [meta.primaryId]: row.id };
    const base = {
      messageName: message,
      primaryEntityName: meta.logicalName,
      primaryEntityId: row.id,
      depth: 1,
      correlationId: randomUUID(),
      target,
      preEntityImages: { PreImage: this.image(message, meta, row) },
      postEntityImages: {},
      inputParameters: { Target: target },
      outputParameters: {},
      sharedVariables,
    };
    await this.runStage('PreValidation', base, null, 1);
    return { message, id: row.id, target, sharedVariables, correlationId: base.correlationId };
  }

  private queueAsync(base: Omit<PluginContext, 'stage' | 'mode' | 'client'>, scope: Scope, depth: number): void {
    const steps = this.pipeline.stepsFor(
      base.messageName,
      base.primaryEntityName,
      'PostOperation',
      'async',
      base.messageName === 'Update' ? base.target : undefined,
    );
    for (const step of steps) {
      // The context is copied now: the step sees the operation as committed, whatever happens later.
      const context: PluginContext = {
        ...base,
        target: { ...base.target },
        outputParameters: { ...base.outputParameters },
        stage: 'PostOperation',
        mode: 'async',
        client: this.client(null, depth + 1),
      };
      scope.afterCommit.push(async () => {
        try {
          await step.handler(context);
        } catch (error) {
          this.asyncFailures.push({
            step: step.name ?? `${step.message}/${step.table ?? '*'}/async`,
            messageName: base.messageName,
            primaryEntityName: base.primaryEntityName,
            primaryEntityId: base.primaryEntityId,
            correlationId: base.correlationId,
            error: error instanceof Error ? error : new Error(String(error)),
          });
        }
      });
    }
  }

  /** Images cost a projection per row: made only when a step on this message and table will see them. */
  private image(message: string, meta: TableMeta, row: StoredRow): EntityRecord {
    return this.pipeline.hasSteps(message, meta.logicalName) ? project(this.store, this.metadata, meta, row) : {};
  }

  private readonly emptyRows = new Map<string, Readonly<Record<string, unknown>>>();

  /** Every readable property null, then the schema's defaults: the start of each new row. */
  private emptyRow(meta: TableMeta): Readonly<Record<string, unknown>> {
    let row = this.emptyRows.get(meta.logicalName);
    if (!row) {
      const r: Record<string, unknown> = {};
      for (const prop of readableProperties(meta)) r[prop] = null;
      row = { ...r, ...defaults(meta) };
      this.emptyRows.set(meta.logicalName, row);
    }
    return row;
  }

  // ---- operations ---------------------------------------------------------------------------

  async create(
    meta: TableMeta,
    body: EntityRecord,
    scope: Scope,
    depth: number,
    given: { id?: string; extra?: Record<string, unknown> } = {},
    pre?: PreValidated,
  ): Promise<string> {
    const { id: bodyId, changes } = pre ? { id: pre.id, changes: pre.target } : this.writeChanges(meta, body);
    const id = (bodyId ?? given.id ?? randomUUID()).toLowerCase();
    const target: Record<string, unknown> = { ...changes, ...given.extra, [meta.primaryId]: id };
    const outputParameters: Record<string, unknown> = {};
    const base = {
      messageName: 'Create',
      primaryEntityName: meta.logicalName,
      primaryEntityId: id,
      depth,
      correlationId: scope.correlationId,
      target,
      preEntityImages: {},
      postEntityImages: {} as Record<string, EntityRecord>,
      inputParameters: { Target: target },
      outputParameters,
      sharedVariables: pre?.sharedVariables ?? new Map<string, unknown>(),
    };
    if (!pre) await this.runStage('PreValidation', base, scope, depth);
    await this.runStage('PreOperation', base, scope, depth);
    target[meta.primaryId] = id;
    // The body was validated as it was parsed; steps (and key values from an upsert's URL) may add more.
    this.checkTarget(meta, this.pipeline.hasSteps('Create', meta.logicalName) ? target : { ...given.extra, [meta.primaryId]: id }, id);
    const now = this.now();
    const data: Record<string, unknown> = { ...this.emptyRow(meta) };
    Object.assign(data, target, { createdon: now, modifiedon: now, versionnumber: this.store.nextVersion() });
    applyCurrency(meta, data, this.store, this.metadata, this.options.baseCurrency ?? 'USD');
    checkRequired(meta, data);
    const row: StoredRow = { id, data };
    this.store.insert(meta, row, scope.journal);
    outputParameters['id'] = id;
    await this.runStage('PostOperation', { ...base, postEntityImages: { PostImage: this.image('Create', meta, row) } }, scope, depth);
    return id;
  }

  async update(meta: TableMeta, row: StoredRow, body: EntityRecord, scope: Scope, depth: number, ifMatch?: string, pre?: PreValidated): Promise<void> {
    if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== etagOf(row)) {
      throw new DataverseError(
        `The version of the existing record doesn't match the RowVersion property provided (${meta.logicalName} ${row.id}: ${etagOf(row)}, given ${ifMatch}).`,
        412,
        ErrorCodes.versionMismatch,
      );
    }
    const { id: bodyId, changes } = pre ? { id: undefined, changes: pre.target } : this.writeChanges(meta, body);
    if (bodyId !== undefined && bodyId !== row.id)
      throw badRequest(`The ${meta.primaryId} in the body (${bodyId}) differs from the row addressed (${row.id}).`);
    const target: Record<string, unknown> = { ...changes, [meta.primaryId]: row.id };
    const base = {
      messageName: 'Update',
      primaryEntityName: meta.logicalName,
      primaryEntityId: row.id,
      depth,
      correlationId: scope.correlationId,
      target,
      preEntityImages: { PreImage: this.image('Update', meta, row) },
      postEntityImages: {} as Record<string, EntityRecord>,
      inputParameters: { Target: target },
      outputParameters: {},
      sharedVariables: pre?.sharedVariables ?? new Map<string, unknown>(),
    };
    if (!pre) await this.runStage('PreValidation', base, scope, depth);
    await this.runStage('PreOperation', base, scope, depth);
    target[meta.primaryId] = row.id;
    if (this.pipeline.hasSteps('Update', meta.logicalName)) this.checkTarget(meta, target, row.id);
    // A step may have written this row meanwhile: apply the Target over its latest state.
    const current = this.store.mustGet(meta, row.id);
    const data = { ...current.data, ...target, modifiedon: this.now(), versionnumber: this.store.nextVersion() };
    applyCurrency(meta, data, this.store, this.metadata, this.options.baseCurrency ?? 'USD');
    checkRequired(meta, data);
    const next: StoredRow = { id: row.id, data };
    this.store.replace(meta, next, scope.journal);
    await this.runStage('PostOperation', { ...base, postEntityImages: { PostImage: this.image('Update', meta, next) } }, scope, depth);
  }

  async upsert(
    meta: TableMeta,
    key: ParsedKey,
    body: EntityRecord,
    scope: Scope,
    depth: number,
    conditions: { ifMatch?: string; ifNoneMatch?: string } = {},
    pre?: PreValidated,
  ): Promise<UpsertResult> {
    const row = this.findRow(meta, key);
    if (row) {
      if (conditions.ifNoneMatch === '*')
        throw new DataverseError(`A record with matching key values already exists (${meta.logicalName} ${describeKey(key)}).`, 412, ErrorCodes.duplicateId);
      // Validated as an update of this row before the transaction: the row is still the one it was.
      await this.update(meta, row, body, scope, depth, conditions.ifMatch, pre?.message === 'Update' && pre.id === row.id ? pre : undefined);
      return { id: row.id, created: false };
    }
    if (conditions.ifMatch !== undefined) throw notFound(meta.logicalName, describeKey(key));
    const preCreate = pre?.message === 'Create' ? pre : undefined;
    if (typeof key === 'string') return { id: await this.create(meta, body, scope, depth, { id: key }, preCreate && { ...preCreate, id: key }), created: true };
    if (Object.keys(key).length === 1 && typeof key[meta.primaryId] === 'string') {
      const id = key[meta.primaryId] as string;
      return { id: await this.create(meta, body, scope, depth, { id }, preCreate && { ...preCreate, id }), created: true };
    }
    // Created through an alternate key: the key's values become the row's, as Dataverse does.
    const extra: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(key))
      extra[this.keyProperty(meta, name)] = typeof value === 'string' && GUID.test(value) ? value.toLowerCase() : value;
    return { id: await this.create(meta, body, scope, depth, { extra }, preCreate), created: true };
  }

  async delete(meta: TableMeta, row: StoredRow, scope: Scope, depth: number, pre?: PreValidated): Promise<void> {
    const base = {
      messageName: 'Delete',
      primaryEntityName: meta.logicalName,
      primaryEntityId: row.id,
      depth,
      correlationId: scope.correlationId,
      target: { [meta.primaryId]: row.id },
      preEntityImages: { PreImage: this.image('Delete', meta, row) },
      postEntityImages: {},
      inputParameters: { Target: { [meta.primaryId]: row.id } },
      outputParameters: {},
      sharedVariables: pre?.sharedVariables ?? new Map<string, unknown>(),
    };
    if (!pre) await this.runStage('PreValidation', base, scope, depth);
    await this.runStage('PreOperation', base, scope, depth);
    this.removeWithRelationships(meta, row.id, scope);
    await this.runStage('PostOperation', base, scope, depth);
  }

  /** Applies the relationships' delete behaviour (Restrict, Cascade, RemoveLink), then removes the row. */
  private removeWithRelationships(meta: TableMeta, id: string, scope: Scope): void {
    for (const child of this.metadata.all) {
      for (const column of child.columns.values()) {
        if (column.type !== 'lookup' || column.target !== meta.logicalName) continue;
        const prop = readNameOf(column);
        const referencing = [...this.store.all(child)].filter((r) => r.data[prop] === id);
        if (referencing.length === 0) continue;
        if (column.onDelete === 'Restrict') {
          throw new DataverseError(
            `The ${meta.logicalName} ${id} cannot be deleted because ${referencing.length} ${child.logicalName} row(s) reference it through ${column.schemaName} (Restrict).`,
            400,
            ErrorCodes.referenced,
          );
        }
        for (const r of referencing) {
          if (column.onDelete === 'Cascade') this.removeWithRelationships(child, r.id, scope);
          else
            this.store.replace(
              child,
              { id: r.id, data: { ...r.data, [prop]: null, modifiedon: this.now(), versionnumber: this.store.nextVersion() } },
              scope.journal,
            );
        }
      }
    }
    this.store.remove(meta, id, scope.journal);
  }

  /** Strips the annotations a Multiple message's Targets carry after checking their type. */
  private multipleTarget(meta: TableMeta, record: EntityRecord, index: number): EntityRecord {
    const type = record['@odata.type'];
    if (type !== undefined && type !== `Microsoft.Dynamics.CRM.${meta.logicalName}`)
      throw badRequest(
        `Targets[${index}] has @odata.type '${String(type)}'; this message is bound to ${meta.entitySet} (Microsoft.Dynamics.CRM.${meta.logicalName}).`,
      );
    const rest = { ...record };
    delete rest['@odata.type'];
    delete rest['@odata.id'];
    return rest;
  }

  async createMultiple(meta: TableMeta, records: readonly EntityRecord[], scope: Scope, depth: number): Promise<string[]> {
    const ids: string[] = [];
    for (const [i, record] of records.entries()) ids.push(await this.create(meta, this.multipleTarget(meta, record, i), scope, depth));
    return ids;
  }

  async upsertMultiple(
    meta: TableMeta,
    keyColumns: readonly string[] | undefined,
    records: readonly EntityRecord[],
    scope: Scope,
    depth: number,
  ): Promise<UpsertResult[]> {
    const results: UpsertResult[] = [];
    for (const [i, record] of records.entries()) {
      let key: ParsedKey | undefined;
      const odataId = record['@odata.id'];
      if (typeof odataId === 'string') {
        const ref = parseRecordRef(odataId);
        if (!ref || ref.entitySet !== meta.entitySet) throw badRequest(`Targets[${i}]: @odata.id '${odataId}' must reference ${meta.entitySet}(...).`);
        key = ref.key;
      } else if (keyColumns?.length) {
        key = keyFromRecord(keyColumns, record);
      } else if (typeof record[meta.primaryId] === 'string') {
        key = (record[meta.primaryId] as string).toLowerCase();
      }
      const body = this.multipleTarget(meta, record, i);
      results.push(key === undefined ? { id: await this.create(meta, body, scope, depth), created: true } : await this.upsert(meta, key, body, scope, depth));
    }
    return results;
  }

  /** A custom message (Custom API): pipeline stages around its registered implementation. */
  async execute(
    name: string,
    input: Record<string, unknown>,
    scope: Scope,
    depth: number,
    bound?: { meta: TableMeta; id?: string },
  ): Promise<Record<string, unknown>> {
    const handler = this.pipeline.message(name);
    if (!handler && !this.pipeline.hasSteps(name)) throw resourceNotFound(name);
    const outputParameters: Record<string, unknown> = {};
    const base = {
      messageName: name,
      primaryEntityName: bound?.meta.logicalName ?? '',
      primaryEntityId: bound?.id,
      depth,
      correlationId: scope.correlationId,
      target: bound?.id ? { [bound.meta.primaryId]: bound.id } : {},
      preEntityImages: {},
      postEntityImages: {},
      inputParameters: input,
      outputParameters,
      sharedVariables: new Map<string, unknown>(),
    };
    await this.runStage('PreValidation', base, scope, depth);
    await this.runStage('PreOperation', base, scope, depth);
    if (handler) {
      let result: Record<string, unknown> | void;
      try {
        result = await handler(input, {
          client: this.client(scope, depth + 1),
          depth,
          correlationId: scope.correlationId,
          ...(bound ? { bound: { table: bound.meta.logicalName, ...(bound.id ? { id: bound.id } : {}) } } : {}),
        });
      } catch (error) {
        throw pluginError(error);
      }
      if (result) Object.assign(outputParameters, result);
    }
    await this.runStage('PostOperation', base, scope, depth);
    return outputParameters;
  }
}
