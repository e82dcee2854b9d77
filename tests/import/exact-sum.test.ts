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

  it('stays exact over thousands of spills of 17-decimal amounts of both signs, and through its plain-data state', () => {
    // Amounts as Microsoft writes usage costs: 15 significant digits at scale 17, spilling every few rows.
    const s = new ExactSum();
    let reference = 0n;
    let seed = 7;
    for (let i = 0; i < 200_000; i++) {
      seed = (seed * 48271) % 2147483647;
      const mantissa = BigInt(seed) * 465_661n + BigInt(i); // up to ~1e15
      const signed = i % 7 === 0 ? -mantissa : mantissa;
      reference += signed;
      const digits = (signed < 0n ? -signed : signed).toString().padStart(18, '0');
      expect(s.add(`${signed < 0n ? '-' : ''}${digits.slice(0, -17)}.${digits.slice(-17)}`)).toBe(true);
    }
    const expected = new Ref(reference.toString()).div(new Ref(10).pow(17));
    expect(s.toDecimal().toString()).toBe(expected.toString());
    const copy = new ExactSum();
    copy.addState(JSON.parse(JSON.stringify(s.toState())));
    expect(copy.toDecimal().toString()).toBe(expected.toString());
    expect(copy.count).toBe(200_000);
  });

  it('moves the spilled units to a BigInt before they would pass 2^53 (billions of rows; set up directly)', () => {
    const s = new ExactSum();
    s.add('0.00000000000000001');
    // The state after 2^53 - 1 units of 2^32 were spilled at scale 17 (a white-box set-up: reaching it
    // by adding would take billions of rows).
    (s as unknown as { hi: Float64Array }).hi[17] = 2 ** 53 - 1;
    for (let i = 0; i < 20; i++) s.add('0.09999999999999999');
    const units = (2n ** 53n - 1n) * 2n ** 32n;
    const expected = new Ref((units + 1n + 20n * 9999999999999999n).toString()).div(new Ref(10).pow(17));
    expect(s.toDecimal().toString()).toBe(expected.toString());
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
