import { generateInvoice, type InvoiceSubscription } from '../../../core/src/invoicing';
import type { LedgerEntryInput } from '../../../core/src/ledger';
import { amounts, contract, d, ledger, period, sum } from './fixtures';

/**
 * Published worked examples of other billing systems whose semantics match ours (daily proration
 * over the days of the current billing period; a price change credits the unused time at the old
 * price and charges the remaining time at the new one). Their examples count whole days; in our
 * day model a change "effective on day X" bills [X, period end).
 */
const flatContract = (price: string) =>
  contract({ startDate: d('2012-01-01'), priceList: { id: 'PL', prices: { PLAN: { currency: 'USD', unitPrice: price } } } });
const sub = (id: string, entries: Omit<LedgerEntryInput, 'referenceId'>[]): InvoiceSubscription => ({
  id,
  offerId: 'PLAN',
  ledger: ledger(
    id,
    entries.map((e) => ({ productId: 'PLAN', ...e })),
  ),
});

describe('Stripe docs, "Prorations" (docs.stripe.com/billing/subscriptions/prorations)', () => {
  it('Stripe: upgrade from a 10 USD to a 20 USD monthly price halfway through the period -> -5 USD unused time, +10 USD remaining time, +5 USD net', () => {
    // June 2024 has 30 days; halfway = 15 days used (6/1..6/15), change effective 6/16, 15 days remaining.
    const s = sub('stripe', [
      { kind: 'new', effectiveDate: d('2024-05-01'), quantityDelta: 1, customerUnitPrice: '10' },
      { kind: 'price', effectiveDate: d('2024-06-16'), customerUnitPrice: '20' },
    ]);
    const inv = generateInvoice({ contract: flatContract('10'), subscriptions: [s], period: period('2024-06-01', '2024-07-01') });
    // -(10 x 15/30) = -5.00 ; +(20 x 15/30) = +10.00
    expect(amounts(inv, 'prorated')).toEqual(['-5', '10']);
    expect(sum(inv.lines.filter((l) => l.type === 'prorated').map((l) => l.amount)).toFixed(2)).toBe('5.00');
  });
});

describe('Chargebee docs, "Proration" (chargebee.com/docs/proration-old.html)', () => {
  it('Chargebee example 1: downgrade $60 -> $30/month on 21 Apr 2012, period 1 Apr - 1 May, 20 days used -> $20 unused credit, $10 charge, $10 net credit', () => {
    const s = sub('cb1', [
      { kind: 'new', effectiveDate: d('2012-03-01'), quantityDelta: 1, customerUnitPrice: '60' },
      { kind: 'price', effectiveDate: d('2012-04-21'), customerUnitPrice: '30' },
    ]);
    const inv = generateInvoice({ contract: flatContract('60'), subscriptions: [s], period: period('2012-04-01', '2012-05-01') });
    // April has 30 days; 4/21..4/30 = 10 days remaining: -(60 x 10/30) = -20 ; +(30 x 10/30) = +10
    expect(amounts(inv)).toEqual(['60', '-20', '10']);
    expect(inv.total.toFixed(2)).toBe('50.00'); // $60 billed in advance less the $10 net credit
  });

  it('Chargebee example 2: quantity 3 -> 2 at $30, period 1 Apr - 1 May 2013, used 10 days -> the unused $20 of the removed unit is credited', () => {
    // Chargebee counts 10 Apr as the 10th day used, so in our day model the change takes effect 4/11 (20 days remaining).
    const s = sub('cb2', [
      { kind: 'new', effectiveDate: d('2013-03-01'), quantityDelta: 3 },
      { kind: 'remove', effectiveDate: d('2013-04-11'), quantityDelta: -1 },
    ]);
    const inv = generateInvoice({ contract: flatContract('30'), subscriptions: [s], period: period('2013-04-01', '2013-05-01') });
    // 3 x 30 = 90 billed; -(1 x 30 x 20/30) = -20; net 70 = $30 for 10 days of 3 units + $40 for 20 days of 2 units
    expect(amounts(inv)).toEqual(['90', '-20']);
    expect(inv.total.toFixed(2)).toBe('70.00');
  });
});

describe('Chargebee support, "Pro-ration logic in subscriptions" (support.chargebee.com/support/solutions/articles/15293)', () => {
  it('Chargebee: Plan A $30 -> Plan B $100 in November with 15 of 30 days unused -> credit ($30/30) x 15 = $15, charge ($100/30) x 15 = $50, $35 due', () => {
    const s = sub('cb3', [
      { kind: 'new', effectiveDate: d('2021-11-01'), quantityDelta: 1, customerUnitPrice: '30' },
      { kind: 'price', effectiveDate: d('2021-11-16'), customerUnitPrice: '100' },
    ]);
    const inv = generateInvoice({ contract: flatContract('30'), subscriptions: [s], period: period('2021-11-01', '2021-12-01') });
    expect(amounts(inv, 'prorated')).toEqual(['-15', '50']);
    expect(inv.total.minus(30).toFixed(2)).toBe('35.00');
  });
});
