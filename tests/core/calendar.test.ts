import fc from 'fast-check';
import {
  addDays,
  addMonthsClamped,
  dateOf,
  daysInclusive,
  daysInMonth,
  daysInYear,
  formatIso,
  formatUs,
  inclusiveEnd,
  intersectPeriods,
  isLeapYear,
  monthPeriod,
  parseDate,
  period,
  periodContains,
  periodDays,
  periodFromInclusive,
  toYmd,
} from '../../core/src/calendar';
import { InvalidDateError, InvalidPeriodError } from '../../core/src/errors';

describe('leap years and month lengths', () => {
  it.each([
    [2020, true],
    [2021, false],
    [2024, true],
    [1900, false],
    [2000, true],
    [2100, false],
  ])('%i leap = %s', (year, leap) => {
    expect(isLeapYear(year)).toBe(leap);
    expect(daysInYear(year)).toBe(leap ? 366 : 365);
    expect(daysInMonth(year, 2)).toBe(leap ? 29 : 28);
  });

  it('knows every month', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2022, m))).toEqual([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    expect(() => daysInMonth(2022, 13)).toThrow(InvalidDateError);
  });
});

describe('dates as day numbers', () => {
  it('counts days from 1970-01-01 without any time zone', () => {
    expect(dateOf(1970, 1, 1)).toBe(0);
    expect(dateOf(2022, 3, 5)).toBe(19056);
    expect(dateOf(2000, 2, 29) - dateOf(2000, 2, 28)).toBe(1);
    expect(formatIso(dateOf(1969, 12, 31))).toBe('1969-12-31');
  });

  it('round-trips every day of four centuries against UTC Date', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 200_000 }), (n) => {
        const utc = new Date(n * 86_400_000);
        const ymd = toYmd(n as never);
        expect(ymd).toEqual({ year: utc.getUTCFullYear(), month: utc.getUTCMonth() + 1, day: utc.getUTCDate() });
        expect(dateOf(ymd.year, ymd.month, ymd.day)).toBe(n);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses impossible dates with the offending value', () => {
    expect(() => dateOf(2023, 2, 29)).toThrow(InvalidDateError);
    expect(() => dateOf(2022, 4, 31)).toThrow(/day 31 does not exist in 2022-04/);
    expect(dateOf(2024, 2, 29)).toBe(dateOf(2024, 3, 1) - 1);
  });

  it('adds months clamped to the month end', () => {
    expect(formatIso(addMonthsClamped(dateOf(2021, 1, 31), 1))).toBe('2021-02-28');
    expect(formatIso(addMonthsClamped(dateOf(2024, 1, 31), 1))).toBe('2024-02-29');
    expect(formatIso(addMonthsClamped(dateOf(2024, 2, 29), 12))).toBe('2025-02-28');
    expect(formatIso(addMonthsClamped(dateOf(2021, 12, 15), 1))).toBe('2022-01-15');
    expect(formatIso(addMonthsClamped(dateOf(2022, 1, 15), -2))).toBe('2021-11-15');
  });
});

describe('parsing the forms found in files', () => {
  it.each([
    ['3/5/2022', '2022-03-05'],
    ['03/05/2022', '2022-03-05'],
    ['12/31/2021', '2021-12-31'],
    [' 2/29/2024 ', '2024-02-29'],
    ['2/1/2019 0:00', '2019-02-01'],
    ['2/28/2019 23:59', '2019-02-28'],
    ['2022-03-05', '2022-03-05'],
    ['2022-03-05T00:00:00Z', '2022-03-05'],
    ['2022-03-05T23:30:00.000Z', '2022-03-05'],
    ['2022-03-05T23:30:00-05:00', '2022-03-06'],
    ['2022-03-05T01:00:00+02:00', '2022-03-04'],
    ['2022-03-05T12:00:00', '2022-03-05'],
  ])('%s -> %s', (text, iso) => {
    expect(formatIso(parseDate(text))).toBe(iso);
  });

  it.each(['2/29/2023', '13/1/2022', '2022-02-30', '5.3.2022', '2022/03/05', '', '3/5/22', '3/5/2022 25:00'])('refuses "%s"', (text) => {
    expect(() => parseDate(text)).toThrow(InvalidDateError);
    try {
      parseDate(text);
    } catch (e) {
      expect((e as InvalidDateError).value).toBe(text);
    }
  });

  it('formats the way recon files write dates', () => {
    expect(formatUs(parseDate('2022-03-05'))).toBe('3/5/2022');
  });
});

describe('periods [start, end)', () => {
  it("converts Microsoft's inclusive ChargeEndDate at the boundary", () => {
    const p = periodFromInclusive(parseDate('3/5/2022'), parseDate('4/4/2022'));
    expect(formatIso(p.end)).toBe('2022-04-05');
    expect(periodDays(p)).toBe(31);
    expect(formatUs(inclusiveEnd(p))).toBe('4/4/2022');
    expect(daysInclusive(parseDate('3/7/2022'), parseDate('4/4/2022'))).toBe(29);
    expect(periodContains(p, parseDate('4/4/2022'))).toBe(true);
    expect(periodContains(p, parseDate('4/5/2022'))).toBe(false);
  });

  it('refuses backwards periods and has no inclusive end when empty', () => {
    expect(() => period(parseDate('3/5/2022'), parseDate('3/4/2022'))).toThrow(InvalidPeriodError);
    expect(() => inclusiveEnd(period(parseDate('3/5/2022'), parseDate('3/5/2022')))).toThrow(InvalidPeriodError);
  });

  it('intersects and builds months', () => {
    const feb = monthPeriod(2024, 2);
    expect(periodDays(feb)).toBe(29);
    expect(periodDays(monthPeriod(2023, 2))).toBe(28);
    const x = intersectPeriods(feb, period(parseDate('2/20/2024'), parseDate('3/10/2024')));
    expect(x && [formatIso(x.start), formatIso(x.end)]).toEqual(['2024-02-20', '2024-03-01']);
    expect(intersectPeriods(feb, monthPeriod(2024, 3))).toBeNull();
  });

  it('a period split at any day has parts that add up to the whole', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30000 }), fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 2000 }), (s, len, cut) => {
        const p = period(s as never, addDays(s as never, len));
        const at = addDays(p.start, Math.min(cut, len));
        expect(periodDays(period(p.start, at)) + periodDays(period(at, p.end))).toBe(periodDays(p));
      }),
    );
  });
});
