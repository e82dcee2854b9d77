import type { FormDef } from '../form-xml';
import { RECONCILIATION_GRID } from './controls';

/** What the run writes: shown read-only. */
const TOTALS = [
  'cspb_totalbilled',
  'cspb_totalexpected',
  'cspb_totalvariance',
  'cspb_totalleakage',
  'cspb_totalmargin',
  'cspb_totalrejected',
  'cspb_discrepancycount',
];
const DIAGNOSTICS = ['cspb_categorycounts', 'cspb_warnings', 'cspb_error'];

/** The reconciliation run: totals on top, the ReconciliationGrid over its discrepancies below. */
export const reconciliationRunMainForm: FormDef = {
  table: 'cspb_reconciliationrun',
  name: 'Reconciliation run',
  description: 'Main form for a reconciliation run: totals and the reconciliation grid.',
  sections: [
    {
      name: 'general',
      label: 'General',
      fields: [
        'cspb_name',
        'cspb_importid',
        'cspb_periodstart',
        'cspb_islatest',
        'cspb_runstatus',
        'cspb_toleranceperunit',
        'cspb_completenesstolerance',
        'cspb_currencycode',
        'transactioncurrencyid',
      ],
    },
    { name: 'totals', label: 'Totals', fields: TOTALS },
    {
      name: 'discrepancies',
      label: 'Discrepancies',
      subgrids: [
        {
          id: 'discrepancies',
          label: 'Discrepancies',
          targetTable: 'cspb_discrepancy',
          relationshipName: 'cspb_reconciliationrun_cspb_discrepancy_runid',
          view: 'byrun',
          control: RECONCILIATION_GRID,
        },
      ],
    },
    { name: 'diagnostics', label: 'Diagnostics', fields: DIAGNOSTICS },
  ],
  // The billing month and the latest-run flag are the run job's (the dashboards rely on them).
  readOnly: ['cspb_periodstart', 'cspb_islatest', 'cspb_runstatus', ...TOTALS, ...DIAGNOSTICS],
  libraries: [],
  handlers: [],
};
