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
import { InputError, reconcileFiles } from '../../scripts/reconcile';
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
  const cli = (args: string[]) => spawnSync(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'scripts/reconcile.ts'), ...args], { encoding: 'utf8' });

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
});
