import type { EntityRecord } from '../client/types';
import { GUID } from './keys';
import { readNameOf, type OrgMetadata, type TableMeta } from './metadata';
import { readableProperties } from './query/properties';
import { keyString, type Journal, type Store, type StoredRow } from './store';
import { checkValue } from './values';

/**
 * The snapshot: every row of the org as Web API JSON, the format the `reconcile` command reads
 * and the file the org persists itself to. See README.md in this folder.
 */
export const SNAPSHOT_FORMAT = 'cspb-snapshot';
export const SNAPSHOT_VERSION = 1;

export interface Snapshot {
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly version: typeof SNAPSHOT_VERSION;
  readonly exportedOn: string;
  /** Logical name -> rows (ids and `_x_value` lookups), tables in schema order, rows by id. */
  readonly tables: Readonly<Record<string, readonly EntityRecord[]>>;
}

export interface SnapshotIssue {
  readonly table?: string;
  /** Index of the row in its table's array. */
  readonly row?: number;
  readonly id?: string;
  readonly column?: string;
  readonly message: string;
}

export class SnapshotError extends Error {
  constructor(readonly issues: readonly SnapshotIssue[]) {
    super(
      `Snapshot rejected, ${issues.length} problem(s):\n` +
        issues
          .slice(0, 20)
          .map(
            (i) =>
              `- ${[i.table, i.row === undefined ? undefined : `row ${i.row}`, i.id && `(id ${i.id})`, i.column && `column ${i.column}`].filter(Boolean).join(' ')}: ${i.message}`,
          )
          .join('\n'),
    );
    this.name = 'SnapshotError';
  }
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const MAX_ISSUES = 100;

export function exportSnapshot(store: Store, metadata: OrgMetadata, exportedOn: string): Snapshot {
  const tables: Record<string, EntityRecord[]> = {};
  for (const meta of metadata.all) {
    const props = readableProperties(meta);
    tables[meta.logicalName] = [...store.all(meta)]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((row) => {
        const out: EntityRecord = {};
        for (const p of props) out[p] = row.data[p] ?? null;
        return out;
      });
  }
  return { format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, exportedOn, tables };
}

export interface ImportOptions {
  /** replace (default): the org holds exactly the snapshot afterwards; merge: rows replace same-id rows. */
  readonly mode?: 'replace' | 'merge';
}

export interface ImportSummary {
  readonly rows: number;
  readonly tables: Readonly<Record<string, number>>;
}

interface ValidRow {
  readonly meta: TableMeta;
  readonly data: Record<string, unknown>;
  readonly id: string;
  readonly index: number;
}

/** Checks a parsed snapshot completely, collecting every problem before anything is applied. */
export function validateSnapshot(json: unknown, metadata: OrgMetadata, store: Store, mode: 'replace' | 'merge'): ValidRow[] {
  const issues: SnapshotIssue[] = [];
  const issue = (i: SnapshotIssue) => {
    if (issues.length < MAX_ISSUES) issues.push(i);
  };
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new SnapshotError([{ message: 'a snapshot is a JSON object' }]);
  const doc = json as Record<string, unknown>;
  if (doc['format'] !== SNAPSHOT_FORMAT) issue({ message: `format must be "${SNAPSHOT_FORMAT}", not ${JSON.stringify(doc['format'])}` });
  if (doc['version'] !== SNAPSHOT_VERSION) issue({ message: `version must be ${SNAPSHOT_VERSION}, not ${JSON.stringify(doc['version'])}` });
  if (doc['exportedOn'] !== undefined && (typeof doc['exportedOn'] !== 'string' || !ISO_DATE_TIME.test(doc['exportedOn'])))
    issue({ message: `exportedOn must be an ISO date-time in UTC, not ${JSON.stringify(doc['exportedOn'])}` });
  const tables = doc['tables'];
  if (tables === null || typeof tables !== 'object' || Array.isArray(tables)) {
    issue({ message: 'tables must be an object: logical name -> array of rows' });
    throw new SnapshotError(issues);
  }

  const rows: ValidRow[] = [];
  const ids = new Map<string, Set<string>>();
  for (const [table, list] of Object.entries(tables as Record<string, unknown>)) {
    const meta = metadata.tryByLogical(table);
    if (!meta) {
      issue({ table, message: `unknown table (known: ${metadata.all.map((m) => m.logicalName).join(', ')})` });
      continue;
    }
    if (!Array.isArray(list)) {
      issue({ table, message: 'must be an array of rows' });
      continue;
    }
    const seen = new Set<string>();
    ids.set(table, seen);
    const allowed = new Set(readableProperties(meta));
    list.forEach((raw: unknown, index) => {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        issue({ table, row: index, message: 'a row must be a JSON object' });
        return;
      }
      const row = raw as Record<string, unknown>;
      const id = row[meta.primaryId];
      if (typeof id !== 'string' || !GUID.test(id)) {
        issue({ table, row: index, column: meta.primaryId, message: `primary id must be a GUID, not ${JSON.stringify(id)}` });
        return;
      }
      const lid = id.toLowerCase();
      if (seen.has(lid)) issue({ table, row: index, id: lid, column: meta.primaryId, message: 'the same id appears twice' });
      seen.add(lid);
      const data: Record<string, unknown> = {};
      for (const p of allowed) data[p] = null;
      let ok = true;
      for (const [column, value] of Object.entries(row)) {
        if (column === '@odata.etag') continue;
        if (!allowed.has(column)) {
          const hint = meta.navigation.has(column.replace(/@odata\.bind$/, '')) ? ' (snapshots carry lookups as _x_value)' : '';
          issue({ table, row: index, id: lid, column, message: `unknown column${hint}` });
          ok = false;
          continue;
        }
        if (column === 'createdon' || column === 'modifiedon') {
          if (value !== null && (typeof value !== 'string' || !ISO_DATE_TIME.test(value))) {
            issue({ table, row: index, id: lid, column, message: `must be an ISO date-time in UTC, not ${JSON.stringify(value)}` });
            ok = false;
          }
        } else if (column === 'versionnumber') {
          if (value !== null && (typeof value !== 'number' || !Number.isInteger(value) || value < 1)) {
            issue({ table, row: index, id: lid, column, message: `must be a positive integer, not ${JSON.stringify(value)}` });
            ok = false;
          }
        } else if (column !== meta.primaryId) {
          try {
            checkValue(meta, meta.readColumns.get(column)!, value);
          } catch (e) {
            issue({ table, row: index, id: lid, column, message: (e as Error).message });
            ok = false;
          }
        }
        data[column] =
          typeof value === 'string' && (column === meta.primaryId || meta.readColumns.get(column)?.type === 'lookup') ? value.toLowerCase() : value;
      }
      for (const column of meta.columns.values()) {
        const prop = readNameOf(column);
        if (column.required === 'required' && (data[prop] === null || data[prop] === '')) {
          issue({ table, row: index, id: lid, column: prop, message: 'required column has no value' });
          ok = false;
        }
      }
      if (ok) rows.push({ meta, data, id: lid, index });
    });
  }

  // Lookups must point at rows of the snapshot (or, when merging, of the org).
  const exists = (meta: TableMeta, id: string) => ids.get(meta.logicalName)?.has(id) || (mode === 'merge' && store.get(meta, id) !== undefined);
  const keySeen = new Map<string, string>();
  for (const r of rows) {
    for (const column of r.meta.columns.values()) {
      if (column.type !== 'lookup') continue;
      const prop = readNameOf(column);
      const ref = r.data[prop];
      const target = metadata.tryByLogical(column.target);
      if (typeof ref === 'string' && target && !exists(target, ref))
        issue({ table: r.meta.logicalName, row: r.index, id: r.id, column: prop, message: `references ${column.target} ${ref}, which is not in the snapshot` });
    }
    for (const key of r.meta.keys) {
      const k = keyString(key, r.data);
      if (k === undefined) continue;
      const slot = `${r.meta.logicalName}|${key.name}|${k}`;
      const other = keySeen.get(slot);
      if (other !== undefined && other !== r.id)
        issue({
          table: r.meta.logicalName,
          row: r.index,
          id: r.id,
          column: key.properties.join(','),
          message: `alternate key ${key.name} duplicates row ${other}`,
        });
      keySeen.set(slot, r.id);
      if (mode === 'merge') {
        const holder = store.findByKey(r.meta, key, r.data as Record<string, string>);
        if (holder && holder.id !== r.id)
          issue({
            table: r.meta.logicalName,
            row: r.index,
            id: r.id,
            column: key.properties.join(','),
            message: `alternate key ${key.name} is held by org row ${holder.id}`,
          });
      }
    }
  }
  if (issues.length) throw new SnapshotError(issues);
  return rows;
}

/** Writes validated rows (after clearing the org in replace mode); undone with the journal on failure. */
export function applySnapshot(rows: readonly ValidRow[], store: Store, journal: Journal, mode: 'replace' | 'merge', now: string): ImportSummary {
  if (mode === 'replace') store.clear(journal);
  for (const r of rows) if (typeof r.data['versionnumber'] === 'number') store.raiseVersionTo(r.data['versionnumber']);
  const counts: Record<string, number> = {};
  // Remove same-id rows first so a merge that swaps key values between rows does not collide.
  if (mode === 'merge') for (const r of rows) if (store.get(r.meta, r.id)) store.remove(r.meta, r.id, journal);
  for (const r of rows) {
    const data = {
      ...r.data,
      [r.meta.primaryId]: r.id,
      createdon: r.data['createdon'] ?? now,
      modifiedon: r.data['modifiedon'] ?? now,
      versionnumber: r.data['versionnumber'] ?? store.nextVersion(),
    };
    const row: StoredRow = { id: r.id, data };
    store.insert(r.meta, row, journal);
    counts[r.meta.logicalName] = (counts[r.meta.logicalName] ?? 0) + 1;
  }
  return { rows: rows.length, tables: counts };
}
