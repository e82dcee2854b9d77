import { primaryIdOf } from '../schema';
import type { ColumnDef, LookupColumn, TableDef, TableExtension } from '../schema';

/**
 * What the local org knows about each table, derived from the schema-as-code once: entity set,
 * primary id, columns by the name they travel under on read (`_x_value` for lookups), lookups by
 * navigation property (the lookup's schema name, as `Schema@odata.bind` and `$expand` use it)
 * and alternate keys.
 */
export interface TableMeta {
  readonly logicalName: string;
  /** Schema name (`cspb_Subscription`, `Account`): privileges are named after it. */
  readonly schemaName: string;
  readonly entitySet: string;
  readonly primaryId: string;
  readonly primaryName: string;
  /** Columns by logical name (lookups under their logical name, e.g. `cspb_importid`). */
  readonly columns: ReadonlyMap<string, ColumnDef>;
  /** Columns by the property name a row carries on read (`_cspb_importid_value` for lookups). */
  readonly readColumns: ReadonlyMap<string, ColumnDef>;
  /** Lookups by navigation property (schema name, case-sensitive as in Dataverse). */
  readonly navigation: ReadonlyMap<string, LookupColumn>;
  /** Alternate keys: each a list of read property names (`_x_value` for lookup parts). */
  readonly keys: readonly KeyMeta[];
  /** Order of the table in the schema (dependency order): snapshots list tables this way. */
  readonly order: number;
}

export interface KeyMeta {
  readonly name: string;
  /** Read property names of the key's columns, in the key's order. */
  readonly properties: readonly string[];
}

/** Columns every row has besides the schema's: managed by the org, never written by callers. */
export const SYSTEM_COLUMNS = ['createdon', 'modifiedon', 'versionnumber'] as const;

/** `cspb_importid` -> `_cspb_importid_value`: how a lookup travels on read. */
export function lookupProperty(logicalName: string): string {
  return `_${logicalName}_value`;
}

export function readNameOf(column: ColumnDef): string {
  return column.type === 'lookup' ? lookupProperty(column.logicalName) : column.logicalName;
}

export class OrgMetadata {
  private readonly bySet = new Map<string, TableMeta>();
  private readonly byLogical = new Map<string, TableMeta>();

  constructor(tables: readonly TableDef[], extensions: readonly TableExtension[]) {
    let order = 0;
    // Extended system tables (account) come first: our tables point at them.
    for (const ext of extensions) this.add(fromExtension(ext, order++));
    for (const table of tables) this.add(fromTable(table, order++));
  }

  private add(meta: TableMeta): void {
    this.bySet.set(meta.entitySet, meta);
    this.byLogical.set(meta.logicalName, meta);
  }

  get all(): readonly TableMeta[] {
    return [...this.byLogical.values()].sort((a, b) => a.order - b.order);
  }

  tryBySet(entitySet: string): TableMeta | undefined {
    return this.bySet.get(entitySet);
  }

  tryByLogical(logicalName: string): TableMeta | undefined {
    return this.byLogical.get(logicalName);
  }
}

function build(
  schemaName: string,
  logicalName: string,
  entitySet: string,
  primaryId: string,
  primaryName: string,
  columns: readonly ColumnDef[],
  keys: readonly { schemaName: string; columns: readonly string[] }[],
  order: number,
): TableMeta {
  const byLogical = new Map<string, ColumnDef>();
  const byRead = new Map<string, ColumnDef>();
  const navigation = new Map<string, LookupColumn>();
  for (const column of columns) {
    byLogical.set(column.logicalName, column);
    byRead.set(readNameOf(column), column);
    if (column.type === 'lookup') navigation.set(column.navigationProperty, column);
  }
  const keyMetas = keys.map((key) => ({
    name: key.schemaName,
    properties: key.columns.map((c) => {
      const column = byLogical.get(c);
      if (!column) throw new Error(`${logicalName}: key ${key.schemaName} names unknown column ${c}`);
      return readNameOf(column);
    }),
  }));
  return { schemaName, logicalName, entitySet, primaryId, primaryName, columns: byLogical, readColumns: byRead, navigation, keys: keyMetas, order };
}

function fromTable(table: TableDef, order: number): TableMeta {
  return build(
    table.schemaName,
    table.logicalName,
    table.entitySetName,
    primaryIdOf(table),
    table.primaryName.logicalName,
    table.columns,
    table.keys ?? [],
    order,
  );
}

function fromExtension(ext: TableExtension, order: number): TableMeta {
  // The extension lists only the columns we add; the primary name column is Dataverse's own
  // (account.name: 160 characters, required on the form).
  const name: ColumnDef = {
    type: 'text',
    logicalName: ext.primaryName,
    schemaName: ext.primaryName === 'name' ? 'Name' : ext.primaryName,
    displayName: 'Name',
    description: `Primary name of ${ext.logicalName}.`,
    required: 'required',
    maxLength: 160,
  };
  const columns = ext.columns.some((c) => c.logicalName === ext.primaryName) ? ext.columns : [name, ...ext.columns];
  return build(ext.schemaName, ext.logicalName, ext.entitySetName, ext.primaryId, ext.primaryName, columns, [], order);
}
