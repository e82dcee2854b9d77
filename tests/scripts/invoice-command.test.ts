/**
 * `npm run invoice` on the sample partner: November's invoices bill each subscription's seats at
 * its customer price in advance and October's Azure usage at cost + the contract's 10% markup.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Decimal } from '../../core/src';
import { writeSample } from '../../scripts/generate-sample';
import { invoiceFiles } from '../../scripts/invoice';

const root = resolve(__dirname, '../..');
let dir: string;
let paths: ReturnType<typeof writeSample>;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cspb-invoice-'));
  paths = writeSample(dir, { clean: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Sum of BillingPreTaxTotal per subscription and meter, read straight from the CSV (no importer). */
function usageCostFromCsv(file: string): Map<string, Decimal> {
  const [header, ...rows] = readFileSync(file, 'utf8').trim().split('\r\n');
  const cols = header!.split(',');
  const sub = cols.indexOf('SubscriptionId');
  const meter = cols.indexOf('MeterId');
  const total = cols.indexOf('BillingPreTaxTotal');
  const sums = new Map<string, Decimal>();
  for (const row of rows) {
    // Tags and AdditionalInfo are quoted JSON with commas: split on commas outside quotes.
    const cells = row.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, ''));
    const key = `${cells[sub]}|${cells[meter]}`;
    sums.set(key, (sums.get(key) ?? new Decimal(0)).plus(cells[total]!));
  }
  return sums;
}

describe('invoice command', () => {
  it('bills October usage on the November invoices at cost + 10%, rounded half-up to cents', async () => {
    const run = await invoiceFiles({ org: paths.snapshot, period: '2026-11', bills: [paths.usage] });
    const snapshot = JSON.parse(readFileSync(paths.snapshot, 'utf8')) as {
      tables: { cspb_subscription: Array<{ cspb_subscriptionid: string; cspb_vendorsubscriptionid: string }> };
    };
    const vendorId = new Map(snapshot.tables.cspb_subscription.map((s) => [s.cspb_subscriptionid, s.cspb_vendorsubscriptionid]));
    const costs = usageCostFromCsv(paths.usage);
    const usage = run.invoices.flatMap((i) => i.lines.filter((l) => l.type === 'usage'));
    expect(usage).toHaveLength(costs.size);
    for (const line of usage) {
      const meter = line.key.split('|')[2];
      const cost = costs.get(`${vendorId.get(line.subscriptionId!)}|${meter}`)!;
      expect(line.amount.toFixed(2)).toBe(cost.times('1.10').toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2));
    }
  });

  it('says which usage no invoice carries, by month: October usage on the October run is billed in arrears, next month', async () => {
    const november = await invoiceFiles({ org: paths.snapshot, period: '2026-11', bills: [paths.usage] });
    const october = await invoiceFiles({ org: paths.snapshot, period: '2026-10', bills: [paths.usage] });
    const rows = readFileSync(paths.usage, 'utf8').trim().split('\r\n').length - 1;
    const billedInNovember = november.invoices.flatMap((i) => i.lines.filter((l) => l.type === 'usage')).length;
    // Every usage aggregate is either on a November invoice or counted as not invoiced; none of it is on October's.
    expect(october.invoices.flatMap((i) => i.lines.filter((l) => l.type === 'usage'))).toEqual([]);
    const aggregates = [...october.unbilledUsage.values()].reduce((a, b) => a + b, 0);
    expect([...october.unbilledUsage.keys()]).toEqual(['2026-10']);
    expect(aggregates).toBeGreaterThanOrEqual(billedInNovember);
    expect(aggregates).toBeLessThanOrEqual(rows);
    expect([...november.unbilledUsage.values()].reduce((a, b) => a + b, 0)).toBe(aggregates - billedInNovember);
  });

  it("bills each subscription's seats at its customer price, and every total is the sum of its lines", async () => {
    const run = await invoiceFiles({ org: paths.snapshot, period: '2026-11' });
    const snapshot = JSON.parse(readFileSync(paths.snapshot, 'utf8')) as {
      tables: { cspb_subscription: Array<{ cspb_subscriptionid: string; cspb_quantity: number; cspb_customerunitprice: number }> };
    };
    const subs = new Map(snapshot.tables.cspb_subscription.map((s) => [s.cspb_subscriptionid, s]));
    expect(run.invoices).toHaveLength(25);
    const recurring = run.invoices.flatMap((i) => i.lines.filter((l) => l.type === 'recurring'));
    expect(recurring.length).toBeGreaterThan(80);
    for (const line of recurring) {
      const s = subs.get(line.subscriptionId!)!;
      expect(line.quantity!.toNumber()).toBe(s.cspb_quantity);
      expect(line.amount.eq(new Decimal(String(s.cspb_customerunitprice)).times(s.cspb_quantity))).toBe(true);
    }
    for (const invoice of run.invoices) {
      expect(invoice.total.eq(invoice.lines.reduce((sum, l) => sum.plus(l.amount), new Decimal(0)))).toBe(true);
    }
  });

  it('gives identical drafts when run twice', async () => {
    const a = await invoiceFiles({ org: paths.snapshot, period: '2026-10' });
    const b = await invoiceFiles({ org: paths.snapshot, period: '2026-10' });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('prints a summary, writes CSV, and exits 2 on a bad period', () => {
    const tsx = join(root, 'node_modules/tsx/dist/cli.mjs');
    const csv = join(dir, 'invoices.csv');
    const ok = spawnSync(process.execPath, [tsx, join(root, 'scripts/invoice.ts'), '--org', paths.snapshot, '--period', '2026-10', '--csv', csv], {
      encoding: 'utf8',
    });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/25 invoices, subtotal \d+\.\d{2} USD/);
    expect(readFileSync(csv, 'utf8').split('\r\n')[0]).toContain('Invoice,Customer,Kind,Line,Type');
    const bad = spawnSync(process.execPath, [tsx, join(root, 'scripts/invoice.ts'), '--org', paths.snapshot, '--period', 'October'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('expected YYYY-MM');
  });
});
