/**
 * Filtering, sorting, grouping and totals over the grid's rows. Pure and allocation-light: a
 * 100,000-row filter is one pass; the grouped view is a flat list of header and line items, so
 * the virtualised list renders only what is on screen.
 */
import { Decimal } from '../../../core/src/money';
import type { ReconCategory } from '../../../core/src/reconcile/categories';
import { categoryLabel, type ReconRow, type ResolutionStatus } from './rows';

export interface GridFilter {
  /** Empty: every category. */
  readonly categories: readonly ReconCategory[];
  readonly statuses: readonly ResolutionStatus[];
  readonly customers: readonly string[];
  readonly search: string;
}

export const NO_FILTER: GridFilter = { categories: [], statuses: [], customers: [], search: '' };

export function filterRows(rows: readonly ReconRow[], filter: GridFilter): ReconRow[] {
  const categories = filter.categories.length ? new Set<ReconCategory | null>(filter.categories) : null;
  const statuses = filter.statuses.length ? new Set(filter.statuses) : null;
  const customers = filter.customers.length ? new Set(filter.customers) : null;
  const needle = filter.search.trim().toLowerCase();
  if (!categories && !statuses && !customers && !needle) return rows.slice();
  const out: ReconRow[] = [];
  for (const row of rows) {
    if (categories && !categories.has(row.category)) continue;
    if (statuses && !statuses.has(row.status)) continue;
    if (customers && !customers.has(row.customer)) continue;
    if (needle && !row.haystack.includes(needle)) continue;
    out.push(row);
  }
  return out;
}

export type SortKey =
  | 'customer' | 'subscription' | 'product' | 'chargeType' | 'chargeStart' | 'chargeEnd' | 'billedQuantity' | 'expectedQuantity'
  | 'eup' | 'billed' | 'expected' | 'variance' | 'category' | 'status';

export interface GridSort {
  readonly key: SortKey;
  readonly descending: boolean;
}

const DECIMAL_KEYS = new Set<SortKey>(['billedQuantity', 'expectedQuantity', 'eup', 'billed', 'expected', 'variance']);
const DATE_KEYS = new Set<SortKey>(['chargeStart', 'chargeEnd']);

/** M/D/YYYY or ISO text as a sortable number (unparseable: as text, after dates). */
function dateKey(text: string): number {
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(text);
  if (m) return Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]);
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(text);
  if (m) return Number(m[3]) * 10000 + Number(m[1]) * 100 + Number(m[2]);
  return Number.POSITIVE_INFINITY;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export function compareRows(a: ReconRow, b: ReconRow, key: SortKey): number {
  if (DECIMAL_KEYS.has(key)) {
    const x = a[key] as Decimal | null;
    const y = b[key] as Decimal | null;
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return x.comparedTo(y);
  }
  if (DATE_KEYS.has(key)) return dateKey(a[key] as string) - dateKey(b[key] as string) || (a[key] as string).localeCompare(b[key] as string);
  if (key === 'category') return collator.compare(categoryLabel(a), categoryLabel(b));
  return collator.compare(String(a[key]), String(b[key]));
}

/** Stable sort (Array.prototype.sort is stable); ties keep wipe/recreate pairs by reference id. */
export function sortRows(rows: ReconRow[], sort: GridSort | null): ReconRow[] {
  const dir = sort?.descending ? -1 : 1;
  return rows.sort((a, b) => {
    if (sort) {
      const c = compareRows(a, b, sort.key);
      if (c !== 0) return c * dir;
    }
    return a.referenceId < b.referenceId ? -1 : a.referenceId > b.referenceId ? 1 : dateKey(a.chargeStart) - dateKey(b.chargeStart);
  });
}

export interface Totals {
  readonly count: number;
  readonly billed: Decimal;
  readonly expected: Decimal;
  readonly variance: Decimal;
  /** Vendor cost never re-billed: the money of revenue-leakage findings. */
  readonly leakage: Decimal;
  /** The money of negative-margin findings (negative: margin lost). */
  readonly margin: Decimal;
}

/** Exact sums (decimal.js); a mixed-currency set is summed per row's own number, as the run does. */
export function totalsOf(rows: readonly ReconRow[]): Totals {
  let billed = new Decimal(0);
  let expected = new Decimal(0);
  let variance = new Decimal(0);
  let leakage = new Decimal(0);
  let margin = new Decimal(0);
  for (const row of rows) {
    billed = billed.plus(row.billed);
    expected = expected.plus(row.expected);
    variance = variance.plus(row.variance);
    if (row.category === 'revenueLeakage') leakage = leakage.plus(row.variance.abs());
    if (row.category === 'negativeMargin') margin = margin.plus(row.variance);
  }
  return { count: rows.length, billed, expected, variance, leakage, margin };
}

export interface GroupHeader {
  readonly kind: 'customer' | 'subscription';
  /** Unique: customer, or customer + subscription. */
  readonly key: string;
  readonly label: string;
  readonly level: 0 | 1;
  readonly count: number;
  readonly collapsed: boolean;
  /** The group's lines (totals are computed when the header is rendered: only visible headers pay). */
  readonly rows: readonly ReconRow[];
}

export type GridItem = { readonly kind: 'line'; readonly key: string; readonly row: ReconRow } | GroupHeader;

export const subscriptionKey = (row: ReconRow): string => `${row.customer}\u0001${row.subscription}`;

/**
 * Rows grouped by customer then subscription as one flat list: a header item per group followed
 * (unless collapsed) by its members. Groups are ordered by name; lines keep the order given
 * (sorted), so a subscription's wipe and recreate lines sit together.
 */
export function groupRows(sorted: readonly ReconRow[], collapsed: ReadonlySet<string>): GridItem[] {
  const customers = new Map<string, Map<string, ReconRow[]>>();
  for (const row of sorted) {
    let subs = customers.get(row.customer);
    if (!subs) customers.set(row.customer, (subs = new Map()));
    let lines = subs.get(row.subscription);
    if (!lines) subs.set(row.subscription, (lines = []));
    lines.push(row);
  }
  const items: GridItem[] = [];
  for (const customer of [...customers.keys()].sort(collator.compare)) {
    const subs = customers.get(customer)!;
    const all = [...subs.values()].flat();
    const customerCollapsed = collapsed.has(customer);
    items.push({ kind: 'customer', key: customer, label: customer, level: 0, count: all.length, collapsed: customerCollapsed, rows: all });
    if (customerCollapsed) continue;
    for (const sub of [...subs.keys()].sort(collator.compare)) {
      const lines = subs.get(sub)!;
      const key = `${customer}\u0001${sub}`;
      const subCollapsed = collapsed.has(key);
      items.push({ kind: 'subscription', key, label: sub, level: 1, count: lines.length, collapsed: subCollapsed, rows: lines });
      if (!subCollapsed) for (const row of lines) items.push({ kind: 'line', key: row.id, row });
    }
  }
  return items;
}

/** Distinct customers, sorted, for the customer filter. */
export function customersOf(rows: readonly ReconRow[]): string[] {
  return [...new Set(rows.map((r) => r.customer))].sort(collator.compare);
}

/** Distinct known categories present, in the core's order. */
export function categoriesOf(rows: readonly ReconRow[]): ReconCategory[] {
  const present = new Set(rows.map((r) => r.category).filter((c): c is ReconCategory => c !== null));
  return [...present];
}

/** Money as the totals bar shows it: two decimals at least, exact digits kept, grouped thousands. */
export function formatMoney(value: Decimal, currency = ''): string {
  const dp = Math.max(2, value.decimalPlaces());
  const [int, frac] = value.abs().toFixed(dp).split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${value.isNegative() && !value.isZero() ? '-' : ''}${grouped}.${frac}${currency ? ` ${currency}` : ''}`;
}
