import { Decimal } from '../money';

// Exact decimal arithmetic on text for the streaming importer; see ExactSum.
const MAX_EXACT = 9007199254740991; // 2^53 - 1
const MAX_SCALE = 60;
/** A spilled small sum is counted in units of 2^32 in a second double (see ExactSum.hi). */
const UNIT = 4294967296; // 2^32
const UNIT_BIG = 4294967296n;
/** Scales an ExactSum holds before it grows to MAX_SCALE + 1 (Microsoft's usage amounts have up to 17). */
const SMALL_SCALES = 20;

/**
 * Reads decimal text into mantissa/scale form without allocating: `read()` validates and keeps the
 * result for one `ExactSum.addRead()`. Splitting the two lets a row be fully validated before any
 * of its values is added (a refused row must leave no trace in the sums).
 */
export class DecimalReader {
  /** First (up to) 15 significant digits as an integer. */
  m = 0;
  /** Further significant digits (up to 15 more) and how many there are: value = (m * 10^loDigits + lo) * 10^-scale. */
  lo = 0;
  loDigits = 0;
  /** Set instead of m/lo for values beyond 30 significant digits or with a positive exponent. */
  big: bigint | null = null;
  scale = 0;
  /** Digits before the decimal point of the value read (0 for 0.5): a cheap magnitude for range checks. */
  intDigits = 0;

  read(s: string): boolean {
    let i = 0;
    let n = s.length;
    while (i < n && s.charCodeAt(i) === 32) i++;
    while (n > i && s.charCodeAt(n - 1) === 32) n--;
    if (i === n) return false;
    let neg = false;
    let c = s.charCodeAt(i);
    if (c === 45) {
      neg = true;
      i++;
    } else if (c === 43) i++;
    let m = 0;
    let lo = 0;
    let loDigits = 0;
    let sig = 0;
    let scale = 0;
    let dot = false;
    let digits = 0;
    let expStart = -1;
    for (; i < n; i++) {
      c = s.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        digits++;
        if (dot) scale++;
        if (sig === 0 && c === 48) continue;
        if (sig < 15) m = m * 10 + (c - 48);
        else {
          lo = lo * 10 + (c - 48);
          loDigits++;
        }
        sig++;
      } else if (c === 46 && !dot) dot = true;
      else if ((c === 69 || c === 101) && digits > 0) {
        expStart = i + 1;
        break;
      } else return false;
    }
    if (digits === 0) return false;
    if (expStart >= 0) {
      const exp = parseExponent(s, expStart, n);
      if (exp === null) return false;
      scale -= exp;
    }
    if (loDigits > 15 || scale - loDigits < 0) {
      const parsed = parseScaled(s.slice(0, n));
      if (parsed === null) return false;
      let { mantissa, scale: sc } = parsed;
      if (sc < 0) {
        mantissa *= 10n ** BigInt(-sc);
        sc = 0;
      }
      if (sc > MAX_SCALE) return false;
      this.intDigits = Math.max(0, (mantissa < 0n ? -mantissa : mantissa).toString().length - sc);
      this.big = mantissa;
      this.m = 0;
      this.lo = 0;
      this.loDigits = 0;
      this.scale = sc;
      return true;
    }
    if (scale > MAX_SCALE) return false;
    this.intDigits = Math.max(0, sig - scale);
    this.big = null;
    this.m = neg ? -m : m;
    this.lo = neg ? -lo : lo;
    this.loDigits = loDigits;
    this.scale = scale;
    return true;
  }
}

/**
 * Exact sums of decimal text without building a Decimal per row (the hot loop of a million-row
 * usage file). Each value is read as an integer mantissa and a decimal scale (digits after the
 * point); mantissas of up to 15 significant digits are added per scale in a double, which is exact
 * below 2^53; before that bound would be crossed, the sum's multiple of 2^32 moves to a second
 * double (and that one into a BigInt before it would cross 2^53, after billions of rows). Longer
 * mantissas go to the BigInt directly. toDecimal() combines the scales with BigInt arithmetic: the result is exact,
 * whatever the order of the rows (plain floats were order-dependent, TOOLCHAIN.md).
 */
/** An ExactSum as plain data: the per-scale small sums (index = scale) and the BigInt parts as text. */
export interface ExactSumState {
  readonly small: readonly number[];
  readonly big: ReadonlyArray<readonly [number, string]>;
  readonly count: number;
}

export class ExactSum {
  /**
   * Per scale (digits after the point), the running sum of small mantissas, exact below 2^53. A
   * typed array: a plain array indexed from 15 up began holey and made every add a slow lookup.
   * Grown on demand up to MAX_SCALE + 1 (amounts in bills have at most about 17 decimals).
   */
  private small = new Float64Array(SMALL_SCALES);
  /**
   * Per scale, how many 2^32 the small sum handed on when it neared 2^53. Doubles, not a BigInt:
   * a BigInt per spill (one every few dozen rows of a 17-decimal amount) was a new object kept by
   * a long-lived sum, so it outlived the young generation; a thread reading ten million rows held
   * 20 MB more of them than one reading one million (bench:reconcile --flat-memory).
   */
  private hi = new Float64Array(SMALL_SCALES);
  /** Highest scale added so far (-1: nothing yet). */
  private top = -1;
  private big: (bigint | undefined)[] = [];
  count = 0;
  private static readonly reader = new DecimalReader();

  /** Adds decimal text ("-12.5", "3E-05", "+7"); returns false (and adds nothing) when it is not a number. */
  add(s: string): boolean {
    const r = ExactSum.reader;
    if (!r.read(s)) return false;
    this.addRead(r);
    return true;
  }

  /** Adds the value a DecimalReader just read. */
  addRead(r: DecimalReader): void {
    this.count++;
    if (r.big !== null) {
      this.addScaled(r.big, r.scale);
      return;
    }
    // (m * 10^loDigits + lo) * 10^-scale = m * 10^-(scale - loDigits) + lo * 10^-scale
    this.addSmall(r.m, r.scale - r.loDigits);
    if (r.loDigits > 0) this.addSmall(r.lo, r.scale);
  }

  private addSmall(m: number, scale: number): void {
    if (scale > this.top) this.raiseTop(scale);
    const small = this.small;
    const next = (small[scale] as number) + m;
    if (next > MAX_EXACT || next < -MAX_EXACT) this.spill(scale, m);
    else small[scale] = next;
  }

  /** Moves the small sum's multiple of 2^32 to `hi` (both exact in doubles), then adds m. */
  private spill(scale: number, m: number): void {
    const v = this.small[scale] as number;
    const units = Math.trunc(v / UNIT);
    const hi = (this.hi[scale] as number) + units;
    if (hi > MAX_EXACT || hi < -MAX_EXACT) {
      this.big[scale] = (this.big[scale] ?? 0n) + BigInt(this.hi[scale] as number) * UNIT_BIG;
      this.hi[scale] = units;
    } else this.hi[scale] = hi;
    this.small[scale] = v - units * UNIT + m;
  }

  /** The small sum and its spilled units at a scale, exactly. */
  private smallPart(scale: number): bigint {
    const hi = this.hi[scale] as number;
    return BigInt(this.small[scale] as number) + (hi === 0 ? 0n : BigInt(hi) * UNIT_BIG);
  }

  private raiseTop(scale: number): void {
    if (scale >= this.small.length) {
      const grown = new Float64Array(MAX_SCALE + 1);
      grown.set(this.small);
      this.small = grown;
      const grownHi = new Float64Array(MAX_SCALE + 1);
      grownHi.set(this.hi);
      this.hi = grownHi;
    }
    this.top = scale;
  }

  /** Adds another sum (used when merging totals per charge type). */
  addSum(other: ExactSum): void {
    for (let scale = 0; scale <= other.top; scale++) {
      const v = other.smallPart(scale);
      if (v !== 0n) this.addScaled(v, scale);
    }
    other.big.forEach((v, scale) => {
      if (v !== undefined) this.addScaled(v, scale);
    });
    this.count += other.count;
  }

  /** The sum as plain data (a worker's message, a queue chunk's JSON): exact, BigInts as text (spilled units with them). */
  toState(): ExactSumState {
    const big: Array<[number, string]> = [];
    for (let scale = 0; scale <= this.top; scale++) {
      const hi = this.hi[scale] as number;
      const v = (this.big[scale] ?? 0n) + (hi === 0 ? 0n : BigInt(hi) * UNIT_BIG);
      if (v !== 0n) big.push([scale, v.toString()]);
    }
    return { small: Array.from(this.small.subarray(0, this.top + 1)), big, count: this.count };
  }

  /** Adds a sum given as toState() wrote it. */
  addState(state: ExactSumState): void {
    state.small.forEach((v, scale) => {
      if (v !== 0) this.addScaled(BigInt(v), scale);
    });
    for (const [scale, v] of state.big) this.addScaled(BigInt(v), scale);
    if (state.small.length - 1 > this.top) this.raiseTop(state.small.length - 1);
    this.count += state.count;
  }

  toDecimal(): Decimal {
    const top = this.top;
    if (top < 0) return new Decimal(0);
    let total = 0n;
    for (let scale = 0; scale <= top; scale++) {
      const part = this.smallPart(scale) + (this.big[scale] ?? 0n);
      if (part !== 0n) total += part * 10n ** BigInt(top - scale);
    }
    return scaledToDecimal(total, top);
  }

  private addScaled(v: bigint, scale: number): void {
    if (scale > this.top) this.raiseTop(scale);
    this.big[scale] = (this.big[scale] ?? 0n) + v;
  }
}

function parseExponent(s: string, from: number, to: number): number | null {
  let i = from;
  let neg = false;
  const c0 = s.charCodeAt(i);
  if (c0 === 45 || c0 === 43) {
    neg = c0 === 45;
    i++;
  }
  if (i >= to || to - i > 4) return null;
  let e = 0;
  for (; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return null;
    e = e * 10 + (c - 48);
  }
  return neg ? -e : e;
}

const DECIMAL_TEXT = /^ *([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))? *$/;

/** Decimal text as mantissa x 10^-scale, exactly; null when it is not plain decimal text. */
export function parseScaled(text: string): { mantissa: bigint; scale: number } | null {
  const m = DECIMAL_TEXT.exec(text);
  if (!m) return null;
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  if (int === '' && frac === '') return null;
  let mantissa = BigInt(int + frac === '' ? '0' : int + frac);
  if (m[1] === '-') mantissa = -mantissa;
  const scale = frac.length - (m[4] === undefined ? 0 : Number(m[4]));
  return { mantissa, scale };
}

/** Parses decimal text straight into a Decimal (no float on the way); null when it is not a number. */
export function parseDecimalText(text: string): Decimal | null {
  const p = parseScaled(text);
  if (p === null) return null;
  // 1e999999999 would build a billion-digit integer: any amount beyond 10^40 is out of every range anyway.
  if (p.scale < -40) return new Decimal(p.mantissa < 0n ? '-Infinity' : p.mantissa === 0n ? '0' : 'Infinity');
  if (p.scale <= 0) return new Decimal((p.mantissa * 10n ** BigInt(-p.scale)).toString());
  if (p.scale > MAX_SCALE + 40) return null;
  return scaledToDecimal(p.mantissa, p.scale);
}

/** mantissa x 10^-scale as a Decimal, built from text so no rounding happens. */
export function scaledToDecimal(mantissa: bigint, scale: number): Decimal {
  if (scale === 0) return new Decimal(mantissa.toString());
  const neg = mantissa < 0n;
  let digits = (neg ? -mantissa : mantissa).toString();
  if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
  const text = `${neg ? '-' : ''}${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return new Decimal(text);
}
