/**
 * A 300,000-row licence-based price list (generated in Microsoft's columns: 6,000 products x 2 SKUs x
 * 3 term/plan pairs x 2 effective periods x 4 markets and currencies, plus ERP prices and tags)
 * read from disk through the CLI's reader (streamed text, core/src/prices), then 100,000 price
 * lookups on the day a term starts. The read runs in a process of its own (this file with
 * --child), so the generator's text is not in its peak RSS.
 *
 *   npm run bench:prices [-- --rows 300000]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dateOf, PriceBook } from '../core/src';
import { readPriceSheetFile } from '../scripts/cli-inputs';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROWS = arg('rows', 300_000);
const HEADER =
  'ProductTitle,ProductId,SkuId,SkuTitle,Publisher,SkuDescription,UnitOfMeasure,TermDuration,BillingPlan,Market,Currency,UnitPrice,PricingTierRangeMin,PricingTierRangeMax,EffectiveStartDate,EffectiveEndDate,Tags,ERP Price,Segment';
const MARKETS = [
  ['US', 'USD'],
  ['GB', 'GBP'],
  ['DE', 'EUR'],
  ['JP', 'JPY'],
] as const;
const PLANS = [
  ['P1M', 'Monthly'],
  ['P1Y', 'Monthly'],
  ['P1Y', 'Annual'],
] as const;

function sheetText(rows: number): string {
  const out = [HEADER];
  for (let i = 0; out.length <= rows; i++) {
    const product = `CFQ7TTC0${(i >> 1).toString(36).toUpperCase().padStart(4, '0')}`;
    const sku = String((i % 2) + 1).padStart(4, '0');
    for (const [term, plan] of PLANS)
      for (const [market, currency] of MARKETS)
        for (const [start, end, bump] of [
          ['2026-01-01T00:00:00Z', '2026-03-31T23:59:59Z', 0],
          ['2026-04-01T00:00:00Z', '9999-12-31T23:59:59Z', 5],
        ] as const) {
          if (out.length > rows) break;
          const price = (10 + (i % 50) + bump / 10).toFixed(2);
          out.push(
            [
              `"Product ${i >> 1}"`,
              product,
              sku,
              `"Product ${i >> 1} SKU ${sku}"`,
              'Microsoft Corporation',
              `"Seats of product ${i >> 1}, with ""quotes"", commas"`,
              '1 License',
              term,
              plan,
              market,
              currency,
              price,
              '',
              '',
              start,
              end,
              'License;Commercial',
              (Number(price) * 1.2).toFixed(2),
              'Commercial',
            ].join(','),
          );
        }
  }
  return out.join('\r\n') + '\r\n';
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function child(file: string): Promise<void> {
  const t0 = performance.now();
  const sheet = await readPriceSheetFile(file);
  const readMs = performance.now() - t0;
  const t1 = performance.now();
  const book = new PriceBook(sheet.rows, 'US');
  const buildMs = performance.now() - t1;
  const t2 = performance.now();
  let found = 0;
  for (let i = 0; i < 100_000; i++) {
    const n = i % Math.max(1, Math.floor(ROWS / 48));
    const hit = book.lookup({
      productId: `CFQ7TTC0${(n >> 1).toString(36).toUpperCase().padStart(4, '0')}`,
      skuId: String((n % 2) + 1).padStart(4, '0'),
      term: 'P1Y',
      billingPlan: 'annual',
      currency: 'USD',
      date: dateOf(2026, 1 + (i % 12), 15),
    });
    if (hit.kind === 'found') found++;
  }
  const lookupMs = performance.now() - t2;
  process.stdout.write(
    JSON.stringify({
      rows: sheet.rows.length,
      rejected: sheet.rejected.length,
      readMs,
      buildMs,
      lookupMs,
      found,
      peakRss: process.resourceUsage().maxRSS * 1024,
    }),
  );
}

async function main(): Promise<void> {
  if (process.argv.includes('--child')) return child(process.argv[process.argv.indexOf('--child') + 1]!);
  const dir = mkdtempSync(join(tmpdir(), 'cspb-bench-prices-'));
  try {
    const file = join(dir, 'pricesheet.csv');
    const text = sheetText(ROWS);
    writeFileSync(file, text);
    const run = spawnSync(process.execPath, [...process.execArgv, __filename, '--child', file, '--rows', String(ROWS)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (run.status !== 0) throw new Error(run.stderr);
    const r = JSON.parse(run.stdout) as { rows: number; rejected: number; readMs: number; buildMs: number; lookupMs: number; found: number; peakRss: number };
    console.log(`price sheet: ${r.rows.toLocaleString('en-US')} rows (${mb(Buffer.byteLength(text))} of CSV), ${r.rejected} rejected`);
    console.log(`  read:     ${(r.readMs / 1000).toFixed(2)} s (${Math.round((r.rows / r.readMs) * 1000).toLocaleString('en-US')} rows/s)`);
    console.log(`  index US: ${r.buildMs.toFixed(0)} ms`);
    console.log(`  100,000 lookups on a term's first day: ${r.lookupMs.toFixed(0)} ms (${r.found.toLocaleString('en-US')} priced)`);
    console.log(`  peak RSS of the reading process: ${mb(r.peakRss)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
