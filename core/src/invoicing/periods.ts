import { addDays, CalendarDate, dateOf, daysInMonth, formatIso, Period, toYmd } from '../calendar';
import { gridStart } from '../nce/charge-dates';
import { PLAN_MONTHS } from '../nce/terms';
import type { BillingAnchor, BillingContract, BillingFrequency, InvoiceSubscription, PaymentTerms } from './model';
import { InvoicingError } from './model';

/** Months in one billing period; `oneTime` has a single period spanning the contract. */
export const FREQUENCY_MONTHS: Readonly<Record<Exclude<BillingFrequency, 'oneTime'>, number>> = {
  monthly: 1,
  quarterly: 3,
  annual: 12,
  triennial: 36,
};

/** Months in a period of the contract, or null for `oneTime` (prices then apply once per contract). */
export function periodMonths(frequency: BillingFrequency): number | null {
  return frequency === 'oneTime' ? null : FREQUENCY_MONTHS[frequency];
}

function monthIndex(date: CalendarDate): number {
  const { year, month } = toYmd(date);
  return year * 12 + (month - 1);
}

/** Day `day` of the month with index idx, clamped to the month's last day. */
function dayOfMonthIndex(idx: number, day: number): CalendarDate {
  const y = Math.floor(idx / 12);
  const m = (idx % 12) + 1;
  return dateOf(y, m, Math.min(day, daysInMonth(y, m)));
}

/** The anchor date of a coterm contract: given, or the purchase date of the named subscription. */
export function cotermAnchor(anchor: BillingAnchor, subscriptions: readonly InvoiceSubscription[] = []): CalendarDate | undefined {
  if (anchor.kind !== 'coterm') return undefined;
  if (anchor.anchorDate !== undefined) return anchor.anchorDate;
  const sub = subscriptions.find((s) => s.id === anchor.subscriptionId);
  return sub?.ledger?.entries[0]?.effectiveDate;
}

/**
 * Start of the k-th period boundary counted from `base` (k may be negative):
 * calendar month -> the 1st; billing day -> that day clamped; coterm -> Microsoft's grid
 * (the anchor day kept, bought on the 31st -> 30th of short months, see nce/charge-dates.ts).
 */
function boundary(anchor: BillingAnchor, baseIdx: number, cotermDate: CalendarDate | undefined, months: number, k: number): CalendarDate {
  switch (anchor.kind) {
    case 'calendarMonth':
      return dayOfMonthIndex(baseIdx + k * months, 1);
    case 'billingDay':
      return dayOfMonthIndex(baseIdx + k * months, anchor.day);
    case 'coterm':
      if (k >= 0) return gridStart(cotermDate as CalendarDate, k * months);
      throw new InvoicingError('a coterm contract has no period before its anchor', { anchor: formatIso(cotermDate as CalendarDate), k });
  }
}

/**
 * The contract's billing period containing `date`: [start, end). Periods are counted in whole
 * periods of the frequency from the anchor at or before the contract start, so quarterly and
 * annual periods keep their phase (a quarterly contract from March bills Mar-May, Jun-Aug, ...).
 */
export function billingPeriodAt(contract: BillingContract, date: CalendarDate, subscriptions: readonly InvoiceSubscription[] = []): Period {
  const months = periodMonths(contract.frequency);
  if (months === null) {
    if (contract.endDate === undefined) throw new InvoicingError('a one-time contract needs an end date', contract.id);
    return { start: contract.startDate, end: contract.endDate };
  }
  const anchor = contract.anchor;
  if (anchor.kind === 'billingDay' && (!Number.isInteger(anchor.day) || anchor.day < 1 || anchor.day > 31)) {
    throw new InvoicingError(`billing day must be 1..31, got ${anchor.day}`, anchor);
  }
  const cotermDate = cotermAnchor(anchor, subscriptions);
  if (anchor.kind === 'coterm' && cotermDate === undefined) {
    throw new InvoicingError('a coterm contract needs an anchor date or a subscription with a ledger', anchor);
  }
  // Base: the month index of the first boundary at or before the contract start.
  let baseIdx = monthIndex(contract.startDate);
  if (anchor.kind === 'billingDay' && dayOfMonthIndex(baseIdx, anchor.day) > contract.startDate) baseIdx -= 1;
  if (anchor.kind === 'coterm' && date < (cotermDate as CalendarDate)) {
    throw new InvoicingError(`date ${formatIso(date)} precedes the coterm anchor ${formatIso(cotermDate as CalendarDate)}`, formatIso(date));
  }
  const base = anchor.kind === 'coterm' ? (cotermDate as CalendarDate) : boundary(anchor, baseIdx, cotermDate, months, 0);
  // Estimate k from month distance, then correct.
  let k = Math.floor((monthIndex(date) - monthIndex(base)) / months);
  if (anchor.kind === 'coterm' && k < 0) k = 0;
  while (boundary(anchor, baseIdx, cotermDate, months, k) > date) k--;
  while (boundary(anchor, baseIdx, cotermDate, months, k + 1) <= date) k++;
  return { start: boundary(anchor, baseIdx, cotermDate, months, k), end: boundary(anchor, baseIdx, cotermDate, months, k + 1) };
}

/** The billing periods that start in [from, to), in order. */
export function billingPeriods(contract: BillingContract, window: Period, subscriptions: readonly InvoiceSubscription[] = []): Period[] {
  const out: Period[] = [];
  let p = billingPeriodAt(contract, window.start, subscriptions);
  if (p.start < window.start) p = billingPeriodAt(contract, p.end, subscriptions);
  while (p.start < window.end) {
    out.push(p);
    if (contract.frequency === 'oneTime') break;
    p = billingPeriodAt(contract, p.end, subscriptions);
  }
  return out;
}

/** The period before `p` (for in-advance invoices, usage of the previous period is billed in arrears). */
export function previousBillingPeriod(contract: BillingContract, p: Period, subscriptions: readonly InvoiceSubscription[] = []): Period | null {
  if (contract.frequency === 'oneTime') return null;
  const day = addDays(p.start, -1);
  if (day < contract.startDate) return null;
  try {
    return billingPeriodAt(contract, day, subscriptions);
  } catch {
    return null;
  }
}

/** Due date: invoice date + N days, or day N of the month after the invoice date (clamped). */
export function dueDate(terms: PaymentTerms, invoiceDate: CalendarDate): CalendarDate {
  if (terms.kind === 'net') {
    if (!Number.isSafeInteger(terms.days) || terms.days < 0) throw new InvoicingError(`net days must be a whole number >= 0, got ${terms.days}`, terms);
    return addDays(invoiceDate, terms.days);
  }
  if (!Number.isInteger(terms.day) || terms.day < 1 || terms.day > 31) throw new InvoicingError(`due day must be 1..31, got ${terms.day}`, terms);
  return dayOfMonthIndex(monthIndex(invoiceDate) + 1, terms.day);
}

/** Months of a ledger billing plan (vendor price interval), 1 when unknown. */
export function planMonths(plan: string | undefined): number {
  return plan !== undefined && plan in PLAN_MONTHS ? PLAN_MONTHS[plan as keyof typeof PLAN_MONTHS] : 1;
}
