import { addDays, Decimal, parseDate, period, type InvoiceLineType, type RevenueLine } from '../../../core/src';
import { CspbInvoiceLineLineType as LineType, type CspbInvoiceLineRow } from '../../generated';
import { choiceMap, MappingError, required } from './values';

/** Invoice line types both ways (commitment lines are stored as one-time charges). */
export const invoiceLineTypes = choiceMap<InvoiceLineType, LineType>(
  [['recurring', LineType.Recurring], ['prorated', LineType.Prorated], ['usage', LineType.Usage], ['oneTime', LineType.OneTime], ['credit', LineType.Credit], ['discount', LineType.Discount], ['tax', LineType.Tax]],
  'cspb_linetype',
);

/**
 * Stored invoice lines as revenue (what a customer was invoiced for a subscription and service
 * period), for the leakage check of a reconciliation. Lines without a subscription are skipped.
 */
export function revenueLinesFromRows(rows: readonly CspbInvoiceLineRow[]): RevenueLine[] {
  return rows.flatMap((row) => {
    const subscriptionId = row._cspb_subscriptionid_value;
    if (!subscriptionId) return [];
    const where = `cspb_invoiceline ${row.cspb_invoicelineid}`;
    const type = required(invoiceLineTypes.fromWebApi(row.cspb_linetype), `${where}.cspb_linetype`);
    if (row.cspb_amount === null || row.cspb_amount === undefined) throw new MappingError('has no amount', `${where}.cspb_amount`, row.cspb_amount);
    const start = parseDate(required(row.cspb_periodstart ?? undefined, `${where}.cspb_periodstart`));
    const endInclusive = parseDate(required(row.cspb_periodend ?? undefined, `${where}.cspb_periodend`));
    return [{ subscriptionId, type, servicePeriod: period(start, addDays(endInclusive, 1)), amount: new Decimal(String(row.cspb_amount)) }];
  });
}
