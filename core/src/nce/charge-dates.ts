import { addDays, CalendarDate, daysInclusive, daysInMonth, dateOf, lastDayOfMonth, toYmd } from '../calendar';

/**
 * Microsoft's charge cycles follow the purchase date. Every cycle and term boundary of a
 * subscription lies on one grid of month offsets counted from the purchase (anchor) date:
 *
 *   gridEnd(anchor, n)   = inclusive end of the span of n months starting at the anchor
 *                        = the day before the anchor's day-of-month, n months later; when that day
 *                          does not exist, the last day of that month (bought on the 31st -> ends on
 *                          the 30th; bought Jan 30/31 -> ends Feb 28, or Feb 29 in a leap year);
 *                          bought on the 1st -> ends on the last day of month n-1.
 *   gridStart(anchor, n) = anchor when n = 0, else gridEnd(anchor, n) + 1 day.
 *
 * Keeping the anchor day (instead of re-anchoring at each renewal) is what "the cycle follows
 * the purchase date" means: a subscription bought on the 31st keeps ending on the 30th.
 */
export function gridEnd(anchor: CalendarDate, months: number): CalendarDate {
  const { year, month, day } = toYmd(anchor);
  if (day === 1) {
    const idx = year * 12 + (month - 1) + months - 1;
    return lastDayOfMonth(Math.floor(idx / 12), (idx % 12) + 1);
  }
  const idx = year * 12 + (month - 1) + months;
  const y = Math.floor(idx / 12);
  const m = (idx % 12) + 1;
  return dateOf(y, m, Math.min(day - 1, daysInMonth(y, m)));
}

export function gridStart(anchor: CalendarDate, months: number): CalendarDate {
  return months === 0 ? anchor : addDays(gridEnd(anchor, months), 1);
}

/** The month offset k such that gridStart(k) <= date <= gridEnd(k + 1); date must not precede the anchor. */
export function gridIndexContaining(anchor: CalendarDate, date: CalendarDate): number {
  const a = toYmd(anchor);
  const b = toYmd(date);
  let k = Math.max(0, (b.year - a.year) * 12 + (b.month - a.month) - 1);
  while (k > 0 && gridStart(anchor, k) > date) k--;
  while (gridEnd(anchor, k + 1) < date) k++;
  return k;
}

/** True when the date is the first day of a grid month (a possible cycle or term boundary). */
export function isGridStart(anchor: CalendarDate, date: CalendarDate): boolean {
  if (date < anchor) return false;
  return gridStart(anchor, gridIndexContaining(anchor, date)) === date;
}

/**
 * Monthly charge-cycle days: the days of the month in which the cycle started (28-31), per
 * Partner Center's effective-unit-price definition, even when the cycle itself is shorter or
 * longer (a cycle from Jan 31 to Feb 28 still divides by 31).
 */
export function monthlyCycleDays(cycleStart: CalendarDate): number {
  const { year, month } = toYmd(cycleStart);
  return daysInMonth(year, month);
}

/** Annual and triennial cycle days: the days the full cycle spans (365/366, 1095/1096). */
export function spanCycleDays(start: CalendarDate, endInclusive: CalendarDate): number {
  return daysInclusive(start, endInclusive);
}

/** Inclusive end of a term of `months` months bought on `purchase` (6/18/2021 P1Y -> 6/17/2022). */
export function termEndInclusive(purchase: CalendarDate, months: number): CalendarDate {
  return gridEnd(purchase, months);
}
