/**
 * Pure logic of the subscription form: read the ledger rows (without prices: the form bundle
 * carries no decimal.js), find the NCE charge cycle, preview a seat change, ask the core policy.
 * Every function here is independent of Xrm; the form script only reads fields and shows results.
 */
import { addDays, formatIso, localDateOf, parseDate, type CalendarDate, type Period } from '../../../core/src/calendar';
import { SubscriptionLedger, type LedgerEntryKind } from '../../../core/src/ledger';
import { gridEnd, gridIndexContaining, gridStart, monthlyCycleDays, spanCycleDays } from '../../../core/src/nce/charge-dates';
import { checkCancellation, checkSeatDecrease } from '../../../core/src/nce/policy';
import type { BillingPlan } from '../../../core/src/nce/terms';
import {
  CspbSubscriptionChangeBillingPlanKeys,
  CspbSubscriptionChangeChangeTypeKeys,
  CspbSubscriptionChangeTermKeys,
} from '../../../dataverse/generated/cspb_subscriptionchange';
import { choiceMap } from '../../../dataverse/src/mappers/choice';
import { proratedCents } from './exact';

/** The ledger columns the form reads (no prices). */
export const LEDGER_COLUMNS = [
  'cspb_sequence',
  'cspb_changetype',
  'cspb_quantitybefore',
  'cspb_quantitydelta',
  'cspb_quantityafter',
  'cspb_effectivedate',
  'cspb_term',
  'cspb_billingplan',
  'cspb_referenceid',
  'cspb_productid',
] as const;

export interface LedgerRowLite {
  readonly cspb_sequence: number;
  readonly cspb_changetype: number;
  readonly cspb_quantitybefore: number;
  readonly cspb_quantitydelta: number;
  readonly cspb_quantityafter: number;
  readonly cspb_effectivedate: string;
  readonly cspb_term?: number | null;
  readonly cspb_billingplan?: number | null;
  readonly cspb_referenceid?: string | null;
  readonly cspb_productid?: string | null;
}

// The schema's one translation of the ledger's choices (generated; throws on a value it lacks).
const kinds = choiceMap(CspbSubscriptionChangeChangeTypeKeys, 'cspb_changetype');
const terms = choiceMap(CspbSubscriptionChangeTermKeys, 'cspb_term');
const plans = choiceMap(CspbSubscriptionChangeBillingPlanKeys, 'cspb_billingplan');

/**
 * Rebuilds the subscription's ledger from its rows in sequence order, through the core ledger
 * (which re-checks every invariant). Conversions are replayed as plain seat changes: the policy
 * and the cycle only need dates and quantities.
 */
export function ledgerFromRows(subscriptionId: string, rows: readonly LedgerRowLite[]): SubscriptionLedger {
  const ledger = new SubscriptionLedger(subscriptionId);
  for (const row of [...rows].sort((a, b) => a.cspb_sequence - b.cspb_sequence)) {
    const where = `ledger row ${row.cspb_sequence}`;
    const stored = kinds.fromWebApi(row.cspb_changetype, `${where}.cspb_changetype`);
    if (stored === undefined) throw new Error(`${where}: no change type`);
    const term = terms.fromWebApi(row.cspb_term, `${where}.cspb_term`);
    const billingPlan = plans.fromWebApi(row.cspb_billingplan, `${where}.cspb_billingplan`);
    // Without prices, a price change or a full conversion (no seat change) is nothing the form
    // needs; a partial conversion moves seats out, which the replay keeps as a removal.
    if (stored === 'price' || (stored === 'convert' && row.cspb_quantitydelta === 0)) continue;
    if ((stored === 'term' && term === undefined) || (stored === 'billingPlan' && billingPlan === undefined)) continue;
    const kind: LedgerEntryKind = stored === 'convert' ? 'remove' : stored;
    ledger.append({
      kind,
      effectiveDate: parseDate(row.cspb_effectivedate),
      referenceId: row.cspb_referenceid || `row-${row.cspb_sequence}`,
      quantityBefore: row.cspb_quantitybefore,
      quantityDelta: row.cspb_quantitydelta,
      ...(row.cspb_productid ? { productId: row.cspb_productid } : {}),
      ...(term !== undefined ? { term } : {}),
      ...(billingPlan !== undefined ? { billingPlan } : {}),
    });
  }
  return ledger;
}

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
  /** Prorated customer charge (negative: credit), half-up to cents; undefined without a price. */
  /** Prorated vendor cost (negative: refund) as Partner Center bills a seat change (ROUNDDOWN of the total). */
  readonly vendorCents?: bigint;
}

export function previewChange(input: {
  readonly cycle: ChargeCycle;
  readonly date: CalendarDate;
  readonly delta: number;
  readonly vendorUnitCost: number | null;
}): ChangePreview {
  const billedDays = input.cycle.endInclusive - input.date + 1;
  const { cycle, delta } = input;
  return {
    cycle,
    billedDays,
    delta,
    ...(input.vendorUnitCost !== null ? { vendorCents: proratedCents(input.vendorUnitCost, delta, billedDays, cycle.cycleDays, 'truncate') } : {}),
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
