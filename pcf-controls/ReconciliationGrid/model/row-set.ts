/**
 * The rows of a data set with what every view of them needs, built as the pages arrive: the lines
 * of each subscription group in data-set order, the totals, the categories present. A render then
 * does only what depends on the view (order of the groups, a sort, a filter, what is collapsed),
 * and a page adds its own rows' share instead of the whole set being regrouped and re-totalled on
 * every page. A set is never changed: extending it copies the group map, the groups a page adds
 * to and the running totals.
 */
import type { ReconCategory } from '../../../core/src/reconcile/categories';
import { ALL_CATEGORIES } from '../../../core/src/reconcile/categories';
import type { GroupKey, ReconRow } from './rows';
import { TotalsSum, type Totals } from './totals';

export interface RowSet {
  readonly rows: readonly ReconRow[];
  /** The lines of each group, in the rows' order. */
  readonly byGroup: ReadonlyMap<GroupKey, readonly ReconRow[]>;
  /** Known categories present, in the order first seen. */
  readonly categories: readonly ReconCategory[];
  /** The totals of every row (made once, on first call). */
  totals(): Totals;
  /** Running totals, for the next page. */
  readonly sum: TotalsSum;
}

/** Rows by their shared group key object, in the rows' order: an identity look-up a row (consecutive rows of one group skip even that). */
export function groupIndex(rows: readonly ReconRow[]): Map<GroupKey, ReconRow[]> {
  const byGroup = new Map<GroupKey, ReconRow[]>();
  let lastGroup: GroupKey | null = null;
  let lastLines: ReconRow[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const group = row.group;
    if (group !== lastGroup) {
      const lines = byGroup.get(group);
      if (lines === undefined) byGroup.set(group, (lastLines = []));
      else lastLines = lines;
      lastGroup = group;
    }
    lastLines.push(row);
  }
  return byGroup;
}

function withTotals(
  rows: readonly ReconRow[],
  byGroup: ReadonlyMap<GroupKey, readonly ReconRow[]>,
  categories: readonly ReconCategory[],
  sum: TotalsSum,
): RowSet {
  let totals: Totals | null = null;
  return { rows, byGroup, categories, sum, totals: () => (totals ??= sum.totals()) };
}

export const EMPTY_ROW_SET: RowSet = withTotals([], new Map(), [], TotalsSum.empty());

/** The set with a page of rows added after its own. */
export function extendRowSet(set: RowSet, page: readonly ReconRow[]): RowSet {
  if (page.length === 0) return set;
  const added = groupIndex(page);
  let byGroup: Map<GroupKey, readonly ReconRow[]>;
  if (set.byGroup.size === 0) byGroup = added;
  else {
    byGroup = new Map(set.byGroup);
    for (const [group, lines] of added) {
      const before = set.byGroup.get(group);
      byGroup.set(group, before === undefined ? lines : before.concat(lines));
    }
  }
  return withTotals(set.rows.length === 0 ? page : set.rows.concat(page), byGroup, categoriesOf(page, set.categories), set.sum.copy().addAll(page));
}

/** Known categories present (after those already known), in the order first seen; stops once every category is seen. */
export function categoriesOf(rows: readonly ReconRow[], known: readonly ReconCategory[] = []): ReconCategory[] {
  const present = new Set<ReconCategory>(known);
  for (let i = 0; i < rows.length && present.size < ALL_CATEGORIES.length; i++) {
    const category = rows[i]!.category;
    if (category !== null) present.add(category);
  }
  return [...present];
}

export function rowSetOf(rows: readonly ReconRow[]): RowSet {
  return extendRowSet(EMPTY_ROW_SET, rows);
}
