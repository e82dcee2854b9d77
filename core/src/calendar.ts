import { SharedValues } from './objects';
import { InvalidDateError, InvalidPeriodError } from './errors';

/**
 * A calendar date with no time and no zone: the number of days since 1970-01-01 (the epoch
 * day). A plain integer cannot drift across time zones or DST, compares with < and ===, and is
 * cheap enough for millions of charge lines. The brand stops a quantity being passed as a date.
 */
export type CalendarDate = number & { readonly __calendarDate: true };

export interface YearMonthDay {
  readonly year: number;
  readonly month: number; // 1..12
  readonly day: number; // 1..31
}

/** `[start, end)`: start inclusive, end exclusive. */
export interface Period {
  readonly start: CalendarDate;
  readonly end: CalendarDate;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new InvalidDateError(`month out of range: ${month}`, month);
  }
  return month === 2 && isLeapYear(year) ? 29 : (MONTH_DAYS[month - 1] as number);
}

export function daysInYear(year: number): number {
  return isLeapYear(year) ? 366 : 365;
}

// Civil-from-days / days-from-civil (H. Hinnant), integer arithmetic only: no Date, no zone.
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z0: number): YearMonthDay {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

/**
 * The calendar date a Date shows its user: its local year, month and day. A date-only field, a
 * date picker and "today" all mean that date; toISOString() would give the UTC date, a day early
 * or late east or west of Greenwich for part of every day.
 */
export function localDateOf(value: Date): CalendarDate {
  return dateOf(value.getFullYear(), value.getMonth() + 1, value.getDate());
}

/** Builds a date, refusing impossible ones (2/30, 2023-02-29, month 13). */
export function dateOf(year: number, month: number, day: number): CalendarDate {
  if (!Number.isInteger(year) || year < 1 || year > 9999) throw new InvalidDateError(`year out of range: ${year}`, { year, month, day });
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new InvalidDateError(`month out of range: ${month}`, { year, month, day });
  if (!Number.isInteger(day) || day < 1 || day > daysInMonth(year, month)) {
    throw new InvalidDateError(`day ${day} does not exist in ${year}-${pad2(month)}`, { year, month, day });
  }
  return daysFromCivil(year, month, day) as CalendarDate;
}

export function toYmd(date: CalendarDate): YearMonthDay {
  return civilFromDays(date);
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return (date + days) as CalendarDate;
}

/** Whole days from a to b (b - a); negative when b is earlier. */
export function daysBetween(a: CalendarDate, b: CalendarDate): number {
  return b - a;
}

/** Days from start through endInclusive, both counted: 3/7..4/4 = 29. */
export function daysInclusive(start: CalendarDate, endInclusive: CalendarDate): number {
  return endInclusive - start + 1;
}

/** Adds months keeping the day, clamped to the target month's last day (1/31 + 1 month = 2/28). */
export function addMonthsClamped(date: CalendarDate, months: number): CalendarDate {
  const { year, month, day } = civilFromDays(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return dateOf(y, m, Math.min(day, daysInMonth(y, m)));
}

export function lastDayOfMonth(year: number, month: number): CalendarDate {
  return dateOf(year, month, daysInMonth(year, month));
}

export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a - b;
}

export function minDate(a: CalendarDate, b: CalendarDate): CalendarDate {
  return a < b ? a : b;
}

export function maxDate(a: CalendarDate, b: CalendarDate): CalendarDate {
  return a > b ? a : b;
}

// ---------------------------------------------------------------------------------------------
// Formatting and parsing
// ---------------------------------------------------------------------------------------------

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** 2022-03-05 */
export function formatIso(date: CalendarDate): string {
  const { year, month, day } = civilFromDays(date);
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** 3/5/2022, the way Partner Center reconciliation files write dates. */
export function formatUs(date: CalendarDate): string {
  const { year, month, day } = civilFromDays(date);
  return `${month}/${day}/${year}`;
}

const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp][Mm]))?)?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Parses the forms found in Microsoft and distributor files: M/D/YYYY and MM/DD/YYYY (optionally
 * followed by a time such as "0:00" or "23:59", which Microsoft writes in UTC and we drop), and
 * ISO 8601 dates or date-times. A date-time with an offset is converted to its UTC date, since
 * Partner Center dates are UTC; without an offset it is taken as UTC.
 */
export function parseDate(text: string): CalendarDate {
  const s = text.trim();
  let m = US_DATE.exec(s);
  if (m) {
    const month = Number(m[1]);
    const day = Number(m[2]);
    const year = Number(m[3]);
    if (m[4] !== undefined) checkTime(Number(m[4]), Number(m[5]), m[6] === undefined ? 0 : Number(m[6]), text, m[7] !== undefined);
    return dateOrError(year, month, day, text);
  }
  m = ISO_DATE.exec(s);
  if (m) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    const day = Number(m[3]);
    const date = dateOrError(year, month, day, text);
    if (m[4] === undefined) return date;
    const hour = Number(m[4]);
    const minute = Number(m[5]);
    checkTime(hour, minute, m[6] === undefined ? 0 : Number(m[6]), text, false);
    const zone = m[7];
    if (zone === undefined || zone === 'Z') return date;
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
    // local time = UTC + offset  =>  UTC = local - offset
    const utcMinutes = hour * 60 + minute - offsetMinutes;
    return addDays(date, Math.floor(utcMinutes / 1440));
  }
  throw new InvalidDateError(`not a date (expected M/D/YYYY, MM/DD/YYYY or ISO 8601): "${text}"`, text);
}

function checkTime(h: number, min: number, sec: number, text: string, twelveHour: boolean): void {
  const maxHour = twelveHour ? 12 : 23;
  if (h > maxHour || min > 59 || sec > 59) throw new InvalidDateError(`impossible time in "${text}"`, text);
}

function dateOrError(year: number, month: number, day: number, text: string): CalendarDate {
  try {
    return dateOf(year, month, day);
  } catch (e) {
    throw new InvalidDateError(`impossible date "${text}": ${(e as Error).message}`, text);
  }
}

// ---------------------------------------------------------------------------------------------
// Periods [start, end)
// ---------------------------------------------------------------------------------------------

export function period(start: CalendarDate, end: CalendarDate): Period {
  if (end < start)
    throw new InvalidPeriodError(`period end ${formatIso(end)} is before start ${formatIso(start)}`, { start: formatIso(start), end: formatIso(end) });
  return { start, end };
}

/**
 * Microsoft's ChargeStartDate/ChargeEndDate are both inclusive (3/5/2022..4/4/2022); the core's
 * periods are half-open. This is the one place that conversion happens.
 */
export function periodFromInclusive(start: CalendarDate, endInclusive: CalendarDate): Period {
  return period(start, addDays(endInclusive, 1));
}

/** The inclusive last day of a non-empty period, i.e. Microsoft's ChargeEndDate. */
export function inclusiveEnd(p: Period): CalendarDate {
  if (p.end <= p.start) throw new InvalidPeriodError('an empty period has no inclusive end', { start: formatIso(p.start), end: formatIso(p.end) });
  return addDays(p.end, -1);
}

export function periodDays(p: Period): number {
  return p.end - p.start;
}

export function periodContains(p: Period, date: CalendarDate): boolean {
  return date >= p.start && date < p.end;
}

/** Overlap of two periods, or null when they share no day. */
export function intersectPeriods(a: Period, b: Period): Period | null {
  const start = maxDate(a.start, b.start);
  const end = minDate(a.end, b.end);
  return end > start ? { start, end } : null;
}

/** The calendar month containing a date, as [1st, 1st of next month). */
export function monthPeriod(year: number, month: number): Period {
  const start = dateOf(year, month, 1);
  return { start, end: addDays(start, daysInMonth(year, month)) };
}

export function formatPeriod(p: Period): string {
  return `[${formatIso(p.start)}, ${formatIso(p.end)})`;
}

/**
 * [start, endInclusive + 1) as one frozen object per pair of dates: a partner's bill and expected
 * lines share a few charge periods, and each line held its own. Bounded.
 */
const PERIODS = new SharedValues<number, Period>(100_000);
export function sharedPeriod(chargeStart: CalendarDate, chargeEndInclusive: CalendarDate): Period {
  const days = chargeEndInclusive - chargeStart;
  const make = () => Object.freeze(periodFromInclusive(chargeStart, chargeEndInclusive));
  // A number key (no string per line): start and length, for the lengths charges have (a term is at most 5 years).
  return days >= 0 && days < 4096 ? PERIODS.get(chargeStart * 4096 + days, make) : make();
}
