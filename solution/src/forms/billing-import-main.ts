import type { FormDef } from '../form-xml';
import { BILLING_IMPORT } from './controls';

/**
 * The billing import: the BillingImport control on the file name (drop, parse, create lines), what
 * was detected, the row counts, and its lines in a plain subgrid.
 */
/** What the importer writes (detected, counted, totalled): shown read-only, never edited by hand. */
const DETECTED = ['cspb_source', 'cspb_pullkey', 'cspb_format', 'cspb_invoicenumber', 'cspb_periodstart', 'cspb_periodend', 'cspb_importstatus'];
const TOTALS = [
  'cspb_currencycode',
  'transactioncurrencyid',
  'cspb_totalbilled',
  'cspb_rowsread',
  'cspb_rowsaccepted',
  'cspb_rowsrejected',
  'cspb_linecount',
  'cspb_contenthash',
];
const WRITTEN_BY_IMPORT = ['cspb_rejectedamount', 'cspb_rejectedrows', 'cspb_errors'];

export const billingImportMainForm: FormDef = {
  table: 'cspb_billingimport',
  name: 'Billing import',
  description: 'Main form for an imported vendor bill, with its lines.',
  sections: [
    { name: 'general', label: 'General', fields: ['cspb_name', 'cspb_filename', 'cspb_vendor', 'cspb_encoding', 'cspb_billkind', ...DETECTED] },
    // The invoice total is the one figure finance types here (from the PDF): the reconciliation checks the lines against it.
    { name: 'totals', label: 'Totals', fields: [...TOTALS, 'cspb_invoicetotal'] },
    {
      name: 'lines',
      label: 'Billing lines',
      subgrids: [
        {
          id: 'lines',
          label: 'Billing lines',
          targetTable: 'cspb_billingline',
          relationshipName: 'cspb_billingimport_cspb_billingline_importid',
          // A plain subgrid: bill lines are not findings (the reconciliation grid showed them as open variances).
          view: 'active',
        },
      ],
    },
    { name: 'rejected', label: 'Rejected rows', fields: ['cspb_rejectedamount', 'cspb_rejectedacknowledged', 'cspb_rejectedrows'] },
    { name: 'errors', label: 'Errors', fields: ['cspb_errors'] },
  ],
  fieldControls: { cspb_filename: { control: BILLING_IMPORT.name, property: BILLING_IMPORT.property } },
  readOnly: [...DETECTED, ...TOTALS, ...WRITTEN_BY_IMPORT],
  libraries: [],
  handlers: [],
};
