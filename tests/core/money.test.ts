import fc from 'fast-check';
import { CurrencyMismatchError, InvalidAmountError, UnknownCurrencyError } from '../../core/src/errors';
import { Decimal, minorUnits, Money, roundDown, roundHalfEven, roundHalfUp, sumMoney, toDecimal } from '../../core/src/money';

describe('toDecimal', () => {
  it('accepts exact decimal text, bigints, safe integers and Decimals', () => {
    expect(toDecimal('10.08').toString()).toBe('10.08');
    expect(toDecimal(' -0.5 ').toString()).toBe('-0.5');
    expect(toDecimal(12n).toString()).toBe('12');
    expect(toDecimal(300).toString()).toBe('300');
    expect(toDecimal(new Decimal('1.5')).toString()).toBe('1.5');
  });

  it('refuses JavaScript floats and non-numeric text with the offending value', () => {
    expect(() => toDecimal(0.1)).toThrow(InvalidAmountError);
    expect(() => toDecimal('1e3')).toThrow(InvalidAmountError);
    expect(() => toDecimal('12,50')).toThrow(/not a decimal amount: "12,50"/);
    try {
      toDecimal('abc');
    } catch (e) {
      expect((e as InvalidAmountError).value).toBe('abc');
    }
    expect(() => toDecimal(new Decimal(NaN))).toThrow(InvalidAmountError);
  });

  it('keeps at least 40 significant digits (sums of Partner Center values stay exact)', () => {
    expect(Decimal.precision).toBeGreaterThanOrEqual(40);
    const third = new Decimal(1).div(3);
    expect(third.toString().replace('0.', '').length).toBeGreaterThanOrEqual(40);
    // 0.1 + 0.2 is exact in decimal, unlike float.
    expect(toDecimal('0.1').plus('0.2').eq('0.3')).toBe(true);
  });
});

describe('named rounding functions', () => {
  it.each([
    ['1.239', 2, '1.23', '1.24', '1.24'],
    ['-1.239', 2, '-1.23', '-1.24', '-1.24'],
    ['1.005', 2, '1', '1.01', '1'],
    ['1.015', 2, '1.01', '1.02', '1.02'],
    ['-1.005', 2, '-1', '-1.01', '-1'],
    ['2.5', 0, '2', '3', '2'],
    ['3.5', 0, '3', '4', '4'],
    ['-112.258', 2, '-112.25', '-112.26', '-112.26'],
    ['0.0005', 3, '0', '0.001', '0'],
  ])('%s at %i places: truncate %s, half-up %s, half-even %s', (x, places, down, up, even) => {
    expect(roundDown(new Decimal(x), places).toString()).toBe(down);
    expect(roundHalfUp(new Decimal(x), places).toString()).toBe(up);
    expect(roundHalfEven(new Decimal(x), places).toString()).toBe(even);
  });

  it('ROUNDDOWN never moves away from zero and moves less than one unit', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.integer({ min: 0, max: 6 }), (units, places) => {
        const x = new Decimal(units.toString()).div(10 ** 6);
        const r = roundDown(x, places);
        expect(r.abs().lte(x.abs())).toBe(true);
        expect(x.minus(r).abs().lt(new Decimal(10).pow(-places))).toBe(true);
      }),
    );
  });
});

describe('currencies and Money', () => {
  it('knows ISO 4217 minor units: 0, 2 and 3 decimals', () => {
    expect(minorUnits('JPY')).toBe(0);
    expect(minorUnits('KRW')).toBe(0);
    expect(minorUnits('USD')).toBe(2);
    expect(minorUnits('EUR')).toBe(2);
    expect(minorUnits('KWD')).toBe(3);
    expect(minorUnits('BHD')).toBe(3);
    expect(() => minorUnits('XYZ')).toThrow(UnknownCurrencyError);
  });

  it('rounds to the currency minor unit with the named mode', () => {
    expect(Money.of('1234.5', 'JPY').round('halfUp').amount.toString()).toBe('1235');
    expect(Money.of('1234.5', 'JPY').round('halfEven').amount.toString()).toBe('1234');
    expect(Money.of('1.2345', 'KWD').round('halfUp').amount.toString()).toBe('1.235');
    expect(Money.of('1.2345', 'KWD').round('truncate').amount.toString()).toBe('1.234');
    expect(Money.of('-7.728', 'usd').round('truncate').format()).toBe('-7.72 USD');
    expect(Money.of('3', 'JPY').format()).toBe('3 JPY');
  });

  it('adds and compares only within one currency', () => {
    const a = Money.of('10.08', 'USD');
    expect(a.plus(Money.of('0.02', 'USD')).equals(Money.of('10.1', 'USD'))).toBe(true);
    expect(a.times(12).amount.toString()).toBe('120.96');
    expect(a.minus(a).negated().toJSON()).toEqual({ amount: '0', currency: 'USD' });
    expect(() => a.plus(Money.of('1', 'EUR'))).toThrow(CurrencyMismatchError);
    expect(() => a.times(1.1)).toThrow(InvalidAmountError);
    expect(a.convert('0.9123', 'EUR').toString()).toBe('9.195984 EUR');
  });

  it('sums exactly regardless of order', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -(10n ** 10n), max: 10n ** 10n }), { maxLength: 50 }), (cents) => {
        const items = cents.map((c) => Money.of(new Decimal(c.toString()).div(100), 'USD'));
        const forward = sumMoney(items, 'USD');
        const backward = sumMoney([...items].reverse(), 'USD');
        const exact = cents.reduce((s, c) => s + c, 0n);
        expect(forward.equals(backward)).toBe(true);
        expect(forward.amount.times(100).toString()).toBe(exact.toString());
      }),
    );
  });
});
