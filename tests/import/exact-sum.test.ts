import DecimalJs from 'decimal.js';
import fc from 'fast-check';
import { ExactSum, parseDecimalText } from '../../core/src/import';

// An independent reference: decimal.js with enough precision that nothing in these tests rounds.
const Ref = DecimalJs.clone({ precision: 200, toExpPos: 200, toExpNeg: -200 });

const decimalText = fc.tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 22n }), fc.integer({ min: 0, max: 18 })).map(([neg, m, scale]) => {
  const digits = m.toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return (neg ? '-' : '') + text;
});

describe('ExactSum', () => {
  it('adds 0.1 + 0.2 to exactly 0.3 (a float gives 0.30000000000000004)', () => {
    const s = new ExactSum();
    s.add('0.1');
    s.add('0.2');
    expect(s.toDecimal().toString()).toBe('0.3');
  });

  it('reads exponents, signs and spaces the way Partner Center writes them', () => {
    const s = new ExactSum();
    for (const t of ['3E-05', '+1.5', ' -0.25 ', '2e3', '1.', '.5']) expect(s.add(t)).toBe(true);
    expect(s.toDecimal().toString()).toBe('2002.75003');
  });

  it('refuses text that is not a number and adds nothing for it', () => {
    const s = new ExactSum();
    for (const t of ['', ' ', 'abc', '1,5', '1.2.3', '--1', '1e', 'NaN', 'Infinity', '0x10', '1e99999']) expect(s.add(t)).toBe(false);
    expect(s.count).toBe(0);
    expect(s.toDecimal().toString()).toBe('0');
  });

  it('stays exact past 2^53 (spills into BigInt)', () => {
    const s = new ExactSum();
    for (let i = 0; i < 50; i++) s.add('999999999999999.9');
    expect(s.toDecimal().toString()).toBe('49999999999999995');
  });

  it('equals a high-precision reference sum for random decimal text, in any order', () => {
    fc.assert(
      fc.property(fc.array(decimalText, { maxLength: 60 }), (texts) => {
        const forward = new ExactSum();
        const backward = new ExactSum();
        texts.forEach((t) => expect(forward.add(t)).toBe(true));
        [...texts].reverse().forEach((t) => backward.add(t));
        const expected = texts.reduce((acc, t) => acc.plus(new Ref(t)), new Ref(0));
        expect(forward.toDecimal().toString()).toBe(expected.toString());
        expect(backward.toDecimal().eq(forward.toDecimal())).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('parseDecimalText keeps every digit of a long Partner Center price', () => {
    expect(parseDecimalText('0.0209496384791679')?.toString()).toBe('0.0209496384791679');
    expect(parseDecimalText('123456789012345678901.000000000000000001')?.toString()).toBe('123456789012345678901.000000000000000001');
    expect(parseDecimalText('1.2E-05')?.toString()).toBe('0.000012');
    expect(parseDecimalText('12,5')).toBeNull();
  });
});
