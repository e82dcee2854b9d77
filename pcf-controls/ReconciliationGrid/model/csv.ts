/**
 * The grid's Export: the one CSV of findings (dataverse/src/mappers/findings-csv.ts, which the run
 * form's command-bar export writes too), from the rows the grid shows.
 */
import { findingsCsv, statusLabelOfCore, type FindingCsvRow } from '../../../dataverse/src/mappers/findings-csv';
import { categoryLabel, type ReconRow } from './rows';
import { fixedText } from './exact';

export function csvRowOf(r: ReconRow): FindingCsvRow {
  return {
    customer: r.customer,
    subscription: r.subscription,
    product: r.product,
    chargeType: r.chargeType,
    chargeStart: r.chargeStart,
    chargeEnd: r.chargeEnd,
    referenceId: r.referenceId,
    billedQuantity: r.billedQuantity ? fixedText(r.billedQuantity) : '',
    expectedQuantity: r.expectedQuantity ? fixedText(r.expectedQuantity) : '',
    eup: r.eup ? fixedText(r.eup) : '',
    billed: fixedText(r.billed),
    expected: fixedText(r.expected),
    variance: fixedText(r.variance),
    margin: r.margin ? fixedText(r.margin) : '',
    currency: r.currency,
    category: categoryLabel(r),
    status: statusLabelOfCore(r.status),
    note: r.note,
    decisionFrom: r.decisionFrom,
    rule: r.rule,
    explanation: r.explanation,
  };
}

export function rowsToCsv(rows: readonly ReconRow[]): string {
  return findingsCsv(rows.map(csvRowOf));
}
