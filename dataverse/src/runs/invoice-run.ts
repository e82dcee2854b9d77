import { addDays, billingPeriodAt, formatIso, generateInvoices, InvoicingError, type CalendarDate, type Invoice, type UsageAggregate } from '../../../core/src';
import { CspbInvoiceInvoiceStatus as InvoiceStatus, CspbInvoiceKindKeys } from '../../generated';
import { choiceMap } from '../mappers/choice';

const kinds = choiceMap(CspbInvoiceKindKeys, 'cspb_kind');
import type { EntityRecord } from '../client/types';
import { exchangeRatesFromRows, invoicingInputsFromRows, issuedInvoicesFromRows, lineTypeToWebApi, type IssuedInvoices, type ReconRows } from '../mappers';
import { MONEY_PLACES, roundedToWebApi } from '../mappers/values';
import { clipTo, maxLengthOf } from './lengths';

/**
 * The one invoice run: the CLI (`npm run invoice`, a snapshot and bill files) and the Dynamics
 * invoice run (rows read through the Web API, usage from imported lines) both call this with the
 * rows they read, so the same org and month give the same drafts to the cent.
 */
export interface InvoiceRunResult {
  readonly invoices: Invoice[];
  /** Contracts that produced no draft, with the engine's reason. */
  readonly skipped: Array<{ contractId: string; reason: string }>;
  /** What a contract's corrections left as issued, and why (the engine's warnings). */
  readonly warnings: Array<{ contractId: string; warning: string }>;
  /** The issued documents the drafts correct, and their rows: what a credit note's bindings point to. */
  readonly issued: IssuedInvoices;
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
  // The org's rates table: a cost or price in another currency than the contract's is converted at
  // the latest rate on or before the invoice's rate date; without one the contract fails, naming the pair.
  const rates = exchangeRatesFromRows(input.rows.cspb_exchangerate ?? []);
  const invoices: Invoice[] = [];
  const skipped: InvoiceRunResult['skipped'] = [];
  const warnings: InvoiceRunResult['warnings'] = [];
  // What was already sent: a period invoiced before gets corrections (a supplement, a credit note), never a second invoice.
  const issued = issuedInvoicesFromRows(input.rows.cspb_invoice ?? [], input.rows.cspb_invoiceline ?? []);
  for (const { contract, subscriptions, oneTimeCharges } of invoicingInputsFromRows(input.rows, input.at)) {
    if (input.contractIds && !input.contractIds.has(contract.id)) continue;
    const period = billingPeriodAt(contract, input.at, subscriptions);
    const mine = issued.issued.filter((i) => i.contractId === contract.id);
    const result = generateInvoices({ contract, subscriptions, usage: input.usage, oneTimeCharges, rates, period, issued: mine });
    if (result.drafts.length === 0) skipped.push({ contractId: contract.id, reason: result.note ?? 'nothing to invoice' });
    for (const warning of result.warnings ?? []) warnings.push({ contractId: contract.id, warning });
    invoices.push(...result.drafts);
  }
  return { invoices, skipped, warnings, issued };
}

const money = (d: Invoice['total'] | undefined) => roundedToWebApi(d, 'money column', MONEY_PLACES);

/** Where the issued rows a correction refers to are stored (see `InvoiceRunResult.issued`). */
export type IssuedRowIds = Pick<IssuedInvoices, 'invoiceRowIds' | 'lineRowIds'>;
const NONE: IssuedRowIds = { invoiceRowIds: new Map(), lineRowIds: new Map() };

/** The provisional name of a draft; issuing replaces it with the invoice number. */
function draftName(draft: Invoice, contractName: string): string {
  const what = draft.revision === 0 ? '' : draft.kind === 'creditNote' ? ` credit note ${draft.revision}` : ` supplement ${draft.revision}`;
  return `DRAFT ${formatIso(draft.period.start)}${what} ${contractName}`;
}

/** A draft as its cspb_invoice row (without the run and contract bindings, which the caller adds). */
export function invoiceRow(draft: Invoice, contractName: string, rows: IssuedRowIds = NONE): EntityRecord {
  // A correction names the period's first issued invoice as what it credits (or supplements).
  const corrected = (draft.correctsInvoiceKeys ?? []).map((key) => rows.invoiceRowIds.get(key)).find((id) => id !== undefined);
  return {
    cspb_name: clipTo('cspb_invoice', 'cspb_name', draftName(draft, contractName)),
    ...(corrected ? { 'cspb_CreditOfId@odata.bind': `/cspb_invoices(${corrected})` } : {}),
    cspb_draftkey: draft.draftKey,
    'cspb_CustomerId@odata.bind': `/accounts(${draft.customerId})`,
    cspb_invoicestatus: InvoiceStatus.Draft,
    cspb_kind: kinds.toWebApi(draft.kind),
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
export function invoiceLineRows(draft: Invoice, rows: IssuedRowIds = NONE): EntityRecord[] {
  return draft.lines.map((line, i) => {
    const corrects = line.correctsLineId ? rows.lineRowIds.get(line.correctsLineId) : undefined;
    const appliesTo = line.appliesToLineId?.slice(line.appliesToLineId.indexOf('#') + 1);
    return {
      cspb_name: clipTo('cspb_invoiceline', 'cspb_name', line.description),
      ...(line.subscriptionId ? { 'cspb_SubscriptionId@odata.bind': `/cspb_subscriptions(${line.subscriptionId})` } : {}),
      ...(corrects ? { 'cspb_CorrectsLineId@odata.bind': `/cspb_invoicelines(${corrects})` } : {}),
      cspb_linetype: lineTypeToWebApi(line.type),
      // Keys are the engine's ids; a key longer than its column would lose what corrections compare by.
      cspb_linekey: keyFits('cspb_linekey', line.key),
      cspb_appliestokey: appliesTo ? keyFits('cspb_appliestokey', appliesTo) : null,
      cspb_discountkey: line.discountId ? keyFits('cspb_discountkey', line.discountId) : null,
      cspb_taxable: line.taxable,
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
    };
  });
}

function keyFits(column: string, key: string): string {
  const max = maxLengthOf('cspb_invoiceline', column);
  if (key.length > max) throw new InvoicingError(`line key longer than ${column} (${max}): ${key}`, key);
  return key;
}
