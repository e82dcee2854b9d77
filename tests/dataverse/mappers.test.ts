import { Decimal, SubscriptionLedger, expectedCharges, parseDate, type LedgerEntryInput } from '../../core/src';
import * as generated from '../../dataverse/generated';
import { choiceMap } from '../../dataverse/src/mappers/choice';
import { billLineToRow } from '../../dataverse/src/mappers/bill-lines';
import { CspbBillingLineTable } from '../../dataverse/generated';
import { tables } from '../../dataverse/src/schema';
import type { CspbInvoiceLineRow, CspbOfferRow, CspbSubscriptionChangeRow, CspbSubscriptionChangeWrite } from '../../dataverse/generated';
import { CspbInvoiceLineLineType, CspbOfferBillingPlan, CspbOfferTerm, CspbSubscriptionChangeChangeType } from '../../dataverse/generated';
import {
  dateFromWebApi,
  decimalFromWebApi,
  decimalToWebApi,
  ledgerEntryToRow,
  ledgerFromRows,
  lineTypeToWebApi,
  MappingError,
  revenueLinesFromRows,
  roundedToWebApi,
  offerRowToNceOffer,
  rowToLedgerEntry,
} from '../../dataverse/src/mappers';

const SUBSCRIPTION_ROW = '8a1c5f1e-0000-4000-8000-000000000001';

/**
 * What the Web API gives back for a written row: the body through JSON (numbers become doubles),
 * the @odata.bind lookup as its _value, and a row id.
 */
function asStored(write: CspbSubscriptionChangeWrite, id: string): CspbSubscriptionChangeRow {
  const { 'cspb_SubscriptionId@odata.bind': bind, ...rest } = JSON.parse(JSON.stringify(write)) as CspbSubscriptionChangeWrite;
  return { ...rest, cspb_subscriptionchangeid: id, _cspb_subscriptionid_value: String(bind).match(/\(([^)]+)\)/)![1]! } as CspbSubscriptionChangeRow;
}

// Microsoft's March 2022 seat-change example (pc-docs-nce-scenarios/nce-seat-changes-march-2022.csv):
// 10 seats of Microsoft 365 Business Standard at 12.00 bought 3/5, then 15, 25, 23, 20, 30.
const d = parseDate;
const march: LedgerEntryInput[] = [
  {
    kind: 'new',
    effectiveDate: d('3/5/2022'),
    referenceId: '7d71c595',
    quantityDelta: 10,
    productId: 'CFQ7TTC0LDPB',
    productName: 'Microsoft 365 Business Standard',
    unitPrice: '12',
    customerUnitPrice: '14.40',
    term: 'P1M',
    billingPlan: 'monthly',
    source: 'form',
    reason: 'new customer',
  },
  { kind: 'add', effectiveDate: d('3/7/2022'), referenceId: '12d33e18', quantityAfter: 15, source: 'form' },
  { kind: 'add', effectiveDate: d('3/10/2022'), referenceId: 'dc2a0a41', quantityAfter: 25, source: 'api' },
  { kind: 'remove', effectiveDate: d('3/12/2022'), referenceId: '2f8965ff', quantityAfter: 23, source: 'form' },
  { kind: 'remove', effectiveDate: d('3/14/2022'), referenceId: '73b3dc36', quantityAfter: 20, source: 'form', reason: 'leaver' },
  { kind: 'add', effectiveDate: d('3/25/2022'), referenceId: '6759acd5', quantityAfter: 30, source: 'sync' },
];

describe('ledger rows <-> core ledger entries', () => {
  const ledger = SubscriptionLedger.of('284b0ff0', march);
  const written = ledger.entries.map((e) => ledgerEntryToRow(e, SUBSCRIPTION_ROW, 'USD'));

  it('writes the columns Dataverse stores for a seat change', () => {
    const add = written[1]!;
    expect(add).toMatchObject({
      'cspb_SubscriptionId@odata.bind': `/cspb_subscriptions(${SUBSCRIPTION_ROW})`,
      cspb_sequence: 2,
      cspb_changetype: CspbSubscriptionChangeChangeType.Add,
      cspb_quantitybefore: 10,
      cspb_quantitydelta: 5,
      cspb_quantityafter: 15,
      cspb_effectivedate: '2022-03-07',
      cspb_referenceid: '12d33e18',
      cspb_currencycode: 'USD',
    });
    expect(written[0]).toMatchObject({ cspb_unitcost: 12, cspb_unitprice: 14.4, cspb_productid: 'CFQ7TTC0LDPB', cspb_reason: 'new customer' });
    expect(add.cspb_name).toBe('add +5 -> 15 on 2022-03-07');
  });

  it('reads back exactly the entries written, through the Web API JSON shape', () => {
    const rows = written.map((w, i) => asStored(w, `row-${i}`));
    expect(rows.map(rowToLedgerEntry)).toEqual(ledger.entries);
  });

  it("rebuilds a ledger whose charges are still Microsoft's (168.38 on 3/7, 251.61 on 3/10)", () => {
    const rows = written.map((w, i) => asStored(w, `row-${i}`)).reverse(); // order must come from sequence
    const rebuilt = ledgerFromRows('284b0ff0', rows);
    const charges = expectedCharges(
      rebuilt,
      { productId: 'CFQ7TTC0LDPB', term: 'P1M', billingPlan: 'monthly', unitPrice: '12', pricingCurrency: 'USD' },
      { from: d('3/5/2022'), to: d('3/26/2022') },
    );
    const amounts = charges.map((c) => c.subtotal.toFixed(2));
    expect(amounts).toEqual(
      expect.arrayContaining(['120.00', '-112.25', '168.38', '-150.96', '251.61', '-232.25', '213.67', '-195.87', '170.32', '-85.16', '127.74']),
    );
    expect(rebuilt.quantityAt(d('3/13/2022'))).toBe(23);
  });

  it('keeps a partial conversion (target product, price, seats, subscription) across the round trip', () => {
    const upgrade = SubscriptionLedger.of('284b0ff0', [
      {
        kind: 'new',
        effectiveDate: d('6/18/2021'),
        referenceId: 'n',
        quantityDelta: 300,
        productId: 'M365BS',
        unitPrice: '10.08',
        term: 'P1M',
        billingPlan: 'monthly',
        source: 'sync',
      },
      {
        kind: 'convert',
        effectiveDate: d('6/25/2021'),
        referenceId: 'c',
        source: 'sync',
        conversion: {
          targetProductId: 'O365E1',
          targetProductName: 'Office 365 E1',
          targetUnitPrice: '6.43',
          convertedQuantity: 100,
          targetSubscriptionId: '6759acd5',
        },
      },
    ]);
    const rows = upgrade.entries.map((e, i) => asStored(ledgerEntryToRow(e, SUBSCRIPTION_ROW, 'USD'), `r${i}`));
    expect(rows[1]).toMatchObject({
      cspb_targetproductid: 'O365E1',
      cspb_targetunitprice: 6.43,
      cspb_convertedquantity: 100,
      cspb_targetvendorsubscriptionid: '6759acd5',
    });
    expect(rows.map(rowToLedgerEntry)).toEqual(upgrade.entries);
  });

  it('records an entry with no source as an API change (the column is required)', () => {
    const bare = SubscriptionLedger.of('s', [{ kind: 'new', effectiveDate: d('1/1/2026'), referenceId: 'n', quantityDelta: 1, productId: 'P' }]);
    expect(rowToLedgerEntry(asStored(ledgerEntryToRow(bare.entries[0]!, SUBSCRIPTION_ROW, 'USD'), 'r')).source).toBe('api');
  });

  it('refuses a stored row that breaks the ledger invariants (quantity after does not follow)', () => {
    const rows = written.map((w, i) => asStored(w, `row-${i}`));
    rows[2] = { ...rows[2]!, cspb_quantityafter: 26 };
    expect(() => ledgerFromRows('284b0ff0', rows)).toThrow();
  });
});

describe('values at the Web API boundary', () => {
  it('reads JSON numbers as the exact decimals that were sent', () => {
    const parsed = JSON.parse('{"a":0.1,"b":12.3456,"c":-94.2,"d":99999999999.9999}') as Record<string, number>;
    expect(decimalFromWebApi(parsed['a'], 'a')!.toFixed()).toBe('0.1');
    expect(decimalFromWebApi(parsed['b'], 'b')!.toFixed()).toBe('12.3456');
    expect(decimalFromWebApi(parsed['c'], 'c')!.toFixed()).toBe('-94.2');
    expect(decimalFromWebApi(parsed['d'], 'd')!.toFixed()).toBe('99999999999.9999');
  });

  it('refuses numbers a double cannot carry exactly, and non-numbers', () => {
    expect(() => decimalFromWebApi(1e21, 'x')).toThrow(MappingError);
    expect(() => decimalFromWebApi(1234567890123.4567, 'x')).toThrow(/more digits/);
    expect(() => decimalFromWebApi('12.00', 'x')).toThrow(/expected a number/);
  });

  it('writes money with at most 4 decimals and refuses to round silently', () => {
    expect(decimalToWebApi(new Decimal('229.1666'), 'm', 4)).toBe(229.1666);
    expect(() => decimalToWebApi(new Decimal('229.16666'), 'm', 4)).toThrow(/more than 4 decimal places/);
  });

  it('rounds a computed amount half-up to the column once, and still refuses what a double cannot carry', () => {
    expect(roundedToWebApi(new Decimal('9194.757689'), 'total', 4)).toBe(9194.7577);
    expect(roundedToWebApi(new Decimal('-0.00005'), 'total', 4)).toBe(-0.0001);
    expect(roundedToWebApi(undefined, 'total', 4)).toBeNull();
    expect(() => roundedToWebApi(new Decimal('123456789012.34567'), 'total', 4)).toThrow(/more digits/);
  });

  it('reads date-only columns as calendar dates, refusing date-times and impossible dates', () => {
    expect(dateFromWebApi('2024-02-29', 'd')).toBe(parseDate('2/29/2024'));
    expect(() => dateFromWebApi('2024-02-29T00:00:00Z', 'd')).toThrow(/date-only/);
    expect(() => dateFromWebApi('2023-02-29', 'd')).toThrow();
  });
});

describe('offer rows -> NCE offers', () => {
  const row = {
    cspb_offerid: 'o1',
    cspb_name: 'Microsoft 365 Business Standard',
    cspb_productid: 'CFQ7TTC0LDPB',
    cspb_term: CspbOfferTerm.P1Y,
    cspb_billingplan: CspbOfferBillingPlan.Monthly,
    cspb_unitcost: 12.5,
    cspb_currencycode: 'EUR',
  } as unknown as CspbOfferRow;

  it('maps term, plan, Microsoft price and pricing currency', () => {
    const offer = offerRowToNceOffer(row);
    expect(offer).toMatchObject({ productId: 'CFQ7TTC0LDPB', term: 'P1Y', billingPlan: 'monthly', pricingCurrency: 'EUR' });
    expect(new Decimal(offer.unitPrice as Decimal).toFixed(2)).toBe('12.50');
  });

  it('refuses a usage offer, which has no licence arithmetic', () => {
    expect(() => offerRowToNceOffer({ ...row, cspb_term: CspbOfferTerm.None, cspb_billingplan: CspbOfferBillingPlan.Usage })).toThrow(/not a licence-based/);
  });
});

describe('invoice line rows -> revenue', () => {
  const row = (over: Partial<CspbInvoiceLineRow>): CspbInvoiceLineRow =>
    ({
      cspb_invoicelineid: 'l1',
      _cspb_subscriptionid_value: 'sub-1',
      cspb_linetype: CspbInvoiceLineLineType.Prorated,
      cspb_periodstart: '2026-10-15',
      cspb_periodend: '2026-10-31',
      cspb_amount: 77.42,
      ...over,
    }) as CspbInvoiceLineRow;

  it('reads the inclusive service dates as a [start, end) period and the amount exactly; lines of no subscription are not revenue', () => {
    const lines = revenueLinesFromRows([row({}), row({ cspb_invoicelineid: 'l2', _cspb_subscriptionid_value: null })]);
    expect(lines.map((l) => [l.subscriptionId, l.type, l.servicePeriod.start, l.servicePeriod.end, l.amount.toFixed(2)])).toEqual([
      ['sub-1', 'prorated', parseDate('2026-10-15'), parseDate('2026-11-01'), '77.42'],
    ]);
  });

  it('refuses a line without an amount or with an unknown type, naming the row and column', () => {
    expect(() => revenueLinesFromRows([row({ cspb_amount: null })])).toThrow(/cspb_invoiceline l1\.cspb_amount/);
    expect(() => revenueLinesFromRows([row({ cspb_linetype: 42 as never })])).toThrow(/cspb_invoiceline l1\.cspb_linetype/);
  });

  it('stores every line type as its own option, a commitment top-up included', () => {
    expect(lineTypeToWebApi('commitment')).toBe(CspbInvoiceLineLineType.Commitment);
    expect(lineTypeToWebApi('oneTime')).toBe(CspbInvoiceLineLineType.OneTime);
    expect(lineTypeToWebApi('usage')).toBe(CspbInvoiceLineLineType.Usage);
    expect(lineTypeToWebApi('tax')).toBe(CspbInvoiceLineLineType.Tax);
  });
});

describe('generated choice maps (each option carries its core key in the schema)', () => {
  it('cover every option of a translated choice, one core key per option value, and throw on a value they lack', () => {
    const withKeys = tables.flatMap((t) =>
      t.columns.filter((c) => c.type === 'choice' && c.options.every((o) => o.core !== undefined)).map((c) => [t, c] as const),
    );
    expect(withKeys.length).toBeGreaterThanOrEqual(20);
    for (const [table, column] of withKeys) {
      if (column.type !== 'choice') continue;
      const pairs = Object.entries(generated).find(
        ([name]) =>
          name.endsWith('Keys') &&
          JSON.stringify((generated as Record<string, unknown>)[name]) === JSON.stringify(column.options.map((o) => [o.core, o.value])),
      );
      expect([table.logicalName, column.logicalName, pairs !== undefined]).toEqual([table.logicalName, column.logicalName, true]);
      expect(new Set(column.options.map((o) => o.core)).size).toBe(column.options.length);
    }
    const lineTypes = choiceMap(generated.CspbInvoiceLineLineTypeKeys, 'cspb_linetype');
    expect(lineTypes.fromWebApi(generated.CspbInvoiceLineLineType.Commitment)).toBe('commitment');
    expect(() => lineTypes.fromWebApi(100000099, 'cspb_invoiceline l1.cspb_linetype')).toThrow(/cspb_invoiceline l1\.cspb_linetype: not an option/);
    expect(() => lineTypes.toWebApi('subscription' as never)).toThrow(/cspb_linetype: no option/);
  });
});

describe('bill line rows: lengths from the schema', () => {
  const start = parseDate('2026-10-01');
  const end = parseDate('2026-10-31');
  const line = (over: Record<string, unknown>) =>
    ({
      kind: 'line',
      format: 'nce-license',
      row: 7,
      subscriptionId: 'sub-1',
      customerId: 'c1',
      productId: 'CFQ7TTC0LH18',
      chargeType: 'cycleCharge',
      chargeTypeKey: 'cyclecharge',
      chargeStart: start,
      chargeEndInclusive: end,
      period: { start, end: end + 1 },
      currency: 'USD',
      quantity: new Decimal(1),
      amount: new Decimal('12.50'),
      ...over,
    }) as unknown as Parameters<typeof billLineToRow>[0];

  it('cuts a name to its column (the bill file keeps it whole) and writes the identifiers as they are', () => {
    const row = billLineToRow(line({ productName: 'P'.repeat(300) }), 'imp-1', 'a'.repeat(64));
    expect(String(row['cspb_productname'])).toHaveLength(CspbBillingLineTable.maxLengths.cspb_productname);
    expect(row['cspb_vendorsubscriptionid']).toBe('sub-1');
  });

  it('refuses an identifier longer than its column, naming the row, the column and the value, instead of cutting what matching reads', () => {
    const long = 'x'.repeat(CspbBillingLineTable.maxLengths.cspb_vendorsubscriptionid + 1);
    expect(() => billLineToRow(line({ subscriptionId: long }), 'imp-1', 'a'.repeat(64))).toThrow(
      new RegExp(`cspb_billingline\\.cspb_vendorsubscriptionid: row 7: longer than the column's 100 characters \\(value: "${long}"\\)`),
    );
  });
});
