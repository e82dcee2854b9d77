import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { importBytes, type ImportResult } from '../../core/src/import';
import { importBillFile, planOf } from '../../scripts/bill-file/parallel-import';
import { chunkOfPieces, readChunkOfFile, serializeChunkOfFile } from '../../scripts/bill-file/read-chunk';

/**
 * The CLI's file import: a large usage file is read by worker threads in chunks while the main
 * thread hashes it, and the result is the one-pass result (the core's chunk tests cover every kind
 * of row; here the threads, the file ranges and the hash).
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cspb-parallel-import-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function usageFile(name: string, rows: number, extra = '', subscriptions = 7): string {
  const lines = ['SubscriptionId,MeterId,ChargeStartDate,ChargeEndDate,UsageDate,ChargeType,Quantity,BillingPreTaxTotal,BillingCurrency,CustomerName'];
  for (let i = 0; i < rows; i++) {
    const amount = i % 97 === 0 ? 'n/a' : `${(i % 13) + 1}.${String(i % 1000).padStart(3, '0')}123456789`;
    lines.push(
      `sub-${i % subscriptions},meter-${i % 3},11/01/2025,11/30/2025,11/${String((i % 30) + 1).padStart(2, '0')}/2025,new,1.5,${amount},USD,"Contoso, ${i % 5}"`,
    );
  }
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.join('\r\n') + '\r\n' + extra);
  return file;
}

function seen(r: ImportResult): unknown {
  return JSON.parse(JSON.stringify({ summary: r.summary, usage: r.usage, rejected: r.rejected, errors: r.errors.map((e) => e.message) }));
}

const nodeHash = () => {
  const h = crypto.createHash('sha256');
  return { update: (d: Uint8Array) => h.update(d), digestHex: () => h.digest('hex') };
};

describe('importBillFile', () => {
  it('reads a usage file in chunks on worker threads, with the one-pass result and the file’s SHA-256', async () => {
    const file = usageFile('usage.csv', 20_000);
    const bytes = new Uint8Array(fs.readFileSync(file));
    const options = { fileName: 'usage.csv', detectDuplicates: false as const, createHasher: nodeHash };
    const one = importBytes(bytes, options);
    const r = await importBillFile(file, options, { parallelism: 3, minChunkedBytes: 0 });
    expect(r.chunks).toBe(3);
    expect(seen(r)).toEqual(seen(one));
    expect(r.summary.contentHash).toBe(crypto.createHash('sha256').update(bytes).digest('hex'));
    expect(r.summary.rowsRejected).toBe(Math.ceil(20_000 / 97));
  }, 60_000);

  it('a thread writes its chunk in pieces as it reads it (the buckets as the core hands them over), and they read back as the chunk itself', () => {
    // Enough subscriptions for several pieces a chunk (a piece holds 256 buckets).
    const file = usageFile('serialized.csv', 5_000, '', 1_000);
    const options = { fileName: 'serialized.csv', detectDuplicates: false as const };
    const plan = planOf(file, fs.statSync(file).size, 3, options)!;
    expect(plan.ranges.length).toBe(3);
    for (let i = 0; i < plan.ranges.length; i++) {
      const whole = readChunkOfFile(file, plan, i, options);
      expect(whole.ok).toBe(true);
      expect(whole.buckets.length).toBeGreaterThan(0);
      const pieces: Uint8Array[] = [];
      serializeChunkOfFile(file, plan, i, options, (piece) => pieces.push(piece));
      expect(pieces.length).toBe(Math.ceil(whole.buckets.length / 256) + 1);
      const back = chunkOfPieces(pieces);
      expect(back).toEqual(whole);
      // Texts a row did not have stay undefined (JSON would have made them null).
      expect(back.buckets[0]!.values.filter((v) => v === null)).toEqual([]);
      expect(back.buckets[0]!.values.filter((v) => v === undefined).length).toBeGreaterThan(0);
      // A piece lost or unreadable: refused (the file is then read in one pass), never a chunk short of buckets.
      expect(chunkOfPieces([...pieces.slice(0, 1), ...pieces.slice(2)])).toMatchObject({
        ok: false,
        why: expect.stringMatching(/came back with \d+ of its \d+ buckets/),
      });
      expect(chunkOfPieces([new Uint8Array([1, 2, 3]), ...pieces.slice(1)])).toMatchObject({ ok: false, why: expect.stringMatching(/could not be read back/) });
    }
  });

  it('reads in one pass what it must, and says why', async () => {
    const small = usageFile('small.csv', 100);
    expect((await importBillFile(small, {}, { parallelism: 2 })).chunks).toBe(1);
    const licence = path.join(dir, 'licence.csv');
    fs.writeFileSync(
      licence,
      'PartnerId,CustomerId,SubscriptionId,ChargeType,ChargeStartDate,ChargeEndDate,BillableQuantity,Subtotal,Currency\n' +
        'p,c,s,new,10/01/2026,10/31/2026,1,1.00,USD\n'.repeat(5000),
    );
    const r = await importBillFile(licence, { detectDuplicates: false }, { parallelism: 2, minChunkedBytes: 0 });
    expect(r.chunks).toBe(1);
    expect(r.oneReason).toMatch(/not a daily-usage CSV/);
    expect(r.lines).toHaveLength(5000);
  }, 60_000);
});
