import { Decimal, formatIso, parseDate, type CalendarDate } from '../../../core/src';

/**
 * Conversions at the Web API boundary. The Web API carries money and decimals as JSON numbers;
 * a double holds up to 15 significant digits exactly as text, which covers every amount a bill
 * or ledger carries (4 decimals, below 100 billion). Beyond that we refuse rather than round.
 */
const MAX_EXACT_DIGITS = 15;

export { choiceMap, MappingError } from './choice';
import { MappingError } from './choice';

function significantDigits(text: string): number {
  return text.replace(/^-/, '').replace('.', '').replace(/^0+/, '').length;
}

/** A Web API number as an exact Decimal, through its shortest round-trip text. */
export function decimalFromWebApi(value: unknown, column: string): Decimal | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new MappingError('expected a number', column, value);
  const text = String(value);
  if (/e/i.test(text) || significantDigits(text) > MAX_EXACT_DIGITS) throw new MappingError('more digits than a JSON number carries exactly', column, value);
  return new Decimal(text);
}

/**
 * A Decimal as the JSON number the Web API takes. The column keeps `places` decimals (4 for
 * money): an amount with more would be rounded by Dataverse, so it is refused here instead.
 */
export function decimalToWebApi(value: Decimal | undefined, column: string, places: number): number | null {
  if (value === undefined) return null;
  if (value.decimalPlaces() > places) throw new MappingError(`has more than ${places} decimal places`, column, value.toString());
  const text = value.toFixed();
  if (significantDigits(text) > MAX_EXACT_DIGITS) throw new MappingError('more digits than a JSON number carries exactly', column, text);
  return Number(text);
}

export const MONEY_PLACES = 4;

/**
 * A computed amount (an import total, a usage sum with 6+ decimals) as the number a column with
 * `places` decimals stores: rounded half-up to those places once, here, then guarded like any write.
 */
export function roundedToWebApi(value: Decimal | undefined, column: string, places: number): number | null {
  return value === undefined ? null : decimalToWebApi(value.toDecimalPlaces(places, Decimal.ROUND_HALF_UP), column, places);
}

/** Date-only columns travel as 'YYYY-MM-DD': no time, no zone. */
export function dateFromWebApi(value: unknown, column: string): CalendarDate | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new MappingError("expected a date-only 'YYYY-MM-DD'", column, value);
  return parseDate(value);
}

export function dateToWebApi(value: CalendarDate | undefined): string | null {
  return value === undefined ? null : formatIso(value);
}

/** A required value read from a row. */
export function required<T>(value: T | undefined, column: string): T {
  if (value === undefined) throw new MappingError('is required', column, null);
  return value;
}
