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
 * unitPrice x quantity x billed / of, rounded to cents: the proration of a seat change.
 * `truncate` is Microsoft's ROUNDDOWN of the whole subtotal (TOTAL_TRUNCATED, what Partner Center
 * bills for addQuantity/removeQuantity); `halfUp` is commercial rounding for customer lines.
 */
export function proratedCents(unitPrice: number | string, quantity: number, billed: number, of: number, rounding: Rounding): bigint {
  const PRICE_PLACES = 4;
  const price = toScaled(unitPrice, PRICE_PLACES);
  const numerator = price * BigInt(quantity) * BigInt(billed);
  // price units are 10^-4; cents are 10^-2: divide by 100 more.
  return divRound(numerator, BigInt(of) * pow10(PRICE_PLACES - 2), rounding);
}

/** Cents as plain text with two decimals ("-12.30"). */
export function formatCents(cents: bigint): string {
  const negative = cents < ZERO;
  const abs = negative ? -cents : cents;
  const whole = abs / BigInt(100);
  const rest = String(abs % BigInt(100)).padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${rest}`;
}

/** a x (100 - percent) / 100, half-up to cents; percent has at most 4 decimals. */
export function lessPercent(cents: bigint, percent: number): bigint {
  const p = toScaled(percent, 4);
  return divRound(cents * (pow10(6) - p), pow10(6), 'halfUp');
}
