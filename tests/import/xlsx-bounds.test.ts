/**
 * Bounded .xlsx (issue 18): only the parts read are inflated, through a streaming inflater under
 * size caps; the sheet is parsed row by row; cells beyond the header are not kept. Each hostile
 * workbook ends in a typed error (or a located row error), never in a process that runs out of
 * memory.
 */
import { strToU8, zipSync } from 'fflate';
import { importBytes } from '../../core/src/import';
import { columnName } from '../../core/src/import/xlsx';
import { NCE_LICENSE_FIXTURE } from './fixtures';
import { expectBalanced, xlsxBytes } from './support';

const H = NCE_LICENSE_FIXTURE.header;
const good = NCE_LICENSE_FIXTURE.rows;
const workbook = `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Recon" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const rels = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`;
const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const inline = (ref: string, v: string) => `<c r="${ref}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`;
const col = columnName;
const rowXml = (r: number, cells: readonly string[], extra = '') => `<row r="${r}">${cells.map((v, i) => inline(`${col(i)}${r}`, v)).join('')}${extra}</row>`;
const sheet = (rows: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`;
const xlsx = (parts: Record<string, Uint8Array>) =>
  zipSync({ 'xl/workbook.xml': strToU8(workbook), 'xl/_rels/workbook.xml.rels': strToU8(rels), ...parts }, { level: 9 });

describe('bounded .xlsx', () => {
  it('cells in column XFD on every row are not kept (the workbook Excel would show), and a value there refuses only its row', () => {
    const rows = [rowXml(1, H, '<c r="XFD1"/>'), ...good.map((r, i) => rowXml(i + 2, r, `<c r="XFD${i + 2}"/>`))];
    rows.push(rowXml(good.length + 2, good[0]!, inline(`XFD${good.length + 2}`, '999')));
    const r = importBytes(xlsx({ 'xl/worksheets/sheet1.xml': strToU8(sheet(rows.join(''))) }), { fileName: 'wide.xlsx' });
    expectBalanced(r);
    expect(r.summary.rowsAccepted).toBe(good.length);
    expect(r.rejected.map((x) => [x.row, x.code, x.column])).toEqual([[good.length + 2, 'malformed-record', 'XFD']]);
    expect(r.rejected[0]!.reason).toContain(`beyond the header's last column ${col(H.length - 1)}`);
  });

  it('a sheet that is never read is never inflated: a broken sheet2 beside a good sheet1 does not matter', () => {
    const good1 = xlsxBytes(H, good);
    const parts: Record<string, Uint8Array> = {};
    // Re-pack the good workbook and add a second sheet whose "deflate" data is garbage.
    const { unzipSync } = jest.requireActual<typeof import('fflate')>('fflate');
    for (const [name, data] of Object.entries(unzipSync(good1))) parts[name] = data;
    const zipped = zipSync({ ...parts, 'xl/worksheets/sheet2.xml': new Uint8Array(1 << 20).fill(32) }, { level: 9 });
    // Corrupt sheet2's compressed bytes (its local header is the last entry before the directory).
    const at = Buffer.from(zipped).lastIndexOf(Buffer.from('xl/worksheets/sheet2.xml')) + 'xl/worksheets/sheet2.xml'.length;
    const corrupted = zipped.slice();
    for (let i = at; i < at + 40; i++) corrupted[i] = 0xff;
    const r = importBytes(corrupted, { fileName: 'two-sheets.xlsx' });
    expect(r.summary.failed).toBe(false);
    expect(r.summary.rowsAccepted).toBe(good.length);
  });

  it('a sheet of whitespace that inflates far beyond its size is refused by the ratio cap (too-large)', () => {
    const blank = new Uint8Array(80 * 1024 * 1024).fill(32);
    const bytes = xlsx({ 'xl/worksheets/sheet1.xml': blank });
    expect(bytes.length).toBeLessThan(200 * 1024);
    const r = importBytes(bytes, { fileName: 'bomb.xlsx' });
    expect(r.summary.failed).toBe(true);
    expect([r.errors[0]!.code, r.errors[0]!.file]).toEqual(['too-large', 'bomb.xlsx']);
    expect(r.errors[0]!.reason).toContain('inflates more than 200 times');
  });

  it('a row longer than the row cap, a shared-string table beyond its count, and a workbook beyond the total cap are typed errors', () => {
    const long = importBytes(xlsx({ 'xl/worksheets/sheet1.xml': strToU8(sheet(rowXml(1, H) + rowXml(2, ['x'.repeat(5000)]))) }), {
      xlsxLimits: { maxRowChars: 1000 },
    });
    expect([long.errors[0]!.code, long.errors[0]!.reason]).toEqual(['too-large', 'a row of the worksheet is longer than 1000 characters']);

    const strings = xlsxBytes(H, good);
    const many = importBytes(strings, { xlsxLimits: { maxSharedStrings: 10 } });
    expect(many.errors[0]!.code).toBe('too-large');
    expect(many.errors[0]!.reason).toContain('more than 10 strings');

    const total = importBytes(strings, { xlsxLimits: { maxUncompressedBytes: 2000 } });
    expect(total.errors[0]!.code).toBe('too-large');
    expect(total.errors[0]!.reason).toContain('beyond the size cap');
  });

  it('a file that is not a zip past its signature is malformed, not a crash', () => {
    const bytes = new Uint8Array(200);
    bytes.set([0x50, 0x4b, 0x03, 0x04]);
    const r = importBytes(bytes);
    expect(r.summary.failed).toBe(true);
    // The signature and then nothing a zip reader can name: no workbook part, so no worksheet to read.
    expect(r.errors.map((e) => [e.code, e.reason])).toEqual([['malformed-file', 'the workbook has no worksheet']]);
  });
});
