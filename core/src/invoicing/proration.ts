import { Decimal, minorUnits, roundWith, RoundingMode } from '../money';
import type { ProrationPolicy } from './model';

/**
 * An exact amount as numerator / denominator. Every factor (price, quantity, months, days,
 * exchange rate, percent) multiplies the numerator or the denominator, and the one division
 * happens when the line is rounded: 12 x 31 / 31 is exactly 12, where (12 / 31) x 31 at any
 * finite precision is 11.999... (the same rule as nce/rounding-rules.ts).
 */
export interface Ratio {
  readonly num: Decimal;
  readonly den: Decimal;
}

const ONE = new Decimal(1);
export const ZERO_RATIO: Ratio = Object.freeze({ num: new Decimal(0), den: ONE });

export function ratio(num: Decimal | number | string, den: Decimal | number | string = 1): Ratio {
  return { num: new Decimal(num), den: new Decimal(den) };
}

export function mul(r: Ratio, factor: Decimal | number): Ratio {
  return { num: r.num.times(factor), den: r.den };
}

export function div(r: Ratio, divisor: Decimal | number): Ratio {
  return { num: r.num, den: r.den.times(divisor) };
}

export function neg(r: Ratio): Ratio {
  return { num: r.num.negated(), den: r.den };
}

export function addRatio(a: Ratio, b: Ratio): Ratio {
  if (a.den.eq(b.den)) return { num: a.num.plus(b.num), den: a.den };
  return { num: a.num.times(b.den).plus(b.num.times(a.den)), den: a.den.times(b.den) };
}

export function ratioValue(r: Ratio): Decimal {
  return r.num.div(r.den);
}

/** -0 prints as "-0.00"; a zero amount is plain zero. */
export function normalizeZero(x: Decimal): Decimal {
  return x.isZero() ? new Decimal(0) : x;
}

/** Places an explanation shows of an unrounded amount before cutting it short. */
export const EXPLANATION_PLACES = 10;

/**
 * The unrounded amount of a ratio as an explanation writes it: exact when its decimal ends within
 * EXPLANATION_PLACES places (30.97, 27.1), else cut there and marked "…" (27.0967741935…): a
 * reader checks the rounding, not 50 repeating digits. The rounding itself uses the whole ratio.
 */
export function ratioText(r: Ratio): string {
  const q = normalizeZero(r.num.div(r.den));
  if (q.decimalPlaces() <= EXPLANATION_PLACES) return q.toString();
  return `${q.toDecimalPlaces(EXPLANATION_PLACES, Decimal.ROUND_DOWN).toFixed(EXPLANATION_PLACES)}…`;
}

/** The one rounding of a line: divide once, round at the currency's minor units with the contract's mode. */
export function roundLine(r: Ratio, mode: RoundingMode, currency: string): Decimal {
  return normalizeZero(roundWith(mode, r.num.div(r.den), minorUnits(currency)));
}

/** Days of a billing period a change bills: `billed / of`, or null when the policy bills nothing. */
export interface ProrationFactor {
  readonly billed: number;
  readonly of: number;
}

/**
 * Days billed for a change effective `remainingDays` before the period end:
 * daily -> remaining / period days; fullPeriod -> period / period; none -> null.
 */
export function prorationFactor(policy: ProrationPolicy, remainingDays: number, periodDays: number): ProrationFactor | null {
  switch (policy) {
    case 'daily':
      return { billed: remainingDays, of: periodDays };
    case 'fullPeriod':
      return { billed: periodDays, of: periodDays };
    case 'none':
      return null;
  }
}

/**
 * Amount of `periodPrice` (the price of the quantity for one price interval of `perMonths`
 * months) for a stretch of `billed / of` of a billing period of `periodMonths` months, converted
 * with `rate`: periodPrice x periodMonths x billed x rate / (perMonths x of). For one-time
 * contracts pass periodMonths = perMonths = 1 (the price applies once to the whole period).
 */
export function prorated(periodPrice: Decimal, periodMonths: number, perMonths: number, f: ProrationFactor, rate: Decimal): Ratio {
  return {
    num: periodPrice.times(periodMonths).times(f.billed).times(rate),
    den: new Decimal(perMonths).times(f.of),
  };
}
