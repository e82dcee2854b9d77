import {
  CspbBillingImportImportStatus as ImportStatus,
  CspbDiscrepancyCategory as Category,
  CspbDiscrepancyResolutionStatus as Resolution,
  CspbReconciliationRunRunStatus as RunStatus,
} from '../../dataverse/generated';
import { rerunJob, seededOrg, subscriptionBody } from './seed';

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
const row = (sub: string, qty: string, subtotal: string, ref: string) => [
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

describe('billing import and reconciliation run on the local org', () => {
  test('import writes the lines and totals; importing again writes no duplicate; the same file twice is refused', async () => {
    const s = await seededOrg();
    const bytes = csv([row('sub-a', '10', '125.00', 'r1'), row('sub-unknown', '2', '25.00', 'r2'), row('sub-a', 'x', '1.00', 'r3')]);
    const importId = '0b9a3c0e-0000-4000-8000-000000000001';
    s.files.put(importId, { fileName: 'oct.csv', bytes });
    await s.org.create('cspb_billingimports', {
      cspb_billingimportid: importId,
      cspb_name: 'October',
      cspb_contenthash: 'pending-1',
      cspb_currencycode: 'EUR',
    });
    await s.org.asyncIdle();
    expect(s.org.asyncFailures).toEqual([]);
    const imported = await s.org.retrieve<Record<string, unknown>>('cspb_billingimports', importId);
    expect(imported).toMatchObject({
      cspb_importstatus: ImportStatus.CompletedWithErrors,
      cspb_rowsread: 3,
      cspb_rowsaccepted: 2,
      cspb_rowsrejected: 1,
      cspb_linecount: 2,
      cspb_totalbilled: 150,
      cspb_invoicenumber: 'G000000001',
      cspb_periodstart: '2026-10-01',
      cspb_periodend: '2026-10-31',
    });
    expect(JSON.parse(String(imported['cspb_errors']))[0]).toMatchObject({ row: 4, column: 'BillableQuantity' });
    expect(s.org.count('cspb_billinglines')).toBe(2);

    // Resume: the job runs again on an unfinished import: the lines are upserted by their key.
    await rerunJob(s, 'billingimport', importId, { cspb_importstatus: ImportStatus.Writing });
    expect(s.org.count('cspb_billinglines')).toBe(2);

    const second = '0b9a3c0e-0000-4000-8000-000000000002';
    s.files.put(second, { fileName: 'oct-again.csv', bytes });
    await s.org.create('cspb_billingimports', {
      cspb_billingimportid: second,
      cspb_name: 'October again',
      cspb_contenthash: 'pending-2',
      cspb_currencycode: 'EUR',
    });
    await s.org.asyncIdle();
    const refused = await s.org.retrieve<Record<string, unknown>>('cspb_billingimports', second);
    expect(refused['cspb_importstatus']).toBe(ImportStatus.Failed);
    expect(String(refused['cspb_errors'])).toMatch(/already imported as 'October'/);
    expect(s.org.count('cspb_billinglines')).toBe(2);
  });

  test('an import without a file fails only when it is Pending; one the import control created (Writing) is left to the control', async () => {
    const s = await seededOrg();
    const pending = '0b9a3c0e-0000-4000-8000-000000000011';
    await s.org.create('cspb_billingimports', { cspb_billingimportid: pending, cspb_name: 'No file', cspb_contenthash: 'h-11', cspb_currencycode: 'EUR' });
    const byControl = '0b9a3c0e-0000-4000-8000-000000000012';
    await s.org.create('cspb_billingimports', {
      cspb_billingimportid: byControl,
      cspb_name: 'From the control',
      cspb_contenthash: 'h-12',
      cspb_currencycode: 'EUR',
      cspb_importstatus: ImportStatus.Writing,
    });
    await s.org.asyncIdle();
    expect(s.org.asyncFailures).toEqual([]);
    const failed = await s.org.retrieve<Record<string, unknown>>('cspb_billingimports', pending);
    expect(failed['cspb_importstatus']).toBe(ImportStatus.Failed);
    expect(String(failed['cspb_errors'])).toContain('No bill is attached');
    expect((await s.org.retrieve<Record<string, unknown>>('cspb_billingimports', byControl))['cspb_importstatus']).toBe(ImportStatus.Writing);
  });

  test("a euro bill of a dollar-priced offer reconciles with Microsoft's exchange rate of the month, and lines keep their order date", async () => {
    const s = await seededOrg({ today: '2026-10-01' });
    // The price list in USD (12.50 a seat a month); Microsoft bills the partner in EUR at PCToBCExchangeRate 0.9.
    const usdOffer = await s.org.create('cspb_offers', {
      cspb_name: 'M365 BS (USD price list)',
      cspb_vendor: 100000000,
      cspb_productid: 'CFQ7TTC0LH18',
      cspb_skuid: '0001',
      cspb_term: 100000001,
      cspb_billingplan: 100000000,
      cspb_unitcost: 12.5,
      cspb_currencycode: 'USD',
    });
    await s.org.create(
      'cspb_subscriptions',
      subscriptionBody(s, 10, { cspb_vendorsubscriptionid: 'sub-fx', 'cspb_OfferId@odata.bind': `/cspb_offers(${usdOffer})` }),
    );
    await s.org.asyncIdle(); // the ledger step runs after the save has committed, as in Dataverse
    // 10 seats x 12.50 USD x 0.9 = 112.50 EUR for October, bought on 10/1, ordered on 10/1.
    const fx = row('sub-fx', '10', '112.50', 'r-fx').map((v, i) =>
      HEADER[i] === 'ChargeType'
        ? 'new'
        : HEADER[i] === 'PricingCurrency'
          ? 'USD'
          : HEADER[i] === 'PCToBCExchangeRate'
            ? '0.9'
            : HEADER[i] === 'UnitPrice' || HEADER[i] === 'EffectiveUnitPrice'
              ? '11.25'
              : v,
    );
    const importId = '0b9a3c0e-0000-4000-8000-000000000021';
    s.files.put(importId, { fileName: 'oct-eur.csv', bytes: csv([fx]) });
    await s.org.create('cspb_billingimports', {
      cspb_billingimportid: importId,
      cspb_name: 'October EUR',
      cspb_contenthash: 'pending-fx',
      cspb_currencycode: 'EUR',
    });
    await s.org.asyncIdle();
    const [line] = (await s.org.retrieveMultiple<Record<string, unknown>>('cspb_billinglines', { filter: `_cspb_importid_value eq ${importId}` })).value;
    expect(line).toMatchObject({
      cspb_pricingcurrency: 'USD',
      cspb_exchangerate: 0.9,
      cspb_orderdate: '2026-10-01',
      cspb_currencycode: 'EUR',
      cspb_subtotal: 112.5,
    });

    const runId = await s.org.create('cspb_reconciliationruns', {
      cspb_name: 'Oct EUR run',
      'cspb_ImportId@odata.bind': `/cspb_billingimports(${importId})`,
      cspb_currencycode: 'EUR',
    });
    await s.org.asyncIdle();
    expect(s.org.asyncFailures).toEqual([]);
    const run = await s.org.retrieve<Record<string, unknown>>('cspb_reconciliationruns', runId);
    // Without the pricing currency the run priced the line in USD (125.00) and called it a price mismatch.
    expect(run).toMatchObject({ cspb_runstatus: RunStatus.Completed, cspb_totalbilled: 112.5, cspb_totalexpected: 112.5, cspb_discrepancycount: 0 });
  });

  test('a run covers every completed import of its month, leaves a failed one out, and refuses while one is still being imported', async () => {
    const s = await seededOrg({ today: '2026-10-01' });
    await s.org.create('cspb_subscriptions', subscriptionBody(s, 10, { cspb_vendorsubscriptionid: 'sub-a' }));
    await s.org.create('cspb_subscriptions', subscriptionBody(s, 4, { cspb_vendorsubscriptionid: 'sub-b' }));
    await s.org.asyncIdle();
    // October's licences in two files: sub-a (10 x 12.50) in one, sub-b (4 x 12.50) in the other.
    const first = '0b9a3c0e-0000-4000-8000-000000000031';
    const second = '0b9a3c0e-0000-4000-8000-000000000032';
    // Bought on 10/1 (the ledger's date): Microsoft bills them as 'new'.
    const bought = (r: string[]) => r.map((v, i) => (HEADER[i] === 'ChargeType' ? 'new' : v));
    s.files.put(first, { fileName: 'oct-a.csv', bytes: csv([bought(row('sub-a', '10', '125.00', 'ra'))]) });
    s.files.put(second, { fileName: 'oct-b.csv', bytes: csv([bought(row('sub-b', '4', '50.00', 'rb'))]) });
    await s.org.create('cspb_billingimports', { cspb_billingimportid: first, cspb_name: 'October A', cspb_contenthash: 'p-31', cspb_currencycode: 'EUR' });
    await s.org.create('cspb_billingimports', { cspb_billingimportid: second, cspb_name: 'October B', cspb_contenthash: 'p-32', cspb_currencycode: 'EUR' });
    await s.org.asyncIdle();
    const run = async () => {
      const id = await s.org.create('cspb_reconciliationruns', {
        cspb_name: 'Oct',
        'cspb_ImportId@odata.bind': `/cspb_billingimports(${first})`,
        cspb_currencycode: 'EUR',
      });
      await s.org.asyncIdle();
      return s.org.retrieve<Record<string, unknown>>('cspb_reconciliationruns', id);
    };
    // Both files together explain both subscriptions: nothing to review, 175.00 billed.
    const firstRun = await run();
    expect(firstRun).toMatchObject({ cspb_runstatus: RunStatus.Completed, cspb_discrepancycount: 0, cspb_totalbilled: 175 });
    // The run names its billing month and is the one the dashboards sum.
    expect(firstRun).toMatchObject({ cspb_periodstart: '2026-10-01', cspb_islatest: true });

    // An October import that failed (no file attached) is left out: its errors are on it.
    await s.org.create('cspb_billingimports', {
      cspb_name: 'October F',
      cspb_contenthash: 'p-34',
      cspb_currencycode: 'EUR',
      cspb_periodstart: '2026-10-01',
      cspb_periodend: '2026-10-31',
    });
    await s.org.asyncIdle();
    const secondRun = await run();
    expect(secondRun).toMatchObject({ cspb_runstatus: RunStatus.Completed, cspb_discrepancycount: 0, cspb_totalbilled: 175 });
    // A second run of October replaces the first as the month's latest: charts summing the latest runs count 175.00 once.
    const latest = (await s.org.retrieveMultiple<Record<string, unknown>>('cspb_reconciliationruns', { filter: 'cspb_islatest eq true' })).value;
    expect(latest.map((r) => r['cspb_reconciliationrunid'])).toEqual([secondRun['cspb_reconciliationrunid']]);
    expect((await s.org.retrieve<Record<string, unknown>>('cspb_reconciliationruns', String(firstRun['cspb_reconciliationrunid'])))['cspb_islatest']).toBe(
      false,
    );

    // A third October import the control is still writing: the run says so instead of reconciling without it.
    await s.org.create('cspb_billingimports', {
      cspb_name: 'October C',
      cspb_contenthash: 'p-33',
      cspb_currencycode: 'EUR',
      cspb_importstatus: ImportStatus.Writing,
      cspb_periodstart: '2026-10-01',
      cspb_periodend: '2026-10-31',
    });
    await s.org.asyncIdle();
    const refused = await run();
    expect(refused['cspb_runstatus']).toBe(RunStatus.Failed);
    expect(String(refused['cspb_error'])).toContain("Import 'October C' of 2026-10 is still being imported");
    // A failed run does not take the month's place.
    expect(refused['cspb_islatest']).toBe(false);
    expect((await s.org.retrieve<Record<string, unknown>>('cspb_reconciliationruns', String(secondRun['cspb_reconciliationrunid'])))['cspb_islatest']).toBe(
      true,
    );
  });

  test('an import with a rejected row keeps its money on the import; a run refuses it until finance accounts for it, then lists the row as a finding', async () => {
    const s = await seededOrg({ today: '2026-10-01' });
    await s.org.create('cspb_subscriptions', subscriptionBody(s, 10, { cspb_vendorsubscriptionid: 'sub-a' }));
    await s.org.asyncIdle();
    const bought = (r: string[]) => r.map((v, i) => (HEADER[i] === 'ChargeType' ? 'new' : v));
    // Row 3: a credit of -40.00 with an impossible start date: refused, its money still readable.
    const credit = row('sub-a', '10', '-40.00', 'rc').map((v, i) => (HEADER[i] === 'ChargeStartDate' ? '10/41/2026' : v));
    const importId = '0b9a3c0e-0000-4000-8000-000000000041';
    s.files.put(importId, { fileName: 'oct-rejected.csv', bytes: csv([bought(row('sub-a', '10', '125.00', 'ra')), credit]) });
    await s.org.create('cspb_billingimports', { cspb_billingimportid: importId, cspb_name: 'October R', cspb_contenthash: 'p-41', cspb_currencycode: 'EUR' });
    await s.org.asyncIdle();
    const imported = await s.org.retrieve<Record<string, unknown>>('cspb_billingimports', importId);
    expect(imported).toMatchObject({ cspb_rowsrejected: 1, cspb_rejectedamount: -40, cspb_rejectedacknowledged: false, cspb_totalbilled: 125 });
    expect(JSON.parse(String(imported['cspb_rejectedrows']))).toEqual([
      expect.objectContaining({ row: 3, code: 'bad-date', column: 'ChargeStartDate', value: '10/41/2026', amount: '-40', currency: 'EUR' }),
    ]);

    const runId = await s.org.create('cspb_reconciliationruns', {
      cspb_name: 'Oct R',
      'cspb_ImportId@odata.bind': `/cspb_billingimports(${importId})`,
      cspb_currencycode: 'EUR',
    });
    await s.org.asyncIdle();
    const refused = await s.org.retrieve<Record<string, unknown>>('cspb_reconciliationruns', runId);
    expect(refused['cspb_runstatus']).toBe(RunStatus.Failed);
    expect(String(refused['cspb_error'])).toContain("Import 'October R' has 1 rejected row (-40.00 EUR readable)");
    expect(s.org.count('cspb_discrepancies')).toBe(0);

    await s.org.update('cspb_billingimports', importId, { cspb_rejectedacknowledged: true });
    await rerunJob(s, 'reconciliationrun', runId, { cspb_runstatus: RunStatus.Pending, cspb_error: null });
    const run = await s.org.retrieve<Record<string, unknown>>('cspb_reconciliationruns', runId);
    expect(run).toMatchObject({ cspb_runstatus: RunStatus.Completed, cspb_totalbilled: 125, cspb_totalrejected: -40, cspb_discrepancycount: 1 });
    const [finding] = (await s.org.retrieveMultiple<Record<string, unknown>>('cspb_discrepancies', { filter: `_cspb_runid_value eq ${runId}` })).value;
    expect(finding).toMatchObject({ cspb_category: Category.RejectedRow, cspb_billedamount: -40, cspb_variance: -40 });
    expect(String(finding!['cspb_explanation'])).toContain('oct-rejected.csv row 3 was not read');
  });

  test('a bill whose order dates span September and October: the run completes and says the period it inferred', async () => {
    const s = await seededOrg({ today: '2026-10-01' });
    await s.org.create('cspb_subscriptions', subscriptionBody(s, 10, { cspb_vendorsubscriptionid: 'sub-a' }));
    await s.org.asyncIdle();
    const september = row('sub-late', '2', '25.00', 'r9').map((v, i) => (HEADER[i] === 'OrderDate' ? '9/30/2026' : v));
    const importId = '0b9a3c0e-0000-4000-8000-000000000041';
    s.files.put(importId, { fileName: 'oct.csv', bytes: csv([row('sub-a', '10', '125.00', 'r1'), september]) });
    await s.org.create('cspb_billingimports', { cspb_billingimportid: importId, cspb_name: 'October', cspb_contenthash: 'p-41', cspb_currencycode: 'EUR' });
    await s.org.asyncIdle();
    const id = await s.org.create('cspb_reconciliationruns', {
      cspb_name: 'Oct',
      'cspb_ImportId@odata.bind': `/cspb_billingimports(${importId})`,
      cspb_currencycode: 'EUR',
    });
    await s.org.asyncIdle();
    const run = await s.org.retrieve<Record<string, unknown>>('cspb_reconciliationruns', id);
    expect(run['cspb_runstatus']).toBe(RunStatus.Completed);
    expect(run['cspb_warnings']).toBe(
      "the bill's dates span 2 months, so 2026-09-01 to 2026-10-31 was reconciled as one period; name the bill's month (--period YYYY-MM) to reconcile only that month",
    );
  });

  test('a run writes discrepancies; a re-run keeps resolved ones and replaces open ones', async () => {
    const s = await seededOrg({ today: '2026-10-01' });
    await s.org.create('cspb_subscriptions', subscriptionBody(s, 10, { cspb_vendorsubscriptionid: 'sub-a' }));
    await s.org.asyncIdle(); // the ledger step runs after the save has committed, as in Dataverse
    const importId = '0b9a3c0e-0000-4000-8000-000000000003';
    s.files.put(importId, { fileName: 'oct.csv', bytes: csv([row('sub-a', '12', '150.00', 'r1'), row('sub-unknown', '2', '25.00', 'r2')]) });
    await s.org.create('cspb_billingimports', { cspb_billingimportid: importId, cspb_name: 'October', cspb_contenthash: 'pending', cspb_currencycode: 'EUR' });
    await s.org.asyncIdle();
    const runId = await s.org.create('cspb_reconciliationruns', {
      cspb_name: 'Oct run',
      'cspb_ImportId@odata.bind': `/cspb_billingimports(${importId})`,
      cspb_currencycode: 'EUR',
    });
    await s.org.asyncIdle();
    expect(s.org.asyncFailures).toEqual([]);
    const list = async () =>
      (
        await s.org.retrieveMultiple<Record<string, unknown>>('cspb_discrepancies', {
          filter: `_cspb_runid_value eq ${runId}`,
          orderBy: ['cspb_discrepancykey'],
        })
      ).value;
    const found = await list();
    const categories = found.map((d) => d['cspb_category']);
    expect(categories).toContain(Category.UnknownInCrm);
    expect(categories).toContain(Category.QuantityMismatch);
    const run = await s.org.retrieve<Record<string, unknown>>('cspb_reconciliationruns', runId);
    expect(run).toMatchObject({ cspb_runstatus: RunStatus.Completed, cspb_discrepancycount: found.length, cspb_totalbilled: 175 });

    const unknown = found.find((d) => d['cspb_category'] === Category.UnknownInCrm)!;
    await s.org.update('cspb_discrepancies', String(unknown['cspb_discrepancyid']), {
      cspb_resolutionstatus: Resolution.Resolved,
      cspb_resolutionnote: 'Moved to the right customer',
    });
    const open = found.find((d) => d['cspb_category'] === Category.QuantityMismatch)!;
    // A stale open finding the engine no longer reports must go on re-run.
    await s.org.create('cspb_discrepancies', {
      cspb_name: 'stale',
      'cspb_RunId@odata.bind': `/cspb_reconciliationruns(${runId})`,
      cspb_discrepancykey: 'stale-key',
      cspb_category: Category.PriceMismatch,
      cspb_currencycode: 'EUR',
    });
    await rerunJob(s, 'reconciliationrun', runId, { cspb_runstatus: RunStatus.Pending });
    const after = await list();
    expect(after.map((d) => d['cspb_discrepancykey'])).toEqual(found.map((d) => d['cspb_discrepancykey']));
    const kept = after.find((d) => d['cspb_discrepancyid'] === unknown['cspb_discrepancyid'])!;
    expect([kept['cspb_resolutionstatus'], kept['cspb_resolutionnote']]).toEqual([Resolution.Resolved, 'Moved to the right customer']);
    expect(after.find((d) => d['cspb_discrepancykey'] === open['cspb_discrepancykey'])!['cspb_resolutionstatus']).toBe(Resolution.Open);

    // A second run of the same bill: the finding decided in the first starts from that decision and says
    // where it came from; the undecided one starts Open.
    const second = await s.org.create('cspb_reconciliationruns', {
      cspb_name: 'Oct run again',
      'cspb_ImportId@odata.bind': `/cspb_billingimports(${importId})`,
      cspb_currencycode: 'EUR',
    });
    await s.org.asyncIdle();
    expect(s.org.asyncFailures).toEqual([]);
    const again = (
      await s.org.retrieveMultiple<Record<string, unknown>>('cspb_discrepancies', {
        filter: `_cspb_runid_value eq ${second}`,
        orderBy: ['cspb_discrepancykey'],
      })
    ).value;
    const carried = again.find((d) => d['cspb_discrepancykey'] === unknown['cspb_discrepancykey'])!;
    expect([carried['cspb_resolutionstatus'], carried['cspb_resolutionnote']]).toEqual([Resolution.Resolved, 'Moved to the right customer']);
    expect(carried['cspb_decisionfrom']).toMatch(/^Resolved in run 'Oct run' on \d{4}-\d{2}-\d{2}$/);
    const fresh = again.find((d) => d['cspb_discrepancykey'] === open['cspb_discrepancykey'])!;
    expect([fresh['cspb_resolutionstatus'], fresh['cspb_decisionfrom']]).toEqual([Resolution.Open, null]);
    // Re-running the second run keeps a decision finance then changes there.
    await s.org.update('cspb_discrepancies', String(carried['cspb_discrepancyid']), { cspb_resolutionstatus: Resolution.Ignored });
    await rerunJob(s, 'reconciliationrun', second, { cspb_runstatus: RunStatus.Pending });
    expect((await s.org.retrieve<Record<string, unknown>>('cspb_discrepancies', String(carried['cspb_discrepancyid'])))['cspb_resolutionstatus']).toBe(
      Resolution.Ignored,
    );
  });
});
