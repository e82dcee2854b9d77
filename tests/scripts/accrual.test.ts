/**
 * The accrual of Microsoft's coming licence charges from the ledger, against the sample partner's
 * October bill (written by the sample generator from Microsoft's own record of each subscription):
 * - accrued on October 31, it equals the clean bill to the cent, subscription by subscription and
 *   charge type by charge type (the bill's Subtotal column summed here, apart from the accrual);
 * - accrued on October 20, the changes made after the 20th explain the whole difference, each one named;
 * - against the bill with planted discrepancies, what the ledger does not explain is exactly the
 *   licence bill's variance the reconciliation reports, and the planted price error is one of them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accrueMicrosoftCharges, closeAccrual, Decimal, parseDate, type Accrual } from '../../core/src';
import { reconSubscriptionsFromRows } from '../../dataverse/src/mappers';
import { writeSample } from '../../scripts/generate-sample';
import { reconcileFiles } from '../../scripts/reconcile';
import { readBill, readSnapshot } from '../../scripts/cli-inputs';
import { parseCsv } from '../../scripts/sample-data/csv-records';
import type { PlantedFinding } from '../../scripts/sample-data/plant';
import { runScript } from '../support/cli';

const OCTOBER = { start: parseDate('2026-10-01'), end: parseDate('2026-11-01') };
let dir: string;
let clean: ReturnType<typeof writeSample>;
let planted: ReturnType<typeof writeSample>;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cspb-accrual-'));
  clean = writeSample(join(dir, 'clean'), { clean: true });
  planted = writeSample(join(dir, 'planted'), {});
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The bill's Subtotal per subscription and charge type, in cents, read from the CSV here. */
function billedCents(file: string): Map<string, number> {
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  const at = (name: string) => header!.indexOf(name);
  const out = new Map<string, number>();
  for (const r of rows) {
    const key = `${r[at('SubscriptionId')]!.toLowerCase()}|${r[at('ChargeType')]!.toLowerCase()}`;
    out.set(key, (out.get(key) ?? 0) + Math.round(Number(r[at('Subtotal')]) * 100));
  }
  return out;
}
const accruedCents = (a: Accrual): Map<string, number> =>
  new Map(a.lines.map((l) => [`${l.vendorSubscriptionId.toLowerCase()}|${l.chargeType.toLowerCase()}`, Math.round(l.amount.toNumber() * 100)]));
const subscriptionsOf = (snapshot: string) => reconSubscriptionsFromRows(readSnapshot(snapshot));

it('accrued on the last day of the month, it equals the clean bill to the cent, line by line', () => {
  const accrual = accrueMicrosoftCharges({ subscriptions: subscriptionsOf(clean.snapshot), period: OCTOBER, asOf: parseDate('2026-10-31') });
  const billed = billedCents(clean.licences);
  expect(new Map([...accruedCents(accrual)].filter(([, v]) => v !== 0))).toEqual(new Map([...billed].filter(([, v]) => v !== 0)));
  const total = [...billed.values()].reduce((a, b) => a + b, 0);
  expect(accrual.totals['USD']!.toFixed(2)).toBe((total / 100).toFixed(2));
});

it('accrued on the 20th, the changes after the 20th explain the whole difference, each named', async () => {
  const subscriptions = subscriptionsOf(clean.snapshot);
  const asOf = parseDate('2026-10-20');
  const accrual = accrueMicrosoftCharges({ subscriptions, period: OCTOBER, asOf });
  const closed = closeAccrual(accrual, subscriptions, (await readBill(clean.licences)).lines);
  const billedTotal = [...billedCents(clean.licences).values()].reduce((a, b) => a + b, 0);
  expect(closed.billed['USD']!.toFixed(2)).toBe((billedTotal / 100).toFixed(2));
  expect(closed.accrued['USD']!.plus(closed.explainedByLaterChanges['USD']!).eq(closed.billed['USD']!)).toBe(true);
  expect(closed.unexplained['USD']!.toFixed(2)).toBe('0.00');
  expect(closed.explainedByLaterChanges['USD']!.isZero()).toBe(false);
  for (const l of closed.lines) {
    expect(l.laterChanges.length).toBeGreaterThan(0);
    for (const e of l.laterChanges) expect(e.effectiveDate > asOf && e.effectiveDate < OCTOBER.end).toBe(true);
    expect(l.explanation).toMatch(/from ledger changes after 2026-10-20 \((add|remove|cancel|new|renew|suspend|reactivate|price|term|convert|billingPlan) /);
  }
});

it('against the planted bill, what the ledger does not explain is the licence variance the reconciliation reports; the price error is one of its lines', async () => {
  const subscriptions = subscriptionsOf(planted.snapshot);
  const closed = closeAccrual(
    accrueMicrosoftCharges({ subscriptions, period: OCTOBER, asOf: parseDate('2026-10-20') }),
    subscriptions,
    (await readBill(planted.licences)).lines,
  );
  const recon = await reconcileFiles({ bills: [planted.licences], org: planted.snapshot, period: '2026-10' });
  // Azure plan charges (usage the ledger cannot accrue) are left out of the closing, and said.
  expect(closed.unexplained['USD']!.plus(closed.leftOut['USD'] ?? 0).toFixed(2)).toBe(recon.totals.variance.toFixed(2));
  const manifest = JSON.parse(readFileSync(planted.manifest, 'utf8')) as { planted: PlantedFinding[] };
  const price = manifest.planted.find((p) => p.category === 'priceMismatch')!;
  const line = closed.lines.find(
    (l) => l.vendorSubscriptionId.toLowerCase() === price.vendorSubscriptionId.toLowerCase() && l.chargeType === price.chargeType,
  )!;
  expect(line.explanation).toContain(
    `${new Decimal(price.variance).isNegative() ? '' : '+'}${price.variance} the ledger does not explain: see the reconciliation's findings on`,
  );
});

it('npm run accrual: the report, the CSV to book, the closing; a date outside the month refused', async () => {
  const out = join(dir, 'accrual.csv');
  const r = await runScript('accrual.ts', ['--org', clean.snapshot, '--as-of', '2026-10-20', '--bill', clean.licences, '--csv', out]);
  expect(r.stderr).toMatch(/^nce-invoice-2026-10\.csv: New-commerce invoice reconciliation \(licence-based\), \d+ rows read, \d+ accepted, 0 rejected/);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^Microsoft licence charges for 2026-10, from the ledger as of 2026-10-20: \d+ lines, [\d.]+ USD/m);
  expect(r.stdout).toContain('not explained by the ledger: 0.00 USD');
  const [header, ...all] = parseCsv(readFileSync(out, 'utf8'));
  const rows = all.filter((row) => row.length === header!.length);
  expect(rows.length).toBeGreaterThan(100);
  expect(header).toEqual([
    'BillingMonth',
    'AccrualDate',
    'CustomerName',
    'CustomerId',
    'SubscriptionId',
    'ProductName',
    'ChargeType',
    'Quantity',
    'Amount',
    'Currency',
  ]);
  const total = rows.reduce((sum, row) => sum + Math.round(Number(row[8]) * 100), 0);
  // Credits stay numbers a spreadsheet sums (no formula guard on a number).
  expect(rows.filter((row) => !/^-?\d+\.\d\d$/.test(row[8]!))).toEqual([]);
  expect(r.stdout).toContain(`lines, ${(total / 100).toFixed(2)} USD`);
  const bad = await runScript('accrual.ts', ['--org', clean.snapshot, '--as-of', '2026-11-02', '--month', '2026-10']);
  expect(bad.status).toBe(2);
  expect(bad.stderr).toMatch(/--as-of 2026-11-02 is not in the billing month 2026-10/);
});
