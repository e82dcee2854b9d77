/**
 * Draws a system chart of the solution (an SVG a screen reader reads through its table twin):
 * bars (Bar) or columns (Column), one colour per series, each value written beside its bar in the
 * user's locale with its currency. The numbers come from chart-data.ts.
 */
import { retrieveAll, type WebApi } from './api';
import { h } from './ui';
import type { WbChart, WbMeta, WbTable } from '../meta-types';
import { chartData, chartFilter, chartSelect, type ChartData } from '../chart-data';
import { formatMoney, formatQuantity } from '../../../core/src/format';
import type { Decimal } from '../../../core/src/money';

const SERIES_FILL = ['#0f6cbd', '#8a8886', '#107c10', '#c239b3'];
const NS = 'http://www.w3.org/2000/svg';

export interface ChartEnv {
  readonly meta: WbMeta;
  readonly webApi: WebApi;
  readonly locale: string;
  readonly tableOf: (logical: string) => WbTable;
}

/** The runs of `run`'s table marked latest of their month (reconciliation runs, accruals). */
async function latestRuns(webApi: WebApi, run: string): Promise<Set<string>> {
  const runs = await retrieveAll(webApi, run, `?$select=${run}id&$filter=cspb_islatest eq true`);
  return new Set(runs.map((r) => String(r[`${run}id`]).toLowerCase()));
}

/** The chart's data; `extraFilter` narrows its rows (a run form's chart: that run's findings). */
export async function loadChart(chart: WbChart, env: ChartEnv, extraFilter = ''): Promise<ChartData> {
  const table = env.tableOf(chart.table);
  const filter = [chartFilter(chart), extraFilter].filter((f) => f !== '').join(' and ');
  const rows = await retrieveAll(
    env.webApi,
    chart.table,
    `?$select=${[table.primaryId, ...chartSelect(chart)].join(',')}${filter ? `&$filter=${filter}` : ''}`,
  );
  return chartData(chart, rows, {
    groupColumn: table.columns.find((c) => c.name === chart.groupBy.attribute),
    ...(chart.latestRunThrough ? { latestRuns: await latestRuns(env.webApi, chart.latestRunThrough.run) } : {}),
    baseCurrency: env.meta.baseCurrency,
    locale: env.locale,
    blank: '(blank)',
  });
}

function valueText(value: Decimal, currency: string | null, locale: string): string {
  return currency === null ? formatQuantity(value, locale) : formatMoney(value, currency, locale, { code: true });
}

/** The chart in a section: title, the SVG, a legend when there are several series, and a data table for assistive technology. */
export async function chartSection(chart: WbChart, env: ChartEnv, extraFilter = ''): Promise<HTMLElement> {
  const data = await loadChart(chart, env, extraFilter);
  const section = h('section', { class: 'formsection chart', 'data-testid': `chart-${chart.key}`, 'aria-label': chart.name }, h('h2', {}, chart.name));
  if (data.groups.length === 0) {
    section.append(h('div', { class: 'empty' }, `Nothing to chart yet. ${chart.description}`));
    return section;
  }
  section.append(chart.chartType === 'Bar' ? bars(chart, data, env.locale) : columns(chart, data, env.locale));
  if (data.series.length > 1)
    section.append(
      h(
        'div',
        { class: 'legend' },
        ...data.series.map((s, i) => h('span', {}, h('i', { style: `background:${SERIES_FILL[i % SERIES_FILL.length]!}` }), s.name)),
      ),
    );
  section.append(dataTable(chart, data, env.locale));
  return section;
}

function svgOf(
  width: number,
  height: number,
  label: string,
): { svg: SVGSVGElement; add: (tag: string, attrs: Record<string, string | number>, text?: string) => void } {
  const svg = document.createElementNS(NS, 'svg');
  // Scales down to its card (a dashboard cell is narrower than a list's chart pane), never up.
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', '100%');
  svg.setAttribute('style', `max-width:${width}px;height:auto`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const add = (tag: string, attrs: Record<string, string | number>, text?: string) => {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    svg.append(e);
  };
  return { svg, add };
}

const maxAbs = (data: ChartData): number => Math.max(...data.groups.flatMap((g) => g.values.map((v) => (v ? Math.abs(v.toNumber()) : 0))), 0.01);

/** Horizontal bars from a zero line (negative variances to its left). */
function bars(chart: WbChart, data: ChartData, locale: string): SVGSVGElement {
  const n = data.series.length;
  const barH = 16;
  const groupH = n * barH + 10;
  const labelW = 220;
  const plotW = 360;
  const hasNegative = data.groups.some((g) => g.values.some((v) => v?.isNegative()));
  const zero = labelW + (hasNegative ? plotW / 2 : 0);
  const span = hasNegative ? plotW / 2 - 4 : plotW - 4;
  const max = maxAbs(data);
  const { svg, add } = svgOf(labelW + plotW + 150, data.groups.length * groupH + 6, chart.name);
  add('line', { x1: zero, x2: zero, y1: 0, y2: data.groups.length * groupH, stroke: '#8a8886' });
  data.groups.forEach((g, gi) => {
    const top = gi * groupH + 4;
    add('text', { x: 0, y: top + (n * barH) / 2 + 5 }, g.label.length > 30 ? `${g.label.slice(0, 29)}…` : g.label);
    g.values.forEach((v, si) => {
      if (!v) return;
      const w = Math.max((Math.abs(v.toNumber()) / max) * span, 1);
      const y = top + si * barH;
      add('rect', {
        x: v.isNegative() ? zero - w : zero,
        y,
        width: w,
        height: barH - 3,
        fill: SERIES_FILL[si % SERIES_FILL.length]!,
        'data-group': g.key,
        'data-series': data.series[si]!.name,
        'data-value': v.toFixed(),
      });
      add('text', { x: labelW + plotW + 6, y: y + barH - 5 }, valueText(v, data.series[si]!.currency, locale));
    });
  });
  return svg;
}

/** Vertical columns, the series of a group side by side, the group's label below. */
function columns(chart: WbChart, data: ChartData, locale: string): SVGSVGElement {
  const n = data.series.length;
  const colW = 34;
  const groupW = n * colW + 40;
  const plotH = 150;
  const max = maxAbs(data);
  const { svg, add } = svgOf(Math.max(data.groups.length * groupW + 20, 200), plotH + 60, chart.name);
  data.groups.forEach((g, gi) => {
    const left = 10 + gi * groupW;
    g.values.forEach((v, si) => {
      if (!v) return;
      const hgt = Math.max((Math.abs(v.toNumber()) / max) * (plotH - 20), 1);
      const x = left + si * colW;
      add('rect', {
        x,
        y: 20 + plotH - 20 - hgt,
        width: colW - 6,
        height: hgt,
        fill: SERIES_FILL[si % SERIES_FILL.length]!,
        'data-group': g.key,
        'data-series': data.series[si]!.name,
        'data-value': v.toFixed(),
      });
    });
    add('text', { x: left, y: plotH + 18 }, g.label);
  });
  add('line', { x1: 0, x2: data.groups.length * groupW + 10, y1: plotH, y2: plotH, stroke: '#8a8886' });
  // Values under the axis, one line per series: a column's own label would collide with its neighbour's.
  data.groups.forEach((g, gi) => {
    g.values.forEach((v, si) => {
      if (v) add('text', { x: 10 + gi * groupW, y: plotH + 34 + si * 14, 'font-size': 11 }, valueText(v, data.series[si]!.currency, locale));
    });
  });
  return svg;
}

/** The chart's numbers as a table (collapsed under the chart): what a screen reader reads and what finance copies. */
function dataTable(chart: WbChart, data: ChartData, locale: string): HTMLElement {
  const table = h(
    'table',
    { class: 'list chart-data', 'data-testid': `chart-data-${chart.key}` },
    h('thead', {}, h('tr', {}, h('th', {}, ''), ...data.series.map((s) => h('th', { class: 'num' }, s.name)))),
    h(
      'tbody',
      {},
      ...data.groups.map((g) =>
        h(
          'tr',
          { 'data-group': g.key },
          h('th', { scope: 'row' }, g.label),
          ...g.values.map((v, si) => h('td', { class: 'num' }, v ? valueText(v, data.series[si]!.currency, locale) : '')),
        ),
      ),
    ),
  );
  return h('details', { class: 'chart-table' }, h('summary', {}, 'Show the numbers'), table);
}
