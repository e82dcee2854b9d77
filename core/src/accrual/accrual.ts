/**
 * The coming Microsoft bill, from the ledger, before the invoice exists. For a billing month and a
 * day in it (the accrual date), the licence charges Microsoft's new-commerce arithmetic gives for
 * the month's order dates, from each subscription's ledger as it stands on that day: the changes
 * made so far, and what the calendar will bill whatever happens (cycle charges, renewals). A change
 * made after the accrual date is not known yet: when the invoice arrives, `closeAccrual` lists it as
 * what explains the difference, line by line.
 *
 * Azure plan usage is not in the ledger: the accrual covers licences, and says so.
 */
import { formatIso, type CalendarDate, type Period } from '../calendar';
import type { BillLine } from '../import/types';
import { SubscriptionLedger, type LedgerEntry } from '../ledger';
import { Decimal } from '../money';
import { expectedCharges, type ChargeLine } from '../nce/charges';
import type { ReconSubscription } from '../reconcile/model';

/** What a subscription is accrued for one charge type. */
export interface AccrualLine {
  readonly subscriptionId: string;
  readonly vendorSubscriptionId: string;
  readonly customerId?: string;
  readonly customerName?: string;
  readonly productName?: string;
  readonly chargeType: string;
  readonly currency: string;
  /** Billable quantity summed over the lines (a wipe counts negative). */
  readonly quantity: number;
  readonly amount: Decimal;
  /** Microsoft's lines behind it, as the bill will print them. */
  readonly charges: readonly ChargeLine[];
}

export interface Accrual {
  readonly period: Period;
  readonly asOf: CalendarDate;
  readonly lines: readonly AccrualLine[];
  /** Per currency: an accrual never adds amounts of two currencies. */
  readonly totals: Readonly<Record<string, Decimal>>;
  readonly notes: readonly string[];
}

const ZERO = new Decimal(0);
const keyOf = (vendorSubscriptionId: string, chargeType: string): string => `${vendorSubscriptionId.trim().toLowerCase()}|${chargeType.toLowerCase()}`;

/** The ledger as it stood at the end of `day`: the entries effective by then. */
function ledgerOn(ledger: SubscriptionLedger, day: CalendarDate): SubscriptionLedger | undefined {
  const known = ledger.entries.filter((e) => e.effectiveDate <= day);
  return known.length === 0 ? undefined : SubscriptionLedger.replay(ledger.subscriptionId, known);
}

export function accrueMicrosoftCharges(input: {
  readonly subscriptions: readonly ReconSubscription[];
  readonly period: Period;
  readonly asOf: CalendarDate;
  readonly vendor?: string;
}): Accrual {
  const { period, asOf } = input;
  if (asOf < period.start || asOf >= period.end)
    throw new RangeError(
      `the accrual date ${formatIso(asOf)} is not in the billing period ${formatIso(period.start)}..${formatIso((period.end - 1) as CalendarDate)}`,
    );
  const vendor = (input.vendor ?? 'Microsoft').toLowerCase();
  const byKey = new Map<string, { base: ReconSubscription; vendorId: string; chargeType: string; charges: ChargeLine[] }>();
  const byVendorId = new Map(input.subscriptions.filter((s) => s.vendorSubscriptionId).map((s) => [s.vendorSubscriptionId!.trim().toLowerCase(), s]));
  let usagePlans = 0;
  for (const s of input.subscriptions) {
    if (s.vendor.toLowerCase() !== vendor) continue;
    if (s.kind === 'usage') {
      if (s.status === 'active') usagePlans++;
      continue;
    }
    if (!s.ledger || !s.offer) continue;
    const known = ledgerOn(s.ledger, asOf);
    if (!known) continue;
    for (const c of expectedCharges(known, s.offer, { from: period.start, to: period.end })) {
      // A line belongs to the subscription it names (a partial conversion's target line).
      const owner = byVendorId.get(c.subscriptionId.trim().toLowerCase()) ?? s;
      const vendorId = owner.vendorSubscriptionId ?? c.subscriptionId;
      const key = keyOf(vendorId, c.chargeType);
      const entry = byKey.get(key) ?? { base: owner, vendorId, chargeType: c.chargeType, charges: [] };
      entry.charges.push(c);
      byKey.set(key, entry);
    }
  }
  const lines: AccrualLine[] = [...byKey.values()]
    .map((e) => ({
      subscriptionId: e.base.id,
      vendorSubscriptionId: e.vendorId,
      ...(e.base.customerId ? { customerId: e.base.customerId } : {}),
      ...(e.base.customerName ? { customerName: e.base.customerName } : {}),
      ...((e.charges[0]?.productName ?? e.base.offer?.productName) ? { productName: e.charges[0]?.productName ?? e.base.offer?.productName } : {}),
      chargeType: e.chargeType,
      currency: e.charges[0]!.currency,
      quantity: e.charges.reduce((n, c) => n + c.sign * c.billableQuantity, 0),
      amount: e.charges.reduce((sum, c) => sum.plus(c.subtotal), ZERO),
      charges: e.charges,
    }))
    .sort(
      (a, b) =>
        compareText(a.customerName ?? '', b.customerName ?? '') ||
        compareText(a.vendorSubscriptionId, b.vendorSubscriptionId) ||
        compareText(a.chargeType, b.chargeType),
    );
  const totals: Record<string, Decimal> = {};
  for (const l of lines) totals[l.currency] = (totals[l.currency] ?? ZERO).plus(l.amount);
  const notes =
    usagePlans > 0
      ? [`${usagePlans} Azure plan subscription(s) bill usage the ledger does not know: not in the accrual (an unbilled usage import shows it)`]
      : [];
  return { period, asOf, lines, totals, notes };
}

/** One line of the accrual closed against the invoice: what was accrued, billed, and why they differ. */
export interface AccrualClosing {
  readonly vendorSubscriptionId: string;
  readonly customerName?: string;
  readonly chargeType: string;
  readonly currency: string;
  readonly accrued: Decimal;
  readonly billed: Decimal;
  /** billed - accrued */
  readonly difference: Decimal;
  /** Ledger changes made after the accrual date, effective in the period (what the accrual could not know). */
  readonly laterChanges: readonly LedgerEntry[];
  readonly explanation: string;
}

export interface ClosedAccrual {
  readonly lines: readonly AccrualClosing[];
  /** Per currency. */
  readonly accrued: Readonly<Record<string, Decimal>>;
  readonly billed: Readonly<Record<string, Decimal>>;
  /** The part of billed - accrued the ledger's later changes explain (what the full ledger expects minus the accrual), per currency. */
  readonly explainedByLaterChanges: Readonly<Record<string, Decimal>>;
  /** billed - accrued - explainedByLaterChanges, per currency: for the reconciliation's findings to explain. */
  readonly unexplained: Readonly<Record<string, Decimal>>;
  /** Billed lines of Azure plan subscriptions (usage the ledger cannot accrue), left out of the closing, per currency. */
  readonly leftOut: Readonly<Record<string, Decimal>>;
}

/**
 * The accrual against the billed invoice's licence lines, per subscription and charge type. A
 * difference the ledger's later changes account for (the charges the whole ledger gives for the
 * period, minus the accrual) is explained by them, each change named; what is left is not explained
 * by the ledger and is the reconciliation's to explain (a price, a missing seat change).
 */
export function closeAccrual(accrual: Accrual, subscriptions: readonly ReconSubscription[], billed: readonly BillLine[]): ClosedAccrual {
  const full = accrueMicrosoftCharges({ subscriptions, period: accrual.period, asOf: (accrual.period.end - 1) as CalendarDate });
  const accruedBy = new Map(accrual.lines.map((l) => [keyOf(l.vendorSubscriptionId, l.chargeType), l]));
  const fullBy = new Map(full.lines.map((l) => [keyOf(l.vendorSubscriptionId, l.chargeType), l]));
  const billedBy = new Map<string, { amount: Decimal; currency: string; vendorId: string; chargeType: string; customerName?: string }>();
  const usagePlans = new Set(
    subscriptions.filter((s) => s.kind === 'usage' && s.vendorSubscriptionId).map((s) => s.vendorSubscriptionId!.trim().toLowerCase()),
  );
  const leftOut: Record<string, Decimal> = {};
  for (const b of billed) {
    // An Azure plan's charges are usage: not accrued from the ledger, so not closed against it.
    if (usagePlans.has(b.subscriptionId.trim().toLowerCase())) {
      leftOut[b.currency] = (leftOut[b.currency] ?? ZERO).plus(b.amount);
      continue;
    }
    const key = keyOf(b.subscriptionId, b.chargeType);
    const e = billedBy.get(key) ?? {
      amount: ZERO,
      currency: b.currency,
      vendorId: b.subscriptionId,
      chargeType: b.chargeType,
      ...(b.customerName ? { customerName: b.customerName } : {}),
    };
    e.amount = e.amount.plus(b.amount);
    billedBy.set(key, e);
  }
  const byVendorId = new Map(subscriptions.filter((s) => s.vendorSubscriptionId).map((s) => [s.vendorSubscriptionId!.trim().toLowerCase(), s]));
  const lines: AccrualClosing[] = [];
  const add = (m: Record<string, Decimal>, c: string, v: Decimal) => (m[c] = (m[c] ?? ZERO).plus(v));
  const accruedTotals: Record<string, Decimal> = {};
  const billedTotals: Record<string, Decimal> = {};
  const explained: Record<string, Decimal> = {};
  for (const key of new Set([...accruedBy.keys(), ...fullBy.keys(), ...billedBy.keys()])) {
    const a = accruedBy.get(key);
    const f = fullBy.get(key);
    const b = billedBy.get(key);
    const currency = a?.currency ?? f?.currency ?? b!.currency;
    const vendorId = a?.vendorSubscriptionId ?? f?.vendorSubscriptionId ?? b!.vendorId;
    const chargeType = a?.chargeType ?? f?.chargeType ?? b!.chargeType;
    const accrued = a?.amount ?? ZERO;
    const billedAmount = b?.amount ?? ZERO;
    const expectedNow = f?.amount ?? ZERO;
    add(accruedTotals, currency, accrued);
    add(billedTotals, currency, billedAmount);
    const byLater = expectedNow.minus(accrued);
    add(explained, currency, byLater);
    const difference = billedAmount.minus(accrued);
    if (difference.isZero() && byLater.isZero()) continue;
    const s = byVendorId.get(vendorId.trim().toLowerCase());
    const laterChanges = s?.ledger ? s.ledger.entries.filter((e) => e.effectiveDate > accrual.asOf && e.effectiveDate < accrual.period.end) : [];
    const changes = laterChanges.map((e) => `${e.kind} ${e.quantityDelta >= 0 ? '+' : ''}${e.quantityDelta} on ${formatIso(e.effectiveDate)}`).join(', ');
    const rest = billedAmount.minus(expectedNow);
    const parts: string[] = [];
    if (!byLater.isZero()) parts.push(`${signed(byLater)} from ledger changes after ${formatIso(accrual.asOf)} (${changes || 'the calendar'})`);
    if (!rest.isZero()) parts.push(`${signed(rest)} the ledger does not explain: see the reconciliation's findings on ${vendorId}`);
    lines.push({
      vendorSubscriptionId: vendorId,
      ...((a?.customerName ?? f?.customerName ?? b?.customerName) ? { customerName: a?.customerName ?? f?.customerName ?? b?.customerName } : {}),
      chargeType,
      currency,
      accrued,
      billed: billedAmount,
      difference,
      laterChanges,
      explanation: `accrued ${accrued.toFixed(2)}, billed ${billedAmount.toFixed(2)}: ${parts.join('; ')}`,
    });
  }
  lines.sort(
    (x, y) =>
      y.difference.abs().comparedTo(x.difference.abs()) ||
      compareText(x.vendorSubscriptionId, y.vendorSubscriptionId) ||
      compareText(x.chargeType, y.chargeType),
  );
  const unexplained: Record<string, Decimal> = {};
  for (const c of new Set([...Object.keys(accruedTotals), ...Object.keys(billedTotals)]))
    unexplained[c] = (billedTotals[c] ?? ZERO).minus(accruedTotals[c] ?? ZERO).minus(explained[c] ?? ZERO);
  return { lines, accrued: accruedTotals, billed: billedTotals, explainedByLaterChanges: explained, unexplained, leftOut };
}

const signed = (d: Decimal): string => `${d.isNegative() ? '' : '+'}${d.toFixed(2)}`;
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
