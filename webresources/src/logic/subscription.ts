/**
 * Pure logic of the subscription form: find the NCE charge cycle, preview Microsoft's charge for a
 * seat change, ask the core policy. (The ledger itself is replayed by the one ledger mapper, in the
 * form's invoice-preview library.)
 * Every function here is independent of Xrm; the form script only reads fields and shows results.
 */
import { addDays, formatIso, localDateOf, type CalendarDate, type Period } from '../../../core/src/calendar';
import { SubscriptionLedger } from '../../../core/src/ledger';
import { gridEnd, gridIndexContaining, gridStart, monthlyCycleDays, spanCycleDays } from '../../../core/src/nce/charge-dates';
import { checkCancellation, checkSeatDecrease } from '../../../core/src/nce/policy';
import type { BillingPlan } from '../../../core/src/nce/terms';
import { prorated } from './exact';

/** A Date from a date-only form field (local midnight) as a calendar date, and today likewise. */
export const calendarDateOf = localDateOf;

export interface ChargeCycle {
  readonly start: CalendarDate;
  readonly endInclusive: CalendarDate;
  /** Days Microsoft divides by: days of the starting month (monthly) or of the whole cycle (annual). */
  readonly cycleDays: number;
}

/** The NCE charge cycle containing `date`, on the grid of the purchase date. */
export function chargeCycleAt(purchase: CalendarDate, plan: BillingPlan, date: CalendarDate): ChargeCycle {
  const months = plan === 'monthly' ? 1 : plan === 'annual' ? 12 : 36;
  const k = Math.floor(gridIndexContaining(purchase, date < purchase ? purchase : date) / months) * months;
  const start = gridStart(purchase, k);
  const endInclusive = gridEnd(purchase, k + months);
  return { start, endInclusive, cycleDays: months === 1 ? monthlyCycleDays(start) : spanCycleDays(start, endInclusive) };
}

export interface ChangePreview {
  readonly cycle: ChargeCycle;
  /** Days billed: the effective date through the cycle end, inclusive. */
  readonly billedDays: number;
  readonly delta: number;
  /**
   * Prorated vendor cost (negative: refund) as Partner Center bills a seat change (ROUNDDOWN of the
   * total), in minor units of the currency (`places` decimals); undefined without a cost.
   */
  readonly vendorUnits?: bigint;
}

export function previewChange(input: {
  readonly cycle: ChargeCycle;
  readonly date: CalendarDate;
  readonly delta: number;
  readonly vendorUnitCost: number | null;
  /** Decimals of the currency's minor unit (2 by default; JPY 0). */
  readonly places?: number;
}): ChangePreview {
  const billedDays = input.cycle.endInclusive - input.date + 1;
  const { cycle, delta } = input;
  return {
    cycle,
    billedDays,
    delta,
    ...(input.vendorUnitCost !== null
      ? { vendorUnits: prorated(input.vendorUnitCost, delta, billedDays, cycle.cycleDays, 'truncate', input.places ?? 2) }
      : {}),
  };
}

export interface PolicyVerdict {
  readonly allowed: boolean;
  readonly action: 'cancel' | 'decreaseSeats';
  /** First day Microsoft refuses (the window is [opened, closes)). */
  readonly windowClosesOn?: CalendarDate;
  readonly maxDecrease?: number;
}

/** What Microsoft does with a decrease to `after` seats on `date` (increases are never refused). */
export function policyFor(ledger: SubscriptionLedger, date: CalendarDate, before: number, after: number): PolicyVerdict | null {
  if (after >= before) return null;
  const answer = after === 0 ? checkCancellation(ledger, date) : checkSeatDecrease(ledger, date, before - after);
  return {
    allowed: answer.allowed,
    action: answer.action === 'cancel' ? 'cancel' : 'decreaseSeats',
    ...(answer.windowClosesOn !== undefined ? { windowClosesOn: answer.windowClosesOn } : {}),
    ...(answer.maxDecrease !== undefined ? { maxDecrease: answer.maxDecrease } : {}),
  };
}

export interface CycleSummary {
  readonly period: Period;
  readonly beginQuantity: number;
  readonly changes: ReadonlyArray<{ readonly date: CalendarDate; readonly delta: number }>;
  readonly endQuantity: number;
}

/** Begin quantity, seat changes and end quantity of the ledger over one cycle. */
export function cycleSummary(ledger: SubscriptionLedger, cycle: ChargeCycle): CycleSummary {
  const changes = ledger.entries
    .filter((e) => e.effectiveDate >= cycle.start && e.effectiveDate <= cycle.endInclusive && e.quantityDelta !== 0)
    .map((e) => ({ date: e.effectiveDate, delta: e.quantityDelta }));
  return {
    period: { start: cycle.start, end: addDays(cycle.endInclusive, 1) },
    beginQuantity: ledger.quantityAt(addDays(cycle.start, -1)),
    changes,
    endQuantity: ledger.quantityAt(cycle.endInclusive),
  };
}

export { formatIso };
