/**
 * Exact sums of decimal amounts without decimal.js in the hot loop. Each amount is kept as an
 * integer number of units at its own scale (1.25 -> 125 at scale 2), computed once when the rows
 * are built. Summing adds integers per scale: plain numbers while every partial sum is a safe
 * integer (exact), BigInt beyond. The total becomes a Decimal once, at the end: exact, like
 * decimal.js, at a fraction of the cost (100,000 rows x 5 sums in a few milliseconds).
 */
import { Decimal } from '../../../core/src/money';

export interface Fixed {
  /** The amount times 10^scale: a safe integer, or a BigInt when it has more than 15 digits. */
  readonly units: number | bigint;
  readonly scale: number;
}

export const FIXED_ZERO: Fixed = { units: 0, scale: 0 };

/** The exact fixed-point form of a Decimal (trailing fractional zeros dropped). */
export function fixedOf(value: Decimal): Fixed {
  const text = value.toFixed();
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const dot = body.indexOf('.');
  let int = dot < 0 ? body : body.slice(0, dot);
  let frac = dot < 0 ? '' : body.slice(dot + 1);
  let end = frac.length;
  while (end > 0 && frac.charCodeAt(end - 1) === 48) end--;
  frac = frac.slice(0, end);
  int = `${int}${frac}`.replace(/^0+(?=\d)/, '');
  const digits = negative ? `-${int}` : int;
  const units = int.length <= 15 ? Number(digits) : BigInt(digits);
  return { units: units === 0 ? 0 : units, scale: frac.length };
}

export function negateFixed(f: Fixed): Fixed {
  return { units: typeof f.units === 'bigint' ? -f.units : -f.units, scale: f.scale };
}

/** Accumulates Fixed amounts exactly. */
export class ExactSum {
  private readonly small: number[] = [];
  private readonly big: bigint[] = [];

  add(f: Fixed): void {
    const { units, scale } = f;
    if (typeof units === 'number') {
      const sum = (this.small[scale] ?? 0) + units;
      if (sum <= Number.MAX_SAFE_INTEGER && sum >= -Number.MAX_SAFE_INTEGER) {
        this.small[scale] = sum;
        return;
      }
      // Both operands are safe integers: move them to BigInt before adding.
      this.big[scale] = (this.big[scale] ?? 0n) + BigInt(this.small[scale] ?? 0) + BigInt(units);
      this.small[scale] = 0;
      return;
    }
    this.big[scale] = (this.big[scale] ?? 0n) + units;
  }

  toDecimal(): Decimal {
    let total = new Decimal(0);
    const scales = Math.max(this.small.length, this.big.length);
    for (let scale = 0; scale < scales; scale++) {
      const units = BigInt(this.small[scale] ?? 0) + (this.big[scale] ?? 0n);
      if (units !== 0n) total = total.plus(new Decimal(`${units.toString()}e-${scale}`));
    }
    return total;
  }
}
