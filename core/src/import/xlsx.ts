import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { Decimal } from '../money';
import { createTextDecoder, decodeAll } from './text-decoding';

/**
 * Minimal .xlsx reader for bills a user opened and saved in Excel: the first worksheet's cells as
 * text rows, one row at a time. A zip keeps its directory at the end, so the file is held whole
 * (it is compressed, typically a tenth of the CSV), but only the parts read are inflated, each
 * through fflate's streaming inflater under a size cap: the workbook and its relationships, the
 * shared strings, then the one worksheet, whose XML is parsed row by row as it inflates and never
 * held whole. Shared strings, inline strings and numbers are supported; numbers are read at
 * Excel's own 15 significant digits, which gives back the decimal text Excel was given (Excel
 * stores doubles and may write 0.1+0.2 as 0.30000000000000004).
 */
export class XlsxError extends Error {
  constructor(
    message: string,
    /** True when a size cap refused the file (a zip bomb, an absurd sheet), not a broken zip. */
    readonly tooLarge = false,
  ) {
    super(message);
  }
}

export interface SheetRow {
  /** Excel row number (1-based). */
  readonly row: number;
  readonly cells: string[];
  /** Column (0-based) of the first non-empty cell beyond `maxColumns`, or -1: such cells are not kept. */
  readonly beyond: number;
}

/** What one .xlsx may cost; a file beyond any cap is refused with a typed error. */
export interface XlsxLimits {
  /** Uncompressed bytes inflated over all parts read (default 2 GiB). */
  readonly maxUncompressedBytes?: number;
  /** Uncompressed bytes per compressed byte of the worksheet, once it passes 64 MiB (default 200; Excel's XML compresses about 10:1). */
  readonly maxCompressionRatio?: number;
  /** Shared-string XML (default 256 MiB) and number of strings (default 4,000,000). */
  readonly maxSharedStringBytes?: number;
  readonly maxSharedStrings?: number;
  /** The XML of one row (default 8 Mi characters). */
  readonly maxRowChars?: number;
}

const SMALL_PART = 16 * 1024 * 1024;
const PUSH_SLICE = 64 * 1024;
const RATIO_FLOOR = 64 * 1024 * 1024;

/**
 * Reads the first worksheet, calling `onRow` for each row in order. `maxColumns(row)` caps the
 * cells kept from each row (the importer passes the header's width once it has the header): a
 * cell in column XFD must not make every row 16,384 cells long.
 */
export function readXlsxRows(bytes: Uint8Array, onRow: (row: SheetRow) => void, maxColumns: () => number = () => 16384, limits: XlsxLimits = {}): void {
  const budget = { left: limits.maxUncompressedBytes ?? 2 * 1024 * 1024 * 1024 };
  const small = inflateParts(bytes, new Set(['xl/workbook.xml', 'xl/_rels/workbook.xml.rels']), budget, SMALL_PART);
  const sheetPath = firstSheetPath(small, listEntries(bytes));
  if (sheetPath === undefined) throw new XlsxError('the workbook has no worksheet');
  const shared = readSharedStrings(bytes, budget, limits);
  const scanner = new SheetScanner(shared, onRow, maxColumns, limits.maxRowChars ?? 8 * 1024 * 1024);
  const decoder = createTextDecoder('utf-8');
  const ratio = limits.maxCompressionRatio ?? 200;
  let found = false;
  streamEntry(bytes, sheetPath, budget, Infinity, (chunk, final, file) => {
    found = true;
    scanner.feed(decoder.decode(chunk, { stream: !final }), final);
    const inflated = scanner.inflated(chunk.length);
    if (inflated > RATIO_FLOOR && file.size !== undefined && file.size > 0 && inflated / file.size > ratio)
      throw new XlsxError(`the worksheet inflates more than ${ratio} times its compressed size (${file.size} bytes): not a bill Excel wrote`, true);
  });
  if (!found) throw new XlsxError(`the workbook's worksheet ${sheetPath} is not in the file`);
}

/** Names of the zip's entries (local headers, nothing inflated). */
function listEntries(bytes: Uint8Array): string[] {
  const names: string[] = [];
  runUnzip(bytes, (file) => {
    names.push(file.name);
  });
  return names;
}

function runUnzip(bytes: Uint8Array, onFile: (file: UnzipFile) => void): void {
  const unzip = new Unzip(onFile);
  unzip.register(UnzipInflate);
  try {
    for (let at = 0; at < bytes.length; at += PUSH_SLICE)
      unzip.push(bytes.subarray(at, Math.min(bytes.length, at + PUSH_SLICE)), at + PUSH_SLICE >= bytes.length);
  } catch (e) {
    if (e instanceof XlsxError) throw e;
    throw new XlsxError(`not a readable zip/xlsx file: ${(e as Error).message}`);
  }
}

/**
 * Inflates one entry in slices, handing each to `onData`; stops with a typed error past the part's
 * cap or the file's remaining budget.
 */
function streamEntry(
  bytes: Uint8Array,
  name: string,
  budget: { left: number },
  partCap: number,
  onData: (chunk: Uint8Array, final: boolean, file: UnzipFile) => void,
): void {
  let size = 0;
  runUnzip(bytes, (file) => {
    if (file.name !== name) return;
    file.ondata = (err, chunk, final) => {
      // fflate hands an exception thrown below (a cap) back here as `err`.
      if (err) throw err instanceof XlsxError ? err : new XlsxError(`${name} cannot be inflated: ${err.message}`);
      size += chunk.length;
      budget.left -= chunk.length;
      if (size > partCap) throw new XlsxError(`${name} inflates beyond ${partCap} bytes`, true);
      if (budget.left < 0) throw new XlsxError('the workbook inflates beyond the size cap for one bill', true);
      onData(chunk, final, file);
    };
    file.start();
  });
}

function inflateParts(bytes: Uint8Array, names: ReadonlySet<string>, budget: { left: number }, partCap: number): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of names) {
    const chunks: Uint8Array[] = [];
    streamEntry(bytes, name, budget, partCap, (chunk) => chunks.push(chunk));
    if (chunks.length > 0) out.set(name, decodeAll(concatChunks(chunks)));
  }
  return out;
}

function concatChunks(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function firstSheetPath(parts: ReadonlyMap<string, string>, entries: readonly string[]): string | undefined {
  const wb = parts.get('xl/workbook.xml');
  const rels = parts.get('xl/_rels/workbook.xml.rels');
  if (wb !== undefined && rels !== undefined) {
    const sheet = /<(?:\w+:)?sheet\b[^>]*\br:id="([^"]+)"/.exec(wb);
    if (sheet) {
      const relRe = /<Relationship\b[^>]*>/g;
      for (let m = relRe.exec(rels); m; m = relRe.exec(rels)) {
        const tag = m[0];
        if (attr(tag, 'Id') === sheet[1]) {
          const target = attr(tag, 'Target') ?? '';
          return target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
        }
      }
    }
  }
  const sheets = entries.filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n)).sort((a, b) => sheetNo(a) - sheetNo(b));
  return sheets[0];
}

function sheetNo(name: string): number {
  return Number(/(\d+)\.xml$/.exec(name)?.[1] ?? 0);
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\b${name}="([^"]*)"`).exec(tag);
  return m?.[1];
}

/** The shared-string table, streamed item by item under its caps. */
function readSharedStrings(bytes: Uint8Array, budget: { left: number }, limits: XlsxLimits): string[] {
  const out: string[] = [];
  const maxCount = limits.maxSharedStrings ?? 4_000_000;
  const decoder = createTextDecoder('utf-8');
  let buf = '';
  const siRe = /<si\b[^>]*>([\s\S]*?)<\/si>|<si\b[^>]*\/>/g;
  streamEntry(bytes, 'xl/sharedStrings.xml', budget, limits.maxSharedStringBytes ?? 256 * 1024 * 1024, (chunk, final) => {
    buf += decoder.decode(chunk, { stream: !final });
    siRe.lastIndex = 0;
    let cut = 0;
    for (let m = siRe.exec(buf); m; m = siRe.exec(buf)) {
      out.push(textRuns(m[1] ?? ''));
      cut = siRe.lastIndex;
      if (out.length > maxCount) throw new XlsxError(`the shared-string table holds more than ${maxCount} strings`, true);
    }
    buf = buf.slice(cut);
  });
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

/**
 * The worksheet's XML, parsed as it inflates: complete <row> elements are read off the front of
 * the text and handed on; only an unfinished row is kept (capped), never the sheet.
 */
class SheetScanner {
  private buf = '';
  private implicitRow = 0;
  private inflatedBytes = 0;
  private readonly rowRe = /<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g;

  constructor(
    private readonly shared: readonly string[],
    private readonly onRow: (row: SheetRow) => void,
    private readonly maxColumns: () => number,
    private readonly maxRowChars: number,
  ) {}

  inflated(bytes: number): number {
    this.inflatedBytes += bytes;
    return this.inflatedBytes;
  }

  feed(text: string, final: boolean): void {
    this.buf = this.buf.length === 0 ? text : this.buf + text;
    const re = this.rowRe;
    re.lastIndex = 0;
    let cut = 0;
    for (let m = re.exec(this.buf); m; m = re.exec(this.buf)) {
      if (m[0].length > this.maxRowChars) throw new XlsxError(`a row of the worksheet is longer than ${this.maxRowChars} characters`, true);
      this.row(m[1] ?? '', m[2] ?? '');
      cut = re.lastIndex;
    }
    let rest = this.buf.slice(cut);
    // Keep from the unfinished row's start; text before any <row (sheetData, whitespace) is dropped.
    const open = rest.indexOf('<row');
    rest = open >= 0 ? rest.slice(open) : rest.slice(-4);
    if (rest.length > this.maxRowChars) throw new XlsxError(`a row of the worksheet is longer than ${this.maxRowChars} characters`, true);
    this.buf = final ? '' : rest;
  }

  private row(attrs: string, body: string): void {
    const r = attr(attrs, 'r');
    const rowNo = r !== undefined ? Number(r) : this.implicitRow + 1;
    this.implicitRow = rowNo;
    const width = this.maxColumns();
    const cells: string[] = [];
    let beyond = -1;
    const cellRe = /<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g;
    let implicitCol = -1;
    for (let c = cellRe.exec(body); c; c = cellRe.exec(body)) {
      const cellAttrs = c[1] ?? '';
      const ref = attr(cellAttrs, 'r');
      const col = ref !== undefined ? columnIndex(ref) : implicitCol + 1;
      if (col < 0 || col > 16383) continue; // beyond Excel's last column XFD: not a real cell
      implicitCol = col;
      const value = this.value(cellAttrs, c[2] ?? '');
      if (col >= width) {
        if (value.trim() !== '' && beyond < 0) beyond = col;
        continue;
      }
      while (cells.length < col) cells.push('');
      cells[col] = value;
    }
    this.onRow({ row: rowNo, cells, beyond });
  }

  private value(cellAttrs: string, inner: string): string {
    const type = attr(cellAttrs, 't') ?? 'n';
    if (type === 'inlineStr') return textRuns(inner);
    const v = /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1];
    if (v === undefined) return '';
    if (type === 's') return this.shared[Number(v)] ?? '';
    if (type === 'n') return excelNumber(v);
    return unescapeXml(v);
  }
}

/** Excel's column letters (A = 0, XFD = 16383). */
export function columnName(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
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
