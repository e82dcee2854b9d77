import fc from 'fast-check';
import DecimalJs from 'decimal.js';
import { formatMoney } from '../../core/src/format';
import { Decimal } from '../../core/src/money';
import DecimalStandIn from '../../webresources/src/logic/decimal-shim';

/**
 * The form bundles' decimal.js stand-in (webresources/src/logic/decimal-shim.ts) against decimal.js
 * itself (core/src/money's configured clone): reading, rounding and printing agree, and so
 * formatMoney shows the same text whichever it is handed.
 */
const standIn = (value: ConstructorParameters<typeof DecimalStandIn>[0]) => new DecimalStandIn(value);
const asDecimal = (value: DecimalStandIn) => value as unknown as Decimal;

/** Decimal text with up to 18 integer digits and up to 10 decimals, trailing zeros and signs included. */
const decimalText = fc
  .tuple(fc.constantFrom('', '-', '+'), fc.bigInt({ min: 0n, max: 10n ** 18n }), fc.integer({ min: 0, max: 10 }), fc.boolean())
  .map(([sign, units, scale, trailingZero]) => {
    const digits = units.toString().padStart(scale + 1, '0');
    const fraction = digits.slice(digits.length - scale) + (trailingZero && scale > 0 ? '0' : '');
    return `${sign}${digits.slice(0, digits.length - scale)}${fraction ? `.${fraction}` : ''}`;
  });
const ROUNDINGS = [0, 1, 2, 3, 4, 5, 6, 7, 8] as const;

describe('decimal.js stand-in of the form bundles', () => {
  it('reads and prints decimal text as decimal.js does (plain notation, trailing zeros dropped, decimal places)', () => {
    fc.assert(
      fc.property(decimalText, (text) => {
        const real = new Decimal(text);
        expect(standIn(text).toFixed()).toBe(real.toFixed());
        expect(standIn(text).toString()).toBe(real.toFixed());
        expect(standIn(text).decimalPlaces()).toBe(real.decimalPlaces());
      }),
      { numRuns: 500 },
    );
  });

  it('rounds to any number of places with each of decimal.js rounding modes, and pads fixed places the same', () => {
    fc.assert(
      fc.property(decimalText, fc.integer({ min: 0, max: 8 }), fc.constantFrom(...ROUNDINGS), (text, places, rounding) => {
        const real = new Decimal(text);
        expect(standIn(text).toDecimalPlaces(places, rounding).toFixed()).toBe(real.toDecimalPlaces(places, rounding).toFixed());
        expect(standIn(text).toFixed(places, rounding)).toBe(real.toFixed(places, rounding));
        // Without a mode: core/src/money's, half up.
        expect(standIn(text).toFixed(places)).toBe(real.toFixed(places));
      }),
      { numRuns: 1000 },
    );
  });

  it('hand-picked ties and signs', () => {
    expect(standIn('1.005').toDecimalPlaces(2, DecimalJs.ROUND_HALF_UP).toFixed()).toBe('1.01');
    expect(standIn('-1.005').toDecimalPlaces(2, DecimalJs.ROUND_HALF_UP).toFixed()).toBe('-1.01');
    expect(standIn('1.005').toDecimalPlaces(2, DecimalJs.ROUND_HALF_EVEN).toFixed()).toBe('1');
    expect(standIn('-1.239').toDecimalPlaces(2, DecimalJs.ROUND_DOWN).toFixed()).toBe('-1.23');
    expect(standIn('-0.001').toFixed(2)).toBe(new Decimal('-0.001').toFixed(2));
    expect(standIn('-0.001').toDecimalPlaces(2).toFixed()).toBe('0');
  });

  it('reads numbers and bigints as decimal.js does (a number through its shortest text)', () => {
    for (const n of [0, -0, 0.1, 12.345, -53.23, 1e21, 1e-7, 123456789.0123]) expect(standIn(n).toFixed()).toBe(new Decimal(n).toFixed());
    expect(standIn(BigInt('-123456789012345678901234567890')).toFixed()).toBe('-123456789012345678901234567890');
    expect(standIn(standIn('1.50')).toFixed()).toBe('1.5');
  });

  it('refuses what is not a decimal, and has no arithmetic (money arithmetic goes through logic/exact.ts)', () => {
    for (const bad of ['', 'abc', '1.2.3', '.', '1e']) expect(() => standIn(bad)).toThrow(/DecimalError/);
    expect(() => (standIn('1') as unknown as { plus(x: number): unknown }).plus(1)).toThrow(TypeError);
  });

  it('is what decimal.js clone() and isDecimal give in a bundle (core/src/money configures its clone at load)', () => {
    expect(DecimalStandIn.clone()).toBe(DecimalStandIn);
    expect(DecimalStandIn.isDecimal(standIn('1'))).toBe(true);
    expect(DecimalStandIn.isDecimal(new Decimal('1'))).toBe(false);
  });

  it('formatMoney shows the stand-in exactly as decimal.js: currencies of 0, 2 and 3 decimals, unknown and missing codes, several locales', () => {
    fc.assert(
      fc.property(
        decimalText,
        fc.constantFrom('USD', 'EUR', 'JPY', 'BHD', 'usd', 'XYZ', ''),
        fc.constantFrom('en-US', 'fr-FR', 'de-DE', 'ja-JP'),
        fc.boolean(),
        (text, currency, locale, exact) => {
          const options = { code: true, exact };
          expect(formatMoney(asDecimal(standIn(text)), currency, locale, options)).toBe(formatMoney(new Decimal(text), currency, locale, options));
        },
      ),
      { numRuns: 500 },
    );
  });
});
