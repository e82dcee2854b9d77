import { bracedGuid } from '../../dataverse/src/codegen/stable-guid';
import { el, leaf, type XmlElement } from '../../dataverse/src/codegen/xml';
import { CHARTS, chartId, type ChartDef } from './charts';
import { DEFAULT_GRID_CONTROL_ID } from './form-xml';
import { LANGUAGE_CODE } from './publisher';
import { viewId } from './views';

/**
 * Organization-owned dashboards (systemform type 0, `<Dashboards>` in customizations.xml). The
 * FormXml follows Microsoft's "Sample dashboards" page
 * (learn.microsoft.com/power-apps/developer/model-driven-apps/sample-dashboards): each chart is a
 * grid control in chart mode (`ChartGridMode` Chart) naming its table, a view of that table and the
 * system chart (`VisualizationId`). Validated against CustomizationsSolution.xsd with the rest of
 * the solution (tests/solution).
 */
export interface DashboardDef {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  /** Chart keys (charts.ts), two per row, in reading order. */
  readonly charts: readonly string[];
}

export const DASHBOARDS: readonly DashboardDef[] = [
  {
    key: 'reconciliation',
    name: 'CSP Reconciliation',
    description:
      'Month-end at a glance: variance by category, revenue leakage by month, open discrepancies by customer, billed vs expected by month, accrued vs billed by month.',
    charts: ['variancebycategory', 'leakagebymonth', 'openbycustomer', 'billedvsexpectedbymonth', 'accruedvsbilledbymonth'],
  },
];

export const dashboardId = (dashboard: DashboardDef): string => bracedGuid(`dashboard/${dashboard.key}`);

export function chartsOf(dashboard: DashboardDef): ChartDef[] {
  return dashboard.charts.map((key) => {
    const chart = CHARTS.find((c) => c.key === key);
    if (!chart) throw new Error(`dashboard ${dashboard.key} shows chart ${key}, which charts.ts does not define`);
    return chart;
  });
}

/** The rows a dashboard cell spans: a chart reads well at 12 (the sample's height). */
const CHART_ROWS = 12;

function chartCell(dashboard: DashboardDef, chart: ChartDef, index: number): XmlElement {
  const key = `dashboard/${dashboard.key}/chart/${chart.key}`;
  const view = viewId(chart.table, 'active');
  return el(
    'cell',
    { colspan: '1', rowspan: String(CHART_ROWS), showlabel: 'false', id: bracedGuid(`${key}/cell`), auto: 'false' },
    el(
      'control',
      { id: `Chart${index + 1}`, classid: DEFAULT_GRID_CONTROL_ID },
      el(
        'parameters',
        null,
        leaf('TargetEntityType', chart.table),
        leaf('ChartGridMode', 'Chart'),
        leaf('EnableQuickFind', 'false'),
        leaf('EnableViewPicker', 'false'),
        leaf('EnableJumpBar', 'false'),
        leaf('RecordsPerPage', CHART_ROWS),
        leaf('ViewId', view),
        leaf('IsUserView', 'false'),
        leaf('ViewIds', ''),
        leaf('AutoExpand', 'Fixed'),
        leaf('VisualizationId', chartId(chart)),
        leaf('IsUserChart', 'false'),
        leaf('EnableChartPicker', 'false'),
        leaf('RelationshipName', ''),
      ),
    ),
  );
}

/** The dashboard's `<form>`: one tab, a section per pair of charts. */
function dashboardForm(dashboard: DashboardDef): XmlElement {
  const charts = chartsOf(dashboard);
  const pairs: ChartDef[][] = [];
  for (let i = 0; i < charts.length; i += 2) pairs.push(charts.slice(i, i + 2));
  const key = `dashboard/${dashboard.key}`;
  return el(
    'form',
    null,
    el(
      'tabs',
      null,
      el(
        'tab',
        { showlabel: 'false', verticallayout: 'true', id: bracedGuid(`${key}/tab`), name: 'charts', locklevel: '0', expanded: 'true' },
        el('labels', null, el('label', { description: dashboard.name, languagecode: LANGUAGE_CODE })),
        el(
          'columns',
          null,
          el(
            'column',
            { width: '100%' },
            el(
              'sections',
              null,
              pairs.map((pair, p) =>
                el(
                  'section',
                  { showlabel: 'false', showbar: 'false', columns: '1'.repeat(pair.length), id: bracedGuid(`${key}/section/${p}`), name: `charts_${p + 1}` },
                  el('labels', null, el('label', { description: `Charts ${p + 1}`, languagecode: LANGUAGE_CODE })),
                  el('rows', null, [
                    el(
                      'row',
                      null,
                      pair.map((chart, i) => chartCell(dashboard, chart, p * 2 + i)),
                    ),
                    // The cells span CHART_ROWS rows: the rows they cover are written empty, as in the sample.
                    ...Array.from({ length: CHART_ROWS - 1 }, () => el('row')),
                  ]),
                ),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

export function dashboardXml(dashboard: DashboardDef): XmlElement {
  return el(
    'Dashboard',
    null,
    leaf('FormId', dashboardId(dashboard)),
    el('LocalizedNames', null, el('LocalizedName', { description: dashboard.name, languagecode: LANGUAGE_CODE })),
    el('Descriptions', null, el('Description', { description: dashboard.description, languagecode: LANGUAGE_CODE })),
    leaf('IsCustomizable', 1),
    leaf('IsDefault', 0),
    leaf('CanBeDeleted', 1),
    el('FormXml', null, el('forms', { type: 'dashboard' }, dashboardForm(dashboard))),
    leaf('IntroducedVersion', '1.0.0.0'),
    leaf('IsTabletEnabled', 1),
  );
}
