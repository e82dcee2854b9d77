/**
 * Currency as Dataverse keeps it on rows with amounts:
 * - "Using currency columns" (learn.microsoft.com/power-apps/maker/data-platform/types-of-fields#using-currency-columns):
 *   a table with a currency column has a Currency lookup and an Exchange Rate "people can see ...
 *   but they can't edit", and each amount a `_Base` twin that "can't be edited".
 * - "Transaction Currency (currency) table" (learn.microsoft.com/power-apps/developer/data-platform/transaction-currency-currency-entity):
 *   "All money properties in a record share the same transaction currency"; "creditlimit_base =
 *   creditlimit / exchangerate".
 * A row written without a currency takes the writer's (the base one here); the suite's writers bind
 * the currency the row's ISO code names, so a EUR bill in a USD org is in euros.
 */
import { CspbBillingImportImportStatus as ImportStatus, CspbReconciliationRunRunStatus as RunStatus } from '../../dataverse/generated';
import { currencyIdOf } from '../../dataverse/src/local-org/currency';
import { seededOrg } from '../plugins/seed';

const HEADER = [
  'CustomerId',
  'CustomerName',
  'InvoiceNumber',
  'OrderId',
  'OrderDate',
  'ProductId',
  'SkuId',
  'AvailabilityId',
  'SkuName',
  'ProductName',
  'ChargeType',
  'UnitPrice',
  'Quantity',
  'Subtotal',
  'TaxTotal',
  'Total',
  'Currency',
  'SubscriptionId',
  'ChargeStartDate',
  'ChargeEndDate',
  'TermAndBillingCycle',
  'EffectiveUnitPrice',
  'UnitType',
  'BillableQuantity',
  'BillingFrequency',
  'PricingCurrency',
  'PCToBCExchangeRate',
  'SubscriptionStartDate',
  'SubscriptionEndDate',
  'ReferenceId',
];
const line = (sub: string, qty: string, subtotal: string, ref: string) => [
  'c1',
  'Contoso',
  'G000000001',
  `o-${ref}`,
  '10/1/2026',
  'CFQ7TTC0LH18',
  '0001',
  'CFQ7TTC0K5T9',
  'M365 BS',
  'Microsoft 365 Business Standard',
  'cycleCharge',
  '12.5',
  qty,
  subtotal,
  '0',
  subtotal,
  'EUR',
  sub,
  '10/1/2026',
  '10/31/2026',
  'One-Year commitment for monthly/yearly billing',
  '12.5',
  'Licenses',
  qty,
  'Monthly',
  'EUR',
  '1',
  '10/1/2026',
  '9/30/2027',
  ref,
];
const csv = (rows: string[][]) => new TextEncoder().encode([HEADER, ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n');

const IMPORT_ID = '0b9a3c0e-0000-4000-8000-000000000201';
const EUR = currencyIdOf('EUR');
const USD = currencyIdOf('USD');

describe('currency on rows with amounts', () => {
  it('a EUR bill in a USD org: the import, its lines, the run and its discrepancies are in euros, with the rate and base amounts', async () => {
    const s = await seededOrg();
    s.files.put(IMPORT_ID, { fileName: 'oct.csv', bytes: csv([line('sub-a', '12', '150.00', 'r1'), line('sub-b', '1', '12.50', 'r2')]) });
    await s.org.create('cspb_billingimports', { cspb_billingimportid: IMPORT_ID, cspb_name: 'October', cspb_contenthash: 'pending', cspb_currencycode: 'EUR' });
    await s.org.asyncIdle();
    const imported = await s.org.retrieve<Record<string, unknown>>('cspb_billingimports', IMPORT_ID);
    expect(imported).toMatchObject({
      cspb_importstatus: ImportStatus.Completed,
      _transactioncurrencyid_value: EUR,
      exchangerate: 0.92,
      cspb_totalbilled: 162.5,
    });
    // 162.50 / 0.92 = 176.630434... -> 176.6304
    expect(imported['cspb_totalbilled_base']).toBe(176.6304);
    const lines = (await s.org.retrieveMultiple<Record<string, unknown>>('cspb_billinglines', { filter: `_cspb_importid_value eq ${IMPORT_ID}` })).value;
    expect(lines.map((l) => [l['_transactioncurrencyid_value'], l['exchangerate']])).toEqual([
      [EUR, 0.92],
      [EUR, 0.92],
    ]);

    const runId = await s.org.create('cspb_reconciliationruns', {
      cspb_name: 'October',
      'cspb_ImportId@odata.bind': `/cspb_billingimports(${IMPORT_ID})`,
      cspb_currencycode: 'EUR',
    });
    await s.org.asyncIdle();
    const run = await s.org.retrieve<Record<string, unknown>>('cspb_reconciliationruns', runId);
    expect(run).toMatchObject({ cspb_runstatus: RunStatus.Completed, _transactioncurrencyid_value: EUR });
    const found = (await s.org.retrieveMultiple<Record<string, unknown>>('cspb_discrepancies', { filter: `_cspb_runid_value eq ${runId}` })).value;
    expect(found.length).toBeGreaterThan(0);
    for (const d of found) expect([d['_transactioncurrencyid_value'], d['exchangerate']]).toEqual([EUR, 0.92]);
  });

  it('a row written without a currency takes the base currency; its base amounts equal the amounts at rate 1', async () => {
    const s = await seededOrg();
    const id = await s.org.create('cspb_offers', {
      cspb_name: 'Plan',
      cspb_vendor: 100000000,
      cspb_productid: 'P',
      cspb_skuid: 'S',
      cspb_term: 100000001,
      cspb_billingplan: 100000000,
      cspb_unitcost: 10.5,
      cspb_currencycode: 'USD',
    });
    expect(await s.org.retrieve<Record<string, unknown>>('cspb_offers', id)).toMatchObject({
      _transactioncurrencyid_value: USD,
      exchangerate: 1,
      cspb_unitcost_base: 10.5,
    });
  });

  it('"can\'t be edited": the exchange rate and base amounts are refused on write; a currency change recomputes them', async () => {
    const s = await seededOrg();
    await expect(s.org.update('cspb_offers', s.offerId, { exchangerate: 2 })).rejects.toThrow(/computed by the platform/);
    await expect(s.org.update('cspb_offers', s.offerId, { cspb_unitcost_base: 1 })).rejects.toThrow(/computed by the platform/);
    await s.org.update('cspb_offers', s.offerId, { 'transactioncurrencyid@odata.bind': `/transactioncurrencies(${currencyIdOf('GBP')})` });
    // 12.5 / 0.79 = 15.8227848... -> 15.8228
    expect(await s.org.retrieve<Record<string, unknown>>('cspb_offers', s.offerId)).toMatchObject({ exchangerate: 0.79, cspb_unitcost_base: 15.8228 });
  });

  it("binds through the platform's lowercase navigation property; the schema-name casing is refused, case-sensitive as the Web API is", async () => {
    const s = await seededOrg();
    await expect(s.org.update('cspb_offers', s.offerId, { 'TransactionCurrencyId@odata.bind': `/transactioncurrencies(${EUR})` })).rejects.toThrow(
      /case-sensitive: use 'transactioncurrencyid'/,
    );
  });

  it('a bill in a currency the org has not enabled fails its import with words an admin can act on, writing no line', async () => {
    const s = await seededOrg({ currencies: [{ code: 'USD', name: 'US Dollar', symbol: '$', rate: '1', precision: 2 }] });
    s.files.put(IMPORT_ID, { fileName: 'oct.csv', bytes: csv([line('sub-a', '12', '150.00', 'r1')]) });
    await expect(
      s.org.create('cspb_billingimports', { cspb_billingimportid: IMPORT_ID, cspb_name: 'October', cspb_contenthash: 'pending', cspb_currencycode: 'EUR' }),
    ).resolves.toBe(IMPORT_ID);
    await s.org.asyncIdle();
    const imported = await s.org.retrieve<Record<string, unknown>>('cspb_billingimports', IMPORT_ID);
    expect(imported['cspb_importstatus']).toBe(ImportStatus.Failed);
    expect(String(imported['cspb_errors'] ?? imported['cspb_error'])).toMatch(/EUR is not enabled in this org/);
    expect((await s.org.retrieveMultiple('cspb_billinglines', { filter: `_cspb_importid_value eq ${IMPORT_ID}` })).value).toHaveLength(0);
  });
});
