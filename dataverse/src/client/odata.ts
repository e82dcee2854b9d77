import type { QueryOptions } from './types';

/**
 * A typed `$filter` builder: column names are checked against the row type, literals are
 * quoted and escaped once, here. `filter<Row>().and(f.eq('cspb_status', 1), ...)`.
 */
export type FilterValue = string | number | boolean | null;

export interface Filter<T extends object> {
  eq(column: keyof T & string, value: FilterValue): string;
  ne(column: keyof T & string, value: FilterValue): string;
  gt(column: keyof T & string, value: FilterValue): string;
  ge(column: keyof T & string, value: FilterValue): string;
  lt(column: keyof T & string, value: FilterValue): string;
  le(column: keyof T & string, value: FilterValue): string;
  contains(column: keyof T & string, text: string): string;
  startswith(column: keyof T & string, text: string): string;
  and(...clauses: string[]): string;
  or(...clauses: string[]): string;
}

/** An OData literal: strings quoted with '' escaping, numbers and booleans bare, null as null. */
export function literal(value: FilterValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`not a finite OData number: ${value}`);
  return String(value);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function filter<T extends object>(): Filter<T> {
  // Lookup values (_x_value) compare against bare GUIDs, not quoted strings.
  const lit = (column: string, value: FilterValue): string =>
    column.startsWith('_') && typeof value === 'string' && GUID.test(value) ? value : literal(value);
  const op = (name: string) => (column: string, value: FilterValue) => `${column} ${name} ${lit(column, value)}`;
  const group =
    (joiner: string) =>
    (...clauses: string[]) => {
      if (clauses.length === 0) throw new Error(`${joiner} needs at least one clause`);
      return clauses.length === 1 ? clauses[0]! : clauses.map((c) => `(${c})`).join(` ${joiner} `);
    };
  return {
    eq: op('eq'),
    ne: op('ne'),
    gt: op('gt'),
    ge: op('ge'),
    lt: op('lt'),
    le: op('le'),
    contains: (column, text) => `contains(${column},${literal(text)})`,
    startswith: (column, text) => `startswith(${column},${literal(text)})`,
    and: group('and'),
    or: group('or'),
  };
}

/** Query options as the `?$select=...` string the Web API takes (no leading `?`). */
export function queryString(options: QueryOptions): string {
  const parts: string[] = [];
  if (options.select?.length) parts.push(`$select=${options.select.join(',')}`);
  if (options.filter) parts.push(`$filter=${encodeURIComponent(options.filter)}`);
  if (options.orderBy?.length) parts.push(`$orderby=${encodeURIComponent(options.orderBy.join(','))}`);
  if (options.top !== undefined) parts.push(`$top=${options.top}`);
  if (options.expand?.length) {
    const expands = options.expand.map((e) => (e.select?.length ? `${e.property}($select=${e.select.join(',')})` : e.property));
    parts.push(`$expand=${expands.join(',')}`);
  }
  return parts.join('&');
}
