import { addDays, billingPeriodAt, FixedRateTable, formatIso, generateInvoices, type CalendarDate, type Invoice, type UsageAggregate } from '../../../core/src';
import { CspbInvoiceInvoiceStatus as InvoiceStatus, CspbInvoiceKind as Kind } from '../../generated';
import type { EntityRecord } from '../client/types';
import { invoicingInputsFromRows, lineTypeToWebApi, type ReconRows } from '../mappers';
import { MONEY_PLACES, roundedToWebApi } from '../mappers/values';
import { clipTo } from './lengths';

/**
 * The one invoice run: the CLI (`npm run invoice`, a snapshot and bill files) and the Dynamics
 * invoice run (rows read through the Web API, usage from imported lines) both call this with the
 * rows they read, so the same org and month give the same drafts to the cent.
 */
export interface InvoiceRunResult {
  readonly invoices: Invoice[];
  /** Contracts that produced no draft, with the engine's reason. */
  readonly skipped: Array<{ contractId: string; reason: string }>;
}

export interface InvoiceRunInput {
  readonly rows: ReconRows;
  /** Imported usage of any period: the engine bills what falls in each contract's usage window. */
  readonly usage: readonly UsageAggregate[];
  /** Each contract is invoiced for its billing period that contains this date. */
  readonly at: CalendarDate;
  /** Only these contracts (all when absent). */
  readonly contractIds?: ReadonlySet<string>;
}

export function runInvoices(input: InvoiceRunInput): InvoiceRunResult {
  // Every amount of a contract is in its currency; a line in another one fails the contract
  // (exchange-rate tables are not configured yet), as the CLI always did.
  const rates = new FixedRateTable('same currency only', []);
  const invoices: Invoice[] = [];
  const skipped: InvoiceRunResult['skipped'] = [];
  for (const { contract, subscriptions } of invoicingInputsFromRows(input.rows, input.at)) {
    if (input.contractIds && !input.contractIds.has(contract.id)) continue;
    const period = billingPeriodAt(contract, input.at, subscriptions);
    const result = generateInvoices({ contract, subscriptions, usage: input.usage, rates, period });
    if (result.drafts.length === 0) skipped.push({ contractId: contract.id, reason: result.note ?? 'nothing to invoice' });
    invoices.push(...result.drafts);
  }
  return { invoices, skipped };
}

const money = (d: Invoice['total'] | undefined) => roundedToWebApi(d, 'money column', MONEY_PLACES);

/** A draft as its cspb_invoice row (without the run and contract bindings, which the caller adds). */
export function invoiceRow(draft: Invoice, contractName: string): EntityRecord {
  return {
    cspb_name: clipTo('cspb_invoice', 'cspb_name', `DRAFT ${formatIso(draft.period.start)} ${contractName}`),
    cspb_draftkey: draft.draftKey,
    'cspb_CustomerId@odata.bind': `/accounts(${draft.customerId})`,
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
  };
}

/** A draft's lines as cspb_invoiceline rows, numbered from 1 (without the invoice binding). */
export function invoiceLineRows(draft: Invoice): EntityRecord[] {
  return draft.lines.map((line, i) => ({
    cspb_name: clipTo('cspb_invoiceline', 'cspb_name', line.description),
    ...(line.subscriptionId ? { 'cspb_SubscriptionId@odata.bind': `/cspb_subscriptions(${line.subscriptionId})` } : {}),
    cspb_linetype: lineTypeToWebApi(line.type),
    cspb_linenumber: i + 1,
    cspb_periodstart: formatIso(line.servicePeriod.start),
    cspb_periodend: formatIso(addDays(line.servicePeriod.end, -1)),
    cspb_quantity: roundedToWebApi(line.quantity, 'cspb_quantity', 10),
    cspb_unitprice: money(line.unitPrice),
    cspb_amount: money(line.amount),
    cspb_cost: money(line.cost),
    cspb_margin: money(line.margin),
    cspb_currencycode: draft.currency,
    cspb_explanation: clipTo('cspb_invoiceline', 'cspb_explanation', line.explanation),
  }));
}
