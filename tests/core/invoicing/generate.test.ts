import { formatIso } from '../../../core/src/calendar';
import { billingPeriodAt, FixedRateTable, generateInvoice, InvoicingError, type InvoiceSubscription } from '../../../core/src/invoicing';
import { Decimal } from '../../../core/src/money';
import { amounts, byKey, contract, d, ledger, period, sum, usage } from './fixtures';

const march = period('2024-03-01', '2024-04-01'); // 31 days

/** 10 seats since February; +5 on 3/16 (16 days left of 31), -3 on 3/25 (7 days left). Vendor cost 10.00/seat/month. */
function marchSub(): InvoiceSubscription {
  return {
    id: 'sub-1',
    vendorSubscriptionId: 'PC-1',
    offerId: 'M365BS',
    name: 'Business Standard',
    vendorCost: { currency: 'USD', unitCost: '10.00' },
    ledger: ledger('sub-1', [
      { kind: 'new', effectiveDate: d('2024-02-01'), quantityDelta: 10 },
      { kind: 'add', effectiveDate: d('2024-03-16'), quantityDelta: 5 },
      { kind: 'remove', effectiveDate: d('2024-03-25'), quantityDelta: -3 },
    ]),
  };
}

describe('monthly in advance with a mid-month increase and decrease (daily proration)', () => {
  const inv = generateInvoice({ contract: contract(), subscriptions: [marchSub()], period: march });

  it('bills the period at the quantity on its first day, then prorates each change by remaining days / 31', () => {
    // recurring: 10 x 12.00 = 120.00
    // +5 on 3/16: 5 x 12 x 16 / 31 = 960/31 = 30.9677... -> 30.97
    // -3 on 3/25: -3 x 12 x 7 / 31 = -252/31 = -8.1290... -> -8.13
    expect(inv.lines.map((l) => [l.key, l.type, l.amount.toFixed(), l.quantity?.toString()])).toEqual([
      ['sub-1|recurring', 'recurring', '120', '10'],
      ['sub-1|adj|2024-03-16|qty', 'prorated', '30.97', '5'],
      ['sub-1|adj|2024-03-25|qty', 'prorated', '-8.13', '-3'],
    ]);
    expect(byKey(inv, 'sub-1|adj|2024-03-16|qty').servicePeriod).toEqual(period('2024-03-16', '2024-04-01'));
    expect(byKey(inv, 'sub-1|adj|2024-03-25|qty').ledgerSequence).toBe(3);
    // 120 + 30.97 - 8.13 = 142.84
    expect(inv.total.toFixed(2)).toBe('142.84');
    expect(inv.subtotal.toFixed(2)).toBe('142.84');
    expect(inv.tax.toFixed(2)).toBe('0.00');
  });

  it('computes vendor cost and margin per line', () => {
    // cost: 10 x 10 = 100; 5 x 10 x 16/31 = 25.806 -> 25.81; -3 x 10 x 7/31 = -6.774 -> -6.77
    expect(inv.lines.map((l) => [l.cost?.toFixed(), l.margin?.toFixed()])).toEqual([
      ['100', '20'],
      ['25.81', '5.16'], // 30.97 - 25.81
      ['-6.77', '-1.36'], // -8.13 + 6.77
    ]);
    expect(inv.cost.toFixed(2)).toBe('119.04');
    expect(inv.margin.toFixed(2)).toBe('23.80');
    expect(inv.costComplete).toBe(true);
  });

  it('dates the invoice at the period start and the due date net 30', () => {
    expect(formatIso(inv.invoiceDate)).toBe('2024-03-01');
    expect(formatIso(inv.dueDate)).toBe('2024-03-31');
    expect(inv.draftKey).toBe('C-1|2024-03-01|2024-04-01|invoice|0');
    expect(inv.status).toBe('draft');
    expect(inv.ledgerCoverage).toEqual({ 'sub-1': 3 });
  });

  it('explains each amount with its arithmetic', () => {
    expect(byKey(inv, 'sub-1|adj|2024-03-16|qty').explanation).toMatch(
      /\(15 - 10\) at 12 USD\/month x 16\/31 days = 30\.967741935.* -> 30\.97 \(halfUp, USD\)/,
    );
  });

  it('proration policy "none" bills no change mid-period; "fullPeriod" bills the whole period', () => {
    const none = generateInvoice({ contract: contract({ proration: { increase: 'none', decrease: 'none' } }), subscriptions: [marchSub()], period: march });
    expect(amounts(none)).toEqual(['120']);
    // full period: +5 x 12 = 60; -3 x 12 = -36 -> 120 + 60 - 36 = 144
    const full = generateInvoice({
      contract: contract({ proration: { increase: 'fullPeriod', decrease: 'fullPeriod' } }),
      subscriptions: [marchSub()],
      period: march,
    });
    expect(amounts(full)).toEqual(['120', '60', '-36']);
    // charge increases daily, never credit decreases: 120 + 30.97 = 150.97
    const noCredit = generateInvoice({
      contract: contract({ proration: { increase: 'daily', decrease: 'none' } }),
      subscriptions: [marchSub()],
      period: march,
    });
    expect(noCredit.total.toFixed(2)).toBe('150.97');
  });

  it('truncate rounding policy rounds each line toward zero', () => {
    const inv2 = generateInvoice({ contract: contract({ rounding: 'truncate' }), subscriptions: [marchSub()], period: march });
    // 30.9677 -> 30.96; -8.1290 -> -8.12
    expect(amounts(inv2)).toEqual(['120', '30.96', '-8.12']);
  });

  it('a new subscription mid-period and a cancellation are prorated changes from/to zero', () => {
    const sub: InvoiceSubscription = {
      id: 'sub-2',
      offerId: 'M365BS',
      ledger: ledger('sub-2', [
        { kind: 'new', effectiveDate: d('2024-03-11'), quantityDelta: 4 },
        { kind: 'cancel', effectiveDate: d('2024-03-21') },
      ]),
    };
    const inv2 = generateInvoice({ contract: contract(), subscriptions: [sub], period: march });
    // new: 4 x 12 x 21/31 = 1008/31 = 32.516 -> 32.52; cancel: -4 x 12 x 11/31 = -528/31 = -17.032 -> -17.03
    expect(amounts(inv2)).toEqual(['32.52', '-17.03']);
    expect(inv2.lines.map((l) => l.description)).toEqual(['M365BS: new subscription 0 -> 4 from 2024-03-11', 'M365BS: cancelled 4 -> 0 from 2024-03-21']);
    expect(inv2.costComplete).toBe(false); // no vendor cost given
  });

  it('refuses a period that is not a billing period of the contract', () => {
    expect(() => generateInvoice({ contract: contract(), subscriptions: [marchSub()], period: period('2024-03-05', '2024-04-05') })).toThrow(InvoicingError);
  });
});

describe('annual anchored on the 15th', () => {
  const annual = contract({
    frequency: 'annual',
    anchor: { kind: 'billingDay', day: 15 },
    startDate: d('2024-01-15'),
    priceList: { id: 'PL', prices: { M365BS: { currency: 'USD', unitPrice: '120', perMonths: 12 } } },
  });

  it('periods run from the 15th to the 15th a year later', () => {
    expect(billingPeriodAt(annual, d('2024-06-01'))).toEqual(period('2024-01-15', '2025-01-15'));
    expect(billingPeriodAt(annual, d('2025-01-15'))).toEqual(period('2025-01-15', '2026-01-15'));
    expect(billingPeriodAt(annual, d('2025-01-14'))).toEqual(period('2024-01-15', '2025-01-15'));
  });

  it('bills the year in advance and prorates an increase over the 366 days of the period', () => {
    const sub: InvoiceSubscription = {
      id: 'a-1',
      offerId: 'M365BS',
      ledger: ledger('a-1', [
        { kind: 'new', effectiveDate: d('2024-01-15'), quantityDelta: 4 },
        { kind: 'add', effectiveDate: d('2024-07-01'), quantityDelta: 2 },
      ]),
    };
    const inv = generateInvoice({ contract: annual, subscriptions: [sub], period: period('2024-01-15', '2025-01-15') });
    // 4 x 120 = 480. The new entry is on the period's first day, so it is in the recurring line.
    // 2024-07-01 .. 2025-01-14: Jul 31 + Aug 31 + Sep 30 + Oct 31 + Nov 30 + Dec 31 + Jan 14 = 198 days;
    // the period 2024-01-15 .. 2025-01-14 has 366 days (29 Feb 2024).
    // 2 x 120 x 198 / 366 = 47520/366 = 129.836... -> 129.84
    expect(amounts(inv)).toEqual(['480', '129.84']);
  });

  it('a monthly price on an annual contract bills 12 months', () => {
    const c = contract({ frequency: 'annual', anchor: { kind: 'billingDay', day: 15 }, startDate: d('2024-01-15') });
    const sub: InvoiceSubscription = {
      id: 'a-2',
      offerId: 'M365BS',
      ledger: ledger('a-2', [{ kind: 'new', effectiveDate: d('2024-01-15'), quantityDelta: 3 }]),
    };
    // 3 x 12.00 x 12 = 432
    expect(amounts(generateInvoice({ contract: c, subscriptions: [sub], period: period('2024-01-15', '2025-01-15') }))).toEqual(['432']);
  });

  it('a billing day past the month end is clamped: the 31st gives Feb 29, Mar 31, Apr 30', () => {
    const c = contract({ anchor: { kind: 'billingDay', day: 31 }, startDate: d('2024-01-31') });
    expect(billingPeriodAt(c, d('2024-03-05'))).toEqual(period('2024-02-29', '2024-03-31'));
    expect(billingPeriodAt(c, d('2024-04-30'))).toEqual(period('2024-04-30', '2024-05-31'));
  });
});

describe('quarterly co-terming with a subscription anniversary', () => {
  const sub: InvoiceSubscription = {
    id: 'cot',
    offerId: 'M365BS',
    ledger: ledger('cot', [
      { kind: 'new', effectiveDate: d('2024-01-31'), quantityDelta: 3 },
      { kind: 'add', effectiveDate: d('2024-06-15'), quantityDelta: 1 },
    ]),
  };
  const c = contract({ frequency: 'quarterly', anchor: { kind: 'coterm', subscriptionId: 'cot' }, startDate: d('2024-01-31') });

  it("periods follow Microsoft's grid from the purchase date (bought 1/31: 4/30 is the last day, then 5/1)", () => {
    expect(billingPeriodAt(c, d('2024-02-10'), [sub])).toEqual(period('2024-01-31', '2024-05-01'));
    expect(billingPeriodAt(c, d('2024-06-15'), [sub])).toEqual(period('2024-05-01', '2024-07-31'));
    expect(billingPeriodAt(c, d('2024-08-01'), [sub])).toEqual(period('2024-07-31', '2024-10-31'));
  });

  it('bills 3 months per quarter and prorates by the days of the quarter', () => {
    const inv = generateInvoice({ contract: c, subscriptions: [sub], period: period('2024-05-01', '2024-07-31') });
    // recurring: 3 x 12.00 x 3 months = 108
    // quarter 5/1..7/30 = 31 + 30 + 30 = 91 days; 6/15..7/30 = 16 + 30 = 46 days
    // +1 x 12 x 3 x 46 / 91 = 1656/91 = 18.197... -> 18.20
    expect(amounts(inv)).toEqual(['108', '18.2']);
  });

  it('an anchor on the 10th keeps the 10th', () => {
    const c2 = contract({ frequency: 'quarterly', anchor: { kind: 'coterm', anchorDate: d('2024-02-10') }, startDate: d('2024-02-10') });
    expect(billingPeriodAt(c2, d('2024-06-01'))).toEqual(period('2024-05-10', '2024-08-10'));
  });
});

describe('tiered and volume pricing crossing a tier boundary', () => {
  const tiers = [
    { upTo: 10, unitPrice: '10.00' },
    { upTo: 50, unitPrice: '8.00' },
    { upTo: null, unitPrice: '6.00' },
  ];
  const sub = (): InvoiceSubscription => ({
    id: 't-1',
    offerId: 'SEAT',
    ledger: ledger('t-1', [
      { kind: 'new', effectiveDate: d('2024-02-01'), quantityDelta: 8, productId: 'SEAT' },
      { kind: 'add', effectiveDate: d('2024-03-16'), quantityDelta: 6, productId: 'SEAT' },
    ]),
  });
  const withMode = (mode: 'tiered' | 'volume') => contract({ priceList: { id: 'PL', prices: { SEAT: { currency: 'USD', tiers: { mode, tiers } } } } });

  it('tiered: each unit at its own tier; the change bills the difference of the tier totals', () => {
    const inv = generateInvoice({ contract: withMode('tiered'), subscriptions: [sub()], period: march });
    // T(8) = 8 x 10 = 80; T(14) = 10 x 10 + 4 x 8 = 132; (132 - 80) x 16/31 = 832/31 = 26.838... -> 26.84
    expect(amounts(inv)).toEqual(['80', '26.84']);
  });

  it('volume: all units at the tier the total falls in', () => {
    const inv = generateInvoice({ contract: withMode('volume'), subscriptions: [sub()], period: march });
    // V(8) = 8 x 10 = 80; V(14) = 14 x 8 = 112; (112 - 80) x 16/31 = 512/31 = 16.516... -> 16.52
    expect(amounts(inv)).toEqual(['80', '16.52']);
  });
});

describe('a promotion ending mid-period', () => {
  const sub = (): InvoiceSubscription => ({
    id: 'p-1',
    offerId: 'M365BS',
    ledger: ledger('p-1', [
      { kind: 'new', effectiveDate: d('2024-02-01'), quantityDelta: 10 },
      { kind: 'add', effectiveDate: d('2024-03-16'), quantityDelta: 5 },
    ]),
  });

  it('a percent promotion discounts only the days it shares with each line', () => {
    const c = contract({
      discounts: [{ id: 'PROMO20', kind: 'percent', value: '20', start: d('2024-01-01'), end: d('2024-03-11'), description: 'Launch promo' }],
    });
    const inv = generateInvoice({ contract: c, subscriptions: [sub()], period: march });
    // recurring 120; +5 x 12 x 16/31 = 30.97 (starts 3/16, after the promotion: no discount)
    // promo covers 3/1..3/10 = 10 of 31 days: -(120 x 20% x 10/31) = -240/31 = -7.7419 -> -7.74
    expect(inv.lines.map((l) => [l.type, l.amount.toFixed()])).toEqual([
      ['recurring', '120'],
      ['prorated', '30.97'],
      ['discount', '-7.74'],
    ]);
    expect(byKey(inv, 'p-1|recurring|discount|PROMO20').appliesToLineId).toBe(byKey(inv, 'p-1|recurring').id);
    expect(inv.total.toFixed(2)).toBe('143.23'); // 120 + 30.97 - 7.74
    expect(byKey(inv, 'p-1|recurring|discount|PROMO20').margin?.toFixed(2)).toBe('-7.74');
  });

  it('a fixed promotion is prorated by the days of the period it covers and capped at what it discounts', () => {
    const c = contract({ discounts: [{ id: 'FIX15', kind: 'fixed', value: '15.00', end: d('2024-03-16') }] });
    const inv = generateInvoice({ contract: c, subscriptions: [sub()], period: march });
    // 3/1..3/15 = 15 of 31 days: -(15 x 15/31) = -225/31 = -7.258 -> -7.26
    expect(amounts(inv, 'discount')).toEqual(['-7.26']);
    const big = generateInvoice({ contract: contract({ discounts: [{ id: 'FIX', kind: 'fixed', value: '1000' }] }), subscriptions: [sub()], period: march });
    // capped at 120 + 30.97 = 150.97
    expect(amounts(big, 'discount')).toEqual(['-150.97']);
    expect(big.total.toFixed(2)).toBe('0.00');
  });
});

describe('usage in arrears with markup', () => {
  const azure: InvoiceSubscription = { id: 'az-1', vendorSubscriptionId: 'AZ-PC-1', offerId: 'AZURE' };
  const feb = usage({ subscriptionId: 'az-pc-1', period: period('2024-02-01', '2024-03-01'), amount: new Decimal('100.37') });

  it('an in-advance invoice bills the previous period usage: cost x (100 + 15)% with the cost as the line cost', () => {
    const inv = generateInvoice({ contract: contract({ usageMarkupPercent: '15' }), subscriptions: [azure], usage: [feb], period: march });
    // 100.37 x 115 / 100 = 115.4255 -> 115.43; margin 115.43 - 100.37 = 15.06
    expect(inv.lines.map((l) => [l.type, l.amount.toFixed(), l.cost?.toFixed(), l.margin?.toFixed()])).toEqual([['usage', '115.43', '100.37', '15.06']]);
    expect(inv.lines[0]?.servicePeriod).toEqual(period('2024-02-01', '2024-03-01'));
  });

  it('an arrears invoice bills usage of its own period, dated at the period end', () => {
    const inv = generateInvoice({
      contract: contract({ timing: 'arrears', usageMarkupPercent: '15' }),
      subscriptions: [azure],
      usage: [feb],
      period: period('2024-02-01', '2024-03-01'),
    });
    expect(amounts(inv)).toEqual(['115.43']);
    expect(formatIso(inv.invoiceDate)).toBe('2024-03-01');
    // March usage is not billed on the February arrears invoice
    const none = generateInvoice({ contract: contract({ timing: 'arrears' }), subscriptions: [azure], usage: [feb], period: march });
    expect(none.lines).toEqual([]);
  });

  it('aggregates of one meter and period are summed before the one rounding', () => {
    const a = usage({ subscriptionId: 'AZ-PC-1', period: period('2024-02-01', '2024-03-01'), amount: new Decimal('0.005') });
    const inv = generateInvoice({ contract: contract({ usageMarkupPercent: '10' }), subscriptions: [azure], usage: [a, a], period: march });
    // (0.005 + 0.005) x 1.10 = 0.011 -> 0.01 (each alone: 0.0055 -> 0.01, summed 0.02)
    expect(amounts(inv)).toEqual(['0.01']);
  });
});

describe('tax per tax profile', () => {
  const twoRates = {
    rates: [
      { jurisdiction: 'US-WA', name: 'WA sales tax', ratePercent: '6.5' },
      { jurisdiction: 'US-WA-SEA', name: 'Seattle', ratePercent: '3.75' },
    ],
  };

  it('two rates per invoice: each rounded once on the subtotal', () => {
    const inv = generateInvoice({ contract: contract({ tax: twoRates }), subscriptions: [marchSub()], period: march });
    // subtotal 142.84; 6.5% = 9.2846 -> 9.28; 3.75% = 5.3565 -> 5.36; total 142.84 + 9.28 + 5.36 = 157.48
    expect(amounts(inv, 'tax')).toEqual(['9.28', '5.36']);
    expect(inv.tax.toFixed(2)).toBe('14.64');
    expect(inv.total.toFixed(2)).toBe('157.48');
    expect(inv.lines.filter((l) => l.type === 'tax').map((l) => l.jurisdiction)).toEqual(['US-WA', 'US-WA-SEA']);
    expect(inv.margin.toFixed(2)).toBe('23.80'); // tax is not margin
  });

  it('per line: one rounded tax line per taxable line and rate', () => {
    const inv = generateInvoice({ contract: contract({ tax: { ...twoRates, calculation: 'perLine' } }), subscriptions: [marchSub()], period: march });
    // 6.5%: 120 -> 7.80; 30.97 -> 2.01305 -> 2.01; -8.13 -> -0.52845 -> -0.53
    // 3.75%: 120 -> 4.50; 30.97 -> 1.161375 -> 1.16; -8.13 -> -0.304875 -> -0.30
    expect(amounts(inv, 'tax')).toEqual(['7.8', '2.01', '-0.53', '4.5', '1.16', '-0.3']);
    expect(inv.lines.filter((l) => l.type === 'tax')[1]?.appliesToLineId).toBe(byKey(inv, 'sub-1|adj|2024-03-16|qty').id);
  });

  it('per line and per invoice differ when small lines round up: 3 x 0.10 at 5%', () => {
    const charges = ['a', 'b', 'c'].map((id) => ({ id, date: d('2024-03-05'), description: `fee ${id}`, quantity: 1, unitPrice: '0.10', currency: 'USD' }));
    const tax = { rates: [{ jurisdiction: 'X', ratePercent: '5' }] };
    const perInvoice = generateInvoice({ contract: contract({ tax }), subscriptions: [], oneTimeCharges: charges, period: march });
    const perLine = generateInvoice({
      contract: contract({ tax: { ...tax, calculation: 'perLine' } }),
      subscriptions: [],
      oneTimeCharges: charges,
      period: march,
    });
    // per invoice: 0.30 x 5% = 0.015 -> 0.02; per line: 0.005 -> 0.01 three times = 0.03
    expect(perInvoice.tax.toFixed(2)).toBe('0.02');
    expect(perLine.tax.toFixed(2)).toBe('0.03');
  });

  it('tax on the discounted amount, or on the price before discounts', () => {
    const discounts = [{ id: 'P', kind: 'percent' as const, value: '20', end: d('2024-03-11') }];
    const sub: InvoiceSubscription = { id: 's', offerId: 'M365BS', ledger: ledger('s', [{ kind: 'new', effectiveDate: d('2024-02-01'), quantityDelta: 10 }]) };
    const rates = [{ jurisdiction: 'T', ratePercent: '10' }];
    const after = generateInvoice({ contract: contract({ discounts, tax: { rates } }), subscriptions: [sub], period: march });
    const before = generateInvoice({ contract: contract({ discounts, tax: { rates, taxOnDiscountedAmount: false } }), subscriptions: [sub], period: march });
    // 120 - 7.74 = 112.26 x 10% = 11.226 -> 11.23;   before discounts: 120 x 10% = 12.00
    expect(amounts(after, 'tax')).toEqual(['11.23']);
    expect(amounts(before, 'tax')).toEqual(['12']);
    expect(after.total.toFixed(2)).toBe('123.49'); // 112.26 + 11.23
    expect(before.total.toFixed(2)).toBe('124.26'); // 112.26 + 12.00
  });

  it('exempt customers get no tax lines and the exemption is stated', () => {
    const inv = generateInvoice({
      contract: contract({ tax: { ...twoRates, exempt: true, exemptionReference: 'WA reseller permit 123' } }),
      subscriptions: [marchSub()],
      period: march,
    });
    expect(amounts(inv, 'tax')).toEqual([]);
    expect(inv.taxExempt).toBe(true);
    expect(inv.taxNote).toBe('tax exempt: WA reseller permit 123');
    expect(inv.total.toFixed(2)).toBe('142.84');
  });

  it('exempt one-time charges are left out of the tax base', () => {
    const inv = generateInvoice({
      contract: contract({ tax: { rates: [{ jurisdiction: 'T', ratePercent: '10' }] } }),
      subscriptions: [],
      period: march,
      oneTimeCharges: [
        { id: 'setup', date: d('2024-03-02'), description: 'Setup', quantity: 1, unitPrice: '200', currency: 'USD', unitCost: '50' },
        { id: 'training', date: d('2024-03-03'), description: 'Training', quantity: 2, unitPrice: '75', currency: 'USD', taxExempt: true },
      ],
    });
    // tax 10% x 200 = 20.00; total 200 + 150 + 20 = 370
    expect(inv.lines.map((l) => [l.type, l.amount.toFixed()])).toEqual([
      ['oneTime', '200'],
      ['oneTime', '150'],
      ['tax', '20'],
    ]);
    expect(inv.total.toFixed(2)).toBe('370.00');
    expect(byKey(inv, 'oneTime|setup').margin?.toFixed()).toBe('150');
  });
});

describe('currencies: minor units and explicit exchange rates', () => {
  it('JPY has no decimals: 1250 x 16/31 = 645.16 -> 645', () => {
    const c = contract({ currency: 'JPY', priceList: { id: 'JP', prices: { M365BS: { currency: 'JPY', unitPrice: '1250' } } } });
    const sub: InvoiceSubscription = {
      id: 'j',
      offerId: 'M365BS',
      ledger: ledger('j', [
        { kind: 'new', effectiveDate: d('2024-02-01'), quantityDelta: 3 },
        { kind: 'add', effectiveDate: d('2024-03-16'), quantityDelta: 1 },
      ]),
    };
    const inv = generateInvoice({ contract: c, subscriptions: [sub], period: march });
    // 3 x 1250 = 3750; 1 x 1250 x 16/31 = 20000/31 = 645.16 -> 645; total 4395
    expect(amounts(inv)).toEqual(['3750', '645']);
    expect(inv.total.toString()).toBe('4395');
  });

  it('a USD price billed in JPY is converted with the stated rate before the one rounding', () => {
    const rates = new FixedRateTable('ECB 2024-03-01', [{ from: 'USD', to: 'JPY', rate: '151.37' }]);
    const sub: InvoiceSubscription = { id: 'j', offerId: 'M365BS', ledger: ledger('j', [{ kind: 'new', effectiveDate: d('2024-02-01'), quantityDelta: 10 }]) };
    const inv = generateInvoice({ contract: contract({ currency: 'JPY' }), subscriptions: [sub], rates, period: march });
    // 10 x 12.00 x 151.37 = 18164.4 -> 18164
    expect(amounts(inv)).toEqual(['18164']);
    expect(inv.exchangeRates.map((r) => [r.from, r.to, r.rate.toString(), r.source, formatIso(r.date)])).toEqual([
      ['USD', 'JPY', '151.37', 'ECB 2024-03-01', '2024-03-01'],
    ]);
    expect(() => generateInvoice({ contract: contract({ currency: 'JPY' }), subscriptions: [sub], period: march })).toThrow(/exchange-rate source/);
    expect(() => generateInvoice({ contract: contract({ currency: 'EUR' }), subscriptions: [sub], rates, period: march })).toThrow(/no USD->EUR rate/);
  });

  it('KWD has three decimals: 3.750 x 16/31 = 1.935483 -> 1.935; usage converted at 0.3075', () => {
    const rates = new FixedRateTable('CBK', [{ from: 'USD', to: 'KWD', rate: '0.3075' }]);
    const c = contract({ currency: 'KWD', usageMarkupPercent: '15', priceList: { id: 'KW', prices: { M365BS: { currency: 'KWD', unitPrice: '3.750' } } } });
    const sub: InvoiceSubscription = {
      id: 'k',
      offerId: 'M365BS',
      ledger: ledger('k', [
        { kind: 'new', effectiveDate: d('2024-02-01'), quantityDelta: 7 },
        { kind: 'add', effectiveDate: d('2024-03-16'), quantityDelta: 1 },
      ]),
    };
    const azure: InvoiceSubscription = { id: 'az', vendorSubscriptionId: 'AZ', offerId: 'AZURE' };
    const inv = generateInvoice({
      contract: c,
      subscriptions: [sub, azure],
      rates,
      usage: [usage({ subscriptionId: 'AZ', period: period('2024-02-01', '2024-03-01'), amount: new Decimal('100.37') })],
      period: march,
    });
    // 7 x 3.750 = 26.250; 60/31 = 1.93548 -> 1.935; usage 100.37 x 1.15 x 0.3075 = 35.49334125 -> 35.493 (cost 30.863775 -> 30.864)
    expect(amounts(inv)).toEqual(['26.25', '1.935', '35.493']); // licence lines first, then usage
    expect(byKey(inv, 'az|usage|meter-vm|2024-02-01|2024-03-01|new|USD').cost?.toFixed()).toBe('30.864');
    expect(inv.total.toFixed(3)).toBe('63.678');
  });
});

describe('minimum commitment and payment terms', () => {
  it('tops the invoice up to the minimum with a commitment line (taxed)', () => {
    const c = contract({ minimumCommitment: { amount: '200' }, tax: { rates: [{ jurisdiction: 'T', ratePercent: '10' }] } });
    const inv = generateInvoice({ contract: c, subscriptions: [marchSub()], period: march });
    // 200 - 142.84 = 57.16; tax 10% x 200 = 20
    expect(inv.lines.map((l) => [l.type, l.amount.toFixed()])).toEqual([
      ['recurring', '120'],
      ['prorated', '30.97'],
      ['prorated', '-8.13'],
      ['commitment', '57.16'],
      ['tax', '20'],
    ]);
    expect(inv.total.toFixed(2)).toBe('220.00');
  });

  it('due on a day of the next month', () => {
    const inv = generateInvoice({
      contract: contract({ paymentTerms: { kind: 'dayOfNextMonth', day: 31 } }),
      subscriptions: [marchSub()],
      period: period('2024-01-01', '2024-02-01'),
    });
    expect(formatIso(inv.dueDate)).toBe('2024-02-29');
  });

  it('the invoice total is the sum of its lines, exactly', () => {
    const inv = generateInvoice({
      contract: contract({ tax: { rates: [{ jurisdiction: 'A', ratePercent: '7.25' }] } }),
      subscriptions: [marchSub()],
      period: march,
    });
    expect(inv.total.eq(sum(inv.lines.map((l) => l.amount)))).toBe(true);
  });
});
