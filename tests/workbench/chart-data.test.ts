/**
 * The workbench draws the solution's charts from chart-data.ts: the numbers must be what the
 * shipped chart's aggregate fetch would give (hand-summed here), exactly, per series.
 */
import { CHARTS } from '../../solution/src/charts';
import { wbChartOf } from '../../scripts/workbench/meta';
import { chartData, chartFilter, chartSelect, type ChartRow } from '../../scripts/workbench/chart-data';
import type { WbColumn } from '../../scripts/workbench/meta-types';

const wb = (key: string) => wbChartOf(CHARTS.find((x) => x.key === key)!);
const ctx = { baseCurrency: 'USD', locale: 'en-US', blank: '(blank)' };
const show = (data: ReturnType<typeof chartData>) => data.groups.map((g) => [g.label, ...g.values.map((v) => v?.toFixed() ?? null)]);

test('billed vs expected by month: two series of base amounts, months in calendar order, exact decimal sums', () => {
  const chart = wb('billedvsexpectedbymonth');
  expect(chartFilter(chart)).toBe('cspb_islatest eq true');
  expect(chartSelect(chart)).toEqual(['cspb_totalbilled_base', 'cspb_totalexpected_base', 'cspb_periodstart', 'cspb_islatest']);
  const rows: ChartRow[] = [
    { cspb_periodstart: '2026-11-01', cspb_totalbilled_base: 0.1, cspb_totalexpected_base: 0.2 },
    { cspb_periodstart: '2026-10-01', cspb_totalbilled_base: 57694.41, cspb_totalexpected_base: 57636.81 },
    { cspb_periodstart: '2026-11-01', cspb_totalbilled_base: 0.2, cspb_totalexpected_base: null },
    { cspb_periodstart: '2025-12-01', cspb_totalbilled_base: 10, cspb_totalexpected_base: 10 },
  ];
  const data = chartData(chart, rows, ctx);
  expect(data.series).toEqual([
    { name: 'Billed', currency: 'USD' },
    { name: 'Expected', currency: 'USD' },
  ]);
  // 0.1 + 0.2 is 0.3 (not 0.30000000000000004); an empty amount is skipped as SUM skips NULL.
  expect(show(data)).toEqual([
    ['Dec 2025', '10', '10'],
    ['Oct 2026', '57694.41', '57636.81'],
    ['Nov 2026', '0.3', '0.2'],
  ]);
});

test('variance by category: findings of the latest runs only, one series per currency, categories in option order', () => {
  const chart = wb('variancebycategory');
  const column: WbColumn = {
    name: 'cspb_category',
    readName: 'cspb_category',
    schemaName: 'cspb_Category',
    type: 'choice',
    display: 'Category',
    required: 'required',
    options: [
      { value: 1, label: 'Quantity mismatch' },
      { value: 2, label: 'Negative margin' },
    ],
  };
  const rows: ChartRow[] = [
    { cspb_category: 2, cspb_variance: 57.6, cspb_currencycode: 'USD', _cspb_runid_value: 'LATEST' },
    { cspb_category: 1, cspb_variance: -12.5, cspb_currencycode: 'EUR', _cspb_runid_value: 'latest' },
    { cspb_category: 1, cspb_variance: 25, cspb_currencycode: 'USD', _cspb_runid_value: 'latest' },
    { cspb_category: 1, cspb_variance: 999, cspb_currencycode: 'USD', _cspb_runid_value: 'superseded' },
  ];
  const data = chartData(chart, rows, { ...ctx, groupColumn: column, latestRuns: new Set(['latest']) });
  expect(data.series.map((s) => s.name)).toEqual(['USD', 'EUR']);
  expect(show(data)).toEqual([
    ['Quantity mismatch', '25', '-12.5'],
    ['Negative margin', '57.6', null],
  ]);
});

test('open discrepancies by customer: a count per name, the unnamed ones together under (blank), last', () => {
  const chart = wb('openbycustomer');
  expect(chartFilter(chart)).toBe('cspb_resolutionstatus eq 100000000');
  const rows: ChartRow[] = [
    { cspb_customername: 'Fabrikam', _cspb_runid_value: 'r' },
    { cspb_customername: null, _cspb_runid_value: 'r' },
    { cspb_customername: 'Contoso', _cspb_runid_value: 'r' },
    { cspb_customername: 'Fabrikam', _cspb_runid_value: 'r' },
    { cspb_customername: 'Fabrikam', _cspb_runid_value: 'old' },
  ];
  const data = chartData(chart, rows, { ...ctx, latestRuns: new Set(['r']) });
  expect(data.series).toEqual([{ name: 'Open discrepancies', currency: null }]);
  expect(show(data)).toEqual([
    ['Contoso', '1'],
    ['Fabrikam', '2'],
    ['(blank)', '1'],
  ]);
});

test('a French reader sees the months in French', () => {
  const data = chartData(wb('leakagebymonth'), [{ cspb_periodstart: '2026-10-01', cspb_totalleakage: 1, cspb_currencycode: 'EUR' }], {
    ...ctx,
    locale: 'fr-FR',
  });
  expect(data.groups.map((g) => g.label)).toEqual(['oct. 2026']);
});
