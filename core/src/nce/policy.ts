import { addDays, CalendarDate, formatIso } from '../calendar';
import { LedgerEntry, SubscriptionLedger } from '../ledger';
import { gridStart } from './charge-dates';
import { Term, TERM_MONTHS } from './terms';

/**
 * Microsoft lets partners cancel a new-commerce subscription, or reduce its seats, only within
 * 7 days (168 hours) of its purchase, its renewal, or the addition of those seats; increases are
 * allowed at any time. Partner Center counts 168 hours from the event's time of day; the ledger
 * holds dates only, so the window here is the event day plus the following 6 days and closes at
 * the start of day 7. That is conservative: it never promises a refund Microsoft would refuse.
 */
export const NCE_ADJUSTMENT_WINDOW_DAYS = 7;

export type PolicyAction = 'cancel' | 'decreaseSeats' | 'increaseSeats';

export interface PolicyAnswer {
  readonly action: PolicyAction;
  readonly allowed: boolean;
  /** Why, in words a form can show. */
  readonly reason: string;
  /** The event that opened the relevant window (purchase, renewal or seat addition). */
  readonly windowOpenedOn?: CalendarDate;
  /** First day the action is refused: the window is [windowOpenedOn, windowClosesOn). */
  readonly windowClosesOn?: CalendarDate;
  /** For seat decreases: how many seats can still be removed on that date. */
  readonly maxDecrease?: number;
}

export interface PolicyOptions {
  /** Term used to find automatic renewals; defaults to the term the ledger records. */
  readonly term?: Term;
}

interface Opening {
  readonly date: CalendarDate;
  readonly seats: number;
  readonly what: 'purchase' | 'renewal' | 'addition';
}

/** Purchases, renewals (recorded or automatic on the term grid) and additions up to a date. */
function openingsUpTo(ledger: SubscriptionLedger, date: CalendarDate, options: PolicyOptions): Opening[] {
  const out: Opening[] = [];
  const entries = ledger.entries.filter((e) => e.effectiveDate <= date);
  const first = entries[0];
  if (!first) return out;
  const explicitRenewals = new Set<number>();
  for (const e of entries) {
    if (e.kind === 'new') out.push({ date: e.effectiveDate, seats: e.quantityAfter, what: 'purchase' });
    else if (e.kind === 'renew') {
      out.push({ date: e.effectiveDate, seats: e.quantityAfter, what: 'renewal' });
      explicitRenewals.add(e.effectiveDate);
    } else if (e.kind === 'add') out.push({ date: e.effectiveDate, seats: e.quantityDelta, what: 'addition' });
  }
  const term = options.term ?? ledger.stateAt(date).term;
  if (term !== undefined) {
    const months = TERM_MONTHS[term];
    for (let k = 1; ; k++) {
      const renewal = gridStart(first.effectiveDate, k * months);
      if (renewal > date) break;
      if (!explicitRenewals.has(renewal)) out.push({ date: renewal, seats: ledger.quantityAt(addDays(renewal, -1)), what: 'renewal' });
    }
  }
  return out.sort((a, b) => a.date - b.date);
}

function closes(opening: CalendarDate): CalendarDate {
  return addDays(opening, NCE_ADJUSTMENT_WINDOW_DAYS);
}

/** May the subscription be cancelled (with a prorated refund) on this date? */
export function checkCancellation(ledger: SubscriptionLedger, date: CalendarDate, options: PolicyOptions = {}): PolicyAnswer {
  const state = ledger.stateAt(date);
  if (state.status === 'none') return { action: 'cancel', allowed: false, reason: `the subscription does not exist on ${formatIso(date)}` };
  if (state.status === 'cancelled') return { action: 'cancel', allowed: false, reason: 'the subscription is already cancelled' };
  const last = openingsUpTo(ledger, date, options)
    .filter((o) => o.what !== 'addition')
    .pop();
  if (!last) return { action: 'cancel', allowed: false, reason: 'no purchase found' };
  const closesOn = closes(last.date);
  const allowed = date < closesOn;
  return {
    action: 'cancel',
    allowed,
    reason: allowed
      ? `within ${NCE_ADJUSTMENT_WINDOW_DAYS} days of the ${last.what} on ${formatIso(last.date)}; the window closes on ${formatIso(closesOn)}`
      : `the ${NCE_ADJUSTMENT_WINDOW_DAYS}-day cancellation window after the ${last.what} on ${formatIso(last.date)} closed on ${formatIso(closesOn)}`,
    windowOpenedOn: last.date,
    windowClosesOn: closesOn,
  };
}

/**
 * May `seats` seats be removed on this date? Only seats bought, renewed or added within the
 * window can go, less any already removed since those openings.
 */
export function checkSeatDecrease(ledger: SubscriptionLedger, date: CalendarDate, seats: number, options: PolicyOptions = {}): PolicyAnswer {
  const state = ledger.stateAt(date);
  if (state.status !== 'active') {
    return {
      action: 'decreaseSeats',
      allowed: false,
      reason: `the subscription is ${state.status === 'none' ? 'not yet bought' : state.status}`,
      maxDecrease: 0,
    };
  }
  const openings = openingsUpTo(ledger, date, options);
  const open = openings.filter((o) => closes(o.date) > date);
  let eligible = 0;
  if (open.length > 0) {
    const firstOpen = (open[0] as Opening).date;
    eligible = open.reduce((sum, o) => sum + o.seats, 0);
    const removedSince = ledger.entries
      .filter((e: LedgerEntry) => e.effectiveDate >= firstOpen && e.effectiveDate <= date && e.kind === 'remove')
      .reduce((sum, e) => sum - e.quantityDelta, 0);
    eligible = Math.max(0, Math.min(state.quantity, eligible - removedSince));
  }
  const latest = openings[openings.length - 1];
  const windowFields = latest ? { windowOpenedOn: latest.date, windowClosesOn: closes(latest.date) } : {};
  if (!Number.isSafeInteger(seats) || seats <= 0) {
    return {
      action: 'decreaseSeats',
      allowed: false,
      reason: `seats to remove must be a positive integer, got ${seats}`,
      maxDecrease: eligible,
      ...windowFields,
    };
  }
  if (seats <= eligible) {
    return {
      action: 'decreaseSeats',
      allowed: true,
      reason: `${eligible} seat(s) were bought, renewed or added within the last ${NCE_ADJUSTMENT_WINDOW_DAYS} days`,
      maxDecrease: eligible,
      ...windowFields,
    };
  }
  const reason =
    eligible === 0 && latest
      ? `the ${NCE_ADJUSTMENT_WINDOW_DAYS}-day window after the ${latest.what} on ${formatIso(latest.date)} closed on ${formatIso(closes(latest.date))}; seats can be removed only at renewal`
      : `only ${eligible} seat(s) were bought, renewed or added within the last ${NCE_ADJUSTMENT_WINDOW_DAYS} days; ${seats} requested`;
  return { action: 'decreaseSeats', allowed: false, reason, maxDecrease: eligible, ...windowFields };
}

/** Seat increases are allowed at any time while the subscription is active. */
export function checkSeatIncrease(ledger: SubscriptionLedger, date: CalendarDate): PolicyAnswer {
  const state = ledger.stateAt(date);
  const allowed = state.status === 'active';
  return {
    action: 'increaseSeats',
    allowed,
    reason: allowed ? 'seat increases are allowed at any time' : `the subscription is ${state.status === 'none' ? 'not yet bought' : state.status}`,
  };
}
