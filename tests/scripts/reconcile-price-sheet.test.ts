/**
 * `npm run reconcile --price-sheet`: the sample partner's clean October bill against a price list
 * written from the sample's own offers. Every cost agrees: no finding, every subscription priced.
 * Then Business Basic (P1M, monthly) goes from 7.20 to 7.70 on 2026-10-01: the terms that began
 * before keep 7.20 (price lock), each term begun or renewed from October 1 is stale by 0.50 a seat.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDate } from '../../core/src';
import { writeSample } from '../../scripts/generate-sample';
import { reconcileFiles } from '../../scripts/reconcile';
import { InputError } from '../../scripts/cli-inputs';
import { runScript } from '../support/cli';

const HEADER =
  'ProductTitle,ProductId,SkuId,SkuTitle,Publisher,SkuDescription,UnitOfMeasure,TermDuration,BillingPlan,Market,Currency,UnitPrice,PricingTierRangeMin,PricingTierRangeMax,EffectiveStartDate,EffectiveEndDate,Tags,ERP Price,Segment';
const TERM: Record<number, string> = { 100000000: 'P1M', 100000001: 'P1Y', 100000002: 'P3Y' };
const PLAN: Record<number, string> = { 100000000: 'Monthly', 100000001: 'Annual', 100000002: 'Triennial' };

let dir: string;
let paths: ReturnType<typeof writeSample>;
let offers: Array<Record<string, unknown>>;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cspb-prices-'));
  paths = writeSample(join(dir, 'clean'), { clean: true });
  offers = (JSON.parse(readFileSync(paths.snapshot, 'utf8')) as { tables: { cspb_offer: Array<Record<string, unknown>> } }).tables.cspb_offer;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One row per licence offer at its CRM cost since 2020; `change` replaces one offer's price from a day. */
function sheet(change?: { name: string; from: string; price: string }): string {
  const rows = [HEADER];
  for (const o of offers) {
    if (!(Number(o['cspb_term']) in TERM)) continue;
    const cells = (price: string, start: string, end: string) =>
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
        'US',
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
    const cost = Number(o['cspb_unitcost']).toFixed(2);
    if (change && o['cspb_name'] === change.name) {
      rows.push(cells(cost, '2020-01-01T00:00:00Z', '2026-09-30T23:59:59Z'));
      rows.push(cells(change.price, `${change.from}T00:00:00Z`, '9999-12-31T23:59:59Z'));
    } else rows.push(cells(cost, '2020-01-01T00:00:00Z', ''));
  }
  return rows.join('\r\n') + '\r\n';
}

it('a sheet that agrees with every CRM cost: no finding and no warning, the bill still 100% exact', async () => {
  const file = join(dir, 'agree.csv');
  writeFileSync(file, sheet());
  const result = await reconcileFiles({ bills: [paths.licences, paths.usage], org: paths.snapshot, priceSheet: file });
  expect(result.items.filter((i) => i.category !== 'exactMatch')).toEqual([]);
  expect(result.warnings).toEqual([]);
});

it('a price raised on October 1: each term begun or renewed from then is stale by 0.50 a seat, citing the new row; earlier terms are not', async () => {
  const file = join(dir, 'raised.csv');
  const name = 'Microsoft 365 Business Basic (P1M, monthly)';
  writeFileSync(file, sheet({ name, from: '2026-10-01', price: '7.70' }));
  const result = await reconcileFiles({ bills: [paths.licences, paths.usage], org: paths.snapshot, priceSheet: file });
  const stale = result.items.filter((i) => i.category === 'staleCrmCost');
  expect(stale.length).toBeGreaterThan(0);
  const row =
    sheet({ name, from: '2026-10-01', price: '7.70' })
      .split('\r\n')
      .findIndex((l) => l.includes('"7.70"')) + 1;
  for (const f of stale) {
    expect([f.productName, f.referenceId]).toEqual(['Microsoft 365 Business Basic', `price sheet row ${row}`]);
    expect(f.chargeStart! >= parseDate('2026-10-01')).toBe(true);
    expect(['new', 'renew']).toContain(f.chargeType);
    expect(f.variance.toFixed(2)).toBe(f.billedQuantity!.times('0.50').toFixed(2));
  }
  // The other findings are the bill's own: none (the clean bill), apart from the stale costs.
  expect(result.items.filter((i) => i.category !== 'exactMatch' && i.category !== 'staleCrmCost')).toEqual([]);
});

it('through the command: the finding in the report, a rejected price row listed, a file that is no price list refused', async () => {
  const file = join(dir, 'raised-cli.csv');
  writeFileSync(
    file,
    sheet({ name: 'Microsoft 365 Business Basic (P1M, monthly)', from: '2026-10-01', price: '7.70' }) +
      `"X","CFQ7TTC0XXXX","0001","X","","","","P1Y","Annual","US","USD","ten","","","2026-01-01","","","",""\r\n`,
  );
  const r = await runScript('reconcile.ts', ['--bill', paths.licences, '--bill', paths.usage, '--org', paths.snapshot, '--price-sheet', file, '--json']);
  expect(r.status).toBe(0);
  const json = JSON.parse(r.stdout) as { byCategory: Record<string, { count: number }> };
  expect(json.byCategory['staleCrmCost']!.count).toBeGreaterThan(0);
  expect(r.stderr).toMatch(/warning: .*raised-cli\.csv: 1 of \d+ price rows not read:\n {2}row \d+, UnitPrice "ten": not a decimal number/);
  const bad = join(dir, 'bill-as-prices.csv');
  writeFileSync(bad, readFileSync(paths.licences));
  await expect(reconcileFiles({ bills: [paths.licences], org: paths.snapshot, priceSheet: bad })).rejects.toThrow(InputError);
  await expect(reconcileFiles({ bills: [paths.licences], org: paths.snapshot, priceSheet: bad })).rejects.toThrow(
    /bill-as-prices\.csv: row 1, column TermDuration: not Microsoft's licence-based price list/,
  );
});
