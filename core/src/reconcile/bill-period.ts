import { dateOf, period, toYmd, type CalendarDate, type Period } from '../calendar';
import type { BillLine, UsageAggregate } from '../import/types';

/** The calendar months the bill's order dates (or charge starts) fall in: [first of month, first of next). */
export function billPeriodOf(lines: readonly BillLine[], usage: readonly UsageAggregate[]): Period | null {
  // A loop, not Math.min(...dates): spreading a 200,000-line bill into arguments overflows the stack.
  let first: CalendarDate | undefined;
  let last: CalendarDate | undefined;
  const see = (d: CalendarDate) => {
    if (first === undefined || d < first) first = d;
    if (last === undefined || d > last) last = d;
  };
  for (const l of lines) see(l.orderDate ?? l.chargeStart);
  for (const u of usage) see(u.chargeStart);
  if (first === undefined || last === undefined) return null;
  const min = toYmd(first);
  const max = toYmd(last);
  const end = max.month === 12 ? dateOf(max.year + 1, 1, 1) : dateOf(max.year, max.month + 1, 1);
  return period(dateOf(min.year, min.month, 1), end);
}
