/**
 * The sample partner and its October bill: every planted discrepancy is found with its category
 * and money and nothing else is flagged; the clean bill reconciles 100% exact.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ReconResult } from '../../core/src';
import { writeSample } from '../../scripts/generate-sample';
import { billFileOptions, importBillFile } from '../../scripts/bill-file/parallel-import';
import { reconcileFiles } from '../../scripts/reconcile';
import { InputError } from '../../scripts/cli-inputs';
import type { PlantedFinding } from '../../scripts/sample-data/plant';

const root = resolve(__dirname, '../..');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cspb-sample-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(clean: boolean): Promise<{ result: ReconResult; planted: PlantedFinding[]; paths: ReturnType<typeof writeSample> }> {
  const paths = writeSample(join(dir, clean ? 'clean' : 'planted'), { clean });
  const result = await reconcileFiles({ bills: [paths.licences, paths.usage], org: paths.snapshot });
  const planted = (JSON.parse(readFileSync(paths.manifest, 'utf8')) as { planted: PlantedFinding[] }).planted;
  return { result, planted, paths };
}

const finding = (f: { category: string; vendorSubscriptionId?: string; chargeType?: string; variance: string }) =>
  `${f.category} ${f.vendorSubscriptionId} ${f.chargeType ?? '-'} ${f.variance}`;

describe('sample partner, October 2026', () => {
  it('has the size the issue asks for: 25 customers, 120 subscriptions, three months of ledger', async () => {
    const { paths } = await run(true);
    const snapshot = JSON.parse(readFileSync(paths.snapshot, 'utf8')) as { tables: Record<string, Array<Record<string, unknown>>> };
    expect(snapshot.tables['account']).toHaveLength(25);
    expect(snapshot.tables['cspb_subscription']).toHaveLength(120);
    const dates = snapshot.tables['cspb_subscriptionchange']!.map((c) => String(c['cspb_effectivedate'])).sort();
    expect(dates[0]! >= '2026-08-01').toBe(true);
    expect(dates[dates.length - 1]! < '2026-11-01').toBe(true);
  });

  it('a clean bill generated from the ledger reconciles 100% exact', async () => {
    const { result } = await run(true);
    expect(result.items.filter((i) => i.category !== 'exactMatch').map((i) => finding({ ...i, variance: i.variance.toFixed(2) }))).toEqual([]);
    expect(result.totals.variance.toFixed(2)).toBe('0.00');
    expect(result.totals.billed.eq(result.totals.expected)).toBe(true);
  });

  it('finds every planted discrepancy with its category and money, and nothing else', async () => {
    const { result, planted } = await run(false);
    const categories = new Set(planted.map((p) => p.category));
    expect(categories.size).toBeGreaterThanOrEqual(12);
    const found = result.items.filter((i) => i.category !== 'exactMatch').map((i) => finding({ ...i, variance: i.variance.toFixed(2) }));
    expect(found.sort()).toEqual(planted.map(finding).sort());
  });

  it('with the invoices the partner sent: the forgotten subscription is leakage of exactly its Microsoft cost, beside the customers nobody invoices', async () => {
    const paths = writeSample(join(dir, 'three-way'), {});
    const manifest = JSON.parse(readFileSync(paths.manifest, 'utf8')) as {
      planted: PlantedFinding[];
      forgottenOnInvoices: { subscriptionId: string; vendorSubscriptionId: string };
    };
    const result = await reconcileFiles({ bills: [paths.licences, paths.usage], org: paths.snapshot, invoices: [paths.invoices] });
    // Its Microsoft cost, summed from the bill file itself: the Subtotal of its rows.
    const [header, ...rows] = readFileSync(paths.licences, 'utf8')
      .trim()
      .split(/\r?\n/)
      .map((line) => line.split(','));
    const column = (name: string) => header!.indexOf(name);
    const billed = rows
      .filter((r) => r[column('SubscriptionId')] === manifest.forgottenOnInvoices.vendorSubscriptionId)
      .reduce((sum, r) => sum + Math.round(Number(r[column('Subtotal')]) * 100), 0);
    const leakage = result.items.filter((i) => i.category === 'revenueLeakage');
    const forgotten = leakage.filter((i) => i.subscriptionId === manifest.forgottenOnInvoices.subscriptionId);
    expect(forgotten.map((i) => i.variance.toFixed(2))).toEqual([(billed / 100).toFixed(2)]);
    // Every other leakage is a customer without a contract, or the subscription CRM cancelled that Microsoft still bills.
    const snapshot = JSON.parse(readFileSync(paths.snapshot, 'utf8')) as { tables: { cspb_subscription: Array<Record<string, string | null>> } };
    const uncontracted = new Set(snapshot.tables.cspb_subscription.filter((x) => !x['_cspb_contractid_value']).map((x) => x['cspb_subscriptionid']));
    const cancelled = new Set(manifest.planted.filter((p) => p.category === 'cancelledButBilled').map((p) => p.vendorSubscriptionId));
    for (const item of leakage.filter((i) => i !== forgotten[0]))
      expect(uncontracted.has(item.subscriptionId ?? '') || cancelled.has(item.vendorSubscriptionId ?? '')).toBe(true);
    expect(result.totals.leakage.toFixed(2)).toBe(
      leakage.reduce((sum, i) => sum.plus(i.variance), result.totals.leakage.minus(result.totals.leakage)).toFixed(2),
    );
    // The other findings are the planted ones, unchanged.
    const others = result.items
      .filter((i) => i.category !== 'exactMatch' && i.category !== 'revenueLeakage')
      .map((i) => finding({ ...i, variance: i.variance.toFixed(2) }));
    expect(others.sort()).toEqual(manifest.planted.map(finding).sort());
  });

  it('puts every bill line in exactly one line-level finding', async () => {
    const { result } = await run(false);
    const lines = result.items.flatMap((i) => [...i.billedLines, ...i.billedUsage]);
    expect(lines).toHaveLength(result.billLineCount);
    expect(new Set(lines).size).toBe(result.billLineCount);
  });

  it('is deterministic: the same seed writes the same files', () => {
    const a = writeSample(join(dir, 'a'));
    const b = writeSample(join(dir, 'b'));
    for (const key of Object.keys(a) as Array<keyof typeof a>) expect(readFileSync(a[key], 'utf8')).toBe(readFileSync(b[key], 'utf8'));
  });
});

describe('reconcile command', () => {
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'scripts/reconcile.ts'), ...args], { encoding: 'utf8' });

  it('prints the summary and writes CSV and HTML reports', async () => {
    const { paths } = await run(false);
    const csv = join(dir, 'report.csv');
    const html = join(dir, 'report.html');
    const out = cli(['--bill', paths.licences, '--bill', paths.usage, '--org', paths.snapshot, '--csv', csv, '--html', html]);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('Duplicate charge');
    expect(readFileSync(csv, 'utf8').split('\r\n')[0]).toContain('Category,Customer');
    expect(readFileSync(html, 'utf8')).toContain('<h2>To review</h2>');
  });

  it('answers --json with exact decimal strings', async () => {
    const { paths } = await run(true);
    const out = cli(['--bill', paths.licences, '--org', paths.snapshot, '--json']);
    expect(out.status).toBe(0);
    const json = JSON.parse(out.stdout) as { totals: Record<string, string>; items: unknown[] };
    expect(json.totals['variance']).toBe('0');
    expect(typeof json.totals['billed']).toBe('string');
  });

  it('exits 2 with the file and the reason on unusable input', async () => {
    const { paths } = await run(true);
    const missing = cli(['--bill', join(dir, 'nope.csv'), '--org', paths.snapshot]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('nope.csv: no such file');
    const badOrg = join(dir, 'bad.json');
    writeFileSync(badOrg, '{"format":"something-else"}');
    const bad = cli(['--bill', paths.licences, '--org', badOrg]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('not a cspb-snapshot version 1 file');
    const noArgs = cli([]);
    expect(noArgs.status).toBe(2);
    await expect(reconcileFiles({ bills: [join(dir, 'x.csv')], org: paths.snapshot })).rejects.toThrow(InputError);
  });

  it('a bill with a rejected row: the row and its money are in the summary, CSV and HTML, and the exit is 2 unless --accept-rejected', async () => {
    const { paths } = await run(true);
    // Row 3 of the licence file with an impossible date: refused, its subtotal still readable.
    const text = readFileSync(paths.licences, 'utf8');
    const rows = text.split('\r\n');
    const header = rows[0]!.split(',');
    const cells = rows[2]!.split(',');
    const subtotal = cells[header.indexOf('Subtotal')]!;
    cells[header.indexOf('ChargeStartDate')] = '13/45/2026';
    rows[2] = cells.join(',');
    const broken = join(dir, 'broken.csv');
    writeFileSync(broken, rows.join('\r\n'));
    const csv = join(dir, 'rejected.csv');
    const html = join(dir, 'rejected.html');
    const out = cli(['--bill', broken, '--org', paths.snapshot, '--csv', csv, '--html', html]);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain('1 bill row was rejected by the importer');
    expect(out.stderr).toContain(`broken.csv row 3: ChargeStartDate is not a date`);
    expect(out.stdout).toContain(`1 bill row was not read: USD\u00a0${Number(subtotal).toLocaleString('en-US', { minimumFractionDigits: 2 })}`);
    const csvRow = readFileSync(csv, 'utf8')
      .split('\r\n')
      .find((l) => l.includes('Bill row not read'));
    expect(csvRow).toContain('broken.csv row 3');
    expect(csvRow).toContain(Number(subtotal).toFixed(2));
    expect(readFileSync(html, 'utf8')).toContain('broken.csv row 3 was not read');
    const accepted = cli(['--bill', broken, '--org', paths.snapshot, '--accept-rejected']);
    expect(accepted.status).toBe(0);
    expect(accepted.stdout).toContain('Bill row not read (rejected)');
  });

  it('--encoding names the code page of a windows-1252 bill; an unknown encoding is a usage error', async () => {
    const { paths } = await run(true);
    const text = readFileSync(paths.licences, 'utf8');
    const [head, first, ...rest] = text.split('\r\n');
    const header = head!.split(',');
    const cells = first!.split(',');
    cells[header.indexOf('CustomerName')] = 'Caf\u00e9 Z\u00fcrich';
    const cp1252 = join(dir, 'cp1252.csv');
    writeFileSync(cp1252, Buffer.from([head, cells.join(','), ...rest].join('\r\n'), 'latin1'));
    const refused = cli(['--bill', cp1252, '--org', paths.snapshot]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/byte 0xE9 at offset \d+ is not UTF-8.*--encoding windows-1252/);
    const read = cli(['--bill', cp1252, '--org', paths.snapshot, '--encoding', 'windows-1252']);
    expect(read.stderr).toContain('0 rejected');
    expect(read.status).toBe(0);
    expect(cli(['--bill', cp1252, '--org', paths.snapshot, '--encoding', 'ebcdic']).stderr).toContain('--encoding ebcdic: expected one of');
  });
});

describe('the CLI reading the usage file in chunks', () => {
  it('reconciles the planted sample exactly as reading it in one pass (worker threads, the licence pass prepared meanwhile)', async () => {
    const paths = writeSample(join(dir, 'chunked'), {});
    const onePass = await reconcileFiles({ bills: [paths.licences, paths.usage], org: paths.snapshot, fileImport: { parallelism: 1 } });
    const chunked = await reconcileFiles({
      bills: [paths.licences, paths.usage],
      org: paths.snapshot,
      fileImport: { parallelism: 3, minChunkedBytes: 0 },
    });
    expect(JSON.parse(JSON.stringify(chunked))).toEqual(JSON.parse(JSON.stringify(onePass)));
    // The usage file is one the threads read in chunks (not a silent fallback to one pass).
    expect((await importBillFile(paths.usage, billFileOptions('usage.csv'), { parallelism: 3, minChunkedBytes: 0 })).chunks).toBe(3);
    expect(onePass.items.filter((i) => i.billedUsage.length > 0).length).toBeGreaterThan(10);
    expect(onePass.items.some((i) => i.category !== 'exactMatch')).toBe(true);
  }, 60_000);
});
