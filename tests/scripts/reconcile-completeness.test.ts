/**
 * `npm run reconcile` refuses to reconcile a bill that is not whole: the sample partner's October
 * invoice total (summed here from the file's Total column, in cents) against its imported lines,
 * typed in or from Partner Center's invoice JSON (the shared sample's shape with this invoice's
 * number and total), and a bill missing rows, whose difference is exactly those rows' totals.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSample } from '../../scripts/generate-sample';
import { IncompleteBill, reconcileFiles } from '../../scripts/reconcile';
import { parseCsv } from '../../scripts/sample-data/csv-records';
import { runScript } from '../support/cli';

const SHARED = join(__dirname, '../../../shared/samples');
let dir: string;
let paths: ReturnType<typeof writeSample>;
let csv: string;
let totalCents: number;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cspb-complete-'));
  paths = writeSample(join(dir, 'clean'), { clean: true });
  csv = readFileSync(paths.licences, 'utf8');
  const [header, ...rows] = parseCsv(csv);
  const total = header!.indexOf('Total');
  totalCents = rows.reduce((sum, r) => sum + Math.round(Number(r[total]) * 100), 0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const money = (cents: number): string => (cents / 100).toFixed(2);

it('the invoice total typed in agrees with the lines: the bill is reconciled as before', async () => {
  const result = await reconcileFiles({ bills: [paths.licences], org: paths.snapshot, invoiceTotals: [`G0000012345=${money(totalCents)}`] });
  expect(result.items.filter((i) => i.category !== 'exactMatch')).toEqual([]);
});

it("Partner Center's invoice JSON with another total: nothing reconciled, the difference listed, exit 2", async () => {
  const sample = join(SHARED, 'pc-api-docs-json/get-invoice-by-id-ex1-Invoice.json');
  if (!existsSync(sample)) throw new Error(`missing shared sample file: ${sample}`);
  const invoice = JSON.parse(readFileSync(sample, 'utf8')) as Record<string, unknown>;
  const json = join(dir, 'invoice.json');
  writeFileSync(json, JSON.stringify({ ...invoice, id: 'G0000012345', totalCharges: (totalCents + 12345) / 100 }));
  const r = await runScript('reconcile.ts', ['--bill', paths.licences, '--org', paths.snapshot, '--invoice-json', json]);
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('the bill is not complete (1 difference, largest first); nothing was reconciled:');
  expect(r.stderr).toContain(
    `  -123.45  invoice G0000012345: total ${money(totalCents + 12345)} (Partner Center invoice JSON invoice.json), its ${csv.trimEnd().split('\n').length - 1} imported lines sum to ${money(totalCents)} with tax: 123.45 of the invoice is not imported`,
  );
});

it('--invoice-total may be given for several invoices; a collection JSON checks only the invoices imported', async () => {
  const two = await runScript('reconcile.ts', [
    '--bill',
    paths.licences,
    '--org',
    paths.snapshot,
    '--invoice-total',
    `G0000012345=${money(totalCents)}`,
    '--invoice-total',
    'G0000099999=10.00',
  ]);
  expect(two.status).toBe(2);
  expect(two.stderr).toContain('  -10.00  invoice G0000099999: total 10.00 (typed in), its 0 imported lines sum to 0.00');
  const collection = join(dir, 'invoices.json');
  writeFileSync(
    collection,
    JSON.stringify({
      totalCount: 2,
      items: [
        { id: 'G0000012345', totalCharges: totalCents / 100, currencyCode: 'USD' },
        { id: 'G0000000042', totalCharges: 99.5, currencyCode: 'USD' },
      ],
    }),
  );
  const r = await runScript('reconcile.ts', ['--bill', paths.licences, '--org', paths.snapshot, '--invoice-json', collection, '--json']);
  expect(r.status).toBe(0);
  expect(r.stderr).toContain('warning: 1 invoice(s) of the invoice JSON have no imported line and were not checked: G0000000042');
});

it('a bill missing rows: the difference is exactly their totals', async () => {
  const [header, ...rows] = parseCsv(csv);
  const total = header!.indexOf('Total');
  const dropped = rows.slice(0, 5);
  const droppedCents = dropped.reduce((sum, r) => sum + Math.round(Number(r[total]) * 100), 0);
  const partial = join(dir, 'partial.csv');
  writeFileSync(partial, [csv.split('\n')[0], ...csv.trimEnd().split('\n').slice(6)].join('\n') + '\n');
  const error = await reconcileFiles({ bills: [partial], org: paths.snapshot, invoiceTotals: [`G0000012345=${money(totalCents)}`] }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(IncompleteBill);
  expect((error as IncompleteBill).report.differences.map((d) => d.difference.toFixed(2))).toEqual([money(-droppedCents)]);
  // A tolerance as large as the gap lets it through.
  await expect(
    reconcileFiles({ bills: [partial], org: paths.snapshot, invoiceTotals: [`G0000012345=${money(totalCents)}`], completenessTolerance: money(droppedCents) }),
  ).resolves.toBeDefined();
  await expect(reconcileFiles({ bills: [partial], org: paths.snapshot, invoiceTotals: ['G0000012345=ten'] })).rejects.toThrow(
    /expected <invoice number>=<amount>/,
  );
});
