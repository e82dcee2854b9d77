/**
 * The fuzz test's long run: many more mutated files per format than the default test run.
 *   npx tsx bench/import/fuzz-long.ts [filesPerFormat=100000] [seed=7]
 * Prints files/s per format and fails (exit 1) with the base64 of the first offending file.
 */
import * as crypto from 'node:crypto';
import { importBytes, ImportError, ImportResult } from '../../core/src/import';
import { CSV_FIXTURES } from '../../tests/import/fixtures';
import { loadShippedProfiles } from '../../tests/import/load-profiles';
import { mutate, prng } from '../../tests/import/mutator';
import { csvText, encode, readSample, xlsxBytes } from '../../tests/import/support';

const perFormat = Number(process.argv[2] ?? 100_000);
const seed = Number(process.argv[3] ?? 7);
const profiles = loadShippedProfiles();
const createHasher = () => {
  const h = crypto.createHash('sha256');
  return { update: (d: Uint8Array) => h.update(d), digestHex: () => h.digest('hex') };
};

function violation(r: ImportResult): string | null {
  const s = r.summary;
  if (s.rowsRead !== s.rowsAccepted + s.rowsRejected) return 'rows read != accepted + rejected';
  if (r.lines.length + r.usage.reduce((n, u) => n + u.rowCount, 0) + s.invoices.length !== s.rowsAccepted) return 'accepted rows do not match lines';
  if (!r.errors.every((e) => e instanceof ImportError)) return 'untyped error';
  return null;
}

const formats: [string, Uint8Array[]][] = [
  ...CSV_FIXTURES.map(
    (f) => [f.name, [encode(csvText(f.header, f.rows), 'utf-8'), encode(csvText(f.header, f.rows, { delimiter: '\t' }), 'utf-16le')]] as [string, Uint8Array[]],
  ),
  [
    'json',
    [
      'pc-api-docs-json/get-invoice-billed-consumption-lineitems-ex2-DailyRatedUsageLineItem.json',
      'pc-api-docs-json/get-invoiceline-items-ex4-OneTimeInvoiceLineItem.json',
    ].map(readSample),
  ],
  ['xlsx', [xlsxBytes(CSV_FIXTURES[0]!.header, CSV_FIXTURES[0]!.rows)]],
];

let failed = false;
for (const [name, bases] of formats) {
  const rnd = prng(seed);
  const t = performance.now();
  for (let i = 0; i < perFormat && !failed; i++) {
    const bytes = mutate(bases[i % bases.length] as Uint8Array, rnd);
    const chunk = rnd() < 0.125 ? 1 + Math.floor(rnd() * 64) : 1 << 20;
    try {
      const v = violation(importBytes(bytes, { profiles, createHasher }, chunk));
      if (v) throw new Error(v);
      try {
        importBytes(bytes, { profiles, createHasher, mode: 'strict' }, chunk);
      } catch (e) {
        if (!(e instanceof ImportError)) throw e;
      }
    } catch (e) {
      console.error(`${name} #${i}: ${String(e)}\n${Buffer.from(bytes).toString('base64')}`);
      failed = true;
    }
  }
  const s = (performance.now() - t) / 1000;
  console.log(`${name.padEnd(22)} ${perFormat} files in ${s.toFixed(1)} s (${(perFormat / s).toFixed(0)}/s)${failed ? ' FAILED' : ''}`);
  if (failed) break;
}
if (failed) process.exitCode = 1;
