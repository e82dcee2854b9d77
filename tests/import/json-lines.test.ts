/**
 * JSON Lines, as Microsoft Graph's billing exports write them (manifest dataFormat: "Each blob is a
 * compressed file and data in the file is in JSON lines format", learn.microsoft.com/graph/api/
 * resources/partners-billing-manifest): the sample partner's October bill as CSV and as JSON Lines
 * gives the same lines, usage and totals; properties left out of some lines are read where present;
 * broken lines are rejected one by one, broken files as a whole.
 */
import { importBytes, type ImportResult } from '../../core/src/import';
import { generateSample } from '../../scripts/sample-data';
import { csvToGraphLines } from '../../scripts/sample-data/graph-lines';
import { expectBalanced } from './support';

const sample = generateSample();
const utf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));

/** Lines and usage without the source row (CSV rows count the header, JSON items do not) and raw text. */
function comparable(r: ImportResult): unknown {
  const strip = (o: object): unknown =>
    JSON.parse(JSON.stringify(o, (k, v: unknown) => (k === 'row' || k === 'firstRow' || k === 'lastRow' || k === 'raw' || k === 'rawText' ? undefined : v)));
  return { lines: r.lines.map(strip), usage: r.usage.map(strip) };
}

function imported(text: string, chunkSize?: number): ImportResult {
  const r = importBytes(utf8(text), { fileName: 'export.jsonl', detectDuplicates: false }, chunkSize);
  expectBalanced(r);
  return r;
}

describe('JSON Lines (Graph billing exports)', () => {
  it.each(['pascal', 'camel'] as const)('reads the licence bill as the CSV reads it (%s keys)', (keyCase) => {
    const csv = importBytes(utf8(sample.licenceCsv), { fileName: 'recon.csv', detectDuplicates: false });
    const lines = csvToGraphLines(sample.licenceCsv, { keyCase });
    const json = imported(lines.join('\n') + '\n');
    expect(json.summary.source).toBe('jsonl');
    expect(json.summary.format).toBe('nce-license');
    expect(json.summary.rowsRead).toBe(lines.length);
    expect(json.summary.rowsRejected).toBe(0);
    expect(json.summary.rowsRead).toBe(csv.summary.rowsRead);
    expect(json.summary.total.toFixed()).toBe(csv.summary.total.toFixed());
    expect(comparable(json)).toEqual(comparable(csv));
  });

  it('reads the daily usage as the CSV reads it, the inclusive ChargeEndDate kept (the CSV v2 columns)', () => {
    const csv = importBytes(utf8(sample.usageCsv), { fileName: 'usage.csv' });
    const json = imported(csvToGraphLines(sample.usageCsv).join('\n'));
    expect(json.summary.format).toBe('nce-daily-usage');
    expect(json.usage.length).toBeGreaterThan(0);
    expect(comparable(json)).toEqual(comparable(csv));
    // October's usage: 10/1 .. 10/31 inclusive, the core's [2026-10-01, 2026-11-01).
    expect(json.usage[0]!.chargeEndInclusive).toEqual(csv.usage[0]!.chargeEndInclusive);
  });

  it('a one-line export (jsonLines) keeps the inclusive ChargeEndDate a lone JSON object would not', () => {
    const csv = importBytes(utf8(sample.usageCsv), { fileName: 'usage.csv' });
    const one = csvToGraphLines(sample.usageCsv)[0]!;
    const r = importBytes(utf8(one + '\n'), { fileName: 'export.jsonl', jsonLines: true });
    expect(r.summary.source).toBe('jsonl');
    expect(r.usage[0]!.chargeEndInclusive).toEqual(csv.usage.find((u) => u.subscriptionId === r.usage[0]!.subscriptionId)!.chargeEndInclusive);
  });

  it('gives the same result however the text is cut into chunks', () => {
    const text = csvToGraphLines(sample.licenceCsv).slice(0, 20).join('\r\n');
    expect(comparable(imported(text, 7))).toEqual(comparable(imported(text)));
  });

  it('reads a property the first line leaves out (Spark drops null fields) on the lines that have it', () => {
    const text = [
      '{"ChargeType":"new","ChargeStartDate":"2026-10-01T00:00:00Z","ChargeEndDate":"2026-10-31T00:00:00Z","BillableQuantity":2,"Subtotal":20,"Currency":"USD","SubscriptionId":"s1"}',
      '{"ChargeType":"new","ChargeStartDate":"2026-10-01T00:00:00Z","ChargeEndDate":"2026-10-31T00:00:00Z","BillableQuantity":3,"Subtotal":30,"TaxTotal":2.4,"Currency":"USD","SubscriptionId":"s2","ReferenceId":"r2"}',
    ].join('\n');
    const r = imported(text);
    expect(r.lines.map((l) => l.tax?.toFixed() ?? null)).toEqual([null, '2.4']);
    expect(r.lines[1]!.referenceId).toBe('r2');
  });

  it('a required property the first line leaves out rejects that line, not the file', () => {
    const lines = csvToGraphLines(sample.usageCsv).slice(0, 5);
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    // The daily usage file's subtotal (required), as Graph names it.
    expect(first['BillingPreTaxTotal']).toBeDefined();
    delete first['BillingPreTaxTotal'];
    const whole = imported(lines.join('\n'));
    const r = imported([JSON.stringify(first), ...lines.slice(1)].join('\n'));
    expect(r.summary.failed).toBe(false);
    expect(r.summary.rowsRead).toBe(5);
    expect(r.summary.rowsRejected).toBe(1);
    expect(r.rejected.map((x) => [x.row, x.column])).toEqual([[1, 'BillingPreTaxTotal']]);
    // The other four read as they do in the whole text.
    expect((comparable(r) as { usage: unknown }).usage).toEqual((comparable(imported(lines.slice(1).join('\n'))) as { usage: unknown }).usage);
    expect(whole.summary.rowsAccepted).toBe(5);
  });

  it('rejects a broken line with its row and keeps the others', () => {
    const good = csvToGraphLines(sample.licenceCsv).slice(0, 3);
    const text = [good[0], '{"ChargeType":"new",,}', good[1], good[2]].join('\n');
    const r = imported(text);
    expect(r.summary.rowsRead).toBe(4);
    expect(r.summary.rowsAccepted).toBe(3);
    expect(r.rejected.map((x) => [x.row, x.code])).toEqual([[2, 'malformed-record']]);
  });

  it('refuses text between objects, and a file that ends inside an object, naming the row', () => {
    const good = csvToGraphLines(sample.licenceCsv).slice(0, 2);
    const stray = imported(`${good[0]}\nnot json\n${good[1]}`);
    expect(stray.summary.failed).toBe(true);
    expect(stray.errors[0]!.code).toBe('malformed-file');
    expect(stray.errors[0]!.message).toMatch(/JSON Lines/);
    const cut = imported(`${good[0]}\n${good[1]!.slice(0, 40)}`);
    expect(cut.summary.failed).toBe(true);
    expect(cut.errors[0]!.code).toBe('malformed-file');
    expect(cut.errors[0]!.row).toBe(2);
  });
});
