import { unzipSync } from 'fflate';
import { Decimal } from '../money';
import { decodeAll } from './text-decoding';

/**
 * Minimal .xlsx reader for bills a user opened and saved in Excel: the first worksheet's cells as
 * text rows. A zip keeps its directory at the end, so the file is read whole (it is compressed,
 * typically a tenth of the CSV). Shared strings, inline strings and numbers are supported; numbers
 * are read at Excel's own 15 significant digits, which gives back the decimal text Excel was given
 * (Excel stores doubles and may write 0.1+0.2 as 0.30000000000000004).
 */
export class XlsxError extends Error {}

export interface SheetRow {
  /** Excel row number (1-based). */
  readonly row: number;
  readonly cells: string[];
}

export function readXlsxRows(bytes: Uint8Array): SheetRow[] {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) =>
        f.name === 'xl/workbook.xml' ||
        f.name === 'xl/_rels/workbook.xml.rels' ||
        f.name === 'xl/sharedStrings.xml' ||
        f.name.startsWith('xl/worksheets/sheet'),
    });
  } catch (e) {
    throw new XlsxError(`not a readable zip/xlsx file: ${(e as Error).message}`);
  }
  const sheetPath = firstSheetPath(files);
  const sheet = files[sheetPath];
  if (sheet === undefined) throw new XlsxError('the workbook has no worksheet');
  const shared = files['xl/sharedStrings.xml'] ? readSharedStrings(decodeAll(files['xl/sharedStrings.xml'])) : [];
  return readSheet(decodeAll(sheet), shared);
}

function firstSheetPath(files: Record<string, Uint8Array>): string {
  const wb = files['xl/workbook.xml'];
  const rels = files['xl/_rels/workbook.xml.rels'];
  if (wb && rels) {
    const sheet = /<(?:\w+:)?sheet\b[^>]*\br:id="([^"]+)"/.exec(decodeAll(wb));
    if (sheet) {
      const relRe = /<Relationship\b[^>]*>/g;
      const relText = decodeAll(rels);
      for (let m = relRe.exec(relText); m; m = relRe.exec(relText)) {
        const tag = m[0];
        if (attr(tag, 'Id') === sheet[1]) {
          const target = attr(tag, 'Target') ?? '';
          return target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
        }
      }
    }
  }
  const sheets = Object.keys(files)
    .filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))
    .sort((a, b) => sheetNo(a) - sheetNo(b));
  return sheets[0] ?? 'xl/worksheets/sheet1.xml';
}

function sheetNo(name: string): number {
  return Number(/(\d+)\.xml$/.exec(name)?.[1] ?? 0);
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\b${name}="([^"]*)"`).exec(tag);
  return m?.[1];
}

function readSharedStrings(xml: string): string[] {
  const out: string[] = [];
  const siRe = /<si\b[^>]*>([\s\S]*?)<\/si>|<si\b[^>]*\/>/g;
  for (let m = siRe.exec(xml); m; m = siRe.exec(xml)) out.push(textRuns(m[1] ?? ''));
  return out;
}

/** Concatenates the <t> runs of a string item, skipping phonetic runs (<rPh>). */
function textRuns(inner: string): string {
  const noPhonetic = inner.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '');
  let s = '';
  const tRe = /<t\b[^>]*>([\s\S]*?)<\/t>/g;
  for (let m = tRe.exec(noPhonetic); m; m = tRe.exec(noPhonetic)) s += unescapeXml(m[1] ?? '');
  return s;
}

function readSheet(xml: string, shared: readonly string[]): SheetRow[] {
  const rows: SheetRow[] = [];
  const rowRe = /<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g;
  let implicitRow = 0;
  for (let m = rowRe.exec(xml); m; m = rowRe.exec(xml)) {
    const r = attr(m[1] ?? '', 'r');
    const rowNo = r !== undefined ? Number(r) : implicitRow + 1;
    implicitRow = rowNo;
    const cells: string[] = [];
    const cellRe = /<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g;
    const body = m[2] ?? '';
    let implicitCol = -1;
    for (let c = cellRe.exec(body); c; c = cellRe.exec(body)) {
      const attrs = c[1] ?? '';
      const ref = attr(attrs, 'r');
      const col = ref !== undefined ? columnIndex(ref) : implicitCol + 1;
      if (col < 0 || col > 16383) continue; // beyond Excel's last column XFD: not a real cell
      implicitCol = col;
      const type = attr(attrs, 't') ?? 'n';
      const inner = c[2] ?? '';
      let value = '';
      if (type === 'inlineStr') value = textRuns(inner);
      else {
        const v = /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1];
        if (v !== undefined) {
          if (type === 's') value = shared[Number(v)] ?? '';
          else if (type === 'n') value = excelNumber(v);
          else value = unescapeXml(v);
        }
      }
      while (cells.length < col) cells.push('');
      cells[col] = value;
    }
    rows.push({ row: rowNo, cells });
  }
  return rows;
}

function columnIndex(ref: string): number {
  let n = 0;
  for (const ch of ref) {
    const c = ch.charCodeAt(0);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

function excelNumber(v: string): string {
  const t = v.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return t;
  const d = new Decimal(t);
  return d.sd() > 15 ? d.toSignificantDigits(15, Decimal.ROUND_HALF_EVEN).toString() : d.toString();
}

function unescapeXml(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e === 'amp') return '&';
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    const code = e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}
