import fc from 'fast-check';
import { addDays, daysInclusive, formatUs, parseDate } from '../../core/src/calendar';
import { gridEnd, gridIndexContaining, gridStart, isGridStart, monthlyCycleDays, termEndInclusive } from '../../core/src/nce/charge-dates';

const d = parseDate;
const us = formatUs;

describe('charge cycles follow the purchase date', () => {
  it.each([
    // purchase, first cycle end (inclusive), hand-derived
    ['6/18/2021', '7/17/2021'],
    ['3/5/2022', '4/4/2022'],
    ['7/15/2021', '8/14/2021'],
    ['3/1/2022', '3/31/2022'], // bought on the 1st: the calendar month
    ['3/31/2022', '4/30/2022'], // bought on the 31st: ends on the 30th
    ['7/31/2022', '8/30/2022'],
    ['12/31/2022', '1/30/2023'],
    ['1/31/2022', '2/28/2022'], // no Feb 30: last day of February
    ['1/31/2024', '2/29/2024'], // leap year
    ['1/30/2023', '2/28/2023'],
    ['1/30/2024', '2/29/2024'],
    ['1/29/2023', '2/28/2023'],
    ['1/29/2024', '2/28/2024'],
    ['2/28/2023', '3/27/2023'],
    ['2/29/2024', '3/28/2024'],
    ['2/1/2024', '2/29/2024'],
  ])('monthly bought %s ends %s', (purchase, end) => {
    expect(us(gridEnd(d(purchase), 1))).toBe(end);
  });

  it('keeps the purchase day across later cycles (bought on the 31st keeps ending on the 30th)', () => {
    const anchor = d('1/31/2022');
    const cycles = [0, 1, 2, 3, 4].map((k) => `${us(gridStart(anchor, k))}-${us(gridEnd(anchor, k + 1))}`);
    expect(cycles).toEqual(['1/31/2022-2/28/2022', '3/1/2022-3/30/2022', '3/31/2022-4/30/2022', '5/1/2022-5/30/2022', '5/31/2022-6/30/2022']);
  });

  it.each([
    ['6/18/2021', 12, '6/17/2022', 365],
    ['2/10/2024', 12, '2/9/2025', 366], // spans Feb 29 2024
    ['3/1/2023', 12, '2/29/2024', 366],
    ['2/29/2024', 12, '2/28/2025', 366],
    ['3/1/2024', 12, '2/28/2025', 365],
    ['6/18/2021', 36, '6/17/2024', 1096], // 3-year term containing Feb 29 2024
    ['1/1/2025', 36, '12/31/2027', 1095],
  ])('term bought %s of %i months ends %s (%i days)', (purchase, months, end, days) => {
    const e = termEndInclusive(d(purchase), months);
    expect(us(e)).toBe(end);
    expect(daysInclusive(d(purchase), e)).toBe(days);
  });

  it('charge-cycle days are the days of the month the cycle started in', () => {
    expect(monthlyCycleDays(d('3/5/2022'))).toBe(31);
    expect(monthlyCycleDays(d('6/18/2021'))).toBe(30);
    expect(monthlyCycleDays(d('2/10/2023'))).toBe(28);
    expect(monthlyCycleDays(d('2/10/2024'))).toBe(29);
  });

  it('every date after the purchase lies in exactly one grid month, and grid months tile the calendar', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 25000 }), fc.integer({ min: 0, max: 2000 }), (a, offset) => {
        const anchor = a as never;
        const date = addDays(anchor, offset);
        const k = gridIndexContaining(anchor, date);
        expect(gridStart(anchor, k) <= date && date <= gridEnd(anchor, k + 1)).toBe(true);
        expect(gridStart(anchor, k + 1)).toBe(addDays(gridEnd(anchor, k + 1), 1));
        expect(isGridStart(anchor, date)).toBe(gridStart(anchor, k) === date);
      }),
      { numRuns: 2000 },
    );
  });

  it('a monthly cycle is never longer than its charge-cycle days (so a prorated part never exceeds the whole)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 25000 }), fc.integer({ min: 0, max: 60 }), (a, k) => {
        const anchor = a as never;
        const start = gridStart(anchor, k);
        const end = gridEnd(anchor, k + 1);
        const length = daysInclusive(start, end);
        expect(length).toBeGreaterThanOrEqual(28);
        expect(length).toBeLessThanOrEqual(monthlyCycleDays(start));
      }),
      { numRuns: 2000 },
    );
  });
});
