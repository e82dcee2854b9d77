/**
 * One formatting module (issue 19): the same total read the same way on every screen, in the
 * reader's locale. Expected texts are what CLDR (Intl in Node and browsers) writes for each
 * locale; the narrow no-break space (U+202F) French groups with is written out.
 */
import {
  Decimal,
  formatDate,
  formatDateTime,
  formatMoney,
  formatPeriodText,
  formatQuantity,
  localeOfLanguage,
  monthPeriod,
  parseDate,
  period,
} from '../../core/src';

const NNBSP = '\u202f';
const NBSP = '\u00a0';

describe('money', () => {
  const total = new Decimal('57694.41');
  it.each([
    ['en-US', '$57,694.41'],
    ['de-DE', `57.694,41${NBSP}$`],
    ['fr-FR', `57${NNBSP}694,41${NBSP}$US`],
    ['ja-JP', '$57,694.41'],
  ])('%s: 57694.41 USD is %s', (locale, text) => {
    expect(formatMoney(total, 'USD', locale)).toBe(text);
  });

  it('keeps trailing zeros to the minor unit (56450.40, not 56450.4) and shows the code when asked', () => {
    expect(formatMoney(new Decimal('56450.4'), 'USD', 'en-US', { code: true })).toBe(`USD${NBSP}56,450.40`);
  });

  it('JPY shows no decimals (rounded half up), BHD three', () => {
    expect(formatMoney(new Decimal('1234.5'), 'JPY', 'ja-JP')).toBe('￥1,235');
    expect(formatMoney(new Decimal('1234.5'), 'JPY', 'en-US')).toBe('¥1,235');
    expect(formatMoney(new Decimal('1.25'), 'BHD', 'en-US', { code: true })).toBe(`BHD${NBSP}1.250`);
  });

  it('rounds half up to the cent, negative amounts keep their sign, exact mode keeps every digit', () => {
    expect(formatMoney(new Decimal('0.125'), 'EUR', 'de-DE')).toBe(`0,13${NBSP}€`);
    expect(formatMoney(new Decimal('-553.54'), 'EUR', 'fr-FR')).toBe(`-553,54${NBSP}€`);
    expect(formatMoney(new Decimal('0.000063'), 'USD', 'en-US', { exact: true })).toBe('$0.000063');
  });

  it('is exact beyond a double: 17 significant digits are not rounded by a float', () => {
    expect(formatMoney(new Decimal('12345678901234567.89'), 'USD', 'en-US')).toBe('$12,345,678,901,234,567.89');
  });

  it('an unknown or missing currency shows two decimals and the text as given', () => {
    expect(formatMoney(new Decimal('12'), 'XYZ', 'en-US')).toBe('12.00 XYZ');
    expect(formatMoney(new Decimal('12'), null, 'de-DE')).toBe('12,00');
  });
});

describe('quantities, dates and periods', () => {
  it('quantities are grouped with every digit kept', () => {
    expect(formatQuantity(new Decimal('1234.0000625'), 'en-US')).toBe('1,234.0000625');
    expect(formatQuantity(new Decimal('1234.5'), 'de-DE')).toBe('1.234,5');
  });

  it.each([
    ['en-US', 'Oct 1, 2026', 'Oct 2026', 'Oct 1 – 15, 2026'],
    ['de-DE', '01.10.2026', 'Okt. 2026', '01.–15.10.2026'],
    ['fr-FR', '1 oct. 2026', 'oct. 2026', '1–15 oct. 2026'],
    ['ja-JP', '2026/10/01', '2026年10月', '2026/10/01～2026/10/15'],
  ])('%s: a date, a month and a part of a month', (locale, date, month, range) => {
    expect(formatDate(parseDate('2026-10-01'), locale)).toBe(date);
    expect(formatPeriodText(monthPeriod(2026, 10), locale)).toBe(month);
    expect(formatPeriodText(period(parseDate('2026-10-01'), parseDate('2026-10-16')), locale).replace(/[\u2009\u202f]/g, ' ')).toBe(range);
  });

  it('a charge date does not move with the time zone of the machine (shown in UTC, its own zone)', () => {
    const before = process.env['TZ'];
    try {
      // UTC-10: a date shown in the machine's zone would read Dec 30.
      for (const zone of ['America/Adak', 'Pacific/Kiritimati']) {
        process.env['TZ'] = zone;
        expect(formatDate(parseDate('2026-12-31'), 'en-US')).toBe('Dec 31, 2026');
      }
    } finally {
      if (before === undefined) delete process.env['TZ'];
      else process.env['TZ'] = before;
    }
  });

  it('December to January is a whole month', () => {
    expect(formatPeriodText(monthPeriod(2026, 12), 'en-US')).toBe('Dec 2026');
  });
});

describe('the user language', () => {
  it('maps Dynamics language ids to locales, unknown to en-US', () => {
    expect([1033, 1031, 1036, 1041, 2057, 99999, undefined].map((l) => localeOfLanguage(l))).toEqual([
      'en-US',
      'de-DE',
      'fr-FR',
      'ja-JP',
      'en-GB',
      'en-US',
      'en-US',
    ]);
  });
});

describe('instants in the user’s time zone', () => {
  // 2026-12-04 23:30 UTC: still the 4th in Seattle (UTC-8), already the 5th in Sydney (UTC+11) and Berlin is 00:30.
  const instant = new Date(Date.UTC(2026, 11, 4, 23, 30));
  it.each([
    ['en-US', -480, 'Dec 4, 2026, 3:30 PM'],
    ['en-AU', 660, '5 Dec 2026, 10:30 am'],
    ['de-DE', 60, '05.12.2026, 00:30'],
    ['fr-FR', 60, '5 déc. 2026, 00:30'],
    ['ja-JP', 540, '2026/12/05 8:30'],
  ])('%s at offset %i reads %s', (locale, offset, expected) => {
    expect(formatDateTime(instant, locale, offset).replace(/[\u202f\u00a0]/g, ' ')).toBe(expected);
  });
});
