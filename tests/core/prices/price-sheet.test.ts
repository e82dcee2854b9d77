/**
 * Microsoft's new-commerce licence-based price list read as a stream with the bill's accounting
 * (every row accepted or rejected with row, column, value), looked up by the day a term starts
 * (new-commerce prices are locked for the term), and the reconciliation's stale-CRM-cost finding:
 * hand-computed cases, one of them a renewal that crosses a price change.
 */
import { Decimal, parseDate, PriceBook, PriceBookError, readPriceSheet, PriceSheetReader, SubscriptionLedger, type Period } from '../../../core/src';
import { reconcile, type ReconSubscription } from '../../../core/src/reconcile';

const d = parseDate;
const HEADER =
  'ProductTitle,ProductId,SkuId,SkuTitle,Publisher,SkuDescription,UnitOfMeasure,TermDuration,BillingPlan,Market,Currency,UnitPrice,PricingTierRangeMin,PricingTierRangeMax,EffectiveStartDate,EffectiveEndDate,Tags,ERP Price,Segment';
const row = (cells: Partial<Record<string, string>>): string => {
  const v = {
    ProductTitle: 'Microsoft 365 Business Standard',
    ProductId: 'CFQ7TTC0LDPB',
    SkuId: '0001',
    SkuTitle: 'Microsoft 365 Business Standard',
    Publisher: 'Microsoft Corporation',
    SkuDescription: '"Productivity, mail, storage"',
    UnitOfMeasure: '1 License',
    TermDuration: 'P1Y',
    BillingPlan: 'Annual',
    Market: 'US',
    Currency: 'USD',
    UnitPrice: '10.80',
    PricingTierRangeMin: '',
    PricingTierRangeMax: '',
    EffectiveStartDate: '2025-01-01T00:00:00Z',
    EffectiveEndDate: '2026-10-31T23:59:59Z',
    Tags: 'License',
    'ERP Price': '12.50',
    Segment: 'Commercial',
    ...cells,
  };
  return HEADER.split(',')
    .map((h) => v[h as keyof typeof v])
    .join(',');
};

// Row 2: the price until October 2026; row 3: 12.00 from November (no end); row 4: the monthly plan.
const SHEET = [
  HEADER,
  row({}),
  row({ UnitPrice: '12.00', EffectiveStartDate: '2026-11-01T00:00:00Z', EffectiveEndDate: '9999-12-31T23:59:59Z', 'ERP Price': '13.75' }),
  row({ TermDuration: 'P1M', BillingPlan: 'Monthly', UnitPrice: '10.00', EffectiveStartDate: '2026-01-01T00:00:00Z', EffectiveEndDate: '' }),
].join('\r\n');

describe('reading the price list', () => {
  it("reads every row, with [start, end) periods from the file's inclusive end, and the same however the text is cut", () => {
    const sheet = readPriceSheet(`\uFEFF${SHEET}\r\n`, 'prices.csv');
    expect(sheet.failed).toBeUndefined();
    expect(sheet.rowsRead).toBe(3);
    expect(sheet.rejected).toEqual([]);
    expect(sheet.rows.map((r) => [r.row, r.term, r.billingPlan, r.unitPrice, r.erpPrice, r.effectiveStart, r.effectiveEnd])).toEqual([
      [2, 'P1Y', 'annual', '10.80', '12.50', d('2025-01-01'), d('2026-11-01')],
      [3, 'P1Y', 'annual', '12.00', '13.75', d('2026-11-01'), null],
      [4, 'P1M', 'monthly', '10.00', '12.50', d('2026-01-01'), null],
    ]);
    const reader = new PriceSheetReader('prices.csv');
    for (let i = 0; i < SHEET.length; i += 7) reader.push(SHEET.slice(i, i + 7));
    expect(reader.finish().rows).toEqual(sheet.rows);
  });

  it('rejects each bad row naming its row, column and value, and keeps the others', () => {
    const text = [
      HEADER,
      row({ UnitPrice: '1O.80' }),
      row({ TermDuration: 'P2Y' }),
      row({ BillingPlan: 'Weekly' }),
      row({ Currency: 'XXY' }),
      row({ EffectiveStartDate: '31/31/2026' }),
      row({ EffectiveStartDate: '2026-10-01', EffectiveEndDate: '2026-09-30' }),
      row({ PricingTierRangeMin: '10', PricingTierRangeMax: '5' }),
      row({ SkuId: '' }),
      row({}),
    ].join('\n');
    const sheet = readPriceSheet(text, 'prices.csv');
    expect(sheet.rowsRead).toBe(9);
    expect(sheet.rows.map((r) => r.row)).toEqual([10]);
    expect(sheet.rejected.map((r) => [r.row, r.column, r.value])).toEqual([
      [2, 'UnitPrice', '1O.80'],
      [3, 'TermDuration', 'P2Y'],
      [4, 'BillingPlan', 'Weekly'],
      [5, 'Currency', 'XXY'],
      [6, 'EffectiveStartDate', '31/31/2026'],
      [7, 'EffectiveEndDate', '2026-09-30'],
      [8, 'PricingTierRangeMax', '5'],
      [9, 'SkuId', ''],
    ]);
    expect(sheet.rejected[0]!.reason).toBe('not a decimal number');
  });

  it('refuses a file that is not the price list, naming the missing column', () => {
    const sheet = readPriceSheet('ProductId,SkuId,Price\nCFQ7TTC0LDPB,0001,10.80\n', 'bill.csv');
    expect(sheet.failed).toMatchObject({ row: 1, column: 'TermDuration' });
    expect(sheet.failed!.reason).toMatch(
      /^not Microsoft's licence-based price list: TermDuration, BillingPlan, Market, Currency, UnitPrice, EffectiveStartDate missing/,
    );
    expect(sheet.rows).toEqual([]);
    expect(readPriceSheet('', 'empty.csv').failed).toMatchObject({ reason: 'the file is empty' });
  });
});

describe('the price in force on a day', () => {
  const book = new PriceBook(readPriceSheet(SHEET).rows);
  const q = { productId: 'cfq7ttc0ldpb', skuId: '0001', term: 'P1Y', billingPlan: 'annual', currency: 'usd' } as const;

  it('takes the row whose period holds the day: the last day of the old price, the first of the new', () => {
    const on = (day: string) => book.lookup({ ...q, date: d(day) });
    expect(on('2026-10-31')).toMatchObject({ kind: 'found', row: { row: 2 } });
    expect(on('2026-11-01')).toMatchObject({ kind: 'found', row: { row: 3 } });
    expect((on('2026-11-01') as { unitPrice: Decimal }).unitPrice.toFixed(2)).toBe('12.00');
    expect(on('2024-12-31')).toMatchObject({ kind: 'not-in-force' });
    expect(book.lookup({ ...q, skuId: '0002', date: d('2026-11-01') })).toEqual({ kind: 'unknown' });
  });

  it('picks a quantity tier, and refuses to guess between two prices of one day', () => {
    const tiers = new PriceBook(
      readPriceSheet(
        [
          HEADER,
          row({ PricingTierRangeMin: '1', PricingTierRangeMax: '300', UnitPrice: '10.80' }),
          row({ PricingTierRangeMin: '301', UnitPrice: '9.90' }),
          row({ ProductId: 'CFQ7TTC0LCHC', UnitPrice: '18.00' }),
          row({ ProductId: 'CFQ7TTC0LCHC', UnitPrice: '18.50' }),
        ].join('\n'),
      ).rows,
    );
    const at = { ...q, date: d('2026-06-01') };
    expect(tiers.lookup({ ...at, quantity: 300 })).toMatchObject({ row: { row: 2 } });
    expect(tiers.lookup({ ...at, quantity: 301 })).toMatchObject({ row: { row: 3 } });
    expect(tiers.lookup({ ...at, productId: 'CFQ7TTC0LCHC' })).toMatchObject({ kind: 'ambiguous', rows: [{ row: 4 }, { row: 5 }] });
  });

  it("a newer sheet's price from a later day wins over an older sheet's open-ended row", () => {
    // October's sheet: 10.80 with no end; December's sheet: 11.50 from December 1 (the old row not restated).
    const rows = [
      ...readPriceSheet([HEADER, row({ EffectiveStartDate: '2026-01-01', EffectiveEndDate: '' })].join('\n'), 'october.csv').rows,
      ...readPriceSheet([HEADER, row({ UnitPrice: '11.50', EffectiveStartDate: '2026-12-01', EffectiveEndDate: '' })].join('\n'), 'december.csv').rows,
    ];
    const book = new PriceBook(rows);
    expect(book.lookup({ ...q, date: d('2026-11-30') })).toMatchObject({ kind: 'found', row: { sheet: 'october.csv' } });
    expect(book.lookup({ ...q, date: d('2026-12-01') })).toMatchObject({ kind: 'found', row: { sheet: 'december.csv', unitPrice: '11.50' } });
  });

  it("keeps one market: a sheet of several needs the partner's named", () => {
    const rows = readPriceSheet([HEADER, row({}), row({ Market: 'GB', Currency: 'GBP', UnitPrice: '9.40' })].join('\n')).rows;
    expect(() => new PriceBook(rows)).toThrow(PriceBookError);
    expect(() => new PriceBook(rows)).toThrow(/2 markets \(GB, US\): name the partner's market/);
    expect(new PriceBook(rows, 'gb').lookup({ ...q, currency: 'GBP', date: d('2026-06-01') })).toMatchObject({ row: { row: 3 } });
    expect(() => new PriceBook(rows, 'FR')).toThrow(/no row for market FR/);
  });
});

describe('stale CRM cost in the reconciliation', () => {
  const november: Period = { start: d('2026-11-01'), end: d('2026-12-01') };
  const prices = { book: new PriceBook(readPriceSheet(SHEET).rows), fileName: 'prices.csv' };
  const sub = (id: string, over: Partial<ReconSubscription>, ledger: SubscriptionLedger): ReconSubscription => ({
    id,
    vendorSubscriptionId: id,
    customerName: 'Contoso',
    productId: 'CFQ7TTC0LDPB',
    skuId: '0001',
    vendor: 'Microsoft',
    kind: 'licence',
    status: 'active',
    offer: { productId: 'CFQ7TTC0LDPB', productName: 'Business Standard', term: 'P1Y', billingPlan: 'annual', unitPrice: '10.80', pricingCurrency: 'USD' },
    ledger,
    ...over,
  });
  const bought = (id: string, day: string, seats: number) =>
    SubscriptionLedger.of(id, [{ kind: 'new', effectiveDate: d(day), referenceId: `n-${id}`, quantityDelta: seats, productId: 'CFQ7TTC0LDPB' }]);

  it('a renewal after the price change pays the new price; the term before keeps the old one', () => {
    // Bought 2025-11-15 at 10.80 (the price then): that term is right. It renews on 2026-11-15,
    // after the change to 12.00, and the CRM still costs it 10.80: 1.20 x 5 seats = 6.00 a year.
    const r = reconcile({
      lines: [],
      usage: [],
      subscriptions: [sub('annual', {}, bought('annual', '2025-11-15', 5))],
      options: { billPeriod: november, prices },
    });
    const stale = r.items.filter((i) => i.category === 'staleCrmCost');
    expect(
      stale.map((i) => [i.chargeType, i.chargeStart, i.referenceId, i.billedAmount.toFixed(2), i.expectedAmount.toFixed(2), i.variance.toFixed(2)]),
    ).toEqual([['renew', d('2026-11-15'), 'price sheet row 3', '60.00', '54.00', '6.00']]);
    expect(stale[0]!.explanation).toBe(
      "the CRM's vendor unit cost 10.80 USD for the term from 2026-11-15 differs from Microsoft's price when that term renewed: 12.00 (prices.csv row 3 (12.00 USD, 2026-11-01 to no end)); 5 seats: 6.00 a billing cycle. Update the CRM cost (a price change on the ledger from 2026-11-15).",
    );
    expect(r.byCategory.staleCrmCost).toMatchObject({ count: 1 });
    expect(r.byCategory.staleCrmCost.amount.toFixed(2)).toBe('6.00');
  });

  it('a CRM cost that never matched the sheet: the term in force on the 1st and the renewal in the month, each listed', () => {
    const monthly = sub(
      'monthly',
      { offer: { productId: 'CFQ7TTC0LDPB', term: 'P1M', billingPlan: 'monthly', unitPrice: '9.99', pricingCurrency: 'USD' } },
      bought('monthly', '2026-10-03', 2),
    );
    const r = reconcile({ lines: [], usage: [], subscriptions: [monthly], options: { billPeriod: november, prices } });
    expect(r.items.filter((i) => i.category === 'staleCrmCost').map((i) => [i.chargeType, i.chargeStart, i.variance.toFixed(2)])).toEqual([
      ['new', d('2026-10-03'), '0.02'],
      ['renew', d('2026-11-03'), '0.02'],
    ]);
  });

  it('a subscription cancelled before the month bills nothing more: no finding, no warning', () => {
    const ledger = SubscriptionLedger.of('gone', [
      { kind: 'new', effectiveDate: d('2024-03-01'), referenceId: 'n-gone', quantityDelta: 4, productId: 'CFQ7TTC0LDPB' },
      { kind: 'cancel', effectiveDate: d('2024-03-05'), referenceId: 'c-gone', quantityAfter: 0 },
    ]);
    const gone = sub('gone', { offer: { productId: 'CFQ7TTC0LDPB', term: 'P1M', billingPlan: 'monthly', unitPrice: '9.99', pricingCurrency: 'USD' } }, ledger);
    const r = reconcile({ lines: [], usage: [], subscriptions: [gone], options: { billPeriod: november, prices } });
    expect(r.items.filter((i) => i.category === 'staleCrmCost')).toEqual([]);
    expect(r.warnings).toEqual([]);
  });

  it('a price the sheet confirms is no finding; a product it does not list is a warning, not a finding', () => {
    const right = sub('right', {}, bought('right', '2026-06-10', 3));
    const other = sub('other', { productId: 'CFQ7TTC0LCHC', skuId: '0002' }, bought('other', '2026-06-10', 3));
    const r = reconcile({ lines: [], usage: [], subscriptions: [right, other], options: { billPeriod: november, prices } });
    expect(r.items.filter((i) => i.category === 'staleCrmCost')).toEqual([]);
    expect(r.warnings).toEqual([
      '1 licence subscription(s) have a product, SKU, term, plan or currency the price sheet does not list: their CRM cost was not checked',
    ]);
    // Without a price sheet, nothing of the kind is looked at.
    expect(reconcile({ lines: [], usage: [], subscriptions: [right, other], options: { billPeriod: november } }).warnings).toEqual([]);
  });
});
