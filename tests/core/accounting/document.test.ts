/**
 * Issued documents as accounting documents (issue 22): lines mapped to accounts and tax codes, our
 * tax shared over the lines to the cent, credit notes posted positive, and the request bodies of
 * Business Central, Xero and QuickBooks Online held as golden bodies. Every figure is worked by hand
 * in the comments.
 */
import {
  Decimal,
  parseDate,
  period,
  planPosting,
  bcDocumentBody,
  xeroDocumentBody,
  qboDocumentBody,
  lineTaxShares,
  type AccountingMapping,
  type Invoice,
  type InvoiceLine,
} from '../../../core/src';

const d = (s: string) => new Decimal(s);
const oct = period(parseDate('2026-10-01'), parseDate('2026-11-01'));

function line(id: string, type: InvoiceLine['type'], amount: string, extra: Partial<InvoiceLine> = {}): InvoiceLine {
  return { id, key: id, type, description: `${type} ${id}`, servicePeriod: oct, amount: d(amount), explanation: '', taxable: type !== 'tax', ...extra };
}

/**
 * Contoso, October: 5 seats x 12.00 = 60.00; 3 seats added on the 16th, 3 x 12.00 x 16/31 = 18.58
 * (not 3 x 12.00: posted as 1 x 18.58); a 6.00 discount; WA tax 6.5% of 72.58 = 4.7177 -> 4.72.
 */
function october(kind: 'invoice' | 'creditNote' = 'invoice'): Invoice {
  const s = kind === 'creditNote' ? -1 : 1;
  const amt = (x: string) => d(x).times(s).toFixed(2);
  const lines = [
    line('L1', kind === 'creditNote' ? 'credit' : 'recurring', amt('60.00'), {
      quantity: d('5').times(s),
      unitPrice: d('12.00'),
      description: 'Microsoft 365 Business Basic, 5 seats',
    }),
    line('L2', kind === 'creditNote' ? 'credit' : 'prorated', amt('18.58'), {
      quantity: d('3').times(s),
      unitPrice: d('12.00'),
      description: 'Added 3 seats on 2026-10-16 (16/31)',
    }),
    line('L3', 'discount', amt('-6.00'), { description: 'Loyalty discount' }),
    line('T1', 'tax', amt('4.72'), { jurisdiction: 'US-WA', description: 'Sales tax US-WA 6.5%' }),
  ];
  return {
    draftKey: `c1|2026-10-01|2026-10-31|${kind}|0`,
    contractId: 'c1',
    customerId: 'acc-contoso',
    customerName: 'Contoso Ltd',
    period: oct,
    kind,
    revision: 0,
    status: 'issued',
    invoiceDate: parseDate('2026-11-01'),
    dueDate: parseDate('2026-12-01'),
    currency: 'USD',
    lines,
    subtotal: d(amt('72.58')),
    tax: d(amt('4.72')),
    total: d(amt('77.30')),
    cost: d('0'),
    margin: d('0'),
    costComplete: true,
    taxExempt: false,
    ledgerCoverage: {},
    exchangeRates: [],
    issuedOn: parseDate('2026-11-02'),
    invoiceNumber: kind === 'invoice' ? 'INV-2026-000123' : 'INV-2026-000124',
  };
}

const MAPPING = (system: AccountingMapping['system']): AccountingMapping => ({
  system,
  customers: { 'acc-contoso': system === 'bc' ? 'C00010' : system === 'xero' ? '7b1e2c1a-0000-4000-8000-000000000001' : '58' },
  categories: { recurring: system === 'bc' ? 'item:MS365' : '4000', prorated: system === 'bc' ? 'account:6110' : '4010', discount: '4900', credit: '4000' },
  taxCodes: { 'US-WA': system === 'xero' ? 'OUTPUT' : 'WA', none: 'NON' },
});

test("a per-invoice tax is shared over its lines by largest remainder: the shares add up to the invoice's tax", () => {
  // 4.72 x 60/72.58 = 3.9019, x 18.58/72.58 = 1.2083, x -6/72.58 = -0.3902: floors 3.90, 1.20, -0.40 (4.70);
  // the two cents left go to the largest remainders, the discount (0.0098) and the prorated line (0.0083).
  const shares = lineTaxShares(october());
  expect([...shares.entries()].map(([k, v]) => [k, v.toFixed(2)])).toEqual([
    ['L1', '3.90'],
    ['L2', '1.21'],
    ['L3', '-0.39'],
  ]);
});

test('a per-line tax stays on its line', () => {
  const inv = october();
  const perLine = {
    ...inv,
    lines: [
      ...inv.lines.filter((l) => l.type !== 'tax'),
      line('T1', 'tax', '3.90', { appliesToLineId: 'L1', jurisdiction: 'US-WA' }),
      line('T2', 'tax', '0.82', { appliesToLineId: 'L2', jurisdiction: 'US-WA' }),
    ],
  };
  expect([...lineTaxShares(perLine).entries()].map(([k, v]) => [k, v.toFixed(2)])).toEqual([
    ['L1', '3.90'],
    ['L2', '0.82'],
  ]);
});

test('a missing customer, category or tax code is listed with the documents that need it, and nothing is guessed', () => {
  const plan = planPosting([october(), october('creditNote')], { system: 'xero', customers: {}, categories: { recurring: '4000' }, taxCodes: {} });
  expect(plan.missing.map((m) => [m.kind, m.key, m.documents.join(',')])).toEqual([
    ['category', 'credit', 'INV-2026-000124'],
    ['category', 'discount', 'INV-2026-000123,INV-2026-000124'],
    ['category', 'prorated', 'INV-2026-000123'],
    ['customer', 'acc-contoso', 'INV-2026-000123,INV-2026-000124'],
    ['tax', 'US-WA', 'INV-2026-000123,INV-2026-000124'],
  ]);
  expect(plan.missing.find((m) => m.kind === 'customer')!.label).toBe("customer 'Contoso Ltd' has no Xero customer");
});

test('Business Central: a deep insert of the invoice and its lines, our number as externalDocumentNumber (golden body)', () => {
  const [doc] = planPosting([october()], MAPPING('bc')).documents;
  expect(bcDocumentBody(doc!, { localCurrency: 'USD' })).toEqual({
    externalDocumentNumber: 'INV-2026-000123',
    customerNumber: 'C00010',
    invoiceDate: '2026-11-02',
    postingDate: '2026-11-02',
    dueDate: '2026-12-01',
    currencyCode: '',
    salesInvoiceLines: [
      {
        sequence: 10000,
        lineType: 'Item',
        lineObjectNumber: 'MS365',
        description: 'Microsoft 365 Business Basic, 5 seats',
        quantity: 5,
        unitPrice: 12,
        taxCode: 'WA',
      },
      {
        sequence: 20000,
        lineType: 'Account',
        lineObjectNumber: '6110',
        description: 'Added 3 seats on 2026-10-16 (16/31)',
        quantity: 1,
        unitPrice: 18.58,
        taxCode: 'WA',
      },
      { sequence: 30000, lineType: 'Account', lineObjectNumber: '4900', description: 'Loyalty discount', quantity: 1, unitPrice: -6, taxCode: 'WA' },
    ],
  });
});

test('Business Central: a credit note is a salesCreditMemo with positive amounts', () => {
  const [doc] = planPosting([october('creditNote')], MAPPING('bc')).documents;
  expect(doc).toMatchObject({ kind: 'creditNote' });
  expect(doc!.total.toFixed(2)).toBe('77.30');
  expect(bcDocumentBody(doc!)).toEqual({
    externalDocumentNumber: 'INV-2026-000124',
    customerNumber: 'C00010',
    creditMemoDate: '2026-11-02',
    postingDate: '2026-11-02',
    dueDate: '2026-12-01',
    currencyCode: 'USD',
    salesCreditMemoLines: [
      {
        sequence: 10000,
        lineType: 'Account',
        lineObjectNumber: '4000',
        description: 'Microsoft 365 Business Basic, 5 seats',
        quantity: 5,
        unitPrice: 12,
        taxCode: 'WA',
      },
      {
        sequence: 20000,
        lineType: 'Account',
        lineObjectNumber: '4000',
        description: 'Added 3 seats on 2026-10-16 (16/31)',
        quantity: 1,
        unitPrice: 18.58,
        taxCode: 'WA',
      },
      { sequence: 30000, lineType: 'Account', lineObjectNumber: '4900', description: 'Loyalty discount', quantity: 1, unitPrice: -6, taxCode: 'WA' },
    ],
  });
});

test('Xero: an ACCREC invoice created DRAFT, tax exclusive, our tax per line; the credit note an ACCRECCREDIT (golden bodies)', () => {
  const plan = planPosting([october(), october('creditNote')], MAPPING('xero'));
  expect(xeroDocumentBody(plan.documents[0]!)).toEqual({
    Invoices: [
      {
        Type: 'ACCREC',
        Contact: { ContactID: '7b1e2c1a-0000-4000-8000-000000000001' },
        Date: '2026-11-02',
        DueDate: '2026-12-01',
        InvoiceNumber: 'INV-2026-000123',
        Reference: 'INV-2026-000123',
        CurrencyCode: 'USD',
        LineAmountTypes: 'Exclusive',
        Status: 'DRAFT',
        LineItems: [
          {
            Description: 'Microsoft 365 Business Basic, 5 seats',
            Quantity: 5,
            UnitAmount: 12,
            LineAmount: 60,
            AccountCode: '4000',
            TaxType: 'OUTPUT',
            TaxAmount: 3.9,
          },
          {
            Description: 'Added 3 seats on 2026-10-16 (16/31)',
            Quantity: 1,
            UnitAmount: 18.58,
            LineAmount: 18.58,
            AccountCode: '4010',
            TaxType: 'OUTPUT',
            TaxAmount: 1.21,
          },
          { Description: 'Loyalty discount', Quantity: 1, UnitAmount: -6, LineAmount: -6, AccountCode: '4900', TaxType: 'OUTPUT', TaxAmount: -0.39 },
        ],
      },
    ],
  });
  const credit = xeroDocumentBody(plan.documents[1]!) as { CreditNotes: Array<Record<string, unknown>> };
  expect(credit.CreditNotes[0]).toMatchObject({ Type: 'ACCRECCREDIT', CreditNoteNumber: 'INV-2026-000124' });
  expect(credit.CreditNotes[0]!['DueDate']).toBeUndefined();
  expect((credit.CreditNotes[0]!['LineItems'] as Array<{ LineAmount: number; TaxAmount: number }>).map((l) => [l.LineAmount, l.TaxAmount])).toEqual([
    [60, 3.9],
    [18.58, 1.21],
    // The discount reduced the invoice, so it reduces the credit too.
    [-6, -0.39],
  ]);
});

test('QuickBooks Online: SalesItemLineDetail lines whose Amount is Qty x UnitPrice, our tax as TotalTax (golden body)', () => {
  const [doc] = planPosting([october()], MAPPING('qbo')).documents;
  expect(qboDocumentBody(doc!)).toEqual({
    CustomerRef: { value: '58' },
    DocNumber: 'INV-2026-000123',
    TxnDate: '2026-11-02',
    DueDate: '2026-12-01',
    CurrencyRef: { value: 'USD' },
    GlobalTaxCalculation: 'TaxExcluded',
    Line: [
      {
        DetailType: 'SalesItemLineDetail',
        Amount: 60,
        Description: 'Microsoft 365 Business Basic, 5 seats',
        SalesItemLineDetail: { ItemRef: { value: '4000' }, Qty: 5, UnitPrice: 12, TaxCodeRef: { value: 'WA' } },
      },
      {
        DetailType: 'SalesItemLineDetail',
        Amount: 18.58,
        Description: 'Added 3 seats on 2026-10-16 (16/31)',
        SalesItemLineDetail: { ItemRef: { value: '4010' }, Qty: 1, UnitPrice: 18.58, TaxCodeRef: { value: 'WA' } },
      },
      {
        DetailType: 'SalesItemLineDetail',
        Amount: -6,
        Description: 'Loyalty discount',
        SalesItemLineDetail: { ItemRef: { value: '4900' }, Qty: 1, UnitPrice: -6, TaxCodeRef: { value: 'WA' } },
      },
    ],
    TxnTaxDetail: { TotalTax: 4.72 },
  });
  // Every line: Amount = Qty x UnitPrice exactly (QuickBooks refuses a line where it is not).
  for (const l of doc!.lines) expect(l.quantity.times(l.unitPrice).equals(l.amount)).toBe(true);
  expect(() => qboDocumentBody({ ...doc!, number: 'INV-2026-0000000000123' })).toThrow(/at most 21 characters: 'INV-2026-0000000000123' is 22/);
});

test('an exempt customer and a non-taxable line map to their own tax keys', () => {
  const inv = october();
  const exempt: Invoice = {
    ...inv,
    taxExempt: true,
    tax: d('0'),
    total: d('72.58'),
    lines: inv.lines.filter((l) => l.type !== 'tax').map((l) => (l.id === 'L3' ? { ...l, taxable: false } : l)),
  };
  const plan = planPosting([exempt], { ...MAPPING('xero'), taxCodes: { exempt: 'EXEMPTOUTPUT', none: 'NONE' } });
  expect(plan.missing).toEqual([]);
  expect(plan.documents[0]!.lines.map((l) => [l.taxKey, l.taxCode, l.tax.toFixed(2)])).toEqual([
    ['exempt', 'EXEMPTOUTPUT', '0.00'],
    ['exempt', 'EXEMPTOUTPUT', '0.00'],
    ['none', 'NONE', '0.00'],
  ]);
});

test('a zero tax shares nothing; a tax over lines netting to zero makes that document unpostable, not the month', () => {
  const inv = october();
  const free: Invoice = {
    ...inv,
    invoiceNumber: 'INV-2026-000200',
    lines: [line('A', 'recurring', '50.00'), line('B', 'discount', '-50.00'), line('T', 'tax', '0.00', { jurisdiction: 'US-WA' })],
    subtotal: d('0'),
    tax: d('0'),
    total: d('0'),
  };
  expect(lineTaxShares(free).size).toBe(0);
  const broken: Invoice = {
    ...free,
    invoiceNumber: 'INV-2026-000201',
    lines: [...free.lines.slice(0, 2), line('T', 'tax', '0.10', { jurisdiction: 'US-WA' })],
    tax: d('0.10'),
    total: d('0.10'),
  };
  const plan = planPosting([free, broken, october()], MAPPING('xero'));
  expect(plan.documents.map((doc) => doc.number)).toEqual(['INV-2026-000200', 'INV-2026-000123']);
  expect(plan.unpostable).toEqual([{ number: 'INV-2026-000201', reason: 'invoice INV-2026-000201: a tax of 0.1 without taxable lines to share it over' }]);
});

test("a credit note's tax shares mirror its invoice's exactly (0.10 over three 1.00 lines)", () => {
  const three = (sign: 1 | -1): Invoice => ({
    ...october(),
    lines: [
      line('A', 'recurring', `${sign}.00`),
      line('B', 'recurring', `${sign}.00`),
      line('C', 'recurring', `${sign}.00`),
      line('T', 'tax', sign === 1 ? '0.10' : '-0.10', { jurisdiction: 'US-WA' }),
    ],
  });
  const invoice = [...lineTaxShares(three(1)).values()].map((v) => v.toFixed(2));
  const credit = [...lineTaxShares(three(-1)).values()].map((v) => v.toFixed(2));
  // 0.0333 each: floors 0.03, the cent left to the first line on the tie.
  expect(invoice).toEqual(['0.04', '0.03', '0.03']);
  expect(credit).toEqual(['-0.04', '-0.03', '-0.03']);
});

test('a quantity with more decimals than the systems take posts as 1 x the amount', () => {
  const inv = october();
  const tiny: Invoice = {
    ...inv,
    lines: [line('U', 'usage', '0.01', { quantity: d('0.00125'), unitPrice: d('8'), description: 'Azure usage' })],
    subtotal: d('0.01'),
    tax: d('0'),
    total: d('0.01'),
  };
  const [doc] = planPosting([tiny], MAPPING('xero')).documents;
  expect(doc!.lines.map((l) => [l.quantity.toFixed(), l.unitPrice.toFixed(), l.amount.toFixed()])).toEqual([['1', '0.01', '0.01']]);
});
