import * as crypto from 'node:crypto';
import {
  BillImporter,
  importBytes,
  importBytesInChunks,
  planChunks,
  planUsageChunks,
  readUsageChunk,
  type ImportOptions,
  type ImportResult,
} from '../../core/src/import';
import { usageCsv, type Spice } from '../support/usage-csv';

/**
 * A large usage file read in chunks (by threads or queue workers) must give exactly what one pass
 * gives: the same aggregates and sums, the same refused rows with the same row numbers and money,
 * the same summary. The expectation here is the one-pass import itself, over files seeded with
 * every kind of row a chunk boundary could disturb.
 */
const nodeHash: ImportOptions['createHasher'] = () => {
  const h = crypto.createHash('sha256');
  return { update: (d: Uint8Array) => h.update(d), digestHex: () => h.digest('hex') };
};
const OPTIONS: ImportOptions = { fileName: 'usage.csv', createHasher: nodeHash, detectDuplicates: false };

/** Everything a caller can see of a result, as comparable data. */
function seen(r: ImportResult): unknown {
  return JSON.parse(JSON.stringify({ summary: r.summary, usage: r.usage, lines: r.lines, rejected: r.rejected, errors: r.errors.map((e) => e.message) }));
}

/** Reads the file in `count` planned chunks; null when the plan or a chunk refuses (one pass then). */
function chunked(bytes: Uint8Array, count: number, options: ImportOptions = OPTIONS): ImportResult | null {
  const plan = planUsageChunks(bytes.subarray(0, 4096), bytes.length, count, (o) => bytes.indexOf(10, o), options);
  if (plan === null) return null;
  const chunks = plan.ranges.map((range, i) => readUsageChunk(plan, i, [bytes.subarray(range.from, range.to)], options));
  const h = crypto.createHash('sha256').update(bytes).digest('hex');
  return BillImporter.mergeChunks(plan.header, chunks, plan.seed, { contentHash: h, byteLength: bytes.length }, options);
}

describe('a usage file read in chunks', () => {
  it.each([
    ['clean, LF', {}],
    ['refused rows of every kind and blank lines, CRLF', { bad: 0.08, crlf: true }],
    ['with a byte-order mark', { bom: true, bad: 0.02 }],
    ['rows in a second currency', { otherCurrency: true }],
  ] as Array<[string, Spice]>)('%s: 2 to 9 chunks give what one pass gives', (_name, spice) => {
    const bytes = usageCsv(3000, 11, spice);
    const one = seen(importBytes(bytes, OPTIONS));
    for (let count = 2; count <= 9; count++) {
      const merged = chunked(bytes, count);
      expect(merged).not.toBeNull(); // really chunked, not the fallback
      expect(seen(merged as ImportResult)).toEqual(one);
    }
    const r = importBytes(bytes, OPTIONS);
    if (spice.bad) expect(r.summary.rowsRejected).toBeGreaterThan(spice.bad * 1000);
    if (spice.otherCurrency) expect(r.errors.some((e) => e.code === 'mixed-currencies')).toBe(true);
  });

  it('row numbers of refused rows are the file’s, whichever chunk refused them', () => {
    const bytes = usageCsv(2000, 5, { bad: 0.05 });
    const merged = chunked(bytes, 4) as ImportResult;
    const text = new TextDecoder().decode(bytes).split('\n');
    for (const row of merged.rejected) {
      // Spreadsheet row n is line n of the file (no quoted line breaks here).
      const line = text[row.row - 1] as string;
      if (row.rawValue !== undefined && row.rawValue !== '') expect(line).toContain(row.rawValue.replace(/…$/, ''));
    }
    expect(merged.rejected.length).toBe(merged.summary.rowsRejected);
  });

  it('a chunk starting inside a quoted line break is detected, and the file is read in one pass', () => {
    const bytes = usageCsv(3000, 3, { quotedBreaks: true });
    let refused = 0;
    for (let count = 2; count <= 9; count++) {
      const merged = chunked(bytes, count);
      if (merged === null) refused++;
      else expect(seen(merged)).toEqual(seen(importBytes(bytes, OPTIONS)));
      expect(seen(importBytesInChunks(bytes, count, OPTIONS))).toEqual(seen(importBytes(bytes, OPTIONS)));
    }
    expect(refused).toBeGreaterThan(0);
  });

  it('control characters in a later chunk refuse the merge (one pass decides which row opens a bucket)', () => {
    const bytes = usageCsv(3000, 9, { controlCharacters: true });
    expect(importBytes(bytes, OPTIONS).errors.some((e) => e.code === 'bad-text')).toBe(true);
    expect(chunked(bytes, 4)).toBeNull();
    expect(seen(importBytesInChunks(bytes, 4, OPTIONS))).toEqual(seen(importBytes(bytes, OPTIONS)));
  });

  it('caps errors and refused rows as one pass does', () => {
    const bytes = usageCsv(3000, 21, { bad: 0.2 });
    const options = { ...OPTIONS, maxErrors: 25 };
    const merged = chunked(bytes, 5, options) as ImportResult;
    expect(merged.errors).toHaveLength(25);
    expect(seen(merged)).toEqual(seen(importBytes(bytes, options)));
  });

  it('is not planned for what one pass must read', () => {
    const bytes = usageCsv(500, 1);
    const at = (o: number) => bytes.indexOf(10, o);
    expect(planUsageChunks(bytes, bytes.length, 4, at, { ...OPTIONS, mode: 'strict' })).toBeNull();
    expect(planUsageChunks(bytes, bytes.length, 4, at, { ...OPTIONS, detectDuplicates: 'all' })).toBeNull();
    expect(planUsageChunks(bytes, bytes.length, 4, at, { ...OPTIONS, encoding: 'windows-1252' })).toBeNull();
    expect(planUsageChunks(bytes, bytes.length, 1, at, OPTIONS)).toBeNull();
    const licence = new TextEncoder().encode('PartnerId,CustomerId,SubscriptionId,ChargeType,Subtotal,Currency\np,c,s,new,1.00,USD\n');
    expect(planUsageChunks(licence, licence.length, 2, (o) => licence.indexOf(10, o), OPTIONS)).toBeNull();
    const cr = new TextEncoder().encode(new TextDecoder().decode(bytes).replaceAll('\n', '\r'));
    expect(planUsageChunks(cr, cr.length, 4, (o) => cr.indexOf(10, o), OPTIONS)).toBeNull();
  });

  it('splits at line feeds after even shares, never inside the header', () => {
    const text = 'h1,h2\n' + 'a,b\n'.repeat(10);
    const bytes = new TextEncoder().encode(text);
    const ranges = planChunks(bytes.length, 3, 6, (o) => bytes.indexOf(10, o));
    expect(ranges[0]).toEqual({ from: 0, to: 18 }); // 46 bytes * 1/3 = 15 -> the line feed at 17
    expect(ranges.map((r) => r.to - r.from).reduce((a, b) => a + b, 0)).toBe(bytes.length);
    for (const r of ranges.slice(1)) expect(bytes[r.from - 1]).toBe(10);
  });
});
