import fc from 'fast-check';
import { Decimal } from '../../core/src/money';
import {
  compareFixed,
  decimalOfFixed,
  FixedSum,
  fixedOfNumber,
  fixedOfText,
  fixedText,
  subtractFixed,
  type Fixed,
} from '../../pcf-controls/ReconciliationGrid/model/exact';

/** Decimal text with up to 25 integer digits and up to 24 decimals (past a double's 15 digits and the fast path's scale of 20). */
const decimalText = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 25n }), fc.integer({ min: 0, max: 24 }))
  .map(([negative, units, scale]) => new Decimal(`${negative ? '-' : ''}${units.toString()}e-${scale}`).toFixed());
/** Amounts like a bill's: cents and mills, up to a billion. */
const moneyText = fc
  .tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 999 }), fc.constantFrom(0, 1, 2, 3))
  .map(([int, frac, scale]) => (scale === 0 ? String(int) : `${int}.${String(frac).padStart(3, '0').slice(0, scale)}`));

const fixed = (text: string): Fixed => fixedOfText(text)!;

describe('fixed-point amounts of the grid', () => {
  it('reads decimal text exactly and writes it back in plain notation', () => {
    fc.assert(
      fc.property(decimalText, (text) => {
        const f = fixed(text);
        expect(fixedText(f)).toBe(new Decimal(text).toFixed());
        expect(decimalOfFixed(f).equals(new Decimal(text))).toBe(true);
      }),
    );
  });

  it('keeps small values plain numbers and drops trailing zeros (one form per value)', () => {
    expect(fixed('12.50')).toEqual({ units: 125, scale: 1 });
    expect(fixed('-0.00')).toEqual({ units: 0, scale: 0 });
    expect(fixed('1200')).toEqual({ units: 1200, scale: 0 });
    expect(fixed('9007199254740993')).toEqual({ units: 9007199254740993n, scale: 0 });
    expect(fixedOfNumber(0.1 + 0.2)).toEqual({ units: 30000000000000004n, scale: 17 });
    expect(fixedOfNumber(Number.POSITIVE_INFINITY)).toBeNull();
    expect(fixedOfText('12,5')).toBeNull();
  });

  it('compares and subtracts exactly, like decimal.js', () => {
    fc.assert(
      fc.property(decimalText, decimalText, (a, b) => {
        expect(Math.sign(compareFixed(fixed(a), fixed(b)))).toBe(new Decimal(a).comparedTo(new Decimal(b)));
        expect(fixedText(subtractFixed(fixed(a), fixed(b)))).toBe(new Decimal(a).minus(new Decimal(b)).toFixed());
      }),
    );
    // Equal values at different scales, and a compare where scaling would leave the safe integers.
    expect(compareFixed(fixed('1.5'), { units: 150, scale: 2 })).toBe(0);
    expect(compareFixed(fixed('9007199254740.991'), fixed('9007199254740.99'))).toBe(1);
  });

  it('sums exactly, whatever the order, the scales or the size', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(moneyText, decimalText), { maxLength: 60 }), (texts) => {
        const sum = new FixedSum();
        const abs = new FixedSum();
        for (const t of texts) {
          sum.add(fixed(t));
          abs.addAbs(fixed(t));
        }
        const expected = texts.reduce((acc, t) => acc.plus(t), new Decimal(0));
        const expectedAbs = texts.reduce((acc, t) => acc.plus(new Decimal(t).abs()), new Decimal(0));
        expect(sum.toDecimal().equals(expected)).toBe(true);
        expect(abs.toDecimal().equals(expectedAbs)).toBe(true);
      }),
    );
  });

  it('spills past 2^52 instead of rounding (where a float sum goes wrong)', () => {
    const spilled = new FixedSum();
    const beyond = new FixedSum();
    let float = 0;
    for (let i = 0; i < 1000; i++) {
      spilled.add(fixed('400000000000.0001')); // 4e15 units at scale 4: under 2^52, the sum is not
      spilled.add(fixed('0.0001'));
      beyond.add(fixed('900719925474.0993')); // 2^53 + 1 units at scale 4: a BigInt from the start
      float += 400000000000.0001 + 0.0001;
    }
    // 1,000 x 400,000,000,000.0001 + 1,000 x 0.0001; 1,000 x 900,719,925,474.0993.
    expect(spilled.toDecimal().toFixed()).toBe('400000000000000.2');
    expect(beyond.toDecimal().toFixed()).toBe('900719925474099.3');
    expect(float).not.toBe(400000000000000.2);
  });

  it('moves to a larger scale when an amount has more decimals, without losing the earlier sum', () => {
    const sum = new FixedSum();
    sum.add(fixed('4503599627370.4959')); // just under 2^52 units at scale 4
    sum.add(fixed('0.000000001'));
    sum.add(fixed('-0.5'));
    expect(sum.toDecimal().toFixed()).toBe('4503599627369.995900001');
  });
});
