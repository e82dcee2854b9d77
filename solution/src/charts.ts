import { bracedGuid } from '../../dataverse/src/codegen/stable-guid';
import { el, leaf, renderXml, type XmlElement } from '../../dataverse/src/codegen/xml';
import { CURRENCY_LOOKUP, tables, withCurrency } from '../../dataverse/src/schema';
import { CspbDiscrepancyResolutionStatus } from '../../dataverse/generated/cspb_discrepancy';
import { LANGUAGE_CODE } from './publisher';

/**
 * System charts (savedqueryvisualization) for reconciliation. datadescription and
 * presentationdescription are XML documents carried as text, as exports write them; the first
 * validates against VisualizationDataDescription.xsd and its fetch against Fetch.xsd
 * (tests/solution). The dashboard (dashboards.ts) shows them; the workbench draws them from the
 * same definitions.
 */
export interface ChartMeasure {
  readonly attribute: string;
  readonly aggregate: 'sum' | 'count';
  /** The series name when a chart has several measures. */
  readonly label: string;
}

export interface ChartDef {
  readonly table: string;
  readonly key: string;
  readonly name: string;
  readonly description: string;
  /** One measure, or several drawn as one series each (billed beside expected). */
  readonly measures: readonly ChartMeasure[];
  readonly groupBy: { readonly attribute: string; readonly dateGrouping?: 'month' };
  /** Rows counted: each condition is `attribute eq value`. */
  readonly conditions?: ReadonlyArray<{ readonly attribute: string; readonly value: number | boolean }>;
  /**
   * Only rows of the latest run of each billing month (the run's `cspb_islatest`: "Latest run of its
   * period", "Latest accrual of its month"), through the lookup named to the run's table: a re-run's
   * rows would otherwise be counted twice.
   */
  readonly latestRunThrough?: LatestRunLink;
  readonly chartType: 'Bar' | 'Column';
}

/** A lookup to a run table whose `cspb_islatest` marks the newest completed run of each month. */
export interface LatestRunLink {
  readonly lookup: string;
  readonly run: 'cspb_reconciliationrun' | 'cspb_accrualrun';
}

/** The runs' flag the dashboards filter on (the reconciliation and accrual jobs keep it). */
export const LATEST_RUN_FLAG = 'cspb_islatest';
const FINDINGS_OF_LATEST_RUN: LatestRunLink = { lookup: 'cspb_runid', run: 'cspb_reconciliationrun' };

export const CHARTS: readonly ChartDef[] = [
  {
    table: 'cspb_discrepancy',
    key: 'variancebycategory',
    name: 'Variance by Category',
    description: 'Sum of billed minus expected per discrepancy category, over the latest run of each billing month.',
    measures: [{ attribute: 'cspb_variance', aggregate: 'sum', label: 'Variance' }],
    groupBy: { attribute: 'cspb_category' },
    latestRunThrough: FINDINGS_OF_LATEST_RUN,
    chartType: 'Bar',
  },
  {
    table: 'cspb_reconciliationrun',
    key: 'leakagebymonth',
    name: 'Leakage by Month',
    description: 'Revenue leakage (vendor cost never re-billed) per billing month, from the latest run of each month.',
    measures: [{ attribute: 'cspb_totalleakage', aggregate: 'sum', label: 'Revenue leakage' }],
    groupBy: { attribute: 'cspb_periodstart', dateGrouping: 'month' },
    conditions: [{ attribute: LATEST_RUN_FLAG, value: true }],
    chartType: 'Column',
  },
  {
    table: 'cspb_discrepancy',
    key: 'openbycustomer',
    name: 'Open Discrepancies by Customer',
    description: 'Discrepancies finance has not yet decided, per customer as the bill or CRM names it, over the latest run of each billing month.',
    measures: [{ attribute: 'cspb_discrepancyid', aggregate: 'count', label: 'Open discrepancies' }],
    groupBy: { attribute: 'cspb_customername' },
    conditions: [{ attribute: 'cspb_resolutionstatus', value: CspbDiscrepancyResolutionStatus.Open }],
    latestRunThrough: FINDINGS_OF_LATEST_RUN,
    chartType: 'Bar',
  },
  {
    table: 'cspb_reconciliationrun',
    key: 'billedvsexpectedbymonth',
    name: 'Billed vs Expected by Month',
    description: 'What the vendor billed beside what the ledger expected, per billing month, in the base currency (the latest run of each month).',
    // Base-currency twins: one sum per month across currencies means something only in one currency.
    measures: [
      { attribute: 'cspb_totalbilled_base', aggregate: 'sum', label: 'Billed' },
      { attribute: 'cspb_totalexpected_base', aggregate: 'sum', label: 'Expected' },
    ],
    groupBy: { attribute: 'cspb_periodstart', dateGrouping: 'month' },
    conditions: [{ attribute: LATEST_RUN_FLAG, value: true }],
    chartType: 'Column',
  },
  {
    table: 'cspb_accrualline',
    key: 'accruedvsbilledbymonth',
    name: 'Accrued vs Billed by Month',
    description:
      'The Microsoft charges the ledger accrued beside what the invoice closed against billed, per billing month, in the base currency (the latest accrual of each month).',
    measures: [
      { attribute: 'cspb_amount_base', aggregate: 'sum', label: 'Accrued' },
      { attribute: 'cspb_billedamount_base', aggregate: 'sum', label: 'Billed' },
    ],
    groupBy: { attribute: 'cspb_periodstart', dateGrouping: 'month' },
    latestRunThrough: { lookup: 'cspb_accrualrunid', run: 'cspb_accrualrun' },
    chartType: 'Column',
  },
];

export const chartId = (chart: ChartDef): string => bracedGuid(`${chart.table}/chart/${chart.key}`);

const columnOf = (tableName: string, attribute: string) =>
  withCurrency(tables.find((t) => t.logicalName === tableName)!).columns.find((c) => c.logicalName === attribute);

/**
 * A sum of amounts is split by currency: rows of one table may hold euros and dollars, and one bar
 * adding both would mean nothing. The currency is a second group-by, which the chart draws as one
 * series per currency (a multi-series chart, "Understand charts: Underlying data and chart
 * representation", learn.microsoft.com/power-apps/developer/model-driven-apps/understand-charts-underlying-data-chart-representation).
 * A chart of several sums (billed beside expected) draws one series per measure instead, so it adds
 * base-currency amounts (`_base`, one currency): a sum of euros and dollars in one bar means nothing.
 */
export function seriesByCurrency(chart: ChartDef): boolean {
  if (chart.measures.length !== 1) return false;
  const [measure] = chart.measures;
  if (measure!.aggregate !== 'sum') return false;
  const column = columnOf(chart.table, measure!.attribute);
  return column?.type === 'money' && !column.calculationOf;
}

/** The measure's alias in the fetch (the first is `aggregate_column`, as the designer names it). */
export const measureAlias = (index: number): string => (index === 0 ? 'aggregate_column' : `aggregate_column${index + 1}`);

function checkChart(chart: ChartDef): void {
  if (
    chart.measures.length > 1 &&
    chart.measures.some(
      (m) => m.aggregate === 'sum' && columnOf(chart.table, m.attribute)?.type === 'money' && !columnOf(chart.table, m.attribute)?.calculationOf,
    )
  )
    throw new Error(`chart ${chart.key}: several sums of money must be base-currency (_base) amounts`);
  const link = chart.latestRunThrough;
  if (link && !columnOf(link.run, LATEST_RUN_FLAG)) throw new Error(`chart ${chart.key}: ${link.run} has no ${LATEST_RUN_FLAG}`);
  for (const name of [
    ...chart.measures.map((m) => m.attribute),
    chart.groupBy.attribute,
    ...(chart.conditions ?? []).map((c) => c.attribute),
    ...(link ? [link.lookup] : []),
  ]) {
    const primary = `${chart.table}id`;
    if (name !== primary && !columnOf(chart.table, name)) throw new Error(`chart ${chart.key} uses ${name}, which ${chart.table} does not have`);
  }
}

export function dataDescription(chart: ChartDef): string {
  checkChart(chart);
  const conditions = (chart.conditions ?? []).map((c) =>
    el('condition', { attribute: c.attribute, operator: 'eq', value: typeof c.value === 'boolean' ? (c.value ? 1 : 0) : c.value }),
  );
  const root = el(
    'datadefinition',
    null,
    el(
      'fetchcollection',
      null,
      el(
        'fetch',
        { mapping: 'logical', aggregate: 'true' },
        el(
          'entity',
          { name: chart.table },
          chart.measures.map((m, i) => el('attribute', { alias: measureAlias(i), name: m.attribute, aggregate: m.aggregate })),
          el('attribute', { groupby: 'true', alias: 'groupby_column', name: chart.groupBy.attribute, dategrouping: chart.groupBy.dateGrouping }),
          seriesByCurrency(chart) && el('attribute', { groupby: 'true', alias: 'groupby_currency', name: CURRENCY_LOOKUP }),
          conditions.length > 0 && el('filter', { type: 'and' }, conditions),
          chart.latestRunThrough &&
            el(
              'link-entity',
              {
                name: chart.latestRunThrough.run,
                from: `${chart.latestRunThrough.run}id`,
                to: chart.latestRunThrough.lookup,
                'link-type': 'inner',
                alias: 'run',
              },
              el('filter', { type: 'and' }, el('condition', { attribute: LATEST_RUN_FLAG, operator: 'eq', value: 1 })),
            ),
        ),
      ),
    ),
    el(
      'categorycollection',
      null,
      // One measurecollection per series: "a multi-series chart will have multiple <MeasureCollection>
      // child elements, each mapped to the respective <Series> element" (Understand charts, on Learn).
      el(
        'category',
        null,
        chart.measures.map((_, i) => el('measurecollection', null, el('measure', { alias: measureAlias(i) }))),
      ),
    ),
  );
  return renderXml(root).trim();
}

/** Series colours: the first is the designer's default blue, the second a contrasting grey. */
const SERIES_COLORS = [
  ['55, 118, 193', '41, 88, 145'],
  ['138, 136, 134', '96, 94, 92'],
] as const;

export function presentationDescription(chart: ChartDef): string {
  const root = el(
    'Chart',
    null,
    el(
      'Series',
      null,
      chart.measures.map((_, i) =>
        el('Series', {
          ChartType: chart.chartType,
          IsValueShownAsLabel: 'True',
          Color: SERIES_COLORS[i % SERIES_COLORS.length]![0],
          BackGradientStyle: 'TopBottom',
          BackSecondaryColor: SERIES_COLORS[i % SERIES_COLORS.length]![1],
          Font: '{0}, 9.5px',
          LabelForeColor: '59, 59, 59',
        }),
      ),
    ),
    el('ChartAreas', null, el('ChartArea', { BorderColor: 'White', BorderDashStyle: 'Solid' })),
    el('Titles', null, el('Title', { Alignment: 'TopLeft', DockingOffset: '-3', Font: '{0}, 13px', ForeColor: '59, 59, 59' })),
    (chart.measures.length > 1 || seriesByCurrency(chart)) &&
      el('Legends', null, el('Legend', { Alignment: 'Center', LegendStyle: 'Table', Docking: 'Bottom', Font: '{0}, 11px', ForeColor: '59, 59, 59' })),
  );
  return renderXml(root).trim();
}

export function visualizationXml(chart: ChartDef): XmlElement {
  return el(
    'visualization',
    null,
    leaf('savedqueryvisualizationid', chartId(chart)),
    leaf('datadescription', dataDescription(chart)),
    leaf('presentationdescription', presentationDescription(chart)),
    leaf('isdefault', 0),
    leaf('IsCustomizable', 1),
    leaf('IntroducedVersion', '1.0.0.0'),
    el('LocalizedNames', null, el('LocalizedName', { description: chart.name, languagecode: LANGUAGE_CODE })),
    el('Descriptions', null, el('Description', { description: chart.description, languagecode: LANGUAGE_CODE })),
  );
}
