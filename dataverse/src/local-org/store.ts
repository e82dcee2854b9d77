import { DataverseError } from '../client/types';
import { ErrorCodes, notFound } from './errors';
import type { KeyValue } from './keys';
import type { KeyMeta, OrgMetadata, TableMeta } from './metadata';

/**
 * The rows of every table in memory, with an index per alternate key, and an undo journal so
 * that an operation (and everything its plug-ins wrote) is all or nothing.
 */
export interface StoredRow {
  readonly id: string;
  /** Read shape: primary id, columns (lookups as `_x_value`), createdon, modifiedon, versionnumber. */
  readonly data: Readonly<Record<string, unknown>>;
}

/** Undo steps of the writes of one transaction, replayed backwards on rollback. */
export class Journal {
  private readonly undo: (() => void)[] = [];
  /** Rows this transaction wrote (table, id), for the durable redo record a commit appends. */
  readonly touched = new Map<string, { readonly table: string; readonly id: string }>();

  record(step: () => void, table?: string, id?: string): void {
    this.undo.push(step);
    if (table !== undefined && id !== undefined) this.touched.set(`${table}\u0000${id}`, { table, id });
  }

  rollback(): void {
    while (this.undo.length) this.undo.pop()!();
  }

  get writes(): number {
    return this.undo.length;
  }
}

/** Index form of a key value: text keys compare case-insensitively, as Dataverse's collation does. */
function keyPart(value: unknown): string {
  return typeof value === 'string' ? `s:${value.toLowerCase()}` : `${typeof value}:${String(value)}`;
}

/** Index entry of a key over a row, or undefined when a key column is empty (not indexed). */
export function keyString(key: KeyMeta, values: Readonly<Record<string, unknown>>): string | undefined {
  const parts: string[] = [];
  for (const prop of key.properties) {
    const v = values[prop];
    if (v === null || v === undefined) return undefined;
    parts.push(keyPart(v));
  }
  return parts.join('|');
}

class TableRows {
  readonly rows = new Map<string, StoredRow>();
  readonly keyIndex = new Map<string, Map<string, string>>();

  constructor(readonly meta: TableMeta) {
    for (const key of meta.keys) this.keyIndex.set(key.name, new Map());
  }
}

export class Store {
  private readonly tables = new Map<string, TableRows>();
  private version = 0;

  constructor(readonly metadata: OrgMetadata) {
    for (const meta of metadata.all) this.tables.set(meta.logicalName, new TableRows(meta));
  }

  /** The org-wide row version (like Dataverse's rowversion): every write takes the next one. */
  nextVersion(): number {
    return ++this.version;
  }

  get currentVersion(): number {
    return this.version;
  }

  raiseVersionTo(version: number): void {
    if (version > this.version) this.version = version;
  }

  private rowsOf(meta: TableMeta): TableRows {
    const t = this.tables.get(meta.logicalName);
    if (!t) throw new Error(`table ${meta.logicalName} is not in this org`);
    return t;
  }

  get(meta: TableMeta, id: string): StoredRow | undefined {
    return this.rowsOf(meta).rows.get(id.toLowerCase());
  }

  mustGet(meta: TableMeta, id: string): StoredRow {
    const row = this.get(meta, id);
    if (!row) throw notFound(meta.logicalName, id);
    return row;
  }

  all(meta: TableMeta): IterableIterator<StoredRow> {
    return this.rowsOf(meta).rows.values();
  }

  count(meta: TableMeta): number {
    return this.rowsOf(meta).rows.size;
  }

  findByKey(meta: TableMeta, key: KeyMeta, values: Readonly<Record<string, KeyValue>>): StoredRow | undefined {
    const k = keyString(key, values);
    if (k === undefined) return undefined;
    const id = this.rowsOf(meta).keyIndex.get(key.name)!.get(k);
    return id === undefined ? undefined : this.get(meta, id);
  }

  private checkKeys(t: TableRows, id: string, data: Readonly<Record<string, unknown>>): void {
    for (const key of t.meta.keys) {
      const k = keyString(key, data);
      if (k === undefined) continue;
      const holder = t.keyIndex.get(key.name)!.get(k);
      if (holder !== undefined && holder !== id) {
        const shown = key.properties.map((p) => `${p}=${JSON.stringify(data[p])}`).join(', ');
        throw new DataverseError(
          `A record that has the attribute values ${shown} already exists. The entity key ${key.name} requires that this set of attributes contains unique values.`,
          412,
          ErrorCodes.duplicateKey,
        );
      }
    }
  }

  private index(t: TableRows, row: StoredRow, add: boolean): void {
    for (const key of t.meta.keys) {
      const k = keyString(key, row.data);
      if (k === undefined) continue;
      const idx = t.keyIndex.get(key.name)!;
      if (add) idx.set(k, row.id);
      else if (idx.get(k) === row.id) idx.delete(k);
    }
  }

  insert(meta: TableMeta, row: StoredRow, journal: Journal): void {
    const t = this.rowsOf(meta);
    if (t.rows.has(row.id))
      throw new DataverseError(`Cannot insert duplicate key: a ${meta.logicalName} with id ${row.id} already exists.`, 412, ErrorCodes.duplicateId);
    this.checkKeys(t, row.id, row.data);
    t.rows.set(row.id, row);
    this.index(t, row, true);
    journal.record(
      () => {
        this.index(t, row, false);
        t.rows.delete(row.id);
      },
      meta.logicalName,
      row.id,
    );
  }

  replace(meta: TableMeta, next: StoredRow, journal: Journal): void {
    const t = this.rowsOf(meta);
    const previous = t.rows.get(next.id);
    if (!previous) throw notFound(meta.logicalName, next.id);
    this.checkKeys(t, next.id, next.data);
    this.index(t, previous, false);
    t.rows.set(next.id, next);
    this.index(t, next, true);
    journal.record(
      () => {
        this.index(t, next, false);
        t.rows.set(previous.id, previous);
        this.index(t, previous, true);
      },
      meta.logicalName,
      next.id,
    );
  }

  remove(meta: TableMeta, id: string, journal: Journal): void {
    const t = this.rowsOf(meta);
    const row = t.rows.get(id);
    if (!row) throw notFound(meta.logicalName, id);
    this.index(t, row, false);
    t.rows.delete(id);
    journal.record(
      () => {
        t.rows.set(row.id, row);
        this.index(t, row, true);
      },
      meta.logicalName,
      row.id,
    );
  }

  /** A row's image after a commit (null: deleted), for the redo record. */
  image(table: string, id: string): Readonly<Record<string, unknown>> | null {
    return this.tables.get(table)?.rows.get(id)?.data ?? null;
  }

  /**
   * Replays a committed row image from the redo journal (opening a saved org): the row as it was
   * acknowledged, or its deletion. Images are whole rows, so replaying one twice changes nothing.
   */
  restore(table: string, id: string, data: Readonly<Record<string, unknown>> | null): void {
    const t = this.tables.get(table);
    if (!t) throw new Error(`the journal names table ${table}, which is not in this org`);
    const previous = t.rows.get(id);
    if (previous) this.index(t, previous, false);
    if (data === null) t.rows.delete(id);
    else {
      const row = { id, data };
      t.rows.set(id, row);
      this.index(t, row, true);
      if (typeof data['versionnumber'] === 'number') this.raiseVersionTo(data['versionnumber']);
    }
  }

  /** Empties every table (snapshot import in replace mode), undoable like any write. */
  clear(journal: Journal): void {
    for (const t of this.tables.values()) {
      for (const row of [...t.rows.values()]) this.remove(t.meta, row.id, journal);
    }
  }
}
