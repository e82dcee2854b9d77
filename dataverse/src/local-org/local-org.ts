import type {
  BatchOperation,
  BatchOptions,
  BatchResult,
  DataverseClient,
  EntityRecord,
  Page,
  QueryOptions,
  RecordKey,
  RetrieveOptions,
  UpdateOptions,
  UpsertResult,
} from '../client/types';
import { DataverseError } from '../client/types';
import type { TableDef, TableExtension } from '../schema';
import { Engine } from './engine';
import { OrgMetadata } from './metadata';
import { customizationsOfSchema, tablesFromCustomizations } from './customizations-metadata';
import { extensions as schemaExtensions, tables as schemaTables } from '../schema';
import { OrgClient } from './org-client';
import { FilePersistence } from './persistence';
import type { AsyncFailure, MessageHandler, PluginStep } from './pipeline';
import { applySnapshot, exportSnapshot, type ImportOptions, type ImportSummary, type Snapshot, validateSnapshot } from './snapshot';
import { Journal, Store } from './store';
import { rolesFromCustomizations, type Caller, type OrgUser } from './security';
import { DEFAULT_CURRENCIES, fillCurrencies, seedCurrencies, TRANSACTION_CURRENCY_TABLE, type OrgCurrency } from './currency';

export interface LocalOrgOptions {
  /**
   * The solution's customizations.xml the org takes its metadata from (the built one from
   * dist/, in the workbench). Without it the org reads the entity and relationship XML the
   * generator writes for `tables` and `extensions` (default: the suite's schema): either way the
   * metadata goes through the XML that ships.
   */
  readonly customizationsXml?: string;
  readonly tables?: readonly TableDef[];
  readonly extensions?: readonly TableExtension[];
  /** Clock for createdon/modifiedon. */
  readonly now?: () => Date;
  /** The currencies enabled in the org, the base currency first (default: USD, EUR, GBP). */
  readonly currencies?: readonly OrgCurrency[];
}

export interface OpenOptions extends LocalOrgOptions {
  /** Journal size after which the snapshot is rewritten and the journal emptied (default 8 MiB). */
  readonly compactBytes?: number;
}

const metadataCache = new Map<string, OrgMetadata>();
const rolesCache = new Map<string, Map<string, Set<string>>>();

/** The <Roles> of the org's customizations.xml, parsed once per document. */
function rolesOf(options: LocalOrgOptions): Map<string, Set<string>> {
  const xml = options.customizationsXml;
  if (xml === undefined) return new Map();
  let roles = rolesCache.get(xml);
  if (!roles) {
    roles = rolesFromCustomizations(xml);
    if (rolesCache.size > 16) rolesCache.clear();
    rolesCache.set(xml, roles);
  }
  return roles;
}

/** Metadata from customizations.xml, parsed once per distinct document (tests open many orgs). */
function metadataOf(options: LocalOrgOptions): OrgMetadata {
  const xml = options.customizationsXml ?? customizationsOfSchema(options.tables ?? schemaTables, options.extensions ?? schemaExtensions);
  let metadata = metadataCache.get(xml);
  if (!metadata) {
    const parsed = tablesFromCustomizations(xml);
    // The platform's currency table is in every org, whatever the solution holds.
    metadata = new OrgMetadata(parsed.tables, [TRANSACTION_CURRENCY_TABLE, ...parsed.extensions]);
    if (metadataCache.size > 16) metadataCache.clear();
    metadataCache.set(xml, metadata);
  }
  return metadata;
}

/**
 * The embedded local org: an in-process Dataverse implementing DataverseClient over the suite's
 * schema, with the plug-in pipeline, alternate keys, ETags, snapshots and (with `open`) a file
 * that survives restarts. `serveLocalOrg` (./http) puts the Web API in front of it.
 */
export class LocalOrg implements DataverseClient {
  readonly metadata: OrgMetadata;
  /** @internal The HTTP face drives the engine directly (change sets, conditional headers). */
  readonly engine: Engine;
  private readonly root: OrgClient;
  private persistence: FilePersistence | undefined;

  constructor(private readonly options: LocalOrgOptions = {}) {
    this.metadata = metadataOf(options);
    const store = new Store(this.metadata);
    this.engine = new Engine(this.metadata, store, {
      ...(options.now ? { now: options.now } : {}),
      onCommit: (journal) => this.persistence?.commit(journal),
      baseCurrency: this.currencies[0]!.code,
    });
    seedCurrencies(store, this.metadata, this.currencies, new Journal(), this.nowText());
    this.engine.useClientFactory((scope, depth) => new OrgClient(this.engine, scope, depth));
    this.root = new OrgClient(this.engine, null, 1);
  }

  private readonly users = new Map<string, Caller>();

  /** The roles the org's customizations.xml ships (none when the org was built from the schema alone). */
  get roles(): ReadonlyMap<string, ReadonlySet<string>> {
    return rolesOf(this.options);
  }

  /**
   * A user holding these roles (by name, as the solution ships them); calls made as this user are
   * checked against the roles' privileges.
   */
  registerUser(user: OrgUser): Caller {
    const privileges = new Set<string>();
    for (const role of user.roles) {
      const granted = this.roles.get(role);
      if (!granted) throw new Error(`no security role named ${JSON.stringify(role)} in this org (it has: ${[...this.roles.keys()].join(', ') || 'none'})`);
      for (const p of granted) privileges.add(p);
    }
    const caller: Caller = { ...user, id: user.id.toLowerCase(), privileges };
    this.users.set(caller.id, caller);
    return caller;
  }

  /** The registered user with this id (as MSCRMCallerID names it), or undefined. */
  user(id: string): Caller | undefined {
    return this.users.get(id.toLowerCase());
  }

  /** A client that acts as a registered user, whose roles are enforced. */
  as(userId: string): DataverseClient {
    const caller = this.user(userId);
    if (!caller) throw new DataverseError(`The user ${userId} is not a user of this org.`, 404);
    return new OrgClient(this.engine, null, 1, caller);
  }

  /**
   * Loads `file` (a snapshot) and replays its journal when they exist; every later write is on
   * disk (journal appended and fsynced) before it is acknowledged.
   */
  static async open(file: string, options: OpenOptions = {}): Promise<LocalOrg> {
    const org = new LocalOrg(options);
    await FilePersistence.removeOrphans(file);
    const saved = await FilePersistence.read(file);
    if (saved !== undefined) await org.importSnapshot(saved);
    const persistence = new FilePersistence(file, () => JSON.stringify(org.exportSnapshot()), org.engine.store, options.compactBytes ?? 8 * 1024 * 1024);
    await persistence.replay();
    org.persistence = persistence;
    return org;
  }

  // ---- DataverseClient ----------------------------------------------------------------------

  retrieve<T extends object = EntityRecord>(entitySet: string, key: RecordKey, options?: RetrieveOptions): Promise<T> {
    return this.root.retrieve<T>(entitySet, key, options);
  }
  retrieveMultiple<T extends object = EntityRecord>(entitySet: string, options?: QueryOptions): Promise<Page<T>> {
    return this.root.retrieveMultiple<T>(entitySet, options);
  }
  retrieveNextPage<T extends object = EntityRecord>(nextLink: string): Promise<Page<T>> {
    return this.root.retrieveNextPage<T>(nextLink);
  }
  create(entitySet: string, record: EntityRecord): Promise<string> {
    return this.root.create(entitySet, record);
  }
  update(entitySet: string, key: RecordKey, record: EntityRecord, options?: UpdateOptions): Promise<void> {
    return this.root.update(entitySet, key, record, options);
  }
  upsert(entitySet: string, key: RecordKey, record: EntityRecord): Promise<UpsertResult> {
    return this.root.upsert(entitySet, key, record);
  }
  delete(entitySet: string, key: RecordKey): Promise<void> {
    return this.root.delete(entitySet, key);
  }
  createMultiple(entitySet: string, records: readonly EntityRecord[]): Promise<string[]> {
    return this.root.createMultiple(entitySet, records);
  }
  upsertMultiple(entitySet: string, keyColumns: readonly string[], records: readonly EntityRecord[]): Promise<void> {
    return this.root.upsertMultiple(entitySet, keyColumns, records);
  }
  executeBatch(operations: readonly BatchOperation[], options?: BatchOptions): Promise<BatchResult[]> {
    return this.root.executeBatch(operations, options);
  }
  execute<T = unknown>(action: string, parameters: EntityRecord, bound?: { entitySet: string; key?: RecordKey }): Promise<T> {
    return this.root.execute<T>(action, parameters, bound);
  }

  // ---- pipeline -----------------------------------------------------------------------------

  /** Registers a plug-in step; returns the function that unregisters it. */
  register(step: PluginStep): () => void {
    if (step.table !== undefined && !this.metadata.tryByLogical(step.table)) throw new Error(`register: unknown table ${step.table}`);
    return this.engine.pipeline.register(step);
  }

  /** Registers the implementation of a custom message (what `execute(name, ...)` runs). */
  registerMessage(name: string, handler: MessageHandler): () => void {
    return this.engine.pipeline.registerMessage(name, handler);
  }

  /** Failures of async steps, in the order they happened (they never reach the caller). */
  get asyncFailures(): readonly AsyncFailure[] {
    return this.engine.asyncFailures;
  }

  /** Waits until every async step started so far has finished. */
  asyncIdle(): Promise<void> {
    return this.engine.asyncIdle();
  }

  // ---- data ---------------------------------------------------------------------------------

  /** Rows in a table (tests and the CLI's summaries). */
  count(entitySet: string): number {
    return this.engine.store.count(this.engine.tableBySet(entitySet));
  }

  /** Every row, tables in schema order, rows by id: deterministic for the same data. */
  exportSnapshot(options: { exportedOn?: string } = {}): Snapshot {
    const exportedOn = options.exportedOn ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    return exportSnapshot(this.engine.store, this.metadata, exportedOn);
  }

  /**
   * Loads a snapshot (parsed JSON or its text). Everything is validated first; any problem throws
   * a SnapshotError naming table, row and column, and the org is left as it was. Plug-ins do not run.
   */
  async importSnapshot(snapshot: unknown, options: ImportOptions = {}): Promise<ImportSummary> {
    const json = typeof snapshot === 'string' ? (JSON.parse(snapshot) as unknown) : snapshot;
    const mode = options.mode ?? 'replace';
    const now = this.nowText();
    const store = this.engine.store;
    return this.engine.raw((journal) => {
      // Currencies first: a snapshot's rows may name one the snapshot does not list (an older
      // snapshot, or one written by hand); rows without currency columns get them as on create.
      if (mode === 'replace') store.clear(journal);
      seedCurrencies(store, this.metadata, this.currencies, journal, now);
      const summary = applySnapshot(validateSnapshot(json, this.metadata, store, 'merge'), store, journal, 'merge', now);
      fillCurrencies(store, this.metadata, this.currencies[0]!.code, journal);
      return summary;
    });
  }

  /** The organisation's base currency (ISO code): what every `_base` amount is in. */
  get baseCurrency(): string {
    return this.currencies[0]!.code;
  }

  private get currencies(): readonly OrgCurrency[] {
    const list = this.options.currencies ?? DEFAULT_CURRENCIES;
    if (list.length === 0) throw new Error('a local org needs at least its base currency');
    return list;
  }

  private nowText(): string {
    return (this.options.now?.() ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /**
   * Rewrites the saved snapshot with every acknowledged write and empties the journal (no-op for an
   * org without a file). Writes are durable without it: this only makes the snapshot current.
   */
  async flush(): Promise<void> {
    const persistence = this.persistence;
    if (persistence) await this.engine.exclusive(() => persistence.compact());
  }

  /** Waits for async steps, then compacts and closes the journal. */
  async close(): Promise<void> {
    await this.asyncIdle();
    const persistence = this.persistence;
    if (persistence) await this.engine.exclusive(() => persistence.close());
  }
}
