/**
 * The grid's amounts as exact fixed-point values, and exact sums of them without decimal.js in the
 * hot loop. A row keeps each amount as an integer number of units at its own scale (1.25 -> 125 at
 * scale 2), read straight from the data set's text or number (core's DecimalReader, no float
 * arithmetic and no Decimal per row: a Decimal costs about 250 bytes, and 100,000 rows held six
 * each). A Decimal is built only where one is shown or written (the cells on screen, the export,
 * an action).
 *
 * A sum keeps one plain-number accumulator at a common scale (the largest seen so far, at least
 * 4: every Dataverse money column fits): adding is a multiply by a power of ten and an add, exact
 * because both operands and the result stay below 2^52 (the accumulator spills into a BigInt
 * before it would cross that). Amounts that do not fit (more than 15 digits, a scale above 20) are
 * added as BigInts. The total becomes a Decimal once, at the end.
 */
import { Decimal } from '../../../core/src/money';
import { DecimalReader } from '../../../core/src/import/exact-sum';

export interface Fixed {
  /** The amount times 10^scale: a safe integer, or a BigInt when it has more than 15 digits. */
  readonly units: number | bigint;
  /** Digits after the point; trailing fractional zeros are dropped (12.50 -> 125 at scale 1). */
  readonly scale: number;
}

export const FIXED_ZERO: Fixed = { units: 0, scale: 0 };

const reader = new DecimalReader();

/** Decimal text ("-12.5", "3E-05") as a Fixed, exactly; null when it is not a number. */
export function fixedOfText(text: string): Fixed | null {
  if (!reader.read(text)) return null;
  if (reader.big !== null) return fixedOfUnits(reader.big, reader.scale);
  if (reader.loDigits === 0) return fixedOfUnits(reader.m, reader.scale);
  return fixedOfUnits(BigInt(reader.m) * 10n ** BigInt(reader.loDigits) + BigInt(reader.lo), reader.scale);
}

/** A number as the shortest decimal text that reads back as it (what Dataverse sent), exactly. */
export function fixedOfNumber(value: number): Fixed | null {
  return Number.isFinite(value) ? fixedOfText(String(value)) : null;
}

/** Normal form: trailing fractional zeros dropped, a plain number while the units are a safe integer. */
function fixedOfUnits(units: number | bigint, scale: number): Fixed {
  if (typeof units === 'bigint') {
    while (scale > 0 && units !== 0n && units % 10n === 0n) {
      units /= 10n;
      scale--;
    }
    if (units === 0n) return FIXED_ZERO;
    return units <= BigInt(Number.MAX_SAFE_INTEGER) && units >= -BigInt(Number.MAX_SAFE_INTEGER) ? { units: Number(units), scale } : { units, scale };
  }
  if (units === 0) return FIXED_ZERO; // also -0
  while (scale > 0 && units % 10 === 0) {
    units /= 10;
    scale--;
  }
  return { units, scale };
}

/** The value as a Decimal (exact: built from its digits). */
export function decimalOfFixed(f: Fixed): Decimal {
  return new Decimal(f.scale === 0 ? f.units.toString() : `${f.units.toString()}e-${f.scale}`);
}

/** Plain decimal text, never exponent notation ("-0.05", "1250", "0.0000001"). */
export function fixedText(f: Fixed): string {
  const negative = f.units < 0;
  let digits = (negative ? -f.units : f.units).toString();
  if (f.scale === 0) return `${negative ? '-' : ''}${digits}`;
  if (digits.length <= f.scale) digits = '0'.repeat(f.scale - digits.length + 1) + digits;
  return `${negative ? '-' : ''}${digits.slice(0, digits.length - f.scale)}.${digits.slice(digits.length - f.scale)}`;
}

/** The units at a larger scale, as a BigInt. */
const bigAt = (f: Fixed, scale: number): bigint => BigInt(f.units) * 10n ** BigInt(scale - f.scale);

/** Exact comparison: negative, zero or positive. */
export function compareFixed(a: Fixed, b: Fixed): number {
  if (typeof a.units === 'number' && typeof b.units === 'number') {
    if (a.scale === b.scale) return a.units < b.units ? -1 : a.units > b.units ? 1 : 0;
    // Integer times a power of ten: exact while the product is a safe integer.
    const x = a.scale < b.scale ? a.units * 10 ** (b.scale - a.scale) : a.units;
    const y = b.scale < a.scale ? b.units * 10 ** (a.scale - b.scale) : b.units;
    if (Number.isSafeInteger(x) && Number.isSafeInteger(y)) return x < y ? -1 : x > y ? 1 : 0;
  }
  const scale = Math.max(a.scale, b.scale);
  const x = bigAt(a, scale);
  const y = bigAt(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** a - b, exactly. */
export function subtractFixed(a: Fixed, b: Fixed): Fixed {
  const scale = Math.max(a.scale, b.scale);
  return fixedOfUnits(bigAt(a, scale) - bigAt(b, scale), scale);
}

/** Below this, the sum of two accumulated values is still a safe integer (< 2^53): exact. */
const SPILL_AT = 2 ** 52;
/** Largest scale the plain-number accumulator takes (its powers of ten are exact doubles). */
const MAX_FAST_SCALE = 20;
const POW10 = Array.from({ length: MAX_FAST_SCALE + 1 }, (_, i) => 10 ** i);

/**
 * Accumulates Fixed amounts exactly. Not core's import ExactSum: that one parses decimal text and
 * keeps a sum per scale, right for a usage file whose quantities mix every scale; the grid's
 * amounts are parsed once into Fixed and share a scale or two, so one plain-number accumulator at a
 * common scale is the cheaper design for a first render that runs cold (measured: 100,000 rows x 5
 * sums in 20-25 ms against 40-65 ms per scale).
 */
export class FixedSum {
  /** Units at `scale`, |fast| < 2^52. */
  private fast = 0;
  private scale = 4;
  /** Spilled units at `scale`. */
  private spilled = 0n;
  /** Amounts outside the fast path: units at their own scale, as BigInts. */
  private readonly rest: bigint[] = [];

  /** An independent copy: adding to it leaves this sum as it is. */
  copy(): FixedSum {
    const c = new FixedSum();
    c.fast = this.fast;
    c.scale = this.scale;
    c.spilled = this.spilled;
    this.rest.forEach((units, scale) => (c.rest[scale] = units));
    return c;
  }

  add(f: Fixed): void {
    // The fast path is written out here, not in a helper: a first render runs this cold, where every call costs.
    const units = f.units;
    const scale = f.scale;
    if (typeof units === 'number' && scale <= this.scale) {
      const scaled = scale === this.scale ? units : units * POW10[this.scale - scale]!;
      if (scaled < SPILL_AT && scaled > -SPILL_AT) {
        const sum = this.fast + scaled;
        if (sum < SPILL_AT && sum > -SPILL_AT) this.fast = sum;
        else {
          this.spilled += BigInt(sum);
          this.fast = 0;
        }
        return;
      }
    }
    this.addSlow(units, scale);
  }

  /** Adds the amount's absolute value. */
  addAbs(f: Fixed): void {
    this.add(f.units < 0 ? { units: -f.units, scale: f.scale } : f);
  }

  private addSlow(units: number | bigint, scale: number): void {
    if (typeof units === 'number' && scale > this.scale && scale <= MAX_FAST_SCALE) {
      // More decimals than so far: move the accumulator to this scale, then add (at equal scales now).
      this.rescale(scale);
      this.add({ units, scale });
      return;
    }
    // Too large for the accumulator at its scale, or too many digits or decimals for a double.
    this.rest[scale] = (this.rest[scale] ?? 0n) + BigInt(units);
  }

  /** Moves the accumulator to a larger scale (a new amount has more decimals). */
  private rescale(scale: number): void {
    this.spilled = (this.spilled + BigInt(this.fast)) * 10n ** BigInt(scale - this.scale);
    this.fast = 0;
    this.scale = scale;
  }

  toDecimal(): Decimal {
    let total = decimalOfFixed({ units: this.spilled + BigInt(this.fast), scale: this.scale });
    this.rest.forEach((units, scale) => {
      if (units !== undefined && units !== 0n) total = total.plus(decimalOfFixed({ units, scale }));
    });
    return total;
  }
}
