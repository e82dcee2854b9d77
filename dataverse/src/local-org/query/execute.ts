import type { EntityRecord, ExpandOption, QueryOptions } from '../../client/types';
import { badRequest } from '../errors';
import type { OrgMetadata, TableMeta } from '../metadata';
import type { Store, StoredRow } from '../store';
import { compareValues, compileFilter } from './filter';
import { decodeSkipToken, encodeSkipToken } from './options';
import { propertyKind, readableProperties } from './properties';

/** Dataverse's default (and maximum) page size for the Web API. */
export const DEFAULT_PAGE_SIZE = 5000;

export function etagOf(row: StoredRow): string {
  return `W/"${String(row.data['versionnumber'])}"`;
}

/**
 * A stored row as the Web API returns it: `@odata.etag`, then the selected properties (the
 * primary id always), then single-valued expansions.
 */
export function project(
  store: Store,
  metadata: OrgMetadata,
  meta: TableMeta,
  row: StoredRow,
  select?: readonly string[],
  expand?: readonly ExpandOption[],
): EntityRecord {
  const out: EntityRecord = { '@odata.etag': etagOf(row) };
  const props = select?.length ? select : readableProperties(meta);
  for (const prop of props) {
    propertyKind(meta, prop);
    out[prop] = row.data[prop] ?? null;
  }
  out[meta.primaryId] = row.id;
  for (const e of expand ?? []) {
    const column = meta.navigation.get(e.property);
    if (!column) {
      throw badRequest(
        `Could not find a single-valued navigation property named '${e.property}' on type 'Microsoft.Dynamics.CRM.${meta.logicalName}' (collection-valued expansion is not supported by the local org).`,
      );
    }
    const target = metadata.tryByLogical(column.target);
    if (!target) throw badRequest(`The target table ${column.target} of ${e.property} is not in this org.`);
    const refId = row.data[`_${column.logicalName}_value`];
    const related = typeof refId === 'string' ? store.get(target, refId) : undefined;
    out[e.property] = related ? project(store, metadata, target, related, e.select) : null;
  }
  return out;
}

interface Ordering {
  readonly prop: string;
  readonly desc: boolean;
}

function parseOrderBy(meta: TableMeta, orderBy: readonly string[]): Ordering[] {
  return orderBy.map((item) => {
    const [prop, dir, extra] = item.trim().split(/\s+/);
    if (!prop || extra !== undefined || (dir !== undefined && dir !== 'asc' && dir !== 'desc')) throw badRequest(`Bad $orderby item '${item}'.`);
    propertyKind(meta, prop);
    return { prop, desc: dir === 'desc' };
  });
}

/** SQL order: nulls first ascending, last descending; the primary id breaks ties so pages are stable. */
function comparator(meta: TableMeta, orderings: readonly Ordering[]): (a: StoredRow, b: StoredRow) => number {
  return (a, b) => {
    for (const { prop, desc } of orderings) {
      const x = a.data[prop] ?? null;
      const y = b.data[prop] ?? null;
      let c: number;
      if (x === null || y === null) c = x === y ? 0 : x === null ? -1 : 1;
      else c = compareValues(x, y);
      if (c !== 0) return desc ? -c : c;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}

export interface QueryPage {
  readonly value: EntityRecord[];
  /** Skip token of the next page, when there is one. */
  readonly nextSkipToken?: string;
}

export function runQuery(store: Store, metadata: OrgMetadata, meta: TableMeta, options: QueryOptions & { skipToken?: string }): QueryPage {
  const predicate = options.filter ? compileFilter(meta, options.filter) : undefined;
  const orderings = parseOrderBy(meta, options.orderBy ?? []);
  for (const prop of options.select ?? []) propertyKind(meta, prop);
  const position = options.skipToken ? decodeSkipToken(options.skipToken) : { offset: 0, pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE };
  const pageSize = Math.min(options.pageSize ?? position.pageSize, DEFAULT_PAGE_SIZE);
  if (!(pageSize > 0)) throw badRequest(`odata.maxpagesize must be positive, not ${pageSize}.`);

  const matches: StoredRow[] = [];
  for (const row of store.all(meta)) if (!predicate || predicate(row.data)) matches.push(row);
  matches.sort(comparator(meta, orderings));
  const limit = options.top === undefined ? matches.length : Math.min(options.top, matches.length);
  const end = Math.min(position.offset + pageSize, limit);
  const value = matches.slice(position.offset, end).map((row) => project(store, metadata, meta, row, options.select, options.expand));
  return end < limit ? { value, nextSkipToken: encodeSkipToken(end, pageSize) } : { value };
}
