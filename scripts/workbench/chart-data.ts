/**
 * What a system chart shows, computed as Dataverse's aggregate fetch would: the rows the chart's
 * conditions (and its latest-run link) keep, grouped by the group-by column (a date by its month),
 * each measure summed or counted per group, one series per measure or per currency. Pure: the
 * workbench draws it (client/chart.ts) and tests check it against hand sums.
 */
import { Decimal } from '../../core/src/money';
import { formatPeriodText } from '../../core/src/format';
import { monthPeriod } from '../../core/src/calendar';
import type { WbChart, WbColumn } from './meta-types';

export type ChartRow = Readonly<Record<string, unknown>>;

export interface ChartSeries {
  /** Measure label, or the currency code of a sum split by currency. */
  readonly name: string;
  /** The currency its amounts are in (null: a count). */
  readonly currency: string | null;
}

export interface ChartGroup {
  /** Stable key: the month (YYYY-MM), the option value, or the text. */
  readonly key: string;
  readonly label: string;
  /** Per series (same order as `series`), the exact aggregate; null where the group has no row of that series. */
  readonly values: ReadonlyArray<Decimal | null>;
}

export interface ChartData {
  readonly series: readonly ChartSeries[];
  readonly groups: readonly ChartGroup[];
}

export interface ChartContext {
  /** The group-by column (choice labels, the order of options). */
  readonly groupColumn?: WbColumn;
  /** Ids of the runs whose rows count (the latest run of each billing month), for charts linked through a run. */
  readonly latestRuns?: ReadonlySet<string>;
  readonly baseCurrency: string;
  readonly locale: string;
  /** The text of an empty group (a finding with no customer name). */
  readonly blank: string;
}

const CURRENCY = 'cspb_currencycode';
export const readNameOfLookup = (logical: string): string => `_${logical}_value`;

/** The columns a chart reads (primary id aside). */
export function chartSelect(chart: WbChart): string[] {
  return [
    ...new Set([
      ...chart.measures.filter((m) => m.aggregate === 'sum').map((m) => m.attribute),
      chart.groupBy.attribute,
      ...chart.conditions.map((c) => c.attribute),
      ...(chart.byCurrency ? [CURRENCY] : []),
      ...(chart.latestRunThrough ? [readNameOfLookup(chart.latestRunThrough.lookup)] : []),
    ]),
  ];
}

/** The chart's conditions as a Web API $filter (`attr eq value`, joined by and). */
export function chartFilter(chart: WbChart): string {
  return chart.conditions.map((c) => `${c.attribute} eq ${String(c.value)}`).join(' and ');
}

function groupOf(chart: WbChart, row: ChartRow, ctx: ChartContext): { key: string; label: string; order: number } {
  const raw = row[chart.groupBy.attribute];
  if (raw === null || raw === undefined || raw === '') return { key: '', label: ctx.blank, order: Number.MAX_SAFE_INTEGER };
  if (chart.groupBy.dateGrouping === 'month' && typeof raw === 'string') {
    const [year, month] = raw.slice(0, 7).split('-').map(Number) as [number, number];
    return { key: raw.slice(0, 7), label: formatPeriodText(monthPeriod(year, month), ctx.locale), order: year * 12 + month };
  }
  const options = ctx.groupColumn?.options;
  if (options) {
    const index = options.findIndex((o) => o.value === raw);
    if (index >= 0) return { key: String(raw), label: options[index]!.label, order: index };
  }
  return { key: String(raw), label: String(raw), order: 0 };
}

export function chartData(chart: WbChart, rows: readonly ChartRow[], ctx: ChartContext): ChartData {
  const kept = chart.latestRunThrough
    ? rows.filter((r) => ctx.latestRuns?.has(String(r[readNameOfLookup(chart.latestRunThrough!.lookup)] ?? '').toLowerCase()))
    : rows;
  const seriesIndex = new Map<string, number>();
  const series: ChartSeries[] = [];
  const seriesOf = (name: string, currency: string | null): number => {
    let i = seriesIndex.get(name);
    if (i === undefined) {
      seriesIndex.set(name, (i = series.length));
      series.push({ name, currency });
    }
    return i;
  };
  if (!chart.byCurrency) for (const m of chart.measures) seriesOf(m.label, m.aggregate === 'count' ? null : ctx.baseCurrency);
  const groups = new Map<string, { label: string; order: number; values: Map<number, Decimal> }>();
  for (const row of kept) {
    const g = groupOf(chart, row, ctx);
    let group = groups.get(g.key);
    if (!group) groups.set(g.key, (group = { label: g.label, order: g.order, values: new Map() }));
    chart.measures.forEach((m, i) => {
      const s = chart.byCurrency ? seriesOf(String(row[CURRENCY] ?? '') || ctx.blank, String(row[CURRENCY] ?? '') || null) : i;
      const raw = row[m.attribute];
      // A count counts rows; a sum skips empty amounts (as SQL's SUM does), exactly, in decimal.
      const add = m.aggregate === 'count' ? new Decimal(1) : raw === null || raw === undefined ? null : new Decimal(String(raw));
      if (add === null) return;
      group!.values.set(s, (group!.values.get(s) ?? new Decimal(0)).plus(add));
    });
  }
  const ordered = [...groups.entries()].sort(([ak, a], [bk, b]) =>
    chart.groupBy.dateGrouping === 'month' ? a.order - b.order : a.order - b.order || a.label.localeCompare(b.label) || ak.localeCompare(bk),
  );
  return {
    series,
    groups: ordered.map(([key, g]) => ({ key, label: g.label, values: series.map((_, i) => g.values.get(i) ?? null) })),
  };
}
