/**
 * Microsoft's prices in Dynamics: `npm run prices` writes the price list's rows (one market,
 * upserted by price key) and the reconciliation run checks each term's CRM cost against them, with
 * the same stale-CRM-cost findings `npm run reconcile --price-sheet` reports from the file (one
 * path: the same mapper, price book and engine), to the cent and word for word.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPriceSheet } from '../../core/src';
import { CspbDiscrepancyCategory as Category, CspbReconciliationRunRunStatus as RunStatus } from '../../dataverse/generated';
import { LocalOrg } from '../../dataverse/src/local-org';
import { importBillFile } from '../support/import-bill';
import { MemoryBillFileSource, registerPlugins } from '../../plugins/src';
import { importPrices } from '../../scripts/prices';
import { reconcileFiles } from '../../scripts/reconcile';
import { writeSample } from '../../scripts/generate-sample';
import { builtCustomizations } from '../support/dist';
import { runScript } from '../support/cli';

jest.setTimeout(180_000);

const HEADER =
  'ProductTitle,ProductId,SkuId,SkuTitle,Publisher,SkuDescription,UnitOfMeasure,TermDuration,BillingPlan,Market,Currency,UnitPrice,PricingTierRangeMin,PricingTierRangeMax,EffectiveStartDate,EffectiveEndDate,Tags,ERP Price,Segment';
const TERM: Record<number, string> = { 100000000: 'P1M', 100000001: 'P1Y', 100000002: 'P3Y' };
const PLAN: Record<number, string> = { 100000000: 'Monthly', 100000001: 'Annual', 100000002: 'Triennial' };

let dir: string;
let paths: ReturnType<typeof writeSample>;
let sheetFile: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cspb-prices-dv-'));
  paths = writeSample(join(dir, 'clean'), { clean: true });
  const offers = (JSON.parse(readFileSync(paths.snapshot, 'utf8')) as { tables: { cspb_offer: Array<Record<string, unknown>> } }).tables.cspb_offer;
  // Every licence offer at its CRM cost, but Business Basic (P1M, monthly) 7.70 from October 1 and Business Standard 0.25 dearer all along.
  const rows = [HEADER];
  for (const o of offers) {
    if (!(Number(o['cspb_term']) in TERM)) continue;
    const cells = (price: string, start: string, end: string, market = 'US') =>
      [
        o['cspb_name'],
        o['cspb_productid'],
        o['cspb_skuid'],
        o['cspb_name'],
        'Microsoft Corporation',
        '',
        '1 License',
        TERM[Number(o['cspb_term'])],
        PLAN[Number(o['cspb_billingplan'])],
        market,
        'USD',
        price,
        '',
        '',
        start,
        end,
        '',
        '',
        'Commercial',
      ]
        .map((c) => `"${String(c ?? '')}"`)
        .join(',');
    const cost = Number(o['cspb_unitcost']);
    if (o['cspb_name'] === 'Microsoft 365 Business Basic (P1M, monthly)') {
      rows.push(cells(cost.toFixed(2), '2020-01-01', '2026-09-30'));
      rows.push(cells('7.70', '2026-10-01', ''));
    } else if (String(o['cspb_name']).startsWith('Microsoft 365 Business Standard')) rows.push(cells((cost + 0.25).toFixed(2), '2020-01-01', ''));
    else rows.push(cells(cost.toFixed(2), '2020-01-01', ''));
    rows.push(cells('99.00', '2020-01-01', '', 'GB'));
  }
  sheetFile = join(dir, 'prices.csv');
  writeFileSync(sheetFile, rows.join('\r\n') + '\r\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('the Dynamics run reports the stale CRM costs npm run reconcile --price-sheet reports, word for word', async () => {
  const org = new LocalOrg({ now: () => new Date('2026-11-05T12:00:00Z') });
  const files = new MemoryBillFileSource();
  registerPlugins(org, { billFiles: files, today: () => '2026-11-05' });
  await org.importSnapshot(JSON.parse(readFileSync(paths.snapshot, 'utf8')));
  const sheet = readPriceSheet(readFileSync(sheetFile, 'utf8'), 'prices.csv');
  const imported = await importPrices(org, sheet.rows, 'US');
  const us = sheet.rows.filter((r) => r.market === 'US').length;
  expect(imported).toMatchObject({ market: 'US', rejected: [], written: us, otherMarkets: sheet.rows.length - us });
  // Two rows of one key (one price period listed twice, at two prices) are refused, never one kept.
  const [first] = sheet.rows;
  const twice = await importPrices(org, [...sheet.rows.filter((r) => r.market === 'US'), { ...first!, row: 999, unitPrice: '1.00' }], 'US');
  expect(twice.rejected.map((r) => [r.row, r.reason])).toEqual([
    [first!.row, 'the same product, SKU, term, plan, market, currency, start and tier as row 999'],
    [999, `the same product, SKU, term, plan, market, currency, start and tier as row ${first!.row}`],
  ]);
  expect(
    Number(
      (await org.retrieveMultiple<Record<string, unknown>>('cspb_microsoftprices', { filter: `cspb_sheetrow eq ${first!.row}` })).value[0]!['cspb_unitprice'],
    ),
  ).toBe(Number(first!.unitPrice));
  // Imported again: the same rows, by their key.
  await importPrices(org, sheet.rows, 'US');
  expect((await org.retrieveMultiple('cspb_microsoftprices', {})).value).toHaveLength(imported.written);

  const importId = '0b9a3c0e-0000-4000-8000-000000000401';
  await importBillFile(org, files, importId, 'nce-invoice-2026-10.csv', new Uint8Array(readFileSync(paths.licences)));
  const runId = await org.create('cspb_reconciliationruns', {
    cspb_name: 'October',
    'cspb_ImportId@odata.bind': `/cspb_billingimports(${importId})`,
    cspb_currencycode: 'USD',
  });
  await org.asyncIdle();
  expect((await org.retrieve<Record<string, unknown>>('cspb_reconciliationruns', runId))['cspb_runstatus']).toBe(RunStatus.Completed);
  const stored = (
    await org.retrieveMultiple<Record<string, unknown>>('cspb_discrepancies', {
      filter: `_cspb_runid_value eq ${runId} and cspb_category eq ${Category.StaleCrmCost}`,
    })
  ).value.map((d) => [d['cspb_vendorsubscriptionid'], d['cspb_referenceid'], Number(d['cspb_variance']).toFixed(2), d['cspb_explanation']].join(' | '));

  const cli = await reconcileFiles({ bills: [paths.licences], org: paths.snapshot, priceSheet: sheetFile, market: 'US' });
  const expected = cli.items
    .filter((i) => i.category === 'staleCrmCost')
    .map((i) => [i.vendorSubscriptionId, i.referenceId, i.variance.toFixed(2), i.explanation].join(' | '));
  expect(expected.length).toBeGreaterThan(3);
  expect(stored.sort()).toEqual(expected.sort());
});

it('npm run prices into a local org: one market written, the other refused later, a rejected row listed with exit 2', async () => {
  const orgFile = join(dir, 'org.json');
  const org = await LocalOrg.open(orgFile, { customizationsXml: builtCustomizations() });
  await org.importSnapshot(JSON.parse(readFileSync(paths.snapshot, 'utf8')));
  await org.close();
  const many = await runScript('prices.ts', ['--file', sheetFile, '--local-org', orgFile]);
  expect(many.status).toBe(2);
  expect(many.stderr).toMatch(/the price sheet holds 2 markets \(GB, US\): give --market/);
  const us = await runScript('prices.ts', ['--file', sheetFile, '--local-org', orgFile, '--market', 'us']);
  expect(us.stderr).toBe('');
  expect(us.status).toBe(0);
  expect(us.stdout).toMatch(/prices\.csv: \d+ price rows read; \d+ of market US written, \d+ of other markets left out; 0 rejected/);
  const gb = await runScript('prices.ts', ['--file', sheetFile, '--local-org', orgFile, '--market', 'GB']);
  expect(gb.status).toBe(2);
  expect(gb.stderr).toMatch(/the org holds Microsoft prices of market US: delete them before importing GB's/);
  const bad = join(dir, 'bad.csv');
  writeFileSync(
    bad,
    `${readFileSync(sheetFile, 'utf8')}"X","CFQ7TTC0XXXX","0001","X","","","","P1Y","Annual","US","USD","1.1234567","","","2026-01-01","","","",""\r\n`,
  );
  const rejected = await runScript('prices.ts', ['--file', bad, '--local-org', orgFile, '--market', 'US']);
  expect(rejected.status).toBe(2);
  expect(rejected.stdout).toMatch(/; 1 rejected\n {2}row \d+, cspb_unitprice "1\.1234567": cspb_unitprice: has more than 6 decimal places/);
});
