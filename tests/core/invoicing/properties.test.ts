import fc from 'fast-check';
import { addDays, CalendarDate, periodDays } from '../../../core/src/calendar';
import { FixedRateTable, generateInvoice, prorated, roundLine, type BillingContract, type InvoiceSubscription } from '../../../core/src/invoicing';
import type { LedgerEntryInput } from '../../../core/src/ledger';
import { Decimal, minorUnits, RoundingMode } from '../../../core/src/money';
import { contract, d, ledger, sum } from './fixtures';

const modes: RoundingMode[] = ['halfUp', 'halfEven', 'truncate'];
const currencies = ['USD', 'JPY', 'KWD'] as const;

describe('property: a full period split at any set of change dates sums back to the full-period price', () => {
  it('within one minor unit per split, for every rounding mode and 0/2/3-decimal currency', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...currencies),
        fc.constantFrom(...modes),
        fc.integer({ min: 28, max: 366 }),
        fc.integer({ min: 1, max: 500 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 365 }), { maxLength: 12 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        (currency, mode, days, quantity, rawSplits, pricePlaces, priceUnits) => {
          const places = Math.min(pricePlaces, minorUnits(currency));
          const price = new Decimal(priceUnits).div(new Decimal(10).pow(places));
          const splits = [...new Set(rawSplits.filter((s) => s < days))].sort((a, b) => a - b);
          const bounds = [0, ...splits, days];
          const periodPrice = price.times(quantity);
          const rate = new Decimal(1);
          const pieces = bounds
            .slice(1)
            .map((end, i) => roundLine(prorated(periodPrice, 1, 1, { billed: end - (bounds[i] as number), of: days }, rate), mode, currency));
          const full = roundLine(prorated(periodPrice, 1, 1, { billed: days, of: days }, rate), mode, currency);
          const unit = new Decimal(10).pow(-minorUnits(currency));
          expect(full.eq(periodPrice)).toBe(true); // price has no more places than the currency: exact
          expect(sum(pieces).minus(full).abs().lte(unit.times(splits.length))).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('through the engine: seat changes on random days bill sum(seats per day) x price / days within one minor unit per line', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...modes),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.record({ day: fc.integer({ min: 1, max: 30 }), delta: fc.integer({ min: -20, max: 20 }) }), { maxLength: 8 }),
        (mode, start, changes) => {
          const entries: Omit<LedgerEntryInput, 'referenceId'>[] = [{ kind: 'new', effectiveDate: d('2024-02-10'), quantityDelta: start }];
          let q = start;
          const seatsOn = new Array<number>(31).fill(0);
          const sorted = [...changes].sort((a, b) => a.day - b.day);
          for (const c of sorted) {
            const next = q + c.delta;
            if (c.delta === 0 || next < 1) continue;
            entries.push({ kind: c.delta > 0 ? 'add' : 'remove', effectiveDate: addDays(d('2024-03-01'), c.day), quantityDelta: c.delta });
            q = next;
          }
          const s: InvoiceSubscription = { id: 'p', offerId: 'M365BS', ledger: ledger('p', entries) };
          const inv = generateInvoice({ contract: contract({ rounding: mode }), subscriptions: [s], period: { start: d('2024-03-01'), end: d('2024-04-01') } });
          for (let day = 0; day < 31; day++) seatsOn[day] = s.ledger!.quantityAt(addDays(d('2024-03-01'), day) as CalendarDate);
          const exact = new Decimal(seatsOn.reduce((a, b) => a + b, 0)).times('12.00').div(31);
          expect(inv.total.minus(exact).abs().lte(new Decimal('0.01').times(inv.lines.length))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('property: an invoice total equals the sum of its lines', () => {
  it('for any mix of seats, changes, tiers, discounts, usage, one-time charges, taxes, currencies and rounding', () => {
    const rates = new FixedRateTable('test', [
      { from: 'USD', to: 'JPY', rate: '151.37' },
      { from: 'USD', to: 'KWD', rate: '0.3075' },
      { from: 'USD', to: 'EUR', rate: '0.9123' },
    ]);
    fc.assert(
      fc.property(
        fc.constantFrom('USD', 'JPY', 'KWD', 'EUR'),
        fc.constantFrom(...modes),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.array(
          fc.record({
            start: fc.integer({ min: 1, max: 40 }),
            changes: fc.array(fc.record({ day: fc.integer({ min: 1, max: 30 }), delta: fc.integer({ min: -10, max: 10 }) }), { maxLength: 5 }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        fc.array(fc.integer({ min: 1, max: 99_999 }), { maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 2500 }), { maxLength: 3 }),
        (currency, mode, tiered, perLine, onDiscounted, subsSpec, usageCents, taxBp) => {
          const c: BillingContract = contract({
            currency,
            rounding: mode,
            usageMarkupPercent: '12.5',
            priceList: {
              id: 'PL',
              prices: {
                M365BS: tiered
                  ? {
                      currency: 'USD',
                      tiers: {
                        mode: 'tiered',
                        tiers: [
                          { upTo: 10, unitPrice: '12.30' },
                          { upTo: null, unitPrice: '9.99', flatFee: '5' },
                        ],
                      },
                    }
                  : { currency: 'USD', unitPrice: '12.37' },
              },
            },
            discounts: [
              { id: 'P', kind: 'percent', value: '7.5', end: d('2024-03-13') },
              { id: 'F', kind: 'fixed', value: '3', start: d('2024-03-20') },
            ],
            tax: {
              rates: taxBp.map((bp, i) => ({ jurisdiction: `J${i}`, ratePercent: new Decimal(bp).div(100).toString() })),
              calculation: perLine ? 'perLine' : 'perInvoice',
              taxOnDiscountedAmount: onDiscounted,
            },
          });
          const subs: InvoiceSubscription[] = subsSpec.map((spec, i) => {
            const entries: Omit<LedgerEntryInput, 'referenceId'>[] = [{ kind: 'new', effectiveDate: d('2024-02-01'), quantityDelta: spec.start }];
            let q = spec.start;
            for (const ch of [...spec.changes].sort((a, b) => a.day - b.day)) {
              if (ch.delta === 0 || q + ch.delta < 1) continue;
              entries.push({ kind: ch.delta > 0 ? 'add' : 'remove', effectiveDate: addDays(d('2024-03-01'), ch.day), quantityDelta: ch.delta });
              q += ch.delta;
            }
            return {
              id: `s${i}`,
              vendorSubscriptionId: `V${i}`,
              offerId: 'M365BS',
              vendorCost: { currency: 'USD', unitCost: '9.10' },
              ledger: ledger(`s${i}`, entries),
            };
          });
          const usage = usageCents.map(
            (n, i) =>
              ({
                kind: 'usage',
                format: 'nce-daily-usage',
                firstRow: 2,
                subscriptionId: `V${i % subs.length}`,
                meterId: `m${i}`,
                rowCount: 1,
                chargeType: 'new',
                chargeTypeKey: 'new',
                chargeStart: d('2024-02-01'),
                chargeEndInclusive: d('2024-02-29'),
                period: { start: d('2024-02-01'), end: d('2024-03-01') },
                currency: 'USD',
                firstUsageDate: d('2024-02-01'),
                lastUsageDate: d('2024-02-29'),
                quantity: new Decimal(1),
                amount: new Decimal(n).div(1000),
              }) as never,
          );
          const inv = generateInvoice({ contract: c, subscriptions: subs, usage, rates, period: { start: d('2024-03-01'), end: d('2024-04-01') } });
          const places = minorUnits(currency);
          expect(inv.total.eq(sum(inv.lines.map((l) => l.amount)))).toBe(true);
          expect(inv.subtotal.plus(inv.tax).eq(inv.total)).toBe(true);
          expect(inv.lines.every((l) => l.amount.decimalPlaces() <= places)).toBe(true);
          expect(periodDays(inv.period)).toBe(31);
        },
      ),
      { numRuns: 150 },
    );
  });
});
