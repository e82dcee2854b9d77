import DecimalJs from 'decimal.js';
import { CurrencyMismatchError, InvalidAmountError, UnknownCurrencyError } from './errors';

/**
 * The one configured decimal.js clone for the whole product. Precision 40 because Partner
 * Center sums at the default 20 significant digits were measured inexact (TOOLCHAIN.md); 50
 * leaves headroom for rate x price x days x quantity products before the single division.
 * toExpNeg/toExpPos keep toString() in plain notation for the amounts we print and compare.
 */
export const Decimal = DecimalJs.clone({
  precision: 50,
  rounding: DecimalJs.ROUND_HALF_UP,
  toExpNeg: -40,
  toExpPos: 60,
});
export type Decimal = DecimalJs;

/** What callers may hand us as an amount: exact text, a Decimal, a bigint or a safe integer. */
export type AmountInput = string | DecimalJs | bigint | number;

const AMOUNT_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * Converts input to a Decimal without ever going through a binary float: strings must be plain
 * decimal text, numbers must be safe integers (a float like 0.1 is already inexact, so it is
 * refused rather than silently accepted).
 */
export function toDecimal(value: AmountInput): Decimal {
  if (DecimalJs.isDecimal(value)) {
    const d = value as DecimalJs;
    if (!d.isFinite()) throw new InvalidAmountError(`amount is not finite: ${d.toString()}`, value);
    return d instanceof Decimal ? d : new Decimal(d);
  }
  if (typeof value === 'bigint') return new Decimal(value.toString());
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new InvalidAmountError(`amount ${String(value)} is a JavaScript float; pass it as a decimal string`, value);
    }
    return new Decimal(value);
  }
  if (typeof value === 'string') {
    const text = value.trim();
    if (!AMOUNT_TEXT.test(text)) throw new InvalidAmountError(`not a decimal amount: "${value}"`, value);
    return new Decimal(text);
  }
  throw new InvalidAmountError(`not an amount: ${String(value)}`, value);
}

// ---------------------------------------------------------------------------------------------
// Named rounding functions. Each is the single definition the rest of the core uses.
// ---------------------------------------------------------------------------------------------

/** Excel/Microsoft ROUNDDOWN(x, places): truncate toward zero (-1.239 -> -1.23). */
export function roundDown(x: Decimal, places: number): Decimal {
  return x.toDecimalPlaces(places, DecimalJs.ROUND_DOWN);
}

/** Commercial rounding, ties away from zero (Excel ROUND): 1.005 -> 1.01, -1.005 -> -1.01. */
export function roundHalfUp(x: Decimal, places: number): Decimal {
  return x.toDecimalPlaces(places, DecimalJs.ROUND_HALF_UP);
}

/** Banker's rounding, ties to even: 1.005 -> 1.00, 1.015 -> 1.02. */
export function roundHalfEven(x: Decimal, places: number): Decimal {
  return x.toDecimalPlaces(places, DecimalJs.ROUND_HALF_EVEN);
}

export type RoundingMode = 'truncate' | 'halfUp' | 'halfEven';

export function roundWith(mode: RoundingMode, x: Decimal, places: number): Decimal {
  switch (mode) {
    case 'truncate':
      return roundDown(x, places);
    case 'halfUp':
      return roundHalfUp(x, places);
    case 'halfEven':
      return roundHalfEven(x, places);
  }
}

// ---------------------------------------------------------------------------------------------
// Currencies (ISO 4217 minor units).
// ---------------------------------------------------------------------------------------------

/**
 * Minor units per ISO 4217 for the currencies Partner Center bills or prices in, plus the
 * zero- and three-decimal currencies so rounding is right wherever a partner sits.
 */
const MINOR_UNITS: Readonly<Record<string, 0 | 2 | 3>> = {
  // zero decimals
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  // three decimals
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  // two decimals
  AED: 2,
  ARS: 2,
  AUD: 2,
  BDT: 2,
  BGN: 2,
  BRL: 2,
  CAD: 2,
  CHF: 2,
  CNY: 2,
  COP: 2,
  CZK: 2,
  DKK: 2,
  DZD: 2,
  EGP: 2,
  EUR: 2,
  GBP: 2,
  GEL: 2,
  GHS: 2,
  HKD: 2,
  HUF: 2,
  IDR: 2,
  ILS: 2,
  INR: 2,
  KES: 2,
  KZT: 2,
  LKR: 2,
  MAD: 2,
  MXN: 2,
  MYR: 2,
  NGN: 2,
  NOK: 2,
  NZD: 2,
  PEN: 2,
  PHP: 2,
  PKR: 2,
  PLN: 2,
  QAR: 2,
  RON: 2,
  RSD: 2,
  RUB: 2,
  SAR: 2,
  SEK: 2,
  SGD: 2,
  THB: 2,
  TRY: 2,
  TWD: 2,
  UAH: 2,
  USD: 2,
  ZAR: 2,
};

export type CurrencyCode = string;

/** Number of decimals of the currency's minor unit (0, 2 or 3). */
export function minorUnits(currency: CurrencyCode): 0 | 2 | 3 {
  const units = MINOR_UNITS[currency];
  if (units === undefined) {
    throw new UnknownCurrencyError(`unknown ISO 4217 currency code "${currency}"`, currency);
  }
  return units;
}

export function isKnownCurrency(currency: string): boolean {
  return Object.prototype.hasOwnProperty.call(MINOR_UNITS, currency);
}

/** Validates and upper-cases a currency code ("usd" -> "USD"). */
export function currencyCode(text: string): CurrencyCode {
  const code = text.trim().toUpperCase();
  minorUnits(code);
  return code;
}

// ---------------------------------------------------------------------------------------------
// Money: an exact amount with its currency.
// ---------------------------------------------------------------------------------------------

export class Money {
  readonly amount: Decimal;
  readonly currency: CurrencyCode;

  private constructor(amount: Decimal, currency: CurrencyCode) {
    this.amount = amount;
    this.currency = currency;
    Object.freeze(this);
  }

  static of(amount: AmountInput, currency: string): Money {
    return new Money(toDecimal(amount), currencyCode(currency));
  }

  static zero(currency: string): Money {
    return new Money(new Decimal(0), currencyCode(currency));
  }

  private same(other: Money, op: string): void {
    if (other.currency !== this.currency) {
      throw new CurrencyMismatchError(`cannot ${op} ${other.currency} to/from ${this.currency}`, { left: this.toString(), right: other.toString() });
    }
  }

  plus(other: Money): Money {
    this.same(other, 'add');
    return new Money(this.amount.plus(other.amount), this.currency);
  }

  minus(other: Money): Money {
    this.same(other, 'subtract');
    return new Money(this.amount.minus(other.amount), this.currency);
  }

  /** Multiply by an exact factor (quantity, rate). Floats are refused by toDecimal. */
  times(factor: AmountInput): Money {
    return new Money(this.amount.times(toDecimal(factor)), this.currency);
  }

  negated(): Money {
    return new Money(this.amount.isZero() ? new Decimal(0) : this.amount.negated(), this.currency);
  }

  /** Converts into another currency with an exact rate; the result is not rounded. */
  convert(rate: AmountInput, to: string): Money {
    return new Money(this.amount.times(toDecimal(rate)), currencyCode(to));
  }

  /** Rounds to the currency's minor unit with the named mode. */
  round(mode: RoundingMode = 'halfUp'): Money {
    return new Money(roundWith(mode, this.amount, minorUnits(this.currency)), this.currency);
  }

  isZero(): boolean {
    return this.amount.isZero();
  }

  isNegative(): boolean {
    return this.amount.isNegative() && !this.amount.isZero();
  }

  equals(other: Money): boolean {
    return this.currency === other.currency && this.amount.eq(other.amount);
  }

  compare(other: Money): -1 | 0 | 1 {
    this.same(other, 'compare');
    return this.amount.comparedTo(other.amount) as -1 | 0 | 1;
  }

  /** Fixed text at the currency's minor units, e.g. "12.30 USD"; rounds half-up for display only. */
  format(): string {
    return `${roundHalfUp(this.amount, minorUnits(this.currency)).toFixed(minorUnits(this.currency))} ${this.currency}`;
  }

  toString(): string {
    return `${this.amount.toString()} ${this.currency}`;
  }

  toJSON(): { amount: string; currency: string } {
    return { amount: this.amount.toString(), currency: this.currency };
  }
}

/** Sums amounts of one currency; an empty list needs the currency to say what zero is. */
export function sumMoney(items: readonly Money[], currency: string): Money {
  let total = Money.zero(currency);
  for (const m of items) total = total.plus(m);
  return total;
}
