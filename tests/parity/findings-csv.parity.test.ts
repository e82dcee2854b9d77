/**
 * One CSV of findings: the ReconciliationGrid's Export (from its data-set rows) and the run form's
 * command-bar export (from the Web API rows) write the same file for the same findings, to the byte.
 */
import { discrepanciesCsv } from '../../webresources/src/commands';
import { rowsToCsv } from '../../pcf-controls/ReconciliationGrid/model/csv';
import { toRows } from '../../pcf-controls/ReconciliationGrid/model/rows';
import { CspbDiscrepancyCategory as Category, CspbDiscrepancyResolutionStatus as Status } from '../../dataverse/generated/cspb_discrepancy';
import { records } from '../pcf/support';

// As the Web API returns them: numbers as JSON numbers, choices as values, dates as text.
const webApiRows: Array<Record<string, unknown>> = [
  {
    cspb_customername: 'Contoso Ltd',
    cspb_vendorsubscriptionid: 'sub-a',
    cspb_productname: 'Microsoft 365 E3',
    cspb_chargetype: 'cycleCharge',
    cspb_chargestartdate: '2026-10-01',
    cspb_chargeenddate: '2026-10-31',
    cspb_referenceid: 'ref-1',
    cspb_billedquantity: 12,
    cspb_expectedquantity: 10,
    cspb_effectiveunitprice: 36,
    cspb_billedamount: 432,
    cspb_expectedamount: 360,
    cspb_variance: 72,
    cspb_margin: null,
    cspb_currencycode: 'USD',
    cspb_category: Category.QuantityMismatch,
    cspb_resolutionstatus: Status.Accepted,
    cspb_resolutionnote: 'Two starters, =SUM(A1) checked',
    cspb_decisionfrom: "Accepted in run 'Oct' on 2026-11-03",
    cspb_rule: 'Unit price x quantity, rounded',
    cspb_explanation: '12 x 36.00 = 432.00; the ledger has 10 seats',
  },
  {
    cspb_customername: '=HYPERLINK("http://x")',
    cspb_vendorsubscriptionid: 'sub-b',
    cspb_billedamount: 576,
    cspb_expectedamount: 518.4,
    cspb_variance: 57.6,
    cspb_margin: -57.6,
    cspb_currencycode: 'USD',
    cspb_category: Category.NegativeMargin,
    cspb_resolutionstatus: Status.Open,
    cspb_explanation: 'sold at 518.40, cost 576.00',
  },
];

test('the grid’s Export and the command-bar export write the same CSV', () => {
  const columns = [...new Set(webApiRows.flatMap((r) => Object.keys(r)))];
  const gridRows = toRows(columns, records(webApiRows.map((r, i) => ({ id: `d${i}`, ...r }))));
  const fromGrid = rowsToCsv(gridRows);
  const fromCommand = discrepanciesCsv(webApiRows);
  expect(fromGrid).toBe(fromCommand);
  // And it is the file finance reads: labels, exact amounts, the margin's own sign, formulas defused.
  const lines = fromCommand.split('\r\n');
  expect(lines[1]).toBe(
    `Contoso Ltd,sub-a,Microsoft 365 E3,cycleCharge,2026-10-01,2026-10-31,ref-1,12,10,36,432,360,72,,USD,Quantity mismatch,Accepted,"Two starters, =SUM(A1) checked",Accepted in run 'Oct' on 2026-11-03,"Unit price x quantity, rounded",12 x 36.00 = 432.00; the ledger has 10 seats`,
  );
  expect(lines[2]).toBe(`"'=HYPERLINK(""http://x"")",sub-b,,,,,,,,,576,518.4,57.6,-57.6,USD,Negative margin,Open,,,,"sold at 518.40, cost 576.00"`);
});
