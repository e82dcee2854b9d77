/**
 * Fuzz: at least 10,000 mutated files per format (seeded, reproducible). Whatever the bytes, the
 * importer returns a balanced result in lenient mode and throws nothing but ImportError in strict
 * mode. bench/import/fuzz-long.ts runs the same with more files.
 */
import { strToU8, zipSync } from 'fflate';
import { importBytes, ImportError, ImportResult } from '../../core/src/import';
import { CSV_FIXTURES } from './fixtures';
import { loadShippedProfiles } from './load-profiles';
import { mutate, prng } from './mutator';
import { csvText, encode, nodeHasher, readSample, xlsxBytes } from './support';

const FILES_PER_FORMAT = 10_000;
const profiles = loadShippedProfiles();

/** Cheap invariant check (no jest expect in the loop): returns a description of the first violation. */
export function violation(r: ImportResult): string | null {
  const s = r.summary;
  if (s.rowsRead !== s.rowsAccepted + s.rowsRejected) return `rows read ${s.rowsRead} != ${s.rowsAccepted} + ${s.rowsRejected}`;
  if (s.lineCount !== r.lines.length + r.usage.length) return 'lineCount mismatch';
  const usageRows = r.usage.reduce((n, u) => n + u.rowCount, 0);
  if (r.lines.length + usageRows + s.invoices.length !== s.rowsAccepted) return 'accepted rows do not match lines';
  if (!r.errors.every((e) => e instanceof ImportError)) return 'untyped error in result';
  if (!s.total.isFinite()) return 'total not finite';
  if (s.rowsRejected > 0 && s.errorCount === 0) return 'rows rejected without errors';
  if (!/^[0-9a-f]{64}$/.test(s.contentHash)) return 'bad content hash';
  return null;
}

function run(name: string, bases: Uint8Array[], seed: number): void {
  const rnd = prng(seed);
  for (let i = 0; i < FILES_PER_FORMAT; i++) {
    const base = bases[i % bases.length] as Uint8Array;
    const bytes = mutate(base, rnd);
    // Most files go in one chunk; one in eight in tiny chunks (chunk boundaries inside tokens).
    const chunk = rnd() < 0.125 ? 1 + Math.floor(rnd() * 64) : 1 << 20;
    const opts = { profiles, createHasher: nodeHasher, maxRecordChars: 4096 } as const;
    let r: ImportResult;
    try {
      r = importBytes(bytes, opts, chunk);
    } catch (e) {
      throw new Error(`${name} #${i} (seed ${seed}): lenient import threw ${String(e)}\nbytes: ${Buffer.from(bytes).toString('base64')}`);
    }
    const v = violation(r);
    if (v !== null) throw new Error(`${name} #${i} (seed ${seed}): ${v}\nbytes: ${Buffer.from(bytes).toString('base64')}`);
    if (i % 8 === 0) {
      try {
        importBytes(bytes, { ...opts, mode: 'strict' }, chunk);
      } catch (e) {
        if (!(e instanceof ImportError))
          throw new Error(`${name} #${i}: strict import threw a non-ImportError: ${String(e)}\nbytes: ${Buffer.from(bytes).toString('base64')}`);
      }
    }
  }
}

describe(`fuzz: ${FILES_PER_FORMAT} mutated files per format never throw anything but ImportError`, () => {
  CSV_FIXTURES.forEach((f, n) => {
    it(`${f.name} CSV`, () => {
      const bases = [
        encode(csvText(f.header, f.rows.slice(0, 3)), 'utf-8'),
        encode(
          csvText(
            [...f.header].reverse(),
            f.rows.slice(-2).map((r) => [...r].reverse()),
            { eol: '\n', quoteAll: true },
          ),
          'utf-8-bom',
        ),
        encode(csvText(f.header, f.rows.slice(0, 1), { delimiter: '\t' }), 'utf-16le'),
      ];
      run(f.name, bases, 1000 + n);
    }, 60_000);
  });

  it('Partner Center API JSON', () => {
    const bases = [
      'pc-api-docs-json/get-invoice-billed-consumption-lineitems-ex2-DailyRatedUsageLineItem.json',
      'pc-api-docs-json/get-invoiceline-items-ex1-LicenseBasedLineItem.json',
      'pc-api-docs-json/get-invoiceline-items-ex3-DailyUsageLineItem.json',
      'pc-api-docs-json/get-invoice-by-id-ex1-Invoice.json',
    ].map(readSample);
    run('json', bases, 2000);
  }, 60_000);

  it('xlsx (mutated zip bytes and mutated sheet XML)', () => {
    const f = CSV_FIXTURES[0]!;
    const good = xlsxBytes(f.header, f.rows.slice(0, 2));
    const rnd = prng(3000);
    const sheetXml = strToU8(
      `<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>ChargeType</t></is></c><c r="B1" t="inlineStr"><is><t>BillableQuantity</t></is></c><c r="C1" t="inlineStr"><is><t>Subtotal</t></is></c><c r="D1" t="inlineStr"><is><t>ChargeStartDate</t></is></c><c r="E1" t="inlineStr"><is><t>ChargeEndDate</t></is></c><c r="F1" t="inlineStr"><is><t>Currency</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>new</t></is></c><c r="B2"><v>3</v></c><c r="C2"><v>36.5</v></c><c r="D2"><v>45962</v></c><c r="E2"><v>45991</v></c><c r="F2" t="inlineStr"><is><t>USD</t></is></c></row></sheetData></worksheet>`,
    );
    const rezipped = Array.from({ length: 16 }, () => zipSync({ 'xl/worksheets/sheet1.xml': mutate(sheetXml, rnd) }));
    run('xlsx', [good, ...rezipped], 3001);
  }, 60_000);
});
