/**
 * Margin rules and the renewal price review, hand-computed: each rule's price for the next term,
 * rounded half up to the cent, the margin it leaves as a percent of that price against the floor,
 * and the cost of the next term taken from the price list on the renewal day (a price change
 * before the renewal is what the next term costs).
 */
import { Decimal, parseDate, PriceBook, readPriceSheet, renewalPrice, reviewRenewals, type Renewal, type ReviewSubject } from '../../../core/src';

const D = (v: string) => new Decimal(v);

describe('the price a rule gives', () => {
  it('percent on cost, discount off ERP, fixed: to the cent, half up', () => {
    expect(renewalPrice({ kind: 'percentOnCost', percent: D('20') }, D('7.70'), undefined)).toEqual({ price: D('9.24'), how: 'cost 7.70 + 20%' });
    // 10.80 x 1.125 = 12.15; 10.85 x 1.125 = 12.20625 -> 12.21
    expect(renewalPrice({ kind: 'percentOnCost', percent: D('12.5') }, D('10.85'), undefined)).toMatchObject({ price: D('12.21') });
    // ERP 13.75 less 8% = 12.65
    expect(renewalPrice({ kind: 'discountOffErp', percent: D('8') }, D('12.00'), D('13.75'))).toEqual({ price: D('12.65'), how: 'ERP 13.75 - 8%' });
    expect(renewalPrice({ kind: 'discountOffErp', percent: D('8') }, D('12.00'), undefined)).toEqual({
      reason: 'the price list gives no ERP price to discount',
    });
    expect(renewalPrice({ kind: 'fixedPrice', price: D('16') }, D('15.00'), undefined)).toEqual({ price: D('16.00'), how: 'fixed 16.00' });
  });
});

describe('the review of coming renewals', () => {
  const renewal = (id: string, renewsOn: string, cost: string, over: Partial<Renewal> = {}): Renewal => ({
    vendorSubscriptionId: id,
    name: `Sub ${id}`,
    customer: 'Contoso',
    status: 'active',
    quantity: 10,
    termEnd: (parseDate(renewsOn) - 1) as Renewal['termEnd'],
    autoRenew: true,
    vendorUnitCost: D(cost),
    customerUnitPrice: D('9.00'),
    currency: 'USD',
    renewsOn: parseDate(renewsOn),
    daysUntil: 10,
    bucket: 30,
    ...over,
  });
  const HEADER = 'ProductId,SkuId,TermDuration,BillingPlan,Market,Currency,UnitPrice,EffectiveStartDate,EffectiveEndDate,ERP Price';
  const book = new PriceBook(
    readPriceSheet(
      [HEADER, 'CFQ7TTC0LH18,0001,P1M,Monthly,US,USD,7.20,2020-01-01,2026-10-31,9.00', 'CFQ7TTC0LH18,0001,P1M,Monthly,US,USD,7.70,2026-11-01,,9.60'].join('\n'),
      'prices.csv',
    ).rows,
  );
  const basic = { productId: 'CFQ7TTC0LH18', skuId: '0001', term: 'P1M', billingPlan: 'monthly' } as const;

  it("prices the next term from the price list's price on the renewal day, and checks the floor", () => {
    const subjects: ReviewSubject[] = [
      // Renews before the change: cost 7.20, +20% = 8.64, margin 1.44 = 16.67% >= 15%.
      {
        renewal: renewal('a', '2026-10-20', '7.20'),
        ...basic,
        rule: { rule: { kind: 'percentOnCost', percent: D('20'), floorPercent: D('15') }, source: 'offer' },
      },
      // Renews after it: cost 7.70 (the CRM still says 7.20); ERP 9.60 less 15% = 8.16, margin 0.46 = 5.64% < 10%.
      {
        renewal: renewal('b', '2026-11-10', '7.20'),
        ...basic,
        rule: { rule: { kind: 'discountOffErp', percent: D('15'), floorPercent: D('10') }, source: "contract 'Contoso'" },
      },
      // No rule: listed, never below a floor.
      { renewal: renewal('c', '2026-11-02', '7.20'), ...basic },
      // A fixed price below cost and no floor: a negative margin is below.
      { renewal: renewal('d', '2026-11-15', '15.00'), rule: { rule: { kind: 'fixedPrice', price: D('14.50') }, source: 'offer' } },
    ];
    const review = reviewRenewals(subjects, book);
    expect(
      review.map((r) => [
        r.renewal.vendorSubscriptionId,
        r.costAtRenewal?.toFixed(2),
        r.renewalPrice?.toFixed(2),
        r.margin?.toFixed(2),
        r.marginPercent?.toFixed(2),
        r.belowFloor,
      ]),
    ).toEqual([
      ['b', '7.70', '8.16', '0.46', '5.64', true],
      ['d', '15.00', '14.50', '-0.50', '-3.45', true],
      ['a', '7.20', '8.64', '1.44', '16.67', false],
      ['c', '7.70', undefined, undefined, undefined, false],
    ]);
    expect(review[0]!.costSource).toBe('prices.csv row 3 (7.70 USD, 2026-11-01 to no end)');
    expect(review[0]!.how).toBe("contract 'Contoso': ERP 9.60 - 15%");
    expect(review[1]!.costSource).toBe('the CRM cost');
  });
});
