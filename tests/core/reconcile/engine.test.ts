import { Decimal, parseDate, periodFromInclusive, SubscriptionLedger, type Period } from '../../../core/src';
import type { BillLine } from '../../../core/src/import/types';
import { billPeriodOf, csvText, reconcile, resultToCsv, resultToHtml, type ReconSubscription } from '../../../core/src/reconcile';

const d = parseDate;
const TENANT = '11111111-2222-3333-4444-555555555555';

/** A Business Standard 'new' line as Partner Center writes it: 10 seats at 12.00 bought 3/5/2022. */
function billLine(over: Partial<BillLine> = {}): BillLine {
  const start = d('3/5/2022');
  const end = d('4/4/2022');
  return {
    kind: 'line',
    format: 'nce-license',
    row: 2,
    subscriptionId: 'sub-1',
    customerId: TENANT,
    customerName: 'Contoso',
    productId: 'CFQ7TTC0LDPB',
    chargeType: 'new',
    chargeTypeKey: 'new',
    chargeStart: start,
    chargeEndInclusive: end,
    period: periodFromInclusive(start, end),
    currency: 'USD',
    orderDate: start,
    unitPrice: new Decimal(12),
    quantity: new Decimal(10),
    amount: new Decimal('120.00'),
    ...over,
  };
}

function subscription(over: Partial<ReconSubscription> = {}): ReconSubscription {
  const vendorId = over.vendorSubscriptionId ?? 'sub-1';
  return {
    id: `crm-${vendorId}`,
    vendorSubscriptionId: vendorId,
    customerTenantId: TENANT,
    customerName: 'Contoso',
    productId: 'CFQ7TTC0LDPB',
    vendor: 'Microsoft',
    kind: 'licence',
    status: 'active',
    offer: { productId: 'CFQ7TTC0LDPB', term: 'P1M', billingPlan: 'monthly', unitPrice: '12', pricingCurrency: 'USD' },
    ledger: SubscriptionLedger.of(vendorId, [{ kind: 'new', effectiveDate: d('3/5/2022'), referenceId: 'n', quantityDelta: 10, productId: 'CFQ7TTC0LDPB' }]),
    ...over,
  };
}

const march: Period = { start: d('3/1/2022'), end: d('4/1/2022') };

describe('tolerance (0.01 per unit by default)', () => {
  it('accepts 0.10 on 10 seats as within tolerance', () => {
    const r = reconcile({ lines: [billLine({ amount: new Decimal('120.10') })], usage: [], subscriptions: [subscription()] });
    expect(r.items.map((i) => [i.category, i.variance.toFixed(2)])).toEqual([['withinTolerance', '0.10']]);
  });

  it('lists 0.11 on 10 seats as a price or cost mismatch', () => {
    const r = reconcile({ lines: [billLine({ amount: new Decimal('120.11') })], usage: [], subscriptions: [subscription()] });
    expect(r.items.map((i) => i.category)).toEqual(['priceMismatch']);
  });

  it('takes a configured tolerance', () => {
    const r = reconcile({
      lines: [billLine({ amount: new Decimal('120.11') })],
      usage: [],
      subscriptions: [subscription()],
      options: { tolerancePerUnit: new Decimal('0.02') },
    });
    expect(r.items.map((i) => i.category)).toEqual(['withinTolerance']);
  });
});

describe('matching without the vendor subscription id', () => {
  it('never matches by SKU alone: SkuId 0001 names a SKU within its product, so an unknown subscription of a third product stays unknown', () => {
    // Business Standard (LDPB) is billed under its own id; Business Premium (LCHC) is in CRM without
    // a vendor id and is not on the bill; both have SkuId 0001, as every first SKU of a product does.
    const standard = subscription({ skuId: '0001' });
    const premium = subscription({
      vendorSubscriptionId: undefined,
      id: 'crm-premium',
      productId: 'CFQ7TTC0LCHC',
      skuId: '0001',
      offer: { productId: 'CFQ7TTC0LCHC', term: 'P1M', billingPlan: 'monthly', unitPrice: '22', pricingCurrency: 'USD' },
      ledger: SubscriptionLedger.of('p', [{ kind: 'new', effectiveDate: d('3/5/2022'), referenceId: 'p', quantityDelta: 5, productId: 'CFQ7TTC0LCHC' }]),
    });
    // Exchange Online Plan 1 (LH16), SKU 0001, under a subscription id CRM has never seen.
    const unknown = billLine({
      row: 3,
      subscriptionId: 'sub-unknown',
      productId: 'CFQ7TTC0LH16',
      skuId: '0001',
      referenceId: 'u',
      amount: new Decimal('40.00'),
      quantity: new Decimal(10),
      unitPrice: new Decimal(4),
    });
    const r = reconcile({ lines: [billLine({ skuId: '0001' }), unknown], usage: [], subscriptions: [standard, premium] });
    const found = r.items.find((i) => i.vendorSubscriptionId === 'sub-unknown');
    expect([found?.category, found?.subscriptionId]).toEqual(['unknownInCrm', undefined]);
    expect(r.items.filter((i) => i.subscriptionId === 'crm-premium').map((i) => i.category)).not.toContain('exactMatch');
  });

  it('matches a line without a vendor id by product and SKU together', () => {
    const premium = subscription({ vendorSubscriptionId: undefined, id: 'crm-premium', skuId: '0002' });
    const other = subscription({
      vendorSubscriptionId: undefined,
      id: 'crm-other',
      skuId: '0001',
      ledger: SubscriptionLedger.of('o', [{ kind: 'new', effectiveDate: d('3/5/2022'), referenceId: 'o', quantityDelta: 10, productId: 'CFQ7TTC0LDPB' }]),
    });
    const r = reconcile({ lines: [billLine({ subscriptionId: 'unknown-id', skuId: '0002' })], usage: [], subscriptions: [premium, other] });
    expect(r.items.find((i) => i.category === 'exactMatch')?.subscriptionId).toBe('crm-premium');
  });

  it('falls back to tenant and product when exactly one CRM subscription fits', () => {
    const r = reconcile({
      lines: [billLine({ subscriptionId: 'unknown-id' })],
      usage: [],
      subscriptions: [subscription({ vendorSubscriptionId: undefined, id: 'crm-a', ledger: subscription().ledger })],
    });
    expect(r.items.map((i) => [i.category, i.subscriptionId])).toEqual([['exactMatch', 'crm-a']]);
  });

  it('reports an ambiguous match rather than guessing between two subscriptions of one product', () => {
    const a = subscription({
      vendorSubscriptionId: undefined,
      id: 'crm-a',
      ledger: SubscriptionLedger.of('a', [{ kind: 'new', effectiveDate: d('3/5/2022'), referenceId: 'n', quantityDelta: 10, productId: 'CFQ7TTC0LDPB' }]),
    });
    const b = subscription({
      vendorSubscriptionId: undefined,
      id: 'crm-b',
      ledger: SubscriptionLedger.of('b', [{ kind: 'new', effectiveDate: d('3/5/2022'), referenceId: 'n', quantityDelta: 10, productId: 'CFQ7TTC0LDPB' }]),
    });
    const r = reconcile({
      lines: [billLine({ subscriptionId: 'unknown-id' })],
      usage: [],
      subscriptions: [a, b],
      options: { billPeriod: { start: d('4/1/2022'), end: d('5/1/2022') } },
    });
    // Both renew in April and neither is on the bill under its own id: each is also "not billed".
    expect(r.items.map((i) => i.category).sort()).toEqual(['ambiguousMatch', 'notBilled', 'notBilled']);
    expect(r.items.find((i) => i.category === 'ambiguousMatch')!.explanation).toContain('2 CRM subscriptions');
  });
});

describe('revenue leakage (the invoicing hook)', () => {
  it('lists vendor cost no customer invoice re-bills, with its money', () => {
    const r = reconcile({
      lines: [billLine()],
      usage: [],
      subscriptions: [subscription()],
      options: { billPeriod: march, customerRevenue: { billedToCustomer: () => undefined } },
    });
    const leak = r.items.find((i) => i.category === 'revenueLeakage');
    expect(leak?.variance.toFixed(2)).toBe('120.00');
    expect(r.totals.leakage.toFixed(2)).toBe('120.00');
  });

  it('says nothing when the customer was invoiced', () => {
    const r = reconcile({
      lines: [billLine()],
      usage: [],
      subscriptions: [subscription()],
      options: { billPeriod: march, customerRevenue: { billedToCustomer: () => new Decimal('144.00') } },
    });
    expect(r.items.map((i) => i.category)).toEqual(['exactMatch']);
    expect(r.totals.leakage.isZero()).toBe(true);
  });
});

describe('margin', () => {
  it('computes customer revenue at the customer price with the vendor line proration: 10 seats, 14.40 vs 12.00', () => {
    const r = reconcile({
      lines: [billLine()],
      usage: [],
      subscriptions: [subscription({ customerUnitPrice: new Decimal('14.40'), customerCurrency: 'USD' })],
    });
    expect(r.totals.margin.toFixed(2)).toBe('24.00');
  });

  it('flags a subscription sold below cost', () => {
    const r = reconcile({
      lines: [billLine()],
      usage: [],
      subscriptions: [subscription({ customerUnitPrice: new Decimal('10.80'), customerCurrency: 'USD' })],
    });
    // Billed 120.00 (cost) - expected 108.00 (revenue): variance +12.00, margin -12.00, one sign convention.
    expect(
      r.items
        .filter((i) => i.category === 'negativeMargin')
        .map((i) => [i.billedAmount.toFixed(2), i.expectedAmount.toFixed(2), i.variance.toFixed(2), i.margin?.toFixed(2)]),
    ).toEqual([['120.00', '108.00', '12.00', '-12.00']]);
  });
});

describe('reports are safe with hostile text from a bill', () => {
  const hostile = billLine({ customerName: '=HYPERLINK("http://x","click")', subscriptionId: 'nobody' });
  const result = reconcile({ lines: [hostile], usage: [], subscriptions: [] });

  it('never lets a CSV cell start a formula, but leaves negative numbers alone', () => {
    expect(csvText('=1+1')).toBe("'=1+1");
    expect(csvText('-5')).toBe("'-5");
    expect(csvText('@SUM(A1)')).toBe("'@SUM(A1)");
    const csv = resultToCsv(result);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"",""click"")"`);
    expect(csv).not.toMatch(/,=HYPERLINK/);
  });

  it('escapes HTML', () => {
    const html = resultToHtml(
      reconcile({ lines: [billLine({ customerName: '<script>alert(1)</script>', subscriptionId: 'nobody' })], usage: [], subscriptions: [] }),
    );
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });
});

describe('bill period of a large bill', () => {
  it('takes the months of 300,000 lines without spreading them into arguments (a stack overflow found at 200,000 in the queue test)', () => {
    const lines = Array.from({ length: 300_000 }, (_, i) =>
      billLine({ row: i + 2, orderDate: i === 7 ? d('2/27/2022') : i === 299_998 ? d('4/2/2022') : d('3/5/2022') }),
    );
    expect(billPeriodOf(lines, [])).toEqual({ start: d('2/1/2022'), end: d('5/1/2022') });
  });
});

describe('a bill whose order dates span two months', () => {
  // A March bill carrying one line ordered on 28 February: the inferred period is both months.
  const lines = [
    billLine(),
    billLine({
      row: 3,
      subscriptionId: 'sub-2',
      orderDate: d('2/28/2022'),
      chargeStart: d('2/28/2022'),
      chargeEndInclusive: d('3/27/2022'),
      period: periodFromInclusive(d('2/28/2022'), d('3/27/2022')),
    }),
  ];

  it('names the inferred period and warns that it is more than one month, saying how to name the month', () => {
    const r = reconcile({ lines, usage: [], subscriptions: [subscription()] });
    expect(r.billPeriod).toEqual({ start: d('2/1/2022'), end: d('4/1/2022') });
    expect(r.warnings).toEqual([
      "the bill's dates span 2 months, so 2022-02-01 to 2022-03-31 was reconciled as one period; name the bill's month (--period YYYY-MM) to reconcile only that month",
    ]);
  });

  it('says nothing when the month is named, or when the bill holds one month', () => {
    expect(reconcile({ lines, usage: [], subscriptions: [subscription()], options: { billPeriod: march } }).warnings).toEqual([]);
    expect(reconcile({ lines: [billLine()], usage: [], subscriptions: [subscription()] }).warnings).toEqual([]);
  });
});
