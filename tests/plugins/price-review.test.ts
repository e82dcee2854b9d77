/**
 * The price review in Dynamics (issue 21): a Price review row queues the job, which writes one
 * line per renewal of the next 60 days with the price its margin rule gives from the org's
 * Microsoft prices: the same lines `npm run renewals` computes from the snapshot and the price-list
 * file (one call: reviewRenewalsFromRows), and the same renewals below their floor. A newer review
 * replaces the older one's lines, so the Renewals Below Margin Floor view is today's list.
 * The rules and prices are those of tests/scripts/renewals.test.ts, whose figures are hand-computed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDate, PriceBook, readPriceSheet } from '../../core/src';
import { CspbPriceReviewRunStatus as Status } from '../../dataverse/generated';
import { LocalOrg } from '../../dataverse/src/local-org';
import { priceReviewLineRows, reviewRenewalsFromRows } from '../../dataverse/src/runs';
import { MemoryBillFileSource, registerPlugins } from '../../plugins/src';
import { writeMarginRulesFixture } from '../support/margin-rules-fixture';
import { importPrices } from '../../scripts/prices';
import { readSnapshot } from '../../scripts/cli-inputs';
import { reviewText } from '../../scripts/renewals';

jest.setTimeout(120_000);

let dir: string;
let snapshot: string;
let sheet: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cspb-price-review-'));
  ({ snapshot, sheet } = writeMarginRulesFixture(dir));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Row = Record<string, unknown>;
const shape = (r: Row) =>
  [
    r['cspb_linekey'],
    r['cspb_vendorsubscriptionid'],
    r['cspb_renewson'],
    r['cspb_quantity'],
    r['cspb_currentprice'],
    r['cspb_costatrenewal'],
    r['cspb_renewalprice'],
    r['cspb_margin'],
    r['cspb_marginpercent'],
    r['cspb_floorpercent'],
    r['cspb_belowfloor'],
    r['cspb_rule'],
  ].join(' | ');

async function orgWithPrices(): Promise<LocalOrg> {
  const org = new LocalOrg({ now: () => new Date('2026-11-01T08:00:00Z') });
  registerPlugins(org, { billFiles: new MemoryBillFileSource(), today: () => '2026-11-01' });
  await org.importSnapshot(JSON.parse(readFileSync(snapshot, 'utf8')));
  return org;
}

async function review(org: LocalOrg, asOf: string): Promise<{ id: string; run: Row; lines: Row[] }> {
  const id = await org.create('cspb_pricereviews', { cspb_name: `Renewals from ${asOf}`, cspb_asof: asOf });
  await org.asyncIdle();
  expect(org.asyncFailures).toEqual([]);
  const run = await org.retrieve<Row>('cspb_pricereviews', id);
  const lines = (await org.retrieveMultiple<Row>('cspb_pricereviewlines', { orderBy: ['cspb_linekey'] })).value;
  return { id, run, lines };
}

it('writes the renewal prices npm run renewals computes, from the org’s Microsoft prices; the same renewals below their floor', async () => {
  const org = await orgWithPrices();
  const rows = readPriceSheet(readFileSync(sheet, 'utf8'), 'prices.csv').rows;
  await importPrices(org, rows, 'US');
  const { id, run, lines } = await review(org, '2026-11-01');

  const cli = reviewRenewalsFromRows(readSnapshot(snapshot), parseDate('2026-11-01'), new PriceBook(rows));
  const expected = priceReviewLineRows(id, cli).sort((a, b) => (a.cspb_linekey! < b.cspb_linekey! ? -1 : 1));
  expect(lines.map(shape)).toEqual(expected.map((e) => shape(e as Row)));
  // Every line names its subscription.
  expect(lines.every((l) => typeof l['_cspb_subscriptionid_value'] === 'string')).toBe(true);

  // The command's text from the file: the same count and the same subscriptions below the floor.
  const text = await reviewText(['--org', snapshot, '--as-of', '2026-11-01', '--price-sheet', sheet]);
  const header = /: (\d+), (\d+) below their margin floor/.exec(text.split('\n')[0]!)!;
  expect(run).toMatchObject({
    cspb_runstatus: Status.Completed,
    cspb_renewalcount: Number(header[1]),
    cspb_belowfloorcount: Number(header[2]),
  });
  const belowText = text
    .split('\n')
    .filter((l) => l.startsWith('  BELOW FLOOR '))
    .map((l) => l.slice('  BELOW FLOOR '.length).split(' ')[0]!)
    .sort();
  const belowStored = lines
    .filter((l) => l['cspb_belowfloor'] === true)
    .map((l) => String(l['cspb_vendorsubscriptionid']))
    .sort();
  expect(belowStored).toEqual(belowText);
  expect(belowStored.length).toBeGreaterThan(0);
  // Business Standard at a fixed 16.00 on a 15.00 cost: 6.25% under a 10% floor (hand-computed in the renewals test).
  const standard = lines.find((l) => String(l['cspb_rule']).startsWith("offer 'Microsoft 365 Business Standard"))!;
  expect(standard).toMatchObject({
    cspb_renewalprice: 16,
    cspb_costatrenewal: 15,
    cspb_margin: 1,
    cspb_marginpercent: 6.25,
    cspb_floorpercent: 10,
    cspb_belowfloor: true,
  });
  // Business Basic monthly renewing from November 10: Microsoft's 7.70 (the price list's row 3) + 20% = 9.24.
  const basic = lines.find(
    (l) => String(l['cspb_rule']).startsWith("offer 'Microsoft 365 Business Basic (P1M, monthly)'") && String(l['cspb_renewson']) >= '2026-11-10',
  );
  expect(basic).toMatchObject({ cspb_costatrenewal: 7.7, cspb_renewalprice: 9.24, cspb_belowfloor: false });
  expect(String(basic!['cspb_costsource'])).toMatch(/row 3/);
  expect(String(run['cspb_notes'])).toMatch(/Microsoft's price on each renewal day/);
});

it("a newer review replaces the older one's lines; without Microsoft prices it prices from the CRM cost and says so", async () => {
  const org = await orgWithPrices();
  const first = await review(org, '2026-11-01');
  expect(String(first.run['cspb_notes'])).toMatch(/the org holds no Microsoft prices/);
  expect(first.lines.length).toBe(first.run['cspb_renewalcount']);
  const second = await review(org, '2026-11-15');
  expect(second.lines.length).toBe(second.run['cspb_renewalcount']);
  expect(second.lines.every((l) => l['_cspb_pricereviewid_value'] === second.id)).toBe(true);
  // The first review stays, with its counts.
  expect(await org.retrieve<Row>('cspb_pricereviews', first.id)).toMatchObject({
    cspb_runstatus: Status.Completed,
    cspb_renewalcount: first.run['cspb_renewalcount'],
  });
});
