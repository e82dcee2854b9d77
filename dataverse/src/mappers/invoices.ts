import { addDays, period, type InvoiceLineType, type RevenueLine } from '../../../core/src';
import { CspbInvoiceLineLineType as LineType, type CspbInvoiceLineRow } from '../../generated';
import { choiceMap, dateFromWebApi, decimalFromWebApi, required } from './values';

/** Invoice line types both ways (commitment lines are stored as one-time charges). */
export const invoiceLineTypes = choiceMap<InvoiceLineType, LineType>(
  [['recurring', LineType.Recurring], ['prorated', LineType.Prorated], ['usage', LineType.Usage], ['oneTime', LineType.OneTime], ['credit', LineType.Credit], ['discount', LineType.Discount], ['tax', LineType.Tax]],
  'cspb_linetype',
);

/** A line's type as stored: a minimum-commitment top-up has no option of its own and is stored as a one-time charge. */
export function lineTypeToWebApi(type: InvoiceLineType): LineType {
  return invoiceLineTypes.toWebApi(type === 'commitment' ? 'oneTime' : type)!;
}

/**
 * Stored invoice lines as revenue (what a customer was invoiced for a subscription and service
 * period), for the leakage check of a reconciliation. Lines without a subscription are skipped.
 */
export function revenueLinesFromRows(rows: readonly CspbInvoiceLineRow[]): RevenueLine[] {
  return rows.flatMap((row) => {
    const subscriptionId = row._cspb_subscriptionid_value;
    if (!subscriptionId) return [];
    const where = `cspb_invoiceline ${row.cspb_invoicelineid}`;
    const type = required(invoiceLineTypes.fromWebApi(row.cspb_linetype, `${where}.cspb_linetype`), `${where}.cspb_linetype`);
    const start = required(dateFromWebApi(row.cspb_periodstart, `${where}.cspb_periodstart`), `${where}.cspb_periodstart`);
    const endInclusive = required(dateFromWebApi(row.cspb_periodend, `${where}.cspb_periodend`), `${where}.cspb_periodend`);
    const amount = required(decimalFromWebApi(row.cspb_amount, `${where}.cspb_amount`), `${where}.cspb_amount`);
    return [{ subscriptionId, type, servicePeriod: period(start, addDays(endInclusive, 1)), amount }];
  });
}
