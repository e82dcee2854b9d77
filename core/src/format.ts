import { addDays, toYmd, type CalendarDate, type Period } from './calendar';
import { Decimal, isKnownCurrency, minorUnits, roundHalfUp } from './money';

/**
 * How money, quantities, dates and periods are shown to a person: one module for the grid, the
 * forms' previews, the CLI and the reports, in the reader's locale (Intl, built into every
 * browser and Node). Amounts keep decimal.js exactness to the screen: Intl is handed the decimal
 * text (ECMA-402 NumberFormat v3 formats a string exactly), never a float. Calendar dates are
 * shown in UTC, their own zone, so no time zone moves a charge date.
 */

export interface MoneyFormat {
  /** Keep every digit the amount has (usage at 0.000063) instead of rounding to the currency's minor unit. */
  readonly exact?: boolean;
  /** The ISO code (USD 1,234.50) instead of the symbol ($1,234.50): unambiguous between dollars. */
  readonly code?: boolean;
}

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (f === undefined) cache.set(key, (f = new Intl.NumberFormat(locale, options)));
  return f;
}

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (f === undefined) cache.set(key, (f = new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' })));
  return f;
}

/** The decimal text, as Intl formats it exactly (the lib typings still say number). */
const exactly = (value: Decimal): number => value.toFixed() as unknown as number;

/**
 * An amount with its currency, grouped and rounded (half up) to the currency's minor unit: JPY
 * 1,235, USD 57,694.41, BHD 1.250. An unknown or missing currency shows two decimals and the
 * text as given.
 */
export function formatMoney(amount: Decimal, currency: string | null | undefined, locale: string, options: MoneyFormat = {}): string {
  const code = currency?.trim().toUpperCase() ?? '';
  const known = code !== '' && isKnownCurrency(code);
  const digits = known ? minorUnits(code) : 2;
  const shown = options.exact ? amount : roundHalfUp(amount, digits);
  const max = Math.min(100, Math.max(digits, options.exact ? amount.decimalPlaces() : digits));
  if (!known) {
    const text = numberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: max }).format(exactly(shown));
    return code ? `${text} ${code}` : text;
  }
  return numberFormat(locale, {
    style: 'currency',
    currency: code,
    currencyDisplay: options.code ? 'code' : 'symbol',
    minimumFractionDigits: digits,
    maximumFractionDigits: max,
  }).format(exactly(shown));
}

/** A quantity or rate: grouped, every digit kept (no rounding), no trailing zeros added. */
export function formatQuantity(value: Decimal, locale: string): string {
  return numberFormat(locale, { maximumFractionDigits: Math.min(100, value.decimalPlaces()) }).format(exactly(value));
}

const utc = (date: CalendarDate): Date => {
  const { year, month, day } = toYmd(date);
  return new Date(Date.UTC(year, month - 1, day));
};

/** A calendar date as the reader writes dates (Oct 1, 2026; 1. Okt. 2026; 1 oct. 2026; 2026/10/01). */
export function formatDate(date: CalendarDate, locale: string): string {
  return dateFormat(locale, { dateStyle: 'medium' }).format(utc(date));
}

/**
 * A period [start, end) as a reader says it: a calendar month is "Oct 2026"; any other span is its
 * first and last day ("Oct 1 – 15, 2026"), never the half-open interval notation.
 */
export function formatPeriodText(period: Period, locale: string): string {
  const first = toYmd(period.start);
  const last = addDays(period.end, -1);
  const next = toYmd(period.end);
  const wholeMonth =
    first.day === 1 && next.day === 1 && (next.month === first.month + 1 || (first.month === 12 && next.month === 1 && next.year === first.year + 1));
  if (wholeMonth) return dateFormat(locale, { month: 'short', year: 'numeric' }).format(utc(period.start));
  if (period.start === last) return formatDate(period.start, locale);
  return dateFormat(locale, { dateStyle: 'medium' }).formatRange(utc(period.start), utc(last));
}

/** BCP 47 locales of the Dynamics language ids (LCIDs) a user may choose; unknown: en-US. */
const LOCALE_BY_LCID: Readonly<Record<number, string>> = {
  1025: 'ar-SA',
  1028: 'zh-TW',
  1030: 'da-DK',
  1031: 'de-DE',
  1033: 'en-US',
  1035: 'fi-FI',
  1036: 'fr-FR',
  1040: 'it-IT',
  1041: 'ja-JP',
  1042: 'ko-KR',
  1043: 'nl-NL',
  1044: 'nb-NO',
  1045: 'pl-PL',
  1046: 'pt-BR',
  1049: 'ru-RU',
  1053: 'sv-SE',
  2052: 'zh-CN',
  2057: 'en-GB',
  2070: 'pt-PT',
  3079: 'de-AT',
  3081: 'en-AU',
  3082: 'es-ES',
  3084: 'fr-CA',
  4105: 'en-CA',
  4108: 'fr-CH',
  2055: 'de-CH',
};

/** The locale of a Dynamics user's language (userSettings.languageId / Xrm's userSettings.languageId). */
export function localeOfLanguage(lcid: number | null | undefined): string {
  return (lcid !== null && lcid !== undefined && LOCALE_BY_LCID[lcid]) || 'en-US';
}

/**
 * An instant (createdon, a run's start) as the reader's clock shows it: `offsetMinutes` is their
 * zone's distance from UTC (local - UTC; userSettings.getTimeZoneOffsetMinutes, Dynamics' user time
 * zone, not the browser's), so a user in Sydney and one in Seattle each read their own time.
 */
export function formatDateTime(instant: Date, locale: string, offsetMinutes: number): string {
  return dateFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(instant.getTime() + offsetMinutes * 60_000));
}
