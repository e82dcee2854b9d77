/**
 * The CSV record rules of core/src/import/README.md ("Records, encodings and rejected rows"): a
 * row either becomes a line or is listed as rejected with its location, reason and money; a file
 * that cannot be read reliably is refused whole. Each case is one of the ways issue 18 found a
 * bill losing money with exit 0.
 */
import { Decimal } from '../../core/src';
import { importBytes, type ImportResult } from '../../core/src/import';
import { NCE_DAILY_FIXTURE, NCE_LICENSE_FIXTURE } from './fixtures';
import { csvText, expectBalanced } from './support';

const H = NCE_LICENSE_FIXTURE.header;
const col = (name: string) => H.indexOf(name);
const good = NCE_LICENSE_FIXTURE.rows;
const withCell = (row: readonly string[], name: string, value: string) => row.map((v, i) => (i === col(name) ? value : v));
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
/** A plain row (no quotes, no line breaks) so the tests can cut it as a file would be cut. */
const plain = (row: readonly string[]) => row.map((v) => v.replace(/[",\r\n]/g, ' ')).join(',');
const header = H.join(',');
const credit = withCell(withCell(good[1]!, 'Subtotal', '-553.54'), 'Total', '-553.54');

function imported(text: string | Uint8Array, options = {}): ImportResult {
  const r = importBytes(typeof text === 'string' ? utf8(text) : text, { fileName: 'bill.csv', ...options });
  expectBalanced(r);
  return r;
}

describe('record structure', () => {
  it('a bare CR inside a CRLF file refuses the joined row, naming row and column, instead of dropping the credit after it', () => {
    const rows = [plain(good[0]!), `${plain(good[2]!)}\r${plain(credit)}`];
    const r = imported([header, ...rows].join('\r\n') + '\r\n');
    expect(r.summary.rowsRead).toBe(2);
    expect(r.summary.rowsAccepted).toBe(1);
    expect(r.rejected).toHaveLength(1);
    const rejected = r.rejected[0]!;
    expect([rejected.code, rejected.row, rejected.file]).toEqual(['malformed-record', 3, 'bill.csv']);
    expect(rejected.column).toBe(H[H.length - 1]);
    expect(rejected.reason).toContain('bare CR');
    // The joined text cannot be split reliably, so no money is claimed for it: it is counted as unreadable.
    expect(r.summary.rejectedWithoutAmount).toBe(1);
  });

  it('a CR that ends a quoted field on a CRLF file is a bare CR too; the rest of that line is refused as well', () => {
    const row = good[0]!.map((v) => `"${v.replace(/"/g, '""')}"`);
    const r = imported(`${header}\r\n${row.slice(0, 3).join(',')}\r${row.slice(3).join(',')}\r\n`);
    expect(r.rejected.map((x) => [x.row, x.code, x.column])).toEqual([
      [2, 'malformed-record', 'CustomerName'],
      [3, 'malformed-record', undefined],
    ]);
    expect(r.rejected[1]!.reason).toContain(`has ${H.length - 3} fields`);
  });

  it('a CR inside quotes stays text', () => {
    const row = withCell(good[0]!, 'CustomerName', 'Contoso\r\nEurope');
    const r = imported(csvText(H, [row]));
    expect(r.summary.rowsAccepted).toBe(1);
    expect(r.lines[0]!.customerName).toBe('Contoso\r\nEurope');
  });

  it('a row with more fields than the header is refused, and one with fewer', () => {
    const r = imported([header, plain(good[0]!) + ',extra', plain(good[2]!).split(',').slice(0, -2).join(','), plain(good[0]!)].join('\n') + '\n');
    expect(r.rejected.map((x) => [x.row, x.code])).toEqual([
      [2, 'malformed-record'],
      [3, 'malformed-record'],
    ]);
    expect(r.rejected[0]!.reason).toContain(`has ${H.length + 1} fields where the header has ${H.length}`);
    expect(r.summary.rowsAccepted).toBe(1);
  });

  it('an unclosed quote refuses the whole file (file-level), keeping nothing half-read', () => {
    const r = imported(`${header}\r\n${plain(good[0]!)}\r\n"Contoso,${plain(good[2]!)}\r\n${plain(good[0]!)}\r\n`);
    expect(r.summary.failed).toBe(true);
    expect(r.errors.at(-1)!.code).toBe('malformed-file');
    expect(r.errors.at(-1)!.reason).toContain('row 3');
  });

  it('CR-only line endings (Excel "CSV (Macintosh)") are read like any other', () => {
    const rows = [good[0]!, good[2]!].map(plain);
    const lf = imported([header, ...rows].join('\n') + '\n');
    const cr = imported([header, ...rows].join('\r') + '\r');
    expect(cr.summary.rowsAccepted).toBe(2);
    expect(cr.summary.total.toFixed()).toBe(lf.summary.total.toFixed());
    expect(cr.lines.map((l) => l.row)).toEqual([2, 3]);
  });

  it('a header that names a column twice is refused', () => {
    const r = imported([[...H, 'subtotal'].join(','), plain(good[0]!) + ',1'].join('\r\n'));
    expect(r.summary.failed).toBe(true);
    expect(r.errors[0]!.code).toBe('duplicate-column');
    expect(r.errors[0]!.column).toBe('subtotal');
    expect(r.errors[0]!.reason).toContain(`columns ${col('Subtotal') + 1} and ${H.length + 1}`);
  });

  it('control characters in a text column are refused; TAB is text', () => {
    const r = imported(csvText(H, [withCell(good[0]!, 'CustomerName', 'Contoso\u0000Ltd'), withCell(good[2]!, 'CustomerName', 'Contoso\tLtd')]));
    expect(r.rejected.map((x) => [x.code, x.column])).toEqual([['bad-text', 'CustomerName']]);
    expect(r.rejected[0]!.reason).toContain('U+0000 at position 8');
    // The row's money was readable: it is kept with the refusal.
    expect(r.rejected[0]!.amount!.toFixed()).toBe(new Decimal(good[0]![col('Subtotal')]!).toFixed());
  });
});

describe('rejected rows keep their money', () => {
  it('a row refused for a bad date lists its subtotal and currency; the totals say how much is not reconciled', () => {
    const r = imported(csvText(H, [good[0]!, withCell(credit, 'ChargeStartDate', '31/31/2026'), withCell(good[2]!, 'Subtotal', 'abc')]));
    expect(r.rejected.map((x) => [x.row, x.code, x.amount?.toFixed(), x.currency])).toEqual([
      [3, 'bad-date', '-553.54', good[1]![col('Currency')]],
      [4, 'bad-number', good[2]![col('Total')], good[2]![col('Currency')]],
    ]);
    expect(r.summary.rejectedAmounts[good[1]![col('Currency')]!]!.toFixed()).toBe(new Decimal('-553.54').plus(good[2]![col('Total')]!).toFixed());
    expect(r.summary.rejectedWithoutAmount).toBe(0);
  });

  it('a usage row refused keeps its BillingPreTaxTotal; a usage amount beyond the money range is refused', () => {
    const U = NCE_DAILY_FIXTURE.header;
    const ucol = (n: string) => U.indexOf(n);
    const set = (row: readonly string[], n: string, v: string) => row.map((x, i) => (i === ucol(n) ? v : x));
    const rows = NCE_DAILY_FIXTURE.rows;
    const r = imported(
      csvText(U, [rows[0]!, set(rows[1]!, 'UsageDate', '13/45/2025'), set(rows[2]!, 'BillingPreTaxTotal', '1e400'), set(rows[3]!, 'Quantity', '200000000000')]),
    );
    expect(r.rejected.map((x) => [x.row, x.code, x.column, x.amount?.toFixed()])).toEqual([
      [3, 'bad-date', 'UsageDate', '0.00000063'],
      [4, 'bad-number', 'BillingPreTaxTotal', undefined],
      [5, 'bad-number', 'Quantity', '0.2'],
    ]);
    expect(r.rejected[1]!.reason).toContain('beyond what Dataverse stores (money');
    expect(r.rejected[2]!.reason).toContain('(a decimal: at most ±100000000000)');
  });
});

describe('encodings', () => {
  const text = csvText(H, [withCell(good[0]!, 'CustomerName', 'Café “Zürich”')]);

  it('UTF-32 with a byte-order mark, little and big endian, is decoded', () => {
    for (const littleEndian of [true, false]) {
      const points = [0xfeff, ...[...text].map((c) => c.codePointAt(0)!)];
      const bytes = new Uint8Array(points.length * 4);
      const view = new DataView(bytes.buffer);
      points.forEach((p, i) => view.setUint32(i * 4, p, littleEndian));
      const r = imported(bytes);
      expect(r.summary.encoding).toBe(littleEndian ? 'utf-32le' : 'utf-32be');
      expect(r.lines[0]!.customerName).toBe('Café “Zürich”');
    }
  });

  it('bytes that are not UTF-8 are refused naming the byte and its offset, and suggest the code page', () => {
    const bytes = new Uint8Array(Buffer.from(text, 'latin1').length);
    // windows-1252: é = E9, “ = 93, ” = 94
    const cp1252 = Buffer.from(text.replace('“', '\u0093').replace('”', '\u0094'), 'latin1');
    bytes.set(cp1252);
    const offset = Buffer.from(text.slice(0, text.indexOf('Café') + 3), 'latin1').length;
    const r = imported(bytes);
    expect(r.summary.failed).toBe(true);
    expect(r.errors[0]!.code).toBe('bad-encoding');
    expect(r.errors[0]!.reason).toContain(`byte 0xE9 at offset ${offset} is not UTF-8`);
    expect(r.errors[0]!.reason).toContain('--encoding windows-1252');
    const named = imported(bytes, { encoding: 'windows-1252' });
    expect(named.summary.encoding).toBe('windows-1252');
    expect(named.lines[0]!.customerName).toBe('Café “Zürich”');
  });

  it('ISO-8859-1 maps every byte to the same code point: é reads, and 0x93 (a C1 control there) is refused in a name', () => {
    const latin1 = (s: string) => new Uint8Array(Buffer.from(csvText(H, [withCell(good[0]!, 'CustomerName', s)]), 'latin1'));
    const r = imported(latin1('Café Zürich'), { encoding: 'iso-8859-1' });
    expect(r.summary.encoding).toBe('iso-8859-1');
    expect(r.lines[0]!.customerName).toBe('Café Zürich');
    const c1 = imported(latin1('Café \u0093Zürich\u0094'), { encoding: 'iso-8859-1' });
    expect(c1.rejected.map((x) => [x.code, x.column])).toEqual([['bad-text', 'CustomerName']]);
    expect(c1.rejected[0]!.reason).toContain('U+0093');
  });

  it('a UTF-8 character cut at any chunk boundary is not an error', () => {
    const bytes = utf8(text);
    for (const size of [1, 2, 3, 5, 7]) expect(importBytes(bytes, {}, size).lines[0]!.customerName).toBe('Café “Zürich”');
  });

  it('a file ending inside a UTF-8 character is refused at that offset', () => {
    const bytes = utf8(text + 'é').subarray(0, utf8(text).length + 1);
    const r = importBytes(bytes);
    expect(r.errors.at(-1)!.code).toBe('bad-encoding');
    expect(r.errors.at(-1)!.reason).toContain(`at offset ${utf8(text).length}`);
  });
});
