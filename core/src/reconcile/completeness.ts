/**
 * Is the bill whole before it is reconciled? A reconciliation of half an invoice reports the other
 * half as "not billed" and finance chases charges that were billed after all. Two checks:
 *
 * 1. The invoice's total (Partner Center's Invoice resource `totalCharges`, "the total charges,
 *    includes charges for transactions and any adjustments", or a total typed in from the PDF)
 *    against the sum of the imported lines of that invoice number: with tax (each line's Total, or
 *    Subtotal + TaxTotal) when the lines carry their tax, else before tax (and said so).
 * 2. The Azure plan charges of the invoice reconciliation file against the daily rated usage of the
 *    same subscriptions (the usage file details what the invoice charges), per subscription, before tax.
 *
 * Each difference beyond the tolerance is listed with both sums, largest first; any blocks the run.
 */
import { Decimal } from '../money';
import type { BillLine, UsageAggregate } from '../import/types';

export interface InvoiceTotal {
  readonly invoiceId: string;
  readonly total: Decimal;
  readonly currency?: string;
  /** Where the total came from ("Partner Center invoice JSON inv.json", "typed in"). */
  readonly source: string;
}

export interface CompletenessInput {
  readonly lines: readonly BillLine[];
  readonly usage: readonly UsageAggregate[];
  readonly invoiceTotals: readonly InvoiceTotal[];
  /** Largest difference accepted, per check (default 0.01: Microsoft rounds each line to the cent). */
  readonly tolerance?: Decimal;
}

export interface CompletenessDifference {
  readonly check: 'invoice-total' | 'azure-usage';
  /** The invoice number, or the Azure plan subscription. */
  readonly subject: string;
  /** What the other side says: the invoice total, or the licence file's Azure charges. */
  readonly expected: Decimal;
  /** What the imported lines sum to. */
  readonly found: Decimal;
  /** found - expected */
  readonly difference: Decimal;
  readonly explanation: string;
}

export interface CompletenessReport {
  readonly ok: boolean;
  /** Beyond the tolerance, the largest |difference| first. */
  readonly differences: readonly CompletenessDifference[];
  /** What was checked and found whole, in words. */
  readonly passed: readonly string[];
  /** What could not be checked, and why. */
  readonly notes: readonly string[];
}

const ZERO = new Decimal(0);
const DEFAULT_TOLERANCE = new Decimal('0.01');

export function checkCompleteness(input: CompletenessInput): CompletenessReport {
  const tolerance = input.tolerance ?? DEFAULT_TOLERANCE;
  const differences: CompletenessDifference[] = [];
  const passed: string[] = [];
  const notes: string[] = [];

  for (const invoice of input.invoiceTotals) {
    const id = invoice.invoiceId.trim().toUpperCase();
    const lines = input.lines.filter((l) => (l.invoiceNumber ?? '').trim().toUpperCase() === id);
    const withTax = lines.length > 0 && lines.every((l) => l.total !== undefined || l.tax !== undefined);
    const found = lines.reduce((sum, l) => sum.plus(withTax ? (l.total ?? l.amount.plus(l.tax ?? ZERO)) : l.amount), ZERO);
    const currencies = [...new Set(lines.map((l) => l.currency))];
    if (invoice.currency && currencies.length > 0 && (currencies.length > 1 || currencies[0] !== invoice.currency.toUpperCase())) {
      notes.push(`invoice ${invoice.invoiceId} is in ${invoice.currency}, its lines in ${currencies.join(', ')}: the total was not compared`);
      continue;
    }
    const basis = withTax ? 'with tax' : 'before tax (the lines carry no tax)';
    const difference = found.minus(invoice.total);
    const what = `invoice ${invoice.invoiceId}: total ${invoice.total.toFixed(2)} (${invoice.source}), its ${lines.length} imported line${lines.length === 1 ? '' : 's'} sum to ${found.toFixed(2)} ${basis}`;
    if (difference.abs().gt(tolerance))
      differences.push({
        check: 'invoice-total',
        subject: invoice.invoiceId,
        expected: invoice.total,
        found,
        difference,
        explanation: `${what}: ${difference.isNegative() ? `${difference.negated().toFixed(2)} of the invoice is not imported (a file missing, rows refused, or an import of another invoice)` : `${difference.toFixed(2)} more than the invoice (a file imported twice, or lines of another invoice)`}`,
      });
    else passed.push(what);
  }

  // Azure plan charges: licence-file lines on subscriptions whose daily usage is imported too.
  const usageBySubscription = new Map<string, Decimal>();
  // Legacy daily usage carries quantities without prices (its amounts are 0): nothing to compare.
  const unpriced = input.usage.filter((u) => u.format === 'legacy-daily-usage');
  if (unpriced.length > 0) notes.push(`${unpriced.length} legacy daily usage aggregate(s) carry no prices: not compared with the invoice file`);
  for (const u of input.usage) {
    if (u.format === 'legacy-daily-usage') continue;
    const key = u.subscriptionId.trim().toLowerCase();
    usageBySubscription.set(key, (usageBySubscription.get(key) ?? ZERO).plus(u.amount));
  }
  const chargedBySubscription = new Map<string, Decimal>();
  for (const l of input.lines) {
    const key = l.subscriptionId.trim().toLowerCase();
    if (usageBySubscription.has(key)) chargedBySubscription.set(key, (chargedBySubscription.get(key) ?? ZERO).plus(l.amount));
  }
  if (usageBySubscription.size > 0 && chargedBySubscription.size === 0) {
    notes.push(
      `the invoice reconciliation file carries no charge on the ${usageBySubscription.size} Azure plan subscription(s) of the daily usage file: the usage totals were not compared with it`,
    );
  } else {
    for (const [subscription, usage] of usageBySubscription) {
      const charged = chargedBySubscription.get(subscription) ?? ZERO;
      const difference = usage.minus(charged);
      const what = `Azure plan ${subscription}: the invoice reconciliation file charges ${charged.toFixed(2)}, its daily usage sums to ${usage.toFixed(2)} (before tax)`;
      if (difference.abs().gt(tolerance))
        differences.push({ check: 'azure-usage', subject: subscription, expected: charged, found: usage, difference, explanation: what });
      else passed.push(what);
    }
  }

  differences.sort((a, b) => b.difference.abs().comparedTo(a.difference.abs()) || (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
  return { ok: differences.length === 0, differences, passed, notes };
}
