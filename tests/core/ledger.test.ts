import fc from 'fast-check';
import { addDays, CalendarDate, formatIso, parseDate, period, periodDays } from '../../core/src/calendar';
import { LedgerError } from '../../core/src/errors';
import { LedgerEntryInput, SubscriptionLedger } from '../../core/src/ledger';

const d = parseDate;

function newSub(quantity = 10, date = '3/5/2022'): LedgerEntryInput {
  return {
    kind: 'new',
    effectiveDate: d(date),
    referenceId: 'r-new',
    quantityDelta: quantity,
    productId: 'CFQ7TTC0LDPB',
    unitPrice: '12',
    term: 'P1M',
    billingPlan: 'monthly',
  };
}

describe('SubscriptionLedger', () => {
  it('records quantity before / delta / after and prices in force', () => {
    const ledger = SubscriptionLedger.of('sub-1', [
      newSub(),
      { kind: 'add', effectiveDate: d('3/7/2022'), referenceId: 'r1', quantityAfter: 15 },
      { kind: 'remove', effectiveDate: d('3/12/2022'), referenceId: 'r2', quantityDelta: -2, quantityBefore: 15 },
      { kind: 'price', effectiveDate: d('4/5/2022'), referenceId: 'r3', unitPrice: '12.5', customerUnitPrice: '15' },
    ]);
    expect(ledger.entries.map((e) => [e.kind, e.quantityBefore, e.quantityDelta, e.quantityAfter])).toEqual([
      ['new', 0, 10, 10],
      ['add', 10, 5, 15],
      ['remove', 15, -2, 13],
      ['price', 13, 0, 13],
    ]);
    expect(ledger.quantityAt(d('3/4/2022'))).toBe(0);
    expect(ledger.quantityAt(d('3/6/2022'))).toBe(10);
    expect(ledger.quantityAt(d('3/7/2022'))).toBe(15);
    expect(ledger.stateAt(d('3/31/2022')).unitPrice?.toString()).toBe('12');
    expect(ledger.stateAt(d('4/5/2022')).unitPrice?.toString()).toBe('12.5');
    expect(ledger.current.customerUnitPrice?.toString()).toBe('15');
    expect(Object.isFrozen(ledger.entries[0])).toBe(true);
  });

  it('refuses entries that break an invariant, naming the offending entry', () => {
    const ledger = SubscriptionLedger.of('sub-1', [newSub(3)]);
    expect(() => ledger.append({ kind: 'remove', effectiveDate: d('3/6/2022'), referenceId: 'x', quantityDelta: -4 })).toThrow(/never negative/);
    expect(() => ledger.append({ kind: 'add', effectiveDate: d('3/4/2022'), referenceId: 'x', quantityDelta: 1 })).toThrow(/before the previous entry/);
    expect(() => ledger.append({ kind: 'add', effectiveDate: d('3/6/2022'), referenceId: 'x', quantityDelta: 1, quantityBefore: 7 })).toThrow(
      /quantity before is 3/,
    );
    expect(() => ledger.append({ kind: 'add', effectiveDate: d('3/6/2022'), referenceId: 'x', quantityDelta: -1 })).toThrow(/must increase/);
    expect(() => ledger.append({ kind: 'price', effectiveDate: d('3/6/2022'), referenceId: 'x', quantityDelta: 2, unitPrice: '1' })).toThrow(
      /does not change seats/,
    );
    expect(() => ledger.append({ kind: 'reactivate', effectiveDate: d('3/6/2022'), referenceId: 'x' })).toThrow(/only a suspended/);
    expect(() => ledger.append({ kind: 'new', effectiveDate: d('3/6/2022'), referenceId: 'x', quantityDelta: 1, productId: 'p' })).toThrow(/first entry/);
    expect(() => ledger.append({ kind: 'add', effectiveDate: d('3/6/2022'), referenceId: ' ', quantityDelta: 1 })).toThrow(/referenceId/);
    try {
      ledger.append({ kind: 'remove', effectiveDate: d('3/6/2022'), referenceId: 'bad', quantityDelta: -9 });
    } catch (e) {
      expect(e).toBeInstanceOf(LedgerError);
      expect((e as LedgerError).value).toMatchObject({ subscriptionId: 'sub-1', kind: 'remove', referenceId: 'bad', before: 3, delta: -9 });
    }
    expect(ledger.entries).toHaveLength(1);
    expect(() => SubscriptionLedger.of('s', [{ kind: 'add', effectiveDate: d('3/6/2022'), referenceId: 'x', quantityDelta: 1 }])).toThrow(
      /first entry must be "new"/,
    );
  });

  it('nothing follows a cancellation; suspend and reactivate toggle status', () => {
    const ledger = SubscriptionLedger.of('s', [
      newSub(),
      { kind: 'suspend', effectiveDate: d('3/8/2022'), referenceId: 's1' },
      { kind: 'reactivate', effectiveDate: d('3/9/2022'), referenceId: 's2' },
      { kind: 'cancel', effectiveDate: d('3/10/2022'), referenceId: 'c' },
    ]);
    expect(ledger.stateAt(d('3/8/2022')).status).toBe('suspended');
    expect(ledger.stateAt(d('3/9/2022')).status).toBe('active');
    expect(ledger.current).toMatchObject({ status: 'cancelled', quantity: 0 });
    expect(() => ledger.append({ kind: 'add', effectiveDate: d('3/11/2022'), referenceId: 'x', quantityDelta: 1 })).toThrow(/cancelled/);
  });

  it('full conversion switches product and price; partial conversion moves seats out', () => {
    const full = SubscriptionLedger.of('s', [
      newSub(300),
      {
        kind: 'convert',
        effectiveDate: d('3/9/2022'),
        referenceId: 'c',
        conversion: { targetProductId: 'E1', targetUnitPrice: '6.43', convertedQuantity: 300 },
      },
    ]);
    expect(full.current).toMatchObject({ productId: 'E1', quantity: 300 });
    expect(full.current.unitPrice?.toString()).toBe('6.43');
    const partial = SubscriptionLedger.of('s', [
      newSub(300),
      {
        kind: 'convert',
        effectiveDate: d('3/9/2022'),
        referenceId: 'c',
        conversion: { targetProductId: 'E1', targetUnitPrice: '6.43', convertedQuantity: 100, targetSubscriptionId: 't' },
      },
    ]);
    expect(partial.current).toMatchObject({ productId: 'CFQ7TTC0LDPB', quantity: 200 });
    expect(() =>
      SubscriptionLedger.of('s', [
        newSub(300),
        {
          kind: 'convert',
          effectiveDate: d('3/9/2022'),
          referenceId: 'c',
          conversion: { targetProductId: 'E1', targetUnitPrice: '6.43', convertedQuantity: 100 },
        },
      ]),
    ).toThrow(/needs a target subscription id/);
  });

  it('segments of constant quantity and price inside a period', () => {
    const ledger = SubscriptionLedger.of('s', [
      newSub(10),
      { kind: 'add', effectiveDate: d('3/7/2022'), referenceId: 'a', quantityAfter: 15 },
      { kind: 'price', effectiveDate: d('3/9/2022'), referenceId: 'p', unitPrice: '12' }, // same price: no new segment
      { kind: 'remove', effectiveDate: d('3/12/2022'), referenceId: 'r', quantityAfter: 12 },
    ]);
    const segs = ledger.segments(period(d('3/1/2022'), d('4/1/2022')));
    expect(segs.map((s) => [formatIso(s.period.start), formatIso(s.period.end), s.quantity, s.unitPrice?.toString() ?? null])).toEqual([
      ['2022-03-01', '2022-03-05', 0, null],
      ['2022-03-05', '2022-03-07', 10, '12'],
      ['2022-03-07', '2022-03-12', 15, '12'],
      ['2022-03-12', '2022-04-01', 12, '12'],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests: the invariants hold for any sequence of seat changes.
// ---------------------------------------------------------------------------------------------

type Op = { gap: number; kind: 'add' | 'remove' | 'price' | 'suspendToggle'; amount: number };
const opArb: fc.Arbitrary<Op> = fc.record({
  gap: fc.integer({ min: 0, max: 40 }),
  kind: fc.constantFrom('add', 'remove', 'price', 'suspendToggle') as fc.Arbitrary<Op['kind']>,
  amount: fc.integer({ min: 1, max: 50 }),
});

/** Applies ops, skipping the ones the ledger must refuse (and checking it does refuse them). */
function build(start: number, initial: number, ops: Op[]): SubscriptionLedger {
  const ledger = SubscriptionLedger.of('prop', [{ ...newSub(initial), effectiveDate: start as CalendarDate }]);
  let date = start as CalendarDate;
  let n = 0;
  for (const op of ops) {
    date = addDays(date, op.gap);
    const ref = `r${++n}`;
    const q = ledger.current.quantity;
    if (op.kind === 'add') ledger.append({ kind: 'add', effectiveDate: date, referenceId: ref, quantityDelta: op.amount });
    else if (op.kind === 'remove') {
      const input: LedgerEntryInput = { kind: 'remove', effectiveDate: date, referenceId: ref, quantityDelta: -op.amount };
      if (op.amount > q) {
        expect(() => ledger.append(input)).toThrow(LedgerError);
        expect(ledger.current.quantity).toBe(q);
      } else ledger.append(input);
    } else if (op.kind === 'price') ledger.append({ kind: 'price', effectiveDate: date, referenceId: ref, unitPrice: `${op.amount}.5` });
    else ledger.append({ kind: ledger.current.status === 'active' ? 'suspend' : 'reactivate', effectiveDate: date, referenceId: ref });
  }
  return ledger;
}

describe('ledger invariants (property)', () => {
  const args = [fc.integer({ min: 18000, max: 21000 }), fc.integer({ min: 1, max: 40 }), fc.array(opArb, { maxLength: 25 })] as const;

  it('quantity is never negative and each entry continues the previous one', () => {
    fc.assert(
      fc.property(...args, (start, initial, ops) => {
        const ledger = build(start, initial, ops);
        let previousAfter = 0;
        for (const e of ledger.entries) {
          expect(e.quantityBefore).toBe(previousAfter);
          expect(e.quantityAfter).toBe(e.quantityBefore + e.quantityDelta);
          expect(e.quantityAfter).toBeGreaterThanOrEqual(0);
          previousAfter = e.quantityAfter;
        }
      }),
    );
  });

  it('quantity at any date = begin (0) + all changes effective up to it', () => {
    fc.assert(
      fc.property(...args, fc.integer({ min: -5, max: 1200 }), (start, initial, ops, probe) => {
        const ledger = build(start, initial, ops);
        const date = addDays(start as CalendarDate, probe);
        const expected = ledger.entries.filter((e) => e.effectiveDate <= date).reduce((s, e) => s + e.quantityDelta, 0);
        expect(ledger.quantityAt(date)).toBe(expected);
      }),
    );
  });

  it('replay is deterministic: stored entries rebuild the same states, twice', () => {
    fc.assert(
      fc.property(...args, (start, initial, ops) => {
        const ledger = build(start, initial, ops);
        const once = SubscriptionLedger.replay('prop', ledger.entries);
        const twice = SubscriptionLedger.replay('prop', [...once.entries].reverse());
        const end = addDays(start as CalendarDate, 1500);
        for (let day = start; day <= end; day += 37) {
          const date = day as CalendarDate;
          expect(JSON.stringify(once.stateAt(date))).toBe(JSON.stringify(ledger.stateAt(date)));
          expect(JSON.stringify(twice.stateAt(date))).toBe(JSON.stringify(ledger.stateAt(date)));
        }
        expect(JSON.stringify(twice.entries)).toBe(JSON.stringify(ledger.entries));
      }),
    );
  });

  it('a tampered stored entry is refused on replay', () => {
    const ledger = build(19000, 5, [{ gap: 3, kind: 'add', amount: 2 }]);
    const tampered = ledger.entries.map((e) => (e.sequence === 2 ? { ...e, quantityBefore: 4, quantityAfter: 6 } : e));
    expect(() => SubscriptionLedger.replay('prop', tampered)).toThrow(LedgerError);
  });

  it('segments tile the period and agree with quantityAt on every day', () => {
    fc.assert(
      fc.property(...args, fc.integer({ min: -10, max: 300 }), fc.integer({ min: 0, max: 400 }), (start, initial, ops, from, len) => {
        const ledger = build(start, initial, ops);
        const p = period(addDays(start as CalendarDate, from), addDays(start as CalendarDate, from + len));
        const segs = ledger.segments(p);
        expect(segs.reduce((s, x) => s + periodDays(x.period), 0)).toBe(periodDays(p));
        let cursor = p.start;
        for (const s of segs) {
          expect(s.period.start).toBe(cursor);
          for (let day = s.period.start; day < s.period.end; day++) expect(ledger.quantityAt(day as CalendarDate)).toBe(s.quantity);
          cursor = s.period.end;
        }
        for (let i = 1; i < segs.length; i++) {
          const a = segs[i - 1]!;
          const b = segs[i]!;
          const same = a.quantity === b.quantity && a.status === b.status && (a.unitPrice?.toString() ?? '') === (b.unitPrice?.toString() ?? '');
          expect(same).toBe(false);
        }
      }),
      { numRuns: 60 },
    );
  });
});
