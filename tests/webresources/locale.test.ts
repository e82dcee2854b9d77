import './support/decimal-stand-in';
import DecimalJs from 'decimal.js';
import { XrmMockGenerator } from 'xrm-mock';
import { dateOf } from '../../core/src/calendar';
import DecimalStandIn from '../../webresources/src/logic/decimal-shim';
import * as locale from '../../webresources/src/locale';
import { useLanguage } from './support/resx';

/**
 * The form scripts' one formatting helper (webresources/src/locale.ts) as it runs in a form
 * bundle: decimal.js is the stand-in there (scripts/build-webresources.ts aliases it), and here too
 * (support/decimal-stand-in). Expectations are written by hand; Intl's spaces compare as plain spaces.
 */
it('runs with the stand-in for decimal.js, as the form bundles do', () => {
  expect(DecimalJs).toBe(DecimalStandIn);
});

const plain = (text: string): string => text.replace(/[\u00a0\u202f\u2009]/g, ' ');
/** The helper's texts for a user of that language. */
function as(lcid: number) {
  XrmMockGenerator.initialise();
  useLanguage(lcid);
  return {
    money: (amount: string | bigint, currency: string | null) => plain(locale.moneyText(amount, currency)),
    date: (y: number, m: number, d: number) => plain(locale.dateText(dateOf(y, m, d))),
    month: (y: number, m: number) => plain(locale.periodText(locale.monthOf(dateOf(y, m, 17)))),
    span: (a: [number, number, number], b: [number, number, number]) => plain(locale.spanText(dateOf(...a), dateOf(...b))),
  };
}

describe('locale helper of the form scripts (the user language from userSettings.languageId)', () => {
  it('en-US (1033): the ISO code before the amount, grouped, the currency decimals', () => {
    const f = as(1033);
    expect(f.money('1234.5', 'USD')).toBe('USD 1,234.50');
    expect(f.money(BigInt(-5032), 'USD')).toBe('-USD 50.32');
    expect(f.money('1234567.891', 'usd')).toBe('USD 1,234,567.89');
    expect(f.money('0.005', 'USD')).toBe('USD 0.01');
    expect(f.money('-0.004', 'USD')).toBe('USD 0.00');
    // No decimals in yen (1234.5 rounds half up); three in dinars; minor units read at the currency's decimals.
    expect(f.money('1234.5', 'JPY')).toBe('JPY 1,235');
    expect(f.money(BigInt(1235), 'JPY')).toBe('JPY 1,235');
    expect(f.money(BigInt(1250), 'BHD')).toBe('BHD 1.250');
    // An unknown or missing code: two decimals, the text as given.
    expect(f.money('1234.5', 'XYZ')).toBe('1,234.50 XYZ');
    expect(f.money(BigInt(123450), null)).toBe('1,234.50');
  });

  it('en-US dates and periods: Dec 4, 2026; a calendar month Oct 2026; any other span by its first and last day', () => {
    const f = as(1033);
    expect(f.date(2026, 12, 4)).toBe('Dec 4, 2026');
    expect(f.month(2026, 10)).toBe('Oct 2026');
    expect(f.month(2028, 2)).toBe('Feb 2028');
    expect(f.span([2022, 3, 5], [2022, 4, 4])).toBe('Mar 5 – Apr 4, 2022');
    expect(f.span([2026, 11, 10], [2027, 2, 9])).toBe('Nov 10, 2026 – Feb 9, 2027');
    expect(f.span([2026, 12, 1], [2026, 12, 31])).toBe('Dec 2026');
    expect(f.span([2026, 12, 4], [2026, 12, 4])).toBe('Dec 4, 2026');
  });

  it('a French user (1036): 1 234,50 USD, 4 déc. 2026, oct. 2026', () => {
    const f = as(1036);
    expect(f.money('1234.5', 'USD')).toBe('1 234,50 USD');
    expect(f.money('-53.23', 'USD')).toBe('-53,23 USD');
    expect(f.money('1234.5', 'JPY')).toBe('1 235 JPY');
    expect(f.date(2026, 12, 4)).toBe('4 déc. 2026');
    expect(f.month(2026, 10)).toBe('oct. 2026');
    expect(f.span([2022, 3, 5], [2022, 4, 4])).toBe('5 mars – 4 avr. 2022');
  });

  it('a German user (1031, no RESX of its own): German amounts and dates', () => {
    const f = as(1031);
    expect(f.money('1234.5', 'USD')).toBe('1.234,50 USD');
    expect(f.date(2026, 12, 4)).toBe('04.12.2026');
  });

  it('an unknown language id, or no Xrm user settings at all: en-US', () => {
    expect(as(9999).money('1234.5', 'USD')).toBe('USD 1,234.50');
    const xrm = (globalThis as { Xrm?: unknown }).Xrm;
    (globalThis as { Xrm?: unknown }).Xrm = undefined;
    try {
      expect(locale.userLocale()).toBe('en-US');
    } finally {
      (globalThis as { Xrm?: unknown }).Xrm = xrm;
    }
  });

  it('currency decimals, calendar months and record names', () => {
    expect([
      locale.currencyDecimals('JPY'),
      locale.currencyDecimals('usd'),
      locale.currencyDecimals('BHD'),
      locale.currencyDecimals('XYZ'),
      locale.currencyDecimals(null),
    ]).toEqual([0, 2, 3, 2, 2]);
    expect(locale.monthOf(dateOf(2026, 12, 31))).toEqual({ start: dateOf(2026, 12, 1), end: dateOf(2027, 1, 1) });
    expect(locale.recordName('Invoices Oct 15\u2009–\u200931, 2026')).toBe('Invoices Oct 15 – 31, 2026');
  });
});
