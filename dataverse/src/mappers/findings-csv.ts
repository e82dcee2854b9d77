/**
 * The one CSV of a run's findings: the ReconciliationGrid's Export and the run form's command-bar
 * export both write it, with the columns' display names and the choices' labels as the schema (and
 * so the solution) writes them (generated from the schema), the engine's explanation and rule, and amounts as exact decimal
 * text. Every text cell goes through core's csvText (quoted, formula-safe). Free of decimal.js: form
 * bundles and PCF controls use it.
 */
import { csvText } from '../../../core/src/reconcile/report';
import {
  CspbDiscrepancyCategoryLabels,
  CspbDiscrepancyDisplayNames,
  CspbDiscrepancyResolutionStatusKeys,
  CspbDiscrepancyResolutionStatusLabels,
} from '../../generated/cspb_discrepancy';

export interface FindingCsvRow {
  readonly customer: string;
  readonly subscription: string;
  readonly product: string;
  readonly chargeType: string;
  readonly chargeStart: string;
  readonly chargeEnd: string;
  readonly referenceId: string;
  /** Exact decimal text ("12", "-0.000063"), or empty. */
  readonly billedQuantity: string;
  readonly expectedQuantity: string;
  readonly eup: string;
  readonly billed: string;
  readonly expected: string;
  readonly variance: string;
  readonly margin: string;
  readonly currency: string;
  /** The category's label ("Quantity mismatch"). */
  readonly category: string;
  /** The status's label ("Open"). */
  readonly status: string;
  readonly note: string;
  readonly decisionFrom: string;
  readonly rule: string;
  readonly explanation: string;
}

type Column = keyof typeof CspbDiscrepancyDisplayNames;

/**
 * Column order, each with the finding's column it is read from: the header is that column's display
 * name, so the file reads as the grid and the forms do.
 */
const COLUMNS: ReadonlyArray<readonly [keyof FindingCsvRow, Column]> = [
  ['customer', 'cspb_customername'],
  ['subscription', 'cspb_vendorsubscriptionid'],
  ['product', 'cspb_productname'],
  ['chargeType', 'cspb_chargetype'],
  ['chargeStart', 'cspb_chargestartdate'],
  ['chargeEnd', 'cspb_chargeenddate'],
  ['referenceId', 'cspb_referenceid'],
  ['billedQuantity', 'cspb_billedquantity'],
  ['expectedQuantity', 'cspb_expectedquantity'],
  ['eup', 'cspb_effectiveunitprice'],
  ['billed', 'cspb_billedamount'],
  ['expected', 'cspb_expectedamount'],
  ['variance', 'cspb_variance'],
  ['margin', 'cspb_margin'],
  ['currency', 'cspb_currencycode'],
  ['category', 'cspb_category'],
  ['status', 'cspb_resolutionstatus'],
  ['note', 'cspb_resolutionnote'],
  ['decisionFrom', 'cspb_decisionfrom'],
  ['rule', 'cspb_rule'],
  ['explanation', 'cspb_explanation'],
];

/** The numeric columns: written as their decimal text, never quoted or prefixed (a leading minus is a number, not a formula). */
const NUMERIC: ReadonlySet<keyof FindingCsvRow> = new Set(['billedQuantity', 'expectedQuantity', 'eup', 'billed', 'expected', 'variance', 'margin']);
const DECIMAL = /^-?\d+(\.\d+)?$/;

export const FINDINGS_CSV_HEADER: readonly string[] = COLUMNS.map(([, column]) => CspbDiscrepancyDisplayNames[column]);

export function findingsCsv(rows: Iterable<FindingCsvRow>): string {
  const lines = [FINDINGS_CSV_HEADER.map(csvText).join(',')];
  for (const row of rows) {
    lines.push(
      COLUMNS.map(([key]) => {
        const value = row[key];
        // A numeric cell that is not plain decimal text is written as text (through csvText), never raw.
        return NUMERIC.has(key) && (value === '' || DECIMAL.test(value)) ? value : csvText(value);
      }).join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The Web API columns a finding's CSV row is read from. */
export const FINDING_CSV_SELECT: readonly string[] = COLUMNS.map(([, column]) => column);

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
/**
 * A number as the Web API sent it, as decimal text: JSON numbers of Dataverse's decimal and money
 * columns print in plain notation up to their precision (10 places; exponent notation only below
 * 1e-6, which toFixed(10) writes out).
 */
const numberText = (v: unknown): string => {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v !== 'number') return String(v);
  const plain = String(v);
  return /e/i.test(plain) ? v.toFixed(10).replace(/\.?0+$/, '') : plain;
};
const label = (labels: Readonly<Record<number, string>>, v: unknown): string => (typeof v === 'number' ? (labels[v] ?? String(v)) : text(v));

/** A status's label from the core's name of it ('open' -> 'Open'), as the solution ships it. */
export function statusLabelOfCore(core: string): string {
  const value = CspbDiscrepancyResolutionStatusKeys.find(([k]) => k === core)?.[1];
  return value === undefined ? core : (CspbDiscrepancyResolutionStatusLabels[value] ?? core);
}

/** A discrepancy as the Web API returns it (FINDING_CSV_SELECT). The customer is the name the finding carries (the bill's, or CRM's). */
export function findingCsvRowOfRecord(row: Readonly<Record<string, unknown>>): FindingCsvRow {
  const out: Record<string, string> = {};
  for (const [key, column] of COLUMNS) {
    const v = row[column];
    out[key] =
      key === 'category'
        ? label(CspbDiscrepancyCategoryLabels, v)
        : key === 'status'
          ? label(CspbDiscrepancyResolutionStatusLabels, v)
          : NUMERIC.has(key)
            ? numberText(v)
            : text(v);
  }
  return out as unknown as FindingCsvRow;
}
