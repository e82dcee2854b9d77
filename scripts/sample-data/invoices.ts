import { addDays, issueInvoice, period, type CalendarDate, type Invoice, type UsageAggregate } from '../../core/src';
import { CspbInvoiceInvoiceStatus as InvoiceStatus } from '../../dataverse/generated';
import type { DataverseClient } from '../../dataverse/src/client/types';
import { invoiceLineRows, invoiceRow, runInvoices } from '../../dataverse/src/runs/invoice-run';
import { SEQUENCE_NAME } from '../../dataverse/src/runs/issue';
import type { BillRow } from './bill';
import { BILL_MONTH } from './partner';
import type { PlantedFinding } from './plant';
import type { Snapshot } from './snapshot';
import type { UsageTotal } from './usage';

/** The sample's invoice series: INV-2026-0001 onwards; the seeded org's numbering continues it. */
const SENT_PREFIX = 'INV-2026-';
const SENT_DIGITS = 4;

export interface SentInvoices {
  /** October's and November's invoices as issued (numbered INV-2026-0001...): November's re-bills October's usage in arrears. */
  readonly invoices: Invoice[];
  /** The subscription Microsoft bills that the partner forgot to invoice: the planted revenue leakage (none when clean). */
  readonly forgotten: { readonly subscriptionId: string; readonly vendorSubscriptionId: string } | null;
}

/**
 * What the partner sent its customers for October and November (usage in arrears): every contract's invoices from the same
 * `runInvoices` the CLI and Dynamics use, except that one billed, active, contracted subscription
 * none of the other plantings touches is left off (the partner forgot it), so its Microsoft cost
 * is re-billed to nobody.
 */
/** The month's usage as the importer aggregates it (one per subscription and meter), from the generator's own totals. */
function usageOf(totals: readonly UsageTotal[]): UsageAggregate[] {
  const last = addDays(BILL_MONTH.end, -1) as CalendarDate;
  return totals.map((t, i) => ({
    kind: 'usage',
    format: 'nce-daily-usage',
    firstRow: 2 + i * t.rows,
    subscriptionId: t.subscriptionId,
    meterId: t.meterId,
    meterName: t.meterName,
    chargeType: 'new',
    chargeTypeKey: 'new',
    chargeStart: BILL_MONTH.start,
    chargeEndInclusive: last,
    period: period(BILL_MONTH.start, BILL_MONTH.end),
    currency: 'USD' as UsageAggregate['currency'],
    rowCount: t.rows,
    firstUsageDate: BILL_MONTH.start,
    lastUsageDate: last,
    quantity: t.quantity,
    amount: t.amount,
  }));
}

export function sentInvoices(
  snapshot: Snapshot,
  rows: readonly BillRow[],
  usage: readonly UsageTotal[],
  planted: readonly PlantedFinding[],
  clean: boolean,
): SentInvoices {
  const touched = new Set(planted.map((p) => p.vendorSubscriptionId));
  const billed = new Set(rows.filter((r) => r.subscription && r.chargeType === 'cycleCharge').map((r) => r.subscriptionId));
  const subscriptions = snapshot.tables.cspb_subscription;
  const forgotten = clean
    ? undefined
    : subscriptions.find(
        (s) => s._cspb_contractid_value && s.cspb_vendorsubscriptionid && billed.has(s.cspb_vendorsubscriptionid) && !touched.has(s.cspb_vendorsubscriptionid),
      );
  const tables = forgotten
    ? { ...snapshot.tables, cspb_subscription: subscriptions.map((s) => (s === forgotten ? { ...s, _cspb_contractid_value: null } : s)) }
    : snapshot.tables;
  const invoices = [BILL_MONTH.start, BILL_MONTH.end].flatMap((at) => runInvoices({ rows: tables, usage: usageOf(usage), at }).invoices);
  return {
    invoices: invoices.map((draft, i) => issueInvoice(draft, draft.invoiceDate, `${SENT_PREFIX}${String(i + 1).padStart(SENT_DIGITS, '0')}`)),
    forgotten: forgotten ? { subscriptionId: forgotten.cspb_subscriptionid, vendorSubscriptionId: forgotten.cspb_vendorsubscriptionid! } : null,
  };
}

/**
 * Writes the sent invoices into an org as issued documents with their lines (a workbench seed:
 * what the partner had already sent when the org was set up), so a reconciliation run there is
 * three-way as `npm run reconcile:sample` is.
 */
export async function writeSentInvoices(client: DataverseClient, sent: SentInvoices, contractNames: ReadonlyMap<string, string>): Promise<number> {
  for (const invoice of sent.invoices) {
    const id = await client.create('cspb_invoices', {
      ...invoiceRow(invoice, contractNames.get(invoice.contractId) ?? ''),
      cspb_name: invoice.invoiceNumber,
      cspb_invoicestatus: InvoiceStatus.Issued,
      'cspb_ContractId@odata.bind': `/cspb_billingcontracts(${invoice.contractId})`,
    });
    await client.createMultiple(
      'cspb_invoicelines',
      invoiceLineRows(invoice).map((line) => ({ ...line, 'cspb_InvoiceId@odata.bind': `/cspb_invoices(${id})` })),
    );
  }
  // The org's next issue continues the series the partner was using.
  await client.create('cspb_invoicenumberings', {
    cspb_name: SEQUENCE_NAME,
    cspb_prefix: SENT_PREFIX,
    cspb_nextnumber: sent.invoices.length + 1,
    cspb_digits: SENT_DIGITS,
  });
  return sent.invoices.length;
}
