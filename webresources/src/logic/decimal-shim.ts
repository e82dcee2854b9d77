/**
 * Stands in for decimal.js inside form bundles (the build aliases `decimal.js` here): decimal.js
 * alone is about 32 KB minified, over a form bundle's budget. It holds an exact decimal (a BigInt
 * and a scale) for what the form scripts do with amounts: read one from its text, round it to a
 * currency's decimals and print it, so core/src/format's formatMoney shows form money exactly as
 * it shows the engine's. It has no arithmetic (calling plus, times... throws a TypeError, loudly,
 * instead of computing wrongly): the form scripts' money arithmetic goes through logic/exact.ts. (The core ledger and NCE policy code the
 * subscription form runs never do decimal arithmetic on ledger rows read without prices, and
 * core/src/money.ts configures its Decimal clone when loaded: clone returns this class.)
 *
 * The methods keep decimal.js's semantics (tests/webresources/decimal-shim.test.ts compares them).
 */
type Input = string | number | bigint | DecimalStandIn;

const ZERO = BigInt(0);
const ONE = BigInt(1);
const TWO = BigInt(2);
const TEN = BigInt(10);
const pow10 = (n: number): bigint => {
  let p = ONE;
  for (let i = 0; i < n; i++) p *= TEN;
  return p;
};
const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

class DecimalStandIn {
  static readonly ROUND_UP = 0;
  static readonly ROUND_DOWN = 1;
  static readonly ROUND_CEIL = 2;
  static readonly ROUND_FLOOR = 3;
  static readonly ROUND_HALF_UP = 4;
  static readonly ROUND_HALF_DOWN = 5;
  static readonly ROUND_HALF_EVEN = 6;
  static readonly ROUND_HALF_CEIL = 7;
  static readonly ROUND_HALF_FLOOR = 8;

  /** value = units / 10^scale, with no trailing zero in units when scale > 0. */
  private readonly units: bigint;
  private readonly scale: number;

  constructor(value: Input) {
    if (value instanceof DecimalStandIn) {
      this.units = value.units;
      this.scale = value.scale;
      return;
    }
    if (typeof value === 'bigint') {
      this.units = value;
      this.scale = 0;
      return;
    }
    const text = typeof value === 'number' ? (Object.is(value, -0) ? '-0' : String(value)) : value.trim();
    const m = DECIMAL_TEXT.exec(text);
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new Error(`[DecimalError] Invalid argument: ${text}`);
    const fraction = m[3] ?? '';
    let units = BigInt((m[2] || '0') + fraction);
    let scale = fraction.length - Number(m[4] ?? 0);
    if (scale < 0) {
      units *= pow10(-scale);
      scale = 0;
    }
    while (scale > 0 && units % TEN === ZERO) {
      units /= TEN;
      scale--;
    }
    this.units = m[1] === '-' ? -units : units;
    this.scale = scale;
  }

  static clone(): typeof DecimalStandIn {
    return DecimalStandIn;
  }

  static isDecimal(value: unknown): boolean {
    return value instanceof DecimalStandIn;
  }

  decimalPlaces(): number {
    return this.scale;
  }

  isFinite(): boolean {
    return true;
  }

  isZero(): boolean {
    return this.units === ZERO;
  }

  isNegative(): boolean {
    return this.units < ZERO;
  }

  /** Rounded to `places` decimals; the default rounding is core/src/money's (half up). */
  toDecimalPlaces(places: number, rounding: number = DecimalStandIn.ROUND_HALF_UP): DecimalStandIn {
    if (places >= this.scale) return this;
    const divisor = pow10(this.scale - places);
    const negative = this.units < ZERO;
    const abs = negative ? -this.units : this.units;
    let q = abs / divisor;
    const rest = abs % divisor;
    if (rest !== ZERO) {
      const twice = rest * TWO;
      const half = twice === divisor ? 0 : twice > divisor ? 1 : -1;
      const away = (() => {
        switch (rounding) {
          case DecimalStandIn.ROUND_UP:
            return true;
          case DecimalStandIn.ROUND_DOWN:
            return false;
          case DecimalStandIn.ROUND_CEIL:
            return !negative;
          case DecimalStandIn.ROUND_FLOOR:
            return negative;
          case DecimalStandIn.ROUND_HALF_UP:
            return half >= 0;
          case DecimalStandIn.ROUND_HALF_DOWN:
            return half > 0;
          case DecimalStandIn.ROUND_HALF_EVEN:
            return half > 0 || (half === 0 && q % TWO === ONE);
          case DecimalStandIn.ROUND_HALF_CEIL:
            return half > 0 || (half === 0 && !negative);
          case DecimalStandIn.ROUND_HALF_FLOOR:
            return half > 0 || (half === 0 && negative);
          default:
            throw new Error(`[DecimalError] Invalid argument: ${rounding}`);
        }
      })();
      if (away) q += ONE;
    }
    return new DecimalStandIn(`${negative && q !== ZERO ? '-' : ''}${q}e-${places}`);
  }

  /** Plain notation: every digit, or rounded and padded to `places` decimals. */
  toFixed(places?: number, rounding?: number): string {
    const value = places === undefined ? this : this.toDecimalPlaces(places, rounding);
    // decimal.js keeps the sign of a negative amount rounded to zero in fixed places (-0.001 -> "-0.00").
    const negative = value.units < ZERO || (places !== undefined && this.units < ZERO);
    const digits = String(negative ? -value.units : value.units).padStart(value.scale + 1, '0');
    const whole = digits.slice(0, digits.length - value.scale);
    const fraction = digits.slice(digits.length - value.scale).padEnd(places ?? 0, '0');
    return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
  }

  toString(): string {
    return this.toFixed();
  }
}

export default DecimalStandIn;
