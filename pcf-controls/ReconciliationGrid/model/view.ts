/**
 * Filtering, sorting, grouping and totals over the grid's rows. Pure and allocation-light: a
 * 100,000-row filter is one pass; totals add exact fixed-point integers (model/exact.ts), never
 * decimal.js per row; grouping is one pass that keeps the data set's order, and a column sort
 * sorts lines inside their subscription group (the only order the grid shows), not globally; the
 * grouped view is a flat list of header and line items, so the virtualised list renders only what
 * is on screen.
 */
import type { Decimal } from '../../../core/src/money';
import { formatMoney as formatAmount } from '../../../core/src/format';
import { compareFixed, type Fixed } from './exact';
import { groupIndex } from './row-set';
import { totalsOf, type Totals } from './totals';
import type { ReconCategory } from '../../../core/src/reconcile/categories';
import { categoryLabel, type GroupKey, type ReconRow, type ResolutionStatus } from './rows';

export interface GridFilter {
  /** Empty: every category. */
  readonly categories: readonly ReconCategory[];
  readonly statuses: readonly ResolutionStatus[];
  readonly customers: readonly string[];
  readonly search: string;
}

export const NO_FILTER: GridFilter = { categories: [], statuses: [], customers: [], search: '' };

/** The rows that pass the filter, in the order given (the input itself when nothing filters: do not mutate it). */
export function filterRows(rows: readonly ReconRow[], filter: GridFilter): readonly ReconRow[] {
  const categories = filter.categories.length ? new Set<ReconCategory | null>(filter.categories) : null;
  const statuses = filter.statuses.length ? new Set(filter.statuses) : null;
  const customers = filter.customers.length ? new Set(filter.customers) : null;
  const needle = filter.search.trim().toLowerCase();
  if (!categories && !statuses && !customers && !needle) return rows as ReconRow[];
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
  | 'customer'
  | 'subscription'
  | 'product'
  | 'chargeType'
  | 'chargeStart'
  | 'chargeEnd'
  | 'billedQuantity'
  | 'expectedQuantity'
  | 'eup'
  | 'billed'
  | 'expected'
  | 'variance'
  | 'margin'
  | 'category'
  | 'status';

export interface GridSort {
  readonly key: SortKey;
  readonly descending: boolean;
}

const DECIMAL_KEYS = new Set<SortKey>(['billedQuantity', 'expectedQuantity', 'eup', 'billed', 'expected', 'variance', 'margin']);
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
    const x = a[key] as Fixed | null;
    const y = b[key] as Fixed | null;
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return compareFixed(x, y);
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

export { totalsOf, type Totals } from './totals';

export interface GroupHeader {
  readonly kind: 'customer' | 'subscription';
  /** Unique: customer, or customer + subscription. */
  readonly key: string;
  readonly label: string;
  readonly level: 0 | 1;
  readonly count: number;
  readonly collapsed: boolean;
  /** A subscription group's CRM subscription record (the lookup its lines carry), when they have one. */
  readonly recordId: string | null;
  /** The group's totals, computed on first call (only headers on screen pay) and kept. */
  totals(): Totals;
}

/** A line (the row itself) or a group header. */
export type GridItem = ReconRow | GroupHeader;

export const itemKey = (item: GridItem): string => (item.kind === 'line' ? item.id : item.key);

export interface SubscriptionGroup {
  readonly key: string;
  readonly label: string;
  readonly lines: readonly ReconRow[];
}

export interface CustomerGroup {
  readonly key: string;
  readonly label: string;
  readonly count: number;
  readonly subscriptions: readonly SubscriptionGroup[];
}

/**
 * Rows grouped by customer then subscription, groups ordered by name, in one linear pass. Without
 * a sort, lines keep the data set's order (the host view's sort; nothing is sorted per line); with
 * one, lines are sorted inside their subscription (stable; ties by reference id so a wipe and its
 * recreate sit together): the same order a global sort followed by grouping gives, at the cost of
 * many small sorts. The pass looks rows up by their shared group key object (identity, no string
 * hashing; consecutive rows of one subscription skip even that); only the distinct groups are then
 * arranged by customer, by text, which also merges equal keys from rows built separately.
 */
export function groupTree(rows: readonly ReconRow[], sort: GridSort | null | 'keep'): CustomerGroup[] {
  return treeOf(groupIndex(rows), rows, sort);
}

/**
 * The tree of rows already indexed by group (groupIndex, or a RowSet's): only the distinct groups
 * are arranged by customer, by text, which also merges equal keys from rows built separately.
 */
export function treeOf(byGroup: ReadonlyMap<GroupKey, readonly ReconRow[]>, rows: readonly ReconRow[], sort: GridSort | null | 'keep'): CustomerGroup[] {
  const customers = new Map<string, Map<string, readonly ReconRow[]>>();
  for (const [group, lines] of byGroup) {
    let subs = customers.get(group.customer);
    if (subs === undefined) customers.set(group.customer, (subs = new Map()));
    // Two key objects for one subscription (rows built with different GroupKeys): group by text, keeping the rows' order.
    if (subs.has(group.subscription)) return arrange(groupByText(rows), sort);
    subs.set(group.subscription, lines);
  }
  return arrange(customers, sort);
}

/** Rows grouped by their customer and subscription texts, in the rows' order (two string look-ups a row). */
function groupByText(rows: readonly ReconRow[]): Map<string, Map<string, ReconRow[]>> {
  const customers = new Map<string, Map<string, ReconRow[]>>();
  for (const row of rows) {
    let subs = customers.get(row.customer);
    if (subs === undefined) customers.set(row.customer, (subs = new Map()));
    let lines = subs.get(row.subscription);
    if (lines === undefined) subs.set(row.subscription, (lines = []));
    lines.push(row);
  }
  return customers;
}

/** Customers and their subscriptions ordered by name; lines sorted inside their subscription (a copy: the lists may be a RowSet's) when a sort is set. */
function arrange(customers: ReadonlyMap<string, ReadonlyMap<string, readonly ReconRow[]>>, sort: GridSort | null | 'keep'): CustomerGroup[] {
  const tree: CustomerGroup[] = [];
  for (const customer of [...customers.keys()].sort(collator.compare)) {
    const subs = customers.get(customer)!;
    const subscriptions: SubscriptionGroup[] = [];
    let count = 0;
    for (const sub of [...subs.keys()].sort(collator.compare)) {
      const given = subs.get(sub)!;
      const lines = sort !== 'keep' && sort !== null && given.length > 1 ? sortRows(given.slice(), sort) : given;
      count += lines.length;
      subscriptions.push({ key: `${customer}\u0001${sub}`, label: sub, lines });
    }
    tree.push({ key: customer, label: customer, count, subscriptions });
  }
  return tree;
}

/**
 * The groups of rows already in display order (linesOf a groupTree, or a filter of it): one
 * linear pass that starts a group where the customer or subscription changes. No look-ups, no
 * sorting: what a filter costs on top of its own pass.
 */
export function groupOrdered(rows: readonly ReconRow[]): CustomerGroup[] {
  const tree: { key: string; label: string; count: number; subscriptions: SubscriptionGroup[] }[] = [];
  let customer: (typeof tree)[number] | null = null;
  let lines: ReconRow[] | null = null;
  let subscription = '';
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (customer === null || row.customer !== customer.key) {
      customer = { key: row.customer, label: row.customer, count: 0, subscriptions: [] };
      tree.push(customer);
      lines = null;
    }
    if (lines === null || row.subscription !== subscription) {
      subscription = row.subscription;
      lines = [];
      customer.subscriptions.push({ key: `${row.customer}\u0001${subscription}`, label: subscription, lines });
    }
    lines.push(row);
    customer.count++;
  }
  return tree;
}

function lazyTotals(rows: () => readonly ReconRow[]): () => Totals {
  let totals: Totals | null = null;
  return () => (totals ??= totalsOf(rows()));
}

/** The CRM subscription record of a group's lines (the first line that has one). */
function recordIdOf(lines: readonly ReconRow[]): string | null {
  for (const line of lines) if (line.subscriptionRecordId) return line.subscriptionRecordId;
  return null;
}

/** The flat list the virtualised grid renders: a header per group followed (unless collapsed) by its members. */
export function flattenTree(tree: readonly CustomerGroup[], collapsed: ReadonlySet<string>): GridItem[] {
  // Sized once: a header per group plus every visible line.
  let size = 0;
  for (const c of tree) {
    size++;
    if (collapsed.has(c.key)) continue;
    for (const s of c.subscriptions) size += 1 + (collapsed.has(s.key) ? 0 : s.lines.length);
  }
  const items: GridItem[] = new Array<GridItem>(size);
  let n = 0;
  for (const c of tree) {
    const customerCollapsed = collapsed.has(c.key);
    items[n++] = {
      kind: 'customer',
      key: c.key,
      label: c.label,
      level: 0,
      count: c.count,
      collapsed: customerCollapsed,
      recordId: null,
      totals: lazyTotals(() => c.subscriptions.flatMap((s) => s.lines)),
    };
    if (customerCollapsed) continue;
    for (const s of c.subscriptions) {
      const subCollapsed = collapsed.has(s.key);
      items[n++] = {
        kind: 'subscription',
        key: s.key,
        label: s.label,
        level: 1,
        count: s.lines.length,
        collapsed: subCollapsed,
        recordId: recordIdOf(s.lines),
        totals: lazyTotals(() => s.lines),
      };
      if (subCollapsed) continue;
      const lines = s.lines;
      for (let i = 0; i < lines.length; i++) items[n++] = lines[i]!;
    }
  }
  return items;
}

/** Every line of the tree in display order (collapsed or not): what the export writes. */
export function linesOf(tree: readonly CustomerGroup[]): ReconRow[] {
  let size = 0;
  for (const c of tree) size += c.count;
  const out: ReconRow[] = new Array<ReconRow>(size);
  let n = 0;
  for (const c of tree) {
    for (const s of c.subscriptions) {
      const lines = s.lines;
      for (let i = 0; i < lines.length; i++) out[n++] = lines[i]!;
    }
  }
  return out;
}

export { categoriesOf } from './row-set';

/**
 * Money as the grid shows it, through the one formatting module (core/src/format.ts) in the user's
 * locale: the currency's decimals at least, exact digits kept (a usage line at 0.000063 is not
 * rounded away), grouped, with the ISO code when the currency is known.
 */
export function formatMoney(value: Decimal, currency = '', locale = 'en-US'): string {
  return formatAmount(value, currency || null, locale, { exact: true, code: true });
}
