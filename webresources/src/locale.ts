/**
 * Every money amount, date and period a form script or command shows, in the user's locale: the
 * user's Dynamics language (userSettings.languageId,
 * learn.microsoft.com/power-apps/developer/model-driven-apps/clientapi/reference/xrm-utility/getglobalcontext/usersettings)
 * through core/src/format, the one formatting module of the suite. Nothing here formats by itself.
 * In a form bundle `Decimal` is the stand-in of logic/decimal-shim.ts, which reads, rounds and
 * prints exactly as decimal.js does.
 */
import { addDays, monthPeriod, toYmd, type CalendarDate, type Period } from '../../core/src/calendar';
import { formatDate, formatDateTime, formatMoney, formatPeriodText, localeOfLanguage } from '../../core/src/format';
import { Decimal, isKnownCurrency, minorUnits } from '../../core/src/money';
import { scaledText } from './logic/exact';

/** The user's locale (en-US when Xrm has no user settings). */
export function userLocale(): string {
  let lcid: number | undefined;
  try {
    lcid = Xrm.Utility.getGlobalContext().userSettings.languageId;
  } catch {
    lcid = undefined;
  }
  return localeOfLanguage(lcid);
}

/**
 * An instant on the user's clock: their Dynamics time zone (userSettings.getTimeZoneOffsetMinutes,
 * the same page as languageId), not the browser's; UTC when Xrm has no user settings.
 */
export function instantText(instant: Date): string {
  let offset = 0;
  try {
    offset = Xrm.Utility.getGlobalContext().userSettings.getTimeZoneOffsetMinutes();
  } catch {
    offset = 0;
  }
  return recordName(formatDateTime(instant, userLocale(), offset));
}

/** Dec 4, 2026 (en-US); 4 déc. 2026 (fr-FR). */
export const dateText = (date: CalendarDate): string => formatDate(date, userLocale());

/** A period [start, end) in words: Oct 2026 for a calendar month, else its first and last day. */
export const periodText = (period: Period): string => formatPeriodText(period, userLocale());

/** The period from `start` through `endInclusive`, in words. */
export const spanText = (start: CalendarDate, endInclusive: CalendarDate): string => periodText({ start, end: addDays(endInclusive, 1) });

/**
 * A text saved as a record's name: Intl's typographic spaces (no-break, narrow and thin ones, as in
 * "Oct 15 – 31, 2026") as plain spaces, so the name is found by what a user types in a search.
 */
export const recordName = (text: string): string => text.replace(/\s/g, ' ');

/** The calendar month of a date, as a period. */
export function monthOf(date: CalendarDate): Period {
  const { year, month } = toYmd(date);
  return monthPeriod(year, month);
}

/** Decimals of the currency's minor unit (JPY 0, BHD 3); two for a missing or unknown code. */
export function currencyDecimals(currency: string | null | undefined): number {
  const code = (currency ?? '').trim().toUpperCase();
  return isKnownCurrency(code) ? minorUnits(code) : 2;
}

/**
 * An amount with its ISO code, grouped, at the currency's decimals (USD 1,234.50; 1 234,50 USD;
 * JPY 1,235). `amount` is decimal text, or an integer count of the currency's minor units.
 */
export function moneyText(amount: string | bigint, currency: string | null | undefined): string {
  const text = typeof amount === 'bigint' ? scaledText(amount, currencyDecimals(currency)) : amount;
  return formatMoney(new Decimal(text), currency, userLocale(), { code: true });
}
