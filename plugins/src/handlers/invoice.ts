import { addDays, Decimal, formatIso, generateInvoices, parseDate, period, type BillingContract, type InvoiceLineType, type InvoiceSubscription, type RoundingMode, type TaxProfile } from '../../../core/src';
import type { DataverseClient, EntityRecord } from '../../../dataverse/src/client/types';
import { ledgerFromRows } from '../../../dataverse/src/mappers';
import {
  CspbBillingContractAnchor as Anchor,
  CspbBillingContractFrequency as Frequency,
  CspbBillingContractProrationPolicy as Proration,
  CspbBillingContractRoundingPolicy as Rounding,
  CspbBillingContractTiming as Timing,
  CspbInvoiceInvoiceStatus as InvoiceStatus,
  CspbInvoiceKind as Kind,
  CspbInvoiceLineLineType as LineType,
  CspbInvoiceRunRunStatus as RunStatus,
  type CspbBillingContractRow,
  type CspbInvoiceRow,
  type CspbInvoiceLineRow,
  type CspbInvoiceRunRow,
  type CspbSubscriptionChangeRow,
  type CspbSubscriptionRow,
} from '../../../dataverse/generated';
import { retrieveAll } from './types';
import type { ChunkOutcome, Job, JobContext } from '../jobs/job';
import { MONEY_PLACES, roundedToWebApi } from '../../../dataverse/src/mappers/values';

/**
 * Invoice run Create (PostOperation, async, queued as `invoiceRunJob`, a contract per chunk): for the run's contract (or every contract), generates
 * the period's draft invoice with core's `generateInvoices` and writes it as cspb_invoice (upsert on
 * the cspb_draftkey alternate key) with its lines, replacing the draft's previous lines. An invoice
 * already issued (or cancelled) under that key is never touched. Re-running gives the same drafts.
 *
 * Contract mapping (minimal): currency, frequency, anchor (calendar month, billing day, co-term),
 * timing, payment terms (net days), proration (one policy for increases and decreases), rounding,
 * standing discount %, usage markup %, tax profile JSON ({ rates: [{ jurisdiction, ratePercent }] }).
 * Not mapped: the contract start date (no column: the run's period start is used), price lists
 * and overrides (prices come from the ledger's dated customer prices and the subscription's own
 * price), one-time charges, imported usage, minimum commitments, exchange rates (a line in another
 * currency fails the contract), and credit notes for issued periods (issued invoices are skipped).
 */

const FREQUENCY: Record<number, BillingContract['frequency']> = {
  [Frequency.Monthly]: 'monthly', [Frequency.Quarterly]: 'quarterly', [Frequency.Annual]: 'annual', [Frequency.Triennial]: 'triennial', [Frequency.OneTime]: 'oneTime',
};
const PRORATION: Record<number, 'daily' | 'none' | 'fullPeriod'> = { [Proration.DailyByDaysInPeriod]: 'daily', [Proration.None]: 'none', [Proration.FullPeriod]: 'fullPeriod' };
const ROUNDING: Record<number, RoundingMode> = { [Rounding.HalfUp]: 'halfUp', [Rounding.HalfEven]: 'halfEven', [Rounding.Truncate]: 'truncate' };
const LINE_TYPE: Record<InvoiceLineType, number> = {
  recurring: LineType.Recurring, prorated: LineType.Prorated, usage: LineType.Usage, oneTime: LineType.OneTime,
  credit: LineType.Credit, discount: LineType.Discount, commitment: LineType.OneTime, tax: LineType.Tax,
};

/** Money and decimal columns: rounded once to the column's places by the shared boundary helper. */
const money = (d: Decimal | undefined) => roundedToWebApi(d, 'money column', MONEY_PLACES);

function taxProfileOf(text: string | null): TaxProfile {
  if (!text) return { rates: [] };
  try {
    const json = JSON.parse(text) as Partial<TaxProfile>;
    return { ...json, rates: Array.isArray(json.rates) ? json.rates : [] };
  } catch {
    throw new Error(`the contract's tax profile is not JSON: ${text.slice(0, 80)}`);
  }
}

export function contractFromRow(row: CspbBillingContractRow, startDate: number): BillingContract {
  const anchor: BillingContract['anchor'] =
    row.cspb_anchor === Anchor.BillingDay ? { kind: 'billingDay', day: row.cspb_anchorday ?? 1 } : row.cspb_anchor === Anchor.CoTerm ? { kind: 'coterm' } : { kind: 'calendarMonth' };
  const proration = PRORATION[row.cspb_prorationpolicy] ?? 'daily';
  return {
    id: row.cspb_billingcontractid,
    customerId: row._cspb_customerid_value ?? '',
    currency: row.cspb_currencycode,
    frequency: FREQUENCY[row.cspb_frequency] ?? 'monthly',
    anchor,
    timing: row.cspb_timing === Timing.InArrears ? 'arrears' : 'advance',
    startDate: startDate as BillingContract['startDate'],
    paymentTerms: { kind: 'net', days: row.cspb_paymenttermdays },
    proration: { increase: proration, decrease: proration },
    rounding: ROUNDING[row.cspb_roundingpolicy] ?? 'halfUp',
    tax: taxProfileOf(row.cspb_taxprofile),
    ...(row.cspb_usagemarkuppercent !== null ? { usageMarkupPercent: String(row.cspb_usagemarkuppercent) } : {}),
    ...(row.cspb_discountpercent ? { discounts: [{ id: 'standing', kind: 'percent' as const, value: String(row.cspb_discountpercent), description: 'Standing discount' }] } : {}),
  };
}

async function invoiceContract(client: DataverseClient, runId: string, contract: CspbBillingContractRow, run: CspbInvoiceRunRow): Promise<number> {
  const start = parseDate(run.cspb_periodstart);
  const p = period(start, addDays(parseDate(run.cspb_periodend), 1));
  const subs = await retrieveAll<CspbSubscriptionRow>(client, 'cspb_subscriptions', { filter: `_cspb_contractid_value eq ${contract.cspb_billingcontractid}` });
  const subscriptions: InvoiceSubscription[] = [];
  for (const s of subs) {
    const rows = await retrieveAll<CspbSubscriptionChangeRow>(client, 'cspb_subscriptionchanges', { filter: `_cspb_subscriptionid_value eq ${s.cspb_subscriptionid}` });
    subscriptions.push({
      id: s.cspb_subscriptionid,
      ...(s.cspb_vendorsubscriptionid ? { vendorSubscriptionId: s.cspb_vendorsubscriptionid } : {}),
      offerId: s._cspb_offerid_value ?? '',
      name: s.cspb_name,
      ...(rows.length > 0 ? { ledger: ledgerFromRows(s.cspb_subscriptionid, rows) } : {}),
      ...(s.cspb_customerunitprice !== null ? { customerPrice: { currency: contract.cspb_currencycode, unitPrice: String(s.cspb_customerunitprice) } } : {}),
      ...(s.cspb_vendorunitcost !== null ? { vendorCost: { currency: s.cspb_currencycode, unitCost: String(s.cspb_vendorunitcost) } } : {}),
    });
  }
  const result = generateInvoices({ contract: contractFromRow(contract, start), subscriptions, period: p });
  let written = 0;
  for (const draft of result.drafts) {
    const existing = (await retrieveAll<CspbInvoiceRow>(client, 'cspb_invoices', { filter: `cspb_draftkey eq '${draft.draftKey.replace(/'/g, "''")}'` }))[0];
    if (existing && existing.cspb_invoicestatus !== InvoiceStatus.Draft) continue; // issued invoices never change
    const { id } = await client.upsert('cspb_invoices', { cspb_draftkey: draft.draftKey }, {
      cspb_name: `DRAFT ${formatIso(p.start)} ${contract.cspb_name}`.slice(0, 50),
      'cspb_ContractId@odata.bind': `/cspb_billingcontracts(${contract.cspb_billingcontractid})`,
      'cspb_CustomerId@odata.bind': `/accounts(${draft.customerId})`,
      'cspb_RunId@odata.bind': `/cspb_invoiceruns(${runId})`,
      cspb_invoicestatus: InvoiceStatus.Draft,
      cspb_kind: draft.kind === 'creditNote' ? Kind.CreditNote : Kind.Invoice,
      cspb_periodstart: formatIso(draft.period.start),
      cspb_periodend: formatIso(addDays(draft.period.end, -1)),
      cspb_invoicedate: formatIso(draft.invoiceDate),
      cspb_duedate: formatIso(draft.dueDate),
      cspb_currencycode: draft.currency,
      cspb_subtotal: money(draft.subtotal),
      cspb_taxtotal: money(draft.tax),
      cspb_total: money(draft.total),
      cspb_cost: money(draft.cost),
      cspb_margin: money(draft.margin),
    });
    const oldLines = await retrieveAll<CspbInvoiceLineRow>(client, 'cspb_invoicelines', { filter: `_cspb_invoiceid_value eq ${id}`, select: ['cspb_invoicelineid'] });
    for (const line of oldLines) await client.delete('cspb_invoicelines', line.cspb_invoicelineid);
    let n = 0;
    for (const line of draft.lines) {
      await client.create('cspb_invoicelines', {
        cspb_name: line.description.slice(0, 300),
        'cspb_InvoiceId@odata.bind': `/cspb_invoices(${id})`,
        ...(line.subscriptionId ? { 'cspb_SubscriptionId@odata.bind': `/cspb_subscriptions(${line.subscriptionId})` } : {}),
        cspb_linetype: LINE_TYPE[line.type],
        cspb_linenumber: ++n,
        cspb_periodstart: formatIso(line.servicePeriod.start),
        cspb_periodend: formatIso(addDays(line.servicePeriod.end, -1)),
        cspb_quantity: roundedToWebApi(line.quantity, 'cspb_quantity', 10),
        cspb_unitprice: money(line.unitPrice),
        cspb_amount: money(line.amount),
        cspb_cost: money(line.cost),
        cspb_margin: money(line.margin),
        cspb_currencycode: draft.currency,
        cspb_explanation: line.explanation.slice(0, 4000),
      });
    }
    written++;
  }
  return written;
}

const RUNS = 'cspb_invoiceruns';
const FINISHED: ReadonlySet<number> = new Set([RunStatus.Completed, RunStatus.Failed]);

/** The run's contracts in a fixed order: chunk n invoices contract n. */
async function contractsOf(client: DataverseClient, run: CspbInvoiceRunRow): Promise<CspbBillingContractRow[]> {
  if (run._cspb_contractid_value) return [await client.retrieve<CspbBillingContractRow>('cspb_billingcontracts', run._cspb_contractid_value)];
  const all = await retrieveAll<CspbBillingContractRow>(client, 'cspb_billingcontracts', { orderBy: ['cspb_billingcontractid'] });
  return all;
}

/** One chunk of an invoice run: the draft of one contract (upserted by its draft key, its lines replaced). */
async function invoiceChunk(context: JobContext, n: number, row: EntityRecord): Promise<ChunkOutcome> {
  const { client, id: runId } = context;
  const run = row as unknown as CspbInvoiceRunRow;
  const contracts = await contractsOf(client, run);
  const contract = contracts[n];
  const before = typeof run.cspb_invoicecount === 'number' ? run.cspb_invoicecount : 0;
  const count = n === 0 ? 0 : before;
  const written = contract ? await invoiceContract(client, runId, contract, run) : 0;
  const last = n + 1 >= contracts.length;
  const progress = `${Math.min(n + 1, contracts.length)} of ${contracts.length} contracts invoiced`;
  return {
    done: last,
    patch: { cspb_runstatus: last ? RunStatus.Completed : RunStatus.Running, cspb_error: null, cspb_invoicecount: count + written, cspb_jobprogress: progress },
  };
}

export const invoiceRunJob: Job = {
  kind: 'invoicerun',
  entitySet: RUNS,
  chunk: invoiceChunk,
  finished: (row) => FINISHED.has(row['cspb_runstatus'] as number),
  failed: (reason) => ({ cspb_runstatus: RunStatus.Failed, cspb_error: reason.slice(0, 10_000), cspb_jobprogress: 'Failed' }),
};
