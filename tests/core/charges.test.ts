import fc from 'fast-check';
import { addDays, CalendarDate, formatUs, parseDate } from '../../core/src/calendar';
import { NceRuleError } from '../../core/src/errors';
import { LedgerEntryInput, SubscriptionLedger } from '../../core/src/ledger';
import { Decimal } from '../../core/src/money';
import { gridEnd, gridStart, monthlyCycleDays } from '../../core/src/nce/charge-dates';
import { ChargeLine, expectedCharges, NceOffer } from '../../core/src/nce/charges';
import { RoundingRule, subtotalUnder } from '../../core/src/nce/rounding-rules';

const d = parseDate;

function offer(unitPrice: string, term: NceOffer['term'] = 'P1M', billingPlan: NceOffer['billingPlan'] = 'monthly', extra: Partial<NceOffer> = {}): NceOffer {
  return { productId: 'SKU', productName: 'Product', unitPrice, term, billingPlan, pricingCurrency: 'USD', ...extra };
}
function bought(date: string, quantity: number): LedgerEntryInput {
  return { kind: 'new', effectiveDate: d(date), referenceId: 'new', quantityDelta: quantity, productId: 'SKU', productName: 'Product' };
}
function run(entries: LedgerEntryInput[], o: NceOffer, from: string, to: string): ChargeLine[] {
  return expectedCharges(SubscriptionLedger.of('sub', entries), o, { from: d(from), to: d(to) });
}
/** Compact view: type, order date, start-end, quantity, subtotal. */
function view(lines: ChargeLine[]): string[] {
  return lines.map(
    (l) =>
      `${l.chargeType} ${formatUs(l.orderDate)} ${formatUs(l.chargeStart)}-${formatUs(l.chargeEndInclusive)} x${l.billableQuantity} ${l.subtotal.toFixed(2)}`,
  );
}

describe('hand-computed cases', () => {
  it('February, common year: cycle 2/10-3/9/2023 divides by 28; add on 2/20 bills 18 days', () => {
    // 10 x 18/28 = 6.428571..; wipe 10 seats: 64.2857 -> -64.28; recreate 15: 96.4285 -> 96.42
    const lines = run(
      [bought('2/10/2023', 10), { kind: 'add', effectiveDate: d('2/20/2023'), referenceId: 'a', quantityAfter: 15 }],
      offer('10'),
      '2/10/2023',
      '3/1/2023',
    );
    expect(view(lines)).toEqual([
      'new 2/10/2023 2/10/2023-3/9/2023 x10 100.00',
      'addQuantity 2/20/2023 2/20/2023-3/9/2023 x10 -64.28',
      'addQuantity 2/20/2023 2/20/2023-3/9/2023 x15 96.42',
    ]);
    expect(lines[1]!.proration).toEqual({ basis: 'days', billed: 18, of: 28 });
  });

  it('February, leap year: cycle 2/10-3/9/2024 divides by 29; add on 2/20 bills 19 days', () => {
    // 10 x 19/29 = 6.551724..; wipe: 65.517 -> -65.51; recreate 15: 98.275 -> 98.27
    const lines = run(
      [bought('2/10/2024', 10), { kind: 'add', effectiveDate: d('2/20/2024'), referenceId: 'a', quantityAfter: 15 }],
      offer('10'),
      '2/10/2024',
      '3/1/2024',
    );
    expect(view(lines)).toEqual([
      'new 2/10/2024 2/10/2024-3/9/2024 x10 100.00',
      'addQuantity 2/20/2024 2/20/2024-3/9/2024 x10 -65.51',
      'addQuantity 2/20/2024 2/20/2024-3/9/2024 x15 98.27',
    ]);
    expect(lines[1]!.effectiveUnitPriceRounded.toString()).toBe('-6.55');
  });

  it("bought on the 31st: first cycle 1/31-2/28 still divides by January's 31 days", () => {
    // unit 31: add 1 seat on 2/10 bills 2/10..2/28 = 19 days -> EUP exactly 19
    const lines = run(
      [bought('1/31/2022', 1), { kind: 'add', effectiveDate: d('2/10/2022'), referenceId: 'a', quantityAfter: 2 }],
      offer('31'),
      '1/31/2022',
      '4/1/2022',
    );
    expect(view(lines)).toEqual([
      'new 1/31/2022 1/31/2022-2/28/2022 x1 31.00',
      'addQuantity 2/10/2022 2/10/2022-2/28/2022 x1 -19.00',
      'addQuantity 2/10/2022 2/10/2022-2/28/2022 x2 38.00',
      'renew 3/1/2022 3/1/2022-3/30/2022 x2 62.00',
      'renew 3/31/2022 3/31/2022-4/30/2022 x2 62.00',
    ]);
  });

  it('bought on the 29th and 30th in a leap and a common year', () => {
    expect(view(run([bought('1/30/2024', 2)], offer('9'), '1/1/2024', '3/2/2024'))).toEqual([
      'new 1/30/2024 1/30/2024-2/29/2024 x2 18.00',
      'renew 3/1/2024 3/1/2024-3/29/2024 x2 18.00',
    ]);
    expect(view(run([bought('1/30/2023', 2)], offer('9'), '1/1/2023', '3/31/2023'))).toEqual([
      'new 1/30/2023 1/30/2023-2/28/2023 x2 18.00',
      'renew 3/1/2023 3/1/2023-3/29/2023 x2 18.00',
      'renew 3/30/2023 3/30/2023-4/29/2023 x2 18.00',
    ]);
    expect(view(run([bought('1/29/2023', 1)], offer('9'), '1/1/2023', '3/2/2023'))).toEqual([
      'new 1/29/2023 1/29/2023-2/28/2023 x1 9.00',
      'renew 3/1/2023 3/1/2023-3/28/2023 x1 9.00',
    ]);
    // Cancel on 1/31/2024 of a sub bought 1/29/2024: 1/31..2/28 = 29 days of January's 31.
    // 9 x 29/31 = 8.419354.. -> EUP truncated 8.41, x3 = -25.23
    const cancel = run([bought('1/29/2024', 3), { kind: 'cancel', effectiveDate: d('1/31/2024'), referenceId: 'c' }], offer('9'), '1/29/2024', '6/1/2024');
    expect(view(cancel)).toEqual(['new 1/29/2024 1/29/2024-2/28/2024 x3 27.00', 'cancelImmediate 1/31/2024 1/31/2024-2/28/2024 x3 -25.23']);
  });

  it('an annual term across a leap day divides by 366', () => {
    // Cancel 2 days in: 2/12/2024..2/9/2025 = 364 of 366 days. 120 x 364/366 = 119.3442.. -> 119.34 x 3 = 358.02
    const lines = run(
      [bought('2/10/2024', 3), { kind: 'cancel', effectiveDate: d('2/12/2024'), referenceId: 'c' }],
      offer('120', 'P1Y', 'annual'),
      '2/1/2024',
      '1/1/2026',
    );
    expect(view(lines)).toEqual(['new 2/10/2024 2/10/2024-2/9/2025 x3 360.00', 'cancelImmediate 2/12/2024 2/12/2024-2/9/2025 x3 -358.02']);
    expect(lines[1]!.proration).toEqual({ basis: 'days', billed: 364, of: 366 });
    // The following year has no Feb 29: 365 days. Add 1 seat on 2/12/2025: 363/365 x 120 = 119.3424.. x1
    const next = run(
      [bought('2/10/2025', 1), { kind: 'add', effectiveDate: d('2/12/2025'), referenceId: 'a', quantityAfter: 2 }],
      offer('120', 'P1Y', 'annual'),
      '2/12/2025',
      '2/13/2025',
    );
    expect(next[0]!.proration).toEqual({ basis: 'days', billed: 363, of: 365 });
    expect(view(next)).toEqual(['addQuantity 2/12/2025 2/12/2025-2/9/2026 x1 -119.34', 'addQuantity 2/12/2025 2/12/2025-2/9/2026 x2 238.68']);
  });

  it('a 3-year term: triennial plan bills once; a seat added a year in is prorated over 1096 days', () => {
    // 6/18/2022..6/17/2024 = 731 of 1096 days; 300 x 731/1096 = 200.0912.. -> wipe -200.09, recreate x2 400.18
    const lines = run(
      [bought('6/18/2021', 1), { kind: 'add', effectiveDate: d('6/18/2022'), referenceId: 'a', quantityAfter: 2 }],
      offer('300', 'P3Y', 'triennial'),
      '6/1/2021',
      '6/19/2024',
    );
    expect(view(lines)).toEqual([
      'new 6/18/2021 6/18/2021-6/17/2024 x1 300.00',
      'addQuantity 6/18/2022 6/18/2022-6/17/2024 x1 -200.09',
      'addQuantity 6/18/2022 6/18/2022-6/17/2024 x2 400.18',
      'renew 6/18/2024 6/18/2024-6/17/2027 x2 600.00',
    ]);
    expect(lines[1]!.proration).toEqual({ basis: 'days', billed: 731, of: 1096 });
  });

  it('a 3-year term billed annually: cycle charges each year, each year its own day count', () => {
    const lines = run(
      [bought('6/18/2021', 2), { kind: 'remove', effectiveDate: d('6/20/2023'), referenceId: 'r', quantityAfter: 1 }],
      offer('100', 'P3Y', 'annual'),
      '6/1/2021',
      '7/1/2024',
    );
    expect(view(lines)).toEqual([
      'new 6/18/2021 6/18/2021-6/17/2022 x2 200.00',
      'cycleCharge 6/18/2022 6/18/2022-6/17/2023 x2 200.00',
      'cycleCharge 6/18/2023 6/18/2023-6/17/2024 x2 200.00',
      // 6/20/2023..6/17/2024 = 364 of 366 days (year 3 contains 2/29/2024): 100 x 364/366 = 99.4535..
      'removeQuantity 6/20/2023 6/20/2023-6/17/2024 x2 -198.90',
      'removeQuantity 6/20/2023 6/20/2023-6/17/2024 x1 99.45',
      'renew 6/18/2024 6/18/2024-6/17/2025 x1 100.00',
    ]);
  });

  it('non-USD billing currency: published licence formula ROUNDDOWN(EUP x rate, 2) x qty', () => {
    const eur = offer('12', 'P1M', 'monthly', { billingCurrency: 'EUR', pcToBcExchangeRate: '0.9123' });
    const lines = run(
      [bought('3/5/2022', 10), { kind: 'add', effectiveDate: d('3/7/2022'), referenceId: 'a', quantityAfter: 15 }],
      eur,
      '3/5/2022',
      '3/8/2022',
    );
    // new: 12 x 0.9123 = 10.9476 -> 10.94 x 10 = 109.40 (the usage formula would give ROUNDDOWN(120 x 0.9123) = 109.47)
    expect(lines[0]!.subtotal.toString()).toBe('109.4');
    expect(lines[0]!.currency).toBe('EUR');
    expect(lines[0]!.pricingCurrency).toBe('USD');
    expect(lines[0]!.effectiveUnitPrice.toString()).toBe('12');
    // recreate line, 15 seats, 29/31 days: TOTAL_TRUNCATED: 5220 x 0.9123 / 31 = 153.6195.. -> 153.61
    const recreate = lines[2]!;
    expect(recreate.rule).toBe(RoundingRule.TOTAL_TRUNCATED);
    expect(recreate.subtotal.toString()).toBe('153.61');
    const input = { unitPrice: recreate.unitPrice, proration: recreate.proration, sign: recreate.sign, quantity: 15, exchangeRate: recreate.exchangeRate };
    // EUP 11.225806.. x 0.9123 = 10.2413.. -> 10.24 x 15 = 153.60
    expect(subtotalUnder(RoundingRule.EUP_TRUNCATED_THEN_TIMES_QTY, input).toString()).toBe('153.6');
    // ROUNDDOWN(ROUNDDOWN(168.387.., 2) x 0.9123, 2) = ROUNDDOWN(153.613074, 2)
    expect(subtotalUnder(RoundingRule.USAGE_TOTAL_TRUNCATED_THEN_RATE, input).toString()).toBe('153.61');
    expect(() => run([bought('3/5/2022', 1)], offer('12', 'P1M', 'monthly', { billingCurrency: 'EUR' }), '3/5/2022', '3/6/2022')).toThrow(NceRuleError);
  });

  it('a rule can be overridden per charge type and the line records it', () => {
    const lines = expectedCharges(
      SubscriptionLedger.of('s', [bought('3/5/2022', 10), { kind: 'add', effectiveDate: d('3/7/2022'), referenceId: 'a', quantityAfter: 15 }]),
      offer('12'),
      { from: d('3/7/2022'), to: d('3/8/2022'), rules: { addQuantity: RoundingRule.EUP_TRUNCATED_THEN_TIMES_QTY } },
    );
    expect(lines.map((l) => [l.rule, l.subtotal.toString()])).toEqual([
      ['EUP_TRUNCATED_THEN_TIMES_QTY', '-112.2'],
      ['EUP_TRUNCATED_THEN_TIMES_QTY', '168.3'],
    ]);
  });
});

describe('lifecycle', () => {
  it('annual term billed monthly: cycle charges follow quantity changes, then the term renews', () => {
    const lines = run(
      [
        bought('6/18/2021', 10),
        { kind: 'add', effectiveDate: d('8/1/2021'), referenceId: 'a', quantityAfter: 12 },
        { kind: 'price', effectiveDate: d('6/18/2022'), referenceId: 'p', unitPrice: '11' },
      ],
      offer('10.08', 'P1Y', 'monthly'),
      '7/1/2021',
      '9/1/2021',
    );
    expect(view(lines)).toEqual([
      'cycleCharge 7/18/2021 7/18/2021-8/17/2021 x10 100.80',
      // 8/1..8/17 = 17 of July's 31 days: 10.08 x 17/31 = 5.527741..: wipe 55.277 -> -55.27, recreate x12 66.33
      'addQuantity 8/1/2021 8/1/2021-8/17/2021 x10 -55.27',
      'addQuantity 8/1/2021 8/1/2021-8/17/2021 x12 66.33',
      'cycleCharge 8/18/2021 8/18/2021-9/17/2021 x12 120.96',
    ]);
    const renewal = run(
      [bought('6/18/2021', 10), { kind: 'price', effectiveDate: d('6/18/2022'), referenceId: 'p', unitPrice: '11' }],
      offer('10.08', 'P1Y', 'monthly'),
      '6/1/2022',
      '7/1/2022',
    );
    expect(view(renewal)).toEqual(['renew 6/18/2022 6/18/2022-7/17/2022 x10 110.00']);
    expect(renewal[0]!.referenceId).toBe('sub:renew:2022-06-18');
  });

  it('a recorded renewal can change the quantity and carries its reference id', () => {
    const lines = run(
      [bought('6/18/2021', 10), { kind: 'renew', effectiveDate: d('7/18/2021'), referenceId: 'ren-1', quantityAfter: 7 }],
      offer('10'),
      '7/1/2021',
      '8/1/2021',
    );
    expect(view(lines)).toEqual(['renew 7/18/2021 7/18/2021-8/17/2021 x7 70.00']);
    expect(lines[0]!.referenceId).toBe('ren-1');
    expect(() =>
      run([bought('6/18/2021', 10), { kind: 'renew', effectiveDate: d('7/10/2021'), referenceId: 'r' }], offer('10'), '6/1/2021', '8/1/2021'),
    ).toThrow(NceRuleError);
  });

  it('no renewal when auto-renew is off or the subscription is suspended at term end', () => {
    const off = run([{ ...bought('6/18/2021', 10), autoRenew: false }], offer('10'), '6/1/2021', '12/1/2021');
    expect(view(off)).toEqual(['new 6/18/2021 6/18/2021-7/17/2021 x10 100.00']);
    const suspended = run([bought('6/18/2021', 10), { kind: 'suspend', effectiveDate: d('7/1/2021'), referenceId: 's' }], offer('10'), '6/1/2021', '12/1/2021');
    expect(suspended).toHaveLength(1);
  });

  it('nothing is billed after a cancellation', () => {
    const lines = run([bought('7/15/2021', 10), { kind: 'cancel', effectiveDate: d('7/17/2021'), referenceId: 'c' }], offer('10.08'), '7/1/2021', '12/1/2021');
    expect(lines.map((l) => l.chargeType)).toEqual(['new', 'cancelImmediate']);
  });

  it('a term change takes effect at the next renewal', () => {
    const lines = run(
      [bought('6/18/2021', 1), { kind: 'term', effectiveDate: d('7/1/2021'), referenceId: 't', term: 'P1Y', billingPlan: 'monthly' }],
      offer('10'),
      '7/1/2021',
      '9/1/2021',
    );
    expect(lines.map((l) => `${l.chargeType} ${l.term}`)).toEqual(['renew P1Y', 'cycleCharge P1Y']);
  });

  it('billing plan changes: longer plans mid-term at a cycle start, shorter only at renewal, never mid-cycle', () => {
    const annual = offer('250', 'P1Y', 'annual');
    expect(() =>
      run(
        [bought('9/20/2021', 1), { kind: 'billingPlan', effectiveDate: d('10/20/2021'), referenceId: 'p', billingPlan: 'monthly', unitPrice: '20' }],
        annual,
        '9/1/2021',
        '11/1/2021',
      ),
    ).toThrow(/only at renewal/);
    expect(() =>
      run(
        [bought('9/20/2021', 1), { kind: 'billingPlan', effectiveDate: d('10/25/2021'), referenceId: 'p', billingPlan: 'annual', unitPrice: '250' }],
        offer('20', 'P1Y', 'monthly'),
        '9/1/2021',
        '11/1/2021',
      ),
    ).toThrow(/not at the start of a billing cycle/);
    expect(() => run([bought('9/20/2021', 1)], offer('20', 'P1M', 'annual'), '9/1/2021', '11/1/2021')).toThrow(/does not fit/);
  });

  it('a partial conversion bills the target subscription; its own ledger opened by the conversion bills no "new"', () => {
    const target = SubscriptionLedger.of('tgt', [{ ...bought('6/25/2021', 100), openedByConversion: true, productId: 'E1' }]);
    const lines = expectedCharges(target, offer('6.43'), { from: d('6/1/2021'), to: d('7/26/2021') });
    expect(view(lines)).toEqual(['renew 7/25/2021 7/25/2021-8/24/2021 x100 643.00']);
  });

  it('lines are deterministic and ordered by order date', () => {
    const entries = [bought('3/5/2022', 10), { kind: 'add', effectiveDate: d('3/7/2022'), referenceId: 'a', quantityAfter: 15 } as LedgerEntryInput];
    const a = run(entries, offer('12'), '1/1/2022', '1/1/2023');
    const b = run(entries, offer('12'), '1/1/2022', '1/1/2023');
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    for (let i = 1; i < a.length; i++) expect(a[i]!.orderDate).toBeGreaterThanOrEqual(a[i - 1]!.orderDate);
    expect(a).toHaveLength(3 + 9); // new, wipe, recreate, then renewals 4/5 .. 12/5
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------------------------

const anchorArb = fc.integer({ min: 18000, max: 22000 }).map((n) => n as CalendarDate);
const priceArb = fc.integer({ min: 1, max: 500_000 }).map((cents) => new Decimal(cents).div(100));

describe('charge arithmetic (property)', () => {
  it('within one cycle, the wipe/recreate lines sum to the direct formula over the ledger segments', () => {
    fc.assert(
      fc.property(
        anchorArb,
        priceArb,
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 24 }),
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 6 }), delta: fc.integer({ min: -30, max: 30 }) }), { minLength: 1, maxLength: 8 }),
        (anchor, price, initial, k, changes) => {
          const cycleStart = gridStart(anchor, k);
          const cycleEnd = gridEnd(anchor, k + 1);
          const entries: LedgerEntryInput[] = [{ kind: 'new', effectiveDate: anchor, referenceId: 'n', quantityDelta: initial, productId: 'SKU' }];
          let q = initial;
          let date = cycleStart;
          let n = 0;
          for (const c of changes) {
            date = addDays(date, c.gap);
            if (date > cycleEnd) break;
            const after = Math.max(0, q + c.delta);
            if (after === q) continue;
            entries.push({ kind: after > q ? 'add' : 'remove', effectiveDate: date, referenceId: `c${++n}`, quantityAfter: after });
            q = after;
          }
          const ledger = SubscriptionLedger.of('s', entries);
          const o = offer(price.toString());
          const lines = expectedCharges(ledger, o, { from: cycleStart, to: addDays(cycleEnd, 1) }).filter((l) => l.role === 'wipe' || l.role === 'recreate');
          const cycleDays = monthlyCycleDays(cycleStart);
          // Direct formula, from the ledger's segments rather than from the lines: price / cycle days x
          // the seat-days added or removed relative to the quantity bought (all changes are in this cycle).
          const firstChange = entries[1]?.effectiveDate ?? addDays(cycleEnd, 1);
          let seatDays = 0;
          for (const s of ledger.segments({ start: firstChange, end: addDays(cycleEnd, 1) }))
            seatDays += (s.quantity - initial) * (s.period.end - s.period.start);
          const direct = price.times(seatDays).div(cycleDays);
          const exact = lines.reduce((sum, l) => sum.plus(l.effectiveUnitPrice.times(l.billableQuantity)), new Decimal(0));
          expect(exact.minus(direct).abs().lt('1e-30')).toBe(true);
          const rounded = lines.reduce((sum, l) => sum.plus(l.subtotal), new Decimal(0));
          // Each line truncates by less than a cent, toward zero.
          expect(
            rounded
              .minus(direct)
              .abs()
              .lt(new Decimal('0.01').times(Math.max(1, lines.length))),
          ).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a prorated part of a cycle never exceeds the whole, for any event day and plan', () => {
    fc.assert(
      fc.property(
        anchorArb,
        priceArb,
        fc.constantFrom(['P1M', 'monthly'], ['P1Y', 'monthly'], ['P1Y', 'annual'], ['P3Y', 'annual'], ['P3Y', 'triennial']),
        fc.integer({ min: 0, max: 1200 }),
        fc.integer({ min: 1, max: 500 }),
        (anchor, price, [term, plan], offset, qty) => {
          const date = addDays(anchor, offset);
          const entries: LedgerEntryInput[] = [
            { kind: 'new', effectiveDate: anchor, referenceId: 'n', quantityDelta: qty, productId: 'SKU' },
            { kind: 'cancel', effectiveDate: date, referenceId: 'c' },
          ];
          const lines = expectedCharges(
            SubscriptionLedger.of('s', entries),
            offer(price.toString(), term as NceOffer['term'], plan as NceOffer['billingPlan']),
            { from: anchor, to: addDays(date, 1) },
          );
          const cancel = lines.find((l) => l.chargeType === 'cancelImmediate')!;
          const whole = lines.filter((l) => l.chargeType !== 'cancelImmediate').pop()!;
          expect(cancel.proration.billed).toBeLessThanOrEqual(cancel.proration.of);
          expect(cancel.effectiveUnitPrice.abs().lte(price)).toBe(true);
          expect(cancel.subtotal.abs().lte(whole.subtotal)).toBe(true);
          expect(cancel.chargeEndInclusive).toBe(whole.chargeEndInclusive);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('every rule truncates toward zero: credits and charges of the same days mirror each other', () => {
    fc.assert(
      fc.property(
        priceArb,
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: 28, max: 31 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 20000 }),
        (price, billed, of, qty, rate) => {
          const proration = { basis: 'days' as const, billed: Math.min(billed, of), of };
          for (const rule of Object.values(RoundingRule)) {
            const x = { unitPrice: price, proration, quantity: qty, exchangeRate: new Decimal(rate).div(10000) };
            expect(subtotalUnder(rule, { ...x, sign: -1 }).eq(subtotalUnder(rule, { ...x, sign: 1 }).negated())).toBe(true);
          }
        },
      ),
    );
  });
});
