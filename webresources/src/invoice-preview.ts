/**
 * What a pending seat change adds to the customer's invoice, computed by the invoicing engine
 * itself (`generateInvoices`, fed by the same row mapper as the invoice run), so the subscription
 * form shows what the invoice will say: the contract's billing period, proration and rounding
 * policies, price and discounts. A form library of its own (`Cspb.InvoicePreview`): it carries
 * decimal.js, the mappers and the engine, too large for the form script's budget; the form script
 * also reads its ledger through it.
 */
import {
  billingPeriodAt,
  formatIso,
  generateInvoices,
  minorUnits,
  parseDate,
  SubscriptionLedger,
  type CalendarDate,
  type LedgerEntryInput,
} from '../../core/src';
import type { CspbBillingContractRow, CspbOfferRow, CspbSubscriptionChangeRow, CspbSubscriptionRow } from '../../dataverse/generated';
import { invoicingInputsFromRows } from '../../dataverse/src/mappers/invoicing-input';
import { ledgerFromRows } from '../../dataverse/src/mappers/ledger';

/**
 * The subscription's ledger from its rows, by the one ledger mapper (prices, conversions and all):
 * the form script reads the ledger through this library rather than a copy of its own.
 */
export function ledgerOfRows(subscriptionId: string, rows: readonly CspbSubscriptionChangeRow[]): SubscriptionLedger {
  return ledgerFromRows(subscriptionId, rows);
}

export interface InvoicePreviewInput {
  readonly contract: CspbBillingContractRow;
  readonly subscription: CspbSubscriptionRow;
  readonly offer: CspbOfferRow;
  readonly ledger: readonly CspbSubscriptionChangeRow[];
  /** The change the form holds: the quantity after it and the day it takes effect (YYYY-MM-DD). */
  readonly change: { readonly quantityAfter: number; readonly effectiveDate: string };
}

export interface InvoicePreview {
  /** The contract's billing period the change falls in, inclusive dates. */
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly currency: string;
  /** The invoice lines the change adds (prorated adjustments and the discounts on them), as the engine words them. */
  readonly lines: ReadonlyArray<{ readonly description: string; readonly amount: string; readonly explanation: string }>;
  /** Their sum, at the currency's minor units. */
  readonly total: string;
}

export function previewInvoiceChange(input: InvoicePreviewInput): InvoicePreview | null {
  const date = parseDate(input.change.effectiveDate);
  const rows = {
    account: [],
    cspb_offer: [input.offer],
    cspb_billingcontract: [input.contract],
    cspb_subscription: [input.subscription],
    cspb_subscriptionchange: [...input.ledger],
  };
  const [mapped] = invoicingInputsFromRows(rows, date);
  const subscription = mapped?.subscriptions[0];
  const ledger = subscription?.ledger;
  if (!mapped || !subscription || !ledger) return null;
  const before = ledger.stateAt(date).quantity;
  const delta = input.change.quantityAfter - before;
  if (delta === 0) return null;
  const pending: LedgerEntryInput = {
    kind: input.change.quantityAfter === 0 ? 'cancel' : delta > 0 ? 'add' : 'remove',
    effectiveDate: date,
    referenceId: 'form-preview',
    quantityAfter: input.change.quantityAfter,
    source: 'form',
  };
  // A copy: the preview never changes what was read.
  const changed = SubscriptionLedger.replay(ledger.subscriptionId, ledger.entries);
  changed.append(pending);
  const withChange = { ...subscription, ledger: changed };
  const period = billingPeriodAt(mapped.contract, date, [withChange]);
  const draftOf = (sub: typeof subscription) => generateInvoices({ contract: mapped.contract, subscriptions: [sub], period, oneTimeCharges: [] }).drafts[0];
  const draft = draftOf(withChange);
  const without = draftOf(subscription);
  if (!draft || !without) return null;
  // What the change adds: the period's invoice before tax with it, less without it (the engine nets
  // one day's changes into one line, so a second change that day shows in that line's words).
  const total = draft.subtotal.minus(without.subtotal);
  const prefix = `${subscription.id}|adj|${formatIso(date)}|`;
  const lines = draft.lines.filter((l) => l.key.startsWith(prefix) && l.type !== 'tax');
  return {
    periodStart: formatIso(period.start),
    periodEnd: formatIso((period.end - 1) as CalendarDate),
    currency: draft.currency,
    lines: lines.map((l) => ({ description: l.description, amount: l.amount.toFixed(minorUnits(draft.currency)), explanation: l.explanation })),
    total: total.toFixed(minorUnits(draft.currency)),
  };
}
