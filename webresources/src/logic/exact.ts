/**
 * Exact money for form bundles without decimal.js (decimal.js alone is about 32 KB minified, over
 * the 30 KB budget of a form bundle). Amounts are scaled integers (BigInt) with a fixed number of
 * decimals; the one division of a proration happens last, then rounds as the caller asks. Inputs
 * come from Dataverse as JSON numbers with at most 4 decimals (money columns), read through their
 * shortest round-trip text, never multiplied as floats.
 */
export type Rounding = 'truncate' | 'halfUp';

const TEN = BigInt(10);
const ZERO = BigInt(0);
const pow10 = (n: number): bigint => {
  let p = BigInt(1);
  for (let i = 0; i < n; i++) p *= TEN;
  return p;
};

/** A number or decimal text as an integer count of 10^-places units; refuses more decimals than places. */
export function toScaled(value: number | string, places: number): bigint {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const m = /^([+-]?)(\d+)(?:\.(\d*))?$/.exec(text);
  if (!m) throw new Error(`not a decimal amount: ${text}`);
  const fraction = m[3] ?? '';
  if (fraction.replace(/0+$/, '').length > places) throw new Error(`${text} has more than ${places} decimals`);
  const units = BigInt((m[2] as string) + fraction.padEnd(places, '0'));
  return m[1] === '-' ? -units : units;
}

/** numerator / denominator rounded to an integer (toward zero, or half away from zero). */
export function divRound(numerator: bigint, denominator: bigint, rounding: Rounding): bigint {
  if (denominator === ZERO) throw new Error('division by zero');
  const negative = numerator < ZERO !== denominator < ZERO;
  const n = numerator < ZERO ? -numerator : numerator;
  const d = denominator < ZERO ? -denominator : denominator;
  let q = n / d;
  if (rounding === 'halfUp' && (n % d) * BigInt(2) >= d) q += BigInt(1);
  return negative ? -q : q;
}

/**
 * unitPrice x quantity x billed / of, rounded to the currency's minor unit (`places`: cents by
 * default, whole yen for JPY): the proration of a seat change, as an integer count of minor units.
 * `truncate` is Microsoft's ROUNDDOWN of the whole subtotal (TOTAL_TRUNCATED, what Partner Center
 * bills for addQuantity/removeQuantity); `halfUp` is commercial rounding for customer lines.
 */
export function prorated(unitPrice: number | string, quantity: number, billed: number, of: number, rounding: Rounding, places = 2): bigint {
  const PRICE_PLACES = 4;
  const price = toScaled(unitPrice, PRICE_PLACES);
  const numerator = price * BigInt(quantity) * BigInt(billed) * pow10(Math.max(0, places - PRICE_PLACES));
  // price units are 10^-4; minor units are 10^-places.
  return divRound(numerator, BigInt(of) * pow10(Math.max(0, PRICE_PLACES - places)), rounding);
}

/** An integer count of 10^-places units as plain decimal text ("-12.30" for -1230 cents, "1235" for 1235 yen). */
export function scaledText(units: bigint, places: number): string {
  const negative = units < ZERO;
  const digits = String(negative ? -units : units).padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const fraction = digits.slice(digits.length - places);
  return `${negative ? '-' : ''}${whole}${places > 0 ? `.${fraction}` : ''}`;
}

/** a x (100 - percent) / 100, half-up to the same minor units; percent has at most 4 decimals. */
export function lessPercent(units: bigint, percent: number): bigint {
  const p = toScaled(percent, 4);
  return divRound(units * (pow10(6) - p), pow10(6), 'halfUp');
}
