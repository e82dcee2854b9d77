/**
 * Bad input gives typed errors naming file, row, column, raw value and reason; lenient mode goes on,
 * strict mode stops at the first; rows read = rows accepted + rows rejected, always.
 */
import { BillImporter, importBytes, ImportError } from '../../core/src/import';
import { LEGACY_LICENSE_FIXTURE, NCE_DAILY_FIXTURE, NCE_LICENSE_FIXTURE } from './fixtures';
import { csvText, encode, expectBalanced } from './support';

const H = NCE_LICENSE_FIXTURE.header;
const col = (name: string) => H.indexOf(name);
const good = NCE_LICENSE_FIXTURE.rows;
const withCell = (row: readonly string[], name: string, value: string) => row.map((v, i) => (i === col(name) ? value : v));
const bytesOf = (header: readonly string[], rows: readonly (readonly string[])[]) => encode(csvText(header, rows), 'utf-8');

describe('file-level errors', () => {
  it('an unknown header set is refused with the header it saw', () => {
    const r = importBytes(bytesOf(['Name', 'Amount'], [['a', '1']]), { fileName: 'x.csv' });
    expect(r.summary.failed).toBe(true);
    expect(r.errors.map((e) => [e.code, e.file, e.row])).toEqual([['unknown-header-set', 'x.csv', 1]]);
    expect(r.errors[0]?.reason).toContain('Name, Amount');
    expect(r.summary.rowsRead).toBe(0);
  });

  it('a recognised format missing a required column names that column', () => {
    const header = H.filter((h) => h !== 'ChargeEndDate');
    const rows = good.map((r) => r.filter((_, i) => i !== col('ChargeEndDate')));
    const r = importBytes(bytesOf(header, rows));
    expect(r.errors.map((e) => [e.code, e.column])).toEqual([['missing-required-column', 'ChargeEndDate']]);
  });

  it('an empty file and a blank file are reported as empty', () => {
    expect(importBytes(new Uint8Array(0)).errors[0]?.code).toBe('empty-file');
    expect(importBytes(encode('\r\n  \n', 'utf-8')).errors[0]?.code).toBe('empty-file');
  });

  it('a quote that never closes does not buffer the rest of the file', () => {
    const text = csvText(H, good) + `"${'x'.repeat(5000)}`;
    const r = importBytes(encode(text, 'utf-8'), { maxRecordChars: 1000 }, 256);
    expect(r.errors.map((e) => e.code)).toContain('malformed-file');
    expect(r.summary.rowsAccepted).toBe(3);
    expectBalanced(r);
  });

  it('malformed JSON is a typed error', () => {
    const r = importBytes(encode('{"items": [{"chargeType": "new", "subtotal": ', 'utf-8'));
    expect(r.errors.map((e) => e.code)).toContain('malformed-file');
  });
});

describe('row errors (lenient mode reports and continues)', () => {
  const rows = [
    good[0]!,
    withCell(good[1]!, 'ChargeStartDate', '31/31/2022'),
    withCell(good[1]!, 'Subtotal', '12,50'),
    withCell(withCell(good[2]!, 'Currency', 'USD'), 'SubscriptionId', 'sub-usd'),
    good[0]!,
    withCell(good[2]!, 'Currency', 'XXX'),
    good[2]!,
  ];
  const r = importBytes(bytesOf(H, rows), { fileName: 'recon.csv' });

  it('keeps the good rows and balances the ledger', () => {
    expectBalanced(r);
    expect(r.summary).toMatchObject({ rowsRead: 7, rowsAccepted: 2, rowsRejected: 5 });
    expect(r.lines.map((l) => l.row)).toEqual([2, 8]);
    expect(r.summary.total.toString()).toBe('107.5'); // 120.00 - 12.5
  });

  it('names file, row, column, raw value and reason for each', () => {
    expect(r.errors.map((e) => [e.code, e.row, e.column, e.rawValue])).toEqual([
      ['bad-date', 3, 'ChargeStartDate', '31/31/2022'],
      ['bad-number', 4, 'Subtotal', '12,50'],
      ['mixed-currencies', 5, 'Currency', 'USD'],
      ['duplicate-row', 6, undefined, expect.stringContaining('Contoso')],
      ['bad-currency', 7, 'Currency', 'XXX'],
    ]);
    expect(r.errors.every((e) => e instanceof ImportError && e.file === 'recon.csv')).toBe(true);
    expect(r.errors[3]?.reason).toContain('row 2');
    expect(r.summary.currencies).toEqual(['EUR', 'USD']);
  });

  it('strict mode throws the first error, typed', () => {
    let thrown: unknown;
    try {
      importBytes(bytesOf(H, rows), { mode: 'strict', fileName: 'recon.csv' });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ImportError);
    expect((thrown as ImportError).toJSON()).toEqual({
      code: 'bad-date',
      file: 'recon.csv',
      row: 3,
      column: 'ChargeStartDate',
      rawValue: '31/31/2022',
      reason: 'ChargeStartDate is not a date (M/D/YYYY, MM/DD/YYYY or ISO 8601)',
    });
  });

  it('caps the errors kept but keeps counting', () => {
    const many = Array.from({ length: 30 }, (_, i) => withCell(good[0]!, 'OrderId', `bad-${i}`)).map((row) => withCell(row, 'Subtotal', 'n/a'));
    const capped = importBytes(bytesOf(H, many), { maxErrors: 5 });
    expect(capped.errors).toHaveLength(5);
    expect(capped.summary.errorCount).toBe(30);
    expect(capped.summary.errorsTruncated).toBe(true);
    expectBalanced(capped);
  });
});

describe('amounts beyond what Dataverse stores', () => {
  it('refuses a subtotal beyond the money range and a quantity beyond a whole number, naming row, column and value; a huge exponent is not expanded', () => {
    const rows = [
      good[0]!,
      withCell(good[1]!, 'Subtotal', '1e9999'),
      withCell(good[1]!, 'Subtotal', '922337203685478'),
      withCell(good[2]!, 'Quantity', '1e308'),
      withCell(good[2]!, 'Subtotal', '1e999999999'),
      withCell(good[2]!, 'Subtotal', '-922337203685477'),
    ];
    const r = importBytes(bytesOf(H, rows), { fileName: 'absurd.csv' });
    expectBalanced(r);
    expect(r.summary).toMatchObject({ rowsRead: 6, rowsAccepted: 2, rowsRejected: 4 });
    expect(r.errors.map((e) => [e.code, e.row, e.column, e.rawValue])).toEqual([
      ['bad-number', 3, 'Subtotal', '1e9999'],
      ['bad-number', 4, 'Subtotal', '922337203685478'],
      ['bad-number', 5, 'Quantity', '1e308'],
      ['bad-number', 6, 'Subtotal', '1e999999999'],
    ]);
    expect(r.errors[0]!.reason).toContain('beyond what Dataverse stores (money: at most ±922337203685477)');
    expect(r.errors[2]!.reason).toContain('(a whole number: at most ±2147483647)');
  });
});

describe('usage rows', () => {
  const UH = NCE_DAILY_FIXTURE.header;
  const u = NCE_DAILY_FIXTURE.rows;
  const set = (row: readonly string[], name: string, value: string) => row.map((v, i) => (i === UH.indexOf(name) ? value : v));
  it('reject bad rows without touching the sums, and catch exact duplicates', () => {
    const rows = [u[0]!, set(u[1]!, 'Quantity', 'abc'), u[0]!, set(u[2]!, 'BillingCurrency', 'EUR'), set(u[3]!, 'UsageDate', '')];
    const r = importBytes(bytesOf(UH, rows), { detectDuplicates: 'all' });
    expectBalanced(r);
    expect(r.errors.map((e) => [e.code, e.row])).toEqual([
      ['bad-number', 3],
      ['duplicate-row', 4],
      ['mixed-currencies', 5],
      ['bad-date', 6],
    ]);
    expect(r.usage).toHaveLength(1);
    expect(r.usage[0]?.quantity.toString()).toBe('1.5');
    expect(r.summary.total.toString()).toBe('0.123456789012345');
  });
});

describe('duplicate checks by default', () => {
  it('cover licence lines but not usage rows (opt in with detectDuplicates: "all"); false turns both off', () => {
    const u = NCE_DAILY_FIXTURE.rows;
    const usage = importBytes(bytesOf(NCE_DAILY_FIXTURE.header, [u[0]!, u[0]!]));
    expect(usage.summary.rowsAccepted).toBe(2);
    expect(usage.usage[0]?.quantity.toString()).toBe('3');
    const lines = importBytes(bytesOf(H, [good[0]!, good[0]!]), { detectDuplicates: false });
    expect(lines.summary.rowsAccepted).toBe(2);
  });
});

describe('push API', () => {
  it('refuses pushes after finish and returns the same result twice', () => {
    const imp = new BillImporter();
    imp.push(bytesOf(LEGACY_LICENSE_FIXTURE.header, LEGACY_LICENSE_FIXTURE.rows));
    const a = imp.finish();
    expect(imp.finish().summary.contentHash).toBe(a.summary.contentHash);
    expect(() => imp.push(new Uint8Array(1))).toThrow('after finish');
  });
});
