import { bracedGuid } from '../../dataverse/src/codegen/stable-guid';
import { el, leaf, renderXml, type XmlElement } from '../../dataverse/src/codegen/xml';
import { CURRENCY_LOOKUP, tables } from '../../dataverse/src/schema';
import { LANGUAGE_CODE } from './publisher';

/**
 * System charts (savedqueryvisualization) for reconciliation. datadescription and
 * presentationdescription are XML documents carried as text, as exports write them; the first
 * validates against VisualizationDataDescription.xsd (tests/solution).
 */
export interface ChartDef {
  readonly table: string;
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly measure: { readonly attribute: string; readonly aggregate: 'sum' | 'count' };
  readonly groupBy: { readonly attribute: string; readonly dateGrouping?: 'month' };
  readonly chartType: 'Bar' | 'Column';
}

export const CHARTS: readonly ChartDef[] = [
  {
    table: 'cspb_discrepancy',
    key: 'variancebycategory',
    name: 'Variance by Category',
    description: 'Sum of billed minus expected, per discrepancy category.',
    measure: { attribute: 'cspb_variance', aggregate: 'sum' },
    groupBy: { attribute: 'cspb_category' },
    chartType: 'Bar',
  },
  {
    table: 'cspb_reconciliationrun',
    key: 'leakagebymonth',
    name: 'Leakage by Month',
    description: 'Revenue leakage (vendor cost never re-billed) of the runs, per month.',
    measure: { attribute: 'cspb_totalleakage', aggregate: 'sum' },
    groupBy: { attribute: 'createdon', dateGrouping: 'month' },
    chartType: 'Column',
  },
];

export const chartId = (chart: ChartDef): string => bracedGuid(`${chart.table}/chart/${chart.key}`);

/**
 * A sum of amounts is split by currency: rows of one table may hold euros and dollars, and one bar
 * adding both would mean nothing. The currency is a second group-by, which the chart draws as one
 * series per currency (a multi-series chart, "Understand charts: Underlying data and chart
 * representation", learn.microsoft.com/power-apps/developer/model-driven-apps/understand-charts-underlying-data-chart-representation).
 */
export function seriesByCurrency(chart: ChartDef): boolean {
  if (chart.measure.aggregate !== 'sum') return false;
  const table = tables.find((t) => t.logicalName === chart.table);
  return table?.columns.find((c) => c.logicalName === chart.measure.attribute)?.type === 'money';
}

export function dataDescription(chart: ChartDef): string {
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
          el('attribute', { alias: 'aggregate_column', name: chart.measure.attribute, aggregate: chart.measure.aggregate }),
          el('attribute', { groupby: 'true', alias: 'groupby_column', name: chart.groupBy.attribute, dategrouping: chart.groupBy.dateGrouping }),
          seriesByCurrency(chart) && el('attribute', { groupby: 'true', alias: 'groupby_currency', name: CURRENCY_LOOKUP }),
        ),
      ),
    ),
    el('categorycollection', null, el('category', null, el('measurecollection', null, el('measure', { alias: 'aggregate_column' })))),
  );
  return renderXml(root).trim();
}

export function presentationDescription(chart: ChartDef): string {
  const root = el(
    'Chart',
    null,
    el(
      'Series',
      null,
      el('Series', {
        ChartType: chart.chartType,
        IsValueShownAsLabel: 'True',
        Color: '55, 118, 193',
        BackGradientStyle: 'TopBottom',
        BackSecondaryColor: '41, 88, 145',
        Font: '{0}, 9.5px',
        LabelForeColor: '59, 59, 59',
      }),
    ),
    el('ChartAreas', null, el('ChartArea', { BorderColor: 'White', BorderDashStyle: 'Solid' })),
    el('Titles', null, el('Title', { Alignment: 'TopLeft', DockingOffset: '-3', Font: '{0}, 13px', ForeColor: '59, 59, 59' })),
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
