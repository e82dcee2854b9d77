/**
 * Helpers shared by the import tests: shared-sample paths (failing with the missing file's name),
 * encoders for the encodings Excel writes, a tiny .xlsx writer, the node:crypto hasher and the
 * rows-read ledger check every import must satisfy.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { ContentHasher, ImportResult } from '../../core/src/import';
import { columnName } from '../../core/src/import/xlsx';

export const SAMPLES = path.resolve(__dirname, '../../../shared/samples');

export function samplePath(rel: string): string {
  const full = path.join(SAMPLES, rel);
  if (!fs.existsSync(full)) throw new Error(`missing shared sample file: ${full}`);
  return full;
}

export function readSample(rel: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(samplePath(rel)));
}

export function nodeSha256(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

export function nodeHasher(): ContentHasher {
  const h = crypto.createHash('sha256');
  return { update: (d: Uint8Array) => h.update(d), digestHex: () => h.digest('hex') };
}

export type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be';

export function encode(text: string, encoding: Encoding): Uint8Array {
  if (encoding === 'utf-8') return new Uint8Array(Buffer.from(text, 'utf8'));
  if (encoding === 'utf-8-bom') return new Uint8Array(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  if (encoding === 'utf-16le') return new Uint8Array(le);
  const be = Buffer.from(le);
  for (let i = 0; i + 1 < be.length; i += 2) {
    const t = be[i] as number;
    be[i] = be[i + 1] as number;
    be[i + 1] = t;
  }
  return new Uint8Array(be);
}

/** RFC 4180 field quoting (what Excel and Partner Center write). */
export function csvField(s: string, delimiter = ','): string {
  return s.includes('"') || s.includes(delimiter) || s.includes('\n') || s.includes('\r') ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvText(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  opts: { eol?: string; delimiter?: string; trailingBlankLines?: number; quoteAll?: boolean } = {},
): string {
  const eol = opts.eol ?? '\r\n';
  const d = opts.delimiter ?? ',';
  const q = (s: string) => (opts.quoteAll ? `"${s.replace(/"/g, '""')}"` : csvField(s, d));
  const lines = [header.map(q).join(d), ...rows.map((r) => r.map(q).join(d))];
  return lines.join(eol) + eol + eol.repeat(opts.trailingBlankLines ?? 0);
}

/** Writes a one-sheet .xlsx: strings as shared strings, cells that look numeric as numbers. */
export function xlsxBytes(header: readonly string[], rows: readonly (readonly string[])[], numericColumns: ReadonlySet<number> = new Set()): Uint8Array {
  const shared: string[] = [];
  const sharedIndex = new Map<string, number>();
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const col = columnName;
  const cell = (v: string, r: number, c: number) => {
    const ref = `${col(c)}${r}`;
    if (v === '') return '';
    if (r > 1 && numericColumns.has(c) && /^-?\d+(\.\d+)?$/.test(v)) return `<c r="${ref}"><v>${v}</v></c>`;
    let idx = sharedIndex.get(v);
    if (idx === undefined) {
      idx = shared.length;
      shared.push(v);
      sharedIndex.set(v, idx);
    }
    return `<c r="${ref}" t="s"><v>${idx}</v></c>`;
  };
  const all = [header, ...rows];
  const sheetRows = all.map((r, i) => `<row r="${i + 1}">${r.map((v, c) => cell(v, i + 1, c)).join('')}</row>`).join('');
  const sheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheetRows}</sheetData></worksheet>`;
  const sst = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${shared.length}" uniqueCount="${shared.length}">${shared.map((s) => `<si><t xml:space="preserve">${esc(s)}</t></si>`).join('')}</sst>`;
  const workbook = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Recon" sheetId="1" r:id="rId1"/></sheets></workbook>`;
  const rels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`;
  return zipSync({
    '[Content_Types].xml': strToU8('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    'xl/workbook.xml': strToU8(workbook),
    'xl/_rels/workbook.xml.rels': strToU8(rels),
    'xl/worksheets/sheet1.xml': strToU8(sheet),
    'xl/sharedStrings.xml': strToU8(sst),
  });
}

/** The ledger every import must balance, whatever happened. */
export function expectBalanced(r: ImportResult): void {
  const s = r.summary;
  expect(s.rowsRead).toBe(s.rowsAccepted + s.rowsRejected);
  expect(s.lineCount).toBe(r.lines.length + r.usage.length);
  const usageRows = r.usage.reduce((n, u) => n + u.rowCount, 0);
  expect(r.lines.length + usageRows + s.invoices.length).toBe(s.rowsAccepted);
  // Every refused row is listed (until the error cap) and its money is in the rejected totals.
  if (!s.errorsTruncated) {
    expect(r.rejected.length).toBe(s.rowsRejected);
    expect(r.rejected.filter((x) => x.amount === undefined).length).toBe(s.rejectedWithoutAmount);
    const byCurrency = new Map<string, string>();
    for (const x of r.rejected) if (x.amount !== undefined) byCurrency.set(x.currency ?? '', x.amount.plus(byCurrency.get(x.currency ?? '') ?? 0).toFixed());
    expect(Object.fromEntries(Object.entries(s.rejectedAmounts).map(([c, d]) => [c, d.toFixed()]))).toEqual(Object.fromEntries(byCurrency));
  }
}

export function splitEvery(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}
