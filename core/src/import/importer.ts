import { CsvScanner } from './csv-scanner';
import { detectFormat, ResolvedColumns } from './detect';
import { parseDecimalText } from './exact-sum';
import { normalizeHeader } from './fields';
import { fingerprint, FingerprintSet } from './fingerprint';
import { FormatDefinition, MICROSOFT_FORMATS } from './formats';
import { ImportError, ImportErrorCode } from './import-error';
import { ImportState, MAX_INVOICE_NUMBERS } from './import-state';
import { NOT_CHUNKED, UsageChunk } from './chunks';
import { FlatItem, JsonItemScanner, JsonSyntaxError, parseFlatItem } from './json-items';
import { LineBuilder } from './line-builder';
import { dropUndefined } from '../objects';
import { RowContext } from './row-context';
import { Sha256 } from './sha256';
import { createTextDecoder, InvalidBytesError, sniff, TextDecoderLike } from './text-decoding';
import { BillLine, ContentHasher, ImportOptions, ImportResult, ImportSummary, InvoiceHeader, UsageAggregate } from './types';
import { BucketState, UsageAggregator } from './usage-aggregator';
import { CurrencyReader, DateReader } from './value-parsers';
import { columnName, readXlsxRows, XlsxError } from './xlsx';

const TEXT_SLICE = 16 * 1024;
const LINE_FEED = 0x0a;
const noDeferredValues = (): void => undefined;

type Phase = 'sniff' | 'text-start' | 'csv' | 'json' | 'zip' | 'failed';

/**
 * The one bill parser: push the file's bytes in chunks of any size (a Node stream, a browser
 * ReadableStream, a worker's messages), then call finish(). It sniffs the container and encoding,
 * detects the format from the header, converts rows as they complete and hashes every byte.
 * In strict mode push()/finish() throw the first ImportError.
 */
export class BillImporter {
  private readonly opts: ImportOptions;
  private readonly formats: readonly FormatDefinition[];
  private readonly hasher: ContentHasher;
  private readonly state: ImportState;
  private readonly maxRecordChars: number;
  private byteLength = 0;
  private phase: Phase = 'sniff';
  private head: Uint8Array[] = [];
  private headLength = 0;
  private zipChunks: Uint8Array[] = [];
  private decoder: TextDecoderLike | null = null;
  private textStart = '';
  private encoding: ImportSummary['encoding'] = 'utf-8';
  private source: ImportSummary['source'] = 'unknown';
  private readonly scanner = new CsvScanner();
  private delimiterKnown = false;
  private header: string[] = [];
  private headerDone = false;
  private readonly json = new JsonItemScanner();
  private jsonIndex = 0;
  private jsonObjectType: string | undefined;
  private jsonSlotByKey: Map<string, number> | null = null;
  private readonly jsonSlotByRawKey = new Map<string, number>();
  private readonly invoices: InvoiceHeader[] = [];
  private resolved: ResolvedColumns | null = null;
  private lineBuilder: LineBuilder | null = null;
  private aggregator: UsageAggregator | null = null;
  private usage: UsageAggregate[] = [];
  private readonly fp = new Uint32Array(2);
  private readonly fpSet: FingerprintSet | null;
  private finished = false;
  /** The scanner's row count when the header was read (blank lines before it count). */
  private headerRow = 0;
  /** Chunk mode (chunks.ts): the billing currency a later chunk starts with, null in the first. */
  private chunkSeed: string | null = null;

  constructor(options: ImportOptions = {}) {
    this.opts = options;
    this.formats = [...(options.profiles ?? []), ...MICROSOFT_FORMATS];
    this.hasher = options.createHasher ? options.createHasher() : new Sha256();
    this.state = new ImportState(options.fileName, options.mode === 'strict', options.maxErrors ?? 1000);
    this.maxRecordChars = options.maxRecordChars ?? 8 * 1024 * 1024;
    const dup = options.detectDuplicates ?? 'lines';
    this.fpSet = dup === true || dup === 'all' ? new FingerprintSet() : null;
  }

  push(chunk: Uint8Array): void {
    if (this.finished) throw new Error('BillImporter: push() after finish()');
    if (chunk.length === 0) return;
    this.hasher.update(chunk);
    this.byteLength += chunk.length;
    switch (this.phase) {
      case 'failed':
        return;
      case 'zip':
        this.zipChunks.push(chunk.slice());
        return;
      case 'sniff':
        this.head.push(chunk.slice());
        this.headLength += chunk.length;
        if (this.headLength >= 4) this.startFromHead();
        return;
      default:
        // Decoded in 16 KiB slices: bigger strings go to V8's large-object space, which only a
        // full GC frees, and peak memory then grows with the file instead of staying flat.
        this.decodeAndFeed(chunk);
    }
  }

  private decodeAndFeed(chunk: Uint8Array): void {
    for (let at = 0; at < chunk.length && this.decoder !== null; ) {
      let end = Math.min(chunk.length, at + TEXT_SLICE);
      // A slice ends after a line feed where one is near: the scanner then starts the next slice
      // with no unfinished record to copy in front of it (a copy of every slice, otherwise).
      if (end < chunk.length) {
        const lf = chunk.lastIndexOf(LINE_FEED, end - 1);
        if (lf >= at + TEXT_SLICE / 2) end = lf + 1;
      }
      const text = this.decodeSlice(chunk.subarray(at, end));
      if (text !== null) this.feedText(text, false);
      at = end;
    }
  }

  /** Decoded text, or null after refusing the file for bytes that are not in its encoding. */
  private decodeSlice(bytes: Uint8Array | undefined): string | null {
    try {
      return (this.decoder as TextDecoderLike).decode(bytes, { stream: bytes !== undefined });
    } catch (e) {
      if (!(e instanceof InvalidBytesError)) throw e;
      const hint =
        e.encoding === 'utf-8'
          ? ': the file is probably in a Windows code page (Excel\'s "CSV (Comma delimited)" on a Western Windows writes windows-1252); import it again naming its encoding (File encoding on the billing import; --encoding windows-1252 or iso-8859-1 on the command line)'
          : '';
      this.fail('bad-encoding', `${e.message}${this.headerDone ? ` (after row ${this.scanner.row})` : ''}${hint}`, this.scanner.row + 1);
      return null;
    }
  }

  finish(): ImportResult {
    if (!this.finished) {
      this.finished = true;
      if (this.phase === 'sniff') {
        if (this.headLength === 0) this.fail('empty-file', 'the file is empty');
        else this.startFromHead();
      }
      if (this.phase === 'zip') this.readXlsx();
      else if (this.phase !== 'failed' && this.decoder !== null) {
        const rest = this.decodeSlice(undefined);
        if (rest !== null) this.feedText(rest, true);
      }
      if (this.phase === 'text-start') this.fail('empty-file', 'the file holds no data (only blank text)');
      if (this.aggregator !== null) this.usage = this.aggregator.finish();
    }
    return this.result();
  }

  // --- chunks of a large usage file (chunks.ts) -----------------------------------------------

  /**
   * Reads one chunk of a daily-usage CSV: push the file's header line, then the chunk's bytes, then
   * call finishChunk(). A chunk after the first starts with the file's billing currency (`seed`).
   */
  beginChunk(seed: string | null): void {
    if (this.byteLength > 0) throw new Error('BillImporter: beginChunk() before the first push()');
    this.chunkSeed = seed;
  }

  /** The chunk's rows as plain data, or why it cannot be merged. `last`: the chunk ends the file. */
  finishChunk(last: boolean): UsageChunk {
    const buckets: BucketState[] = [];
    const chunk = this.finishChunkTo(last, (b) => buckets.push(b));
    return chunk.ok ? { ...chunk, buckets } : chunk;
  }

  /**
   * finishChunk, with the buckets handed to `take` one at a time instead of in the result (its
   * `buckets` is empty): a thread that serializes them as they come never holds a second copy of
   * its buckets (both threads' copies at once were the peak memory of a million-row run).
   */
  finishChunkTo(last: boolean, take: (bucket: BucketState) => void): UsageChunk {
    if (this.finished) throw new Error('BillImporter: finishChunk() after finish()');
    this.finished = true;
    if (this.opts.mode === 'strict' || this.fpSet !== null) return NOT_CHUNKED('strict mode and the usage-row duplicate check read the file in one pass');
    if (this.phase === 'csv' && this.decoder !== null) {
      const rest = this.decodeSlice(undefined);
      if (rest !== null) this.feedText(rest, last);
    }
    const agg = this.aggregator;
    if (this.phase !== 'csv' || agg === null) return NOT_CHUNKED(this.phase === 'failed' ? 'the chunk could not be read' : 'not a daily-usage CSV');
    if (this.encoding !== 'utf-8' && this.encoding !== 'utf-8-bom') return NOT_CHUNKED('not UTF-8');
    if (this.scanner.lineEnding === 'cr') return NOT_CHUNKED('records end in CR only');
    if (!last && this.scanner.pending > 0) return NOT_CHUNKED('the chunk ends inside a record (a line break in a quoted field)');
    if (this.chunkSeed !== null && agg.textRefusals > 0) return NOT_CHUNKED("a bucket's first row was refused for its text");
    if (this.state.invoiceNumbers.length >= MAX_INVOICE_NUMBERS) return NOT_CHUNKED('the chunk lists the most invoice numbers a summary keeps');
    agg.eachBucketState(take);
    return { ok: true, rowsAfterHeader: this.scanner.row - this.headerRow, state: this.state.exportChunk(), buckets: [] };
  }

  /**
   * The result of one pass over the file, from its chunks in file order (see chunks.ts), or null
   * when they cannot be merged exactly (then read the file in one pass). `header` is the file's
   * bytes up to and including its header line's line feed; `seed` the later chunks' currency.
   */
  static mergeChunks(
    header: Uint8Array,
    chunks: readonly UsageChunk[],
    seed: string | null,
    file: { readonly contentHash: string; readonly byteLength: number },
    options: ImportOptions = {},
  ): ImportResult | null {
    if (chunks.length === 0 || chunks.some((c) => !c.ok)) return null;
    if (chunks.length > 1 && (chunks[0] as UsageChunk).state.billingCurrency !== seed) return null;
    const m = new BillImporter({ ...options, createHasher: () => ({ update: () => undefined, digestHex: () => file.contentHash }) });
    m.push(header);
    const agg = m.aggregator;
    if (m.phase !== 'csv' || agg === null || !m.headerDone || m.scanner.pending > 0) return null;
    let offset = 0;
    for (const c of chunks) {
      m.state.absorbChunk(c.state, offset);
      agg.absorbBuckets(c.buckets, offset);
      offset += c.rowsAfterHeader;
    }
    m.byteLength = file.byteLength;
    return m.finish();
  }

  // --- container and encoding ---------------------------------------------------------------

  private startFromHead(): void {
    const bytes = concat(this.head, this.headLength);
    this.head = [];
    const s = sniff(bytes);
    if (s.container === 'zip') {
      this.phase = 'zip';
      this.source = 'xlsx';
      this.encoding = 'zip';
      this.zipChunks.push(bytes);
      return;
    }
    // A byte-order mark is proof; without one, the encoding the caller named (Excel's code page).
    const encoding = !s.bom && s.encoding === 'utf-8' && this.opts.encoding !== undefined ? this.opts.encoding : s.encoding;
    this.encoding = encoding === 'utf-8' ? (s.bom ? 'utf-8-bom' : 'utf-8') : encoding;
    this.decoder = createTextDecoder(encoding);
    this.phase = 'text-start';
    this.decodeAndFeed(bytes);
  }

  private feedText(text: string, final: boolean): void {
    if (this.phase === 'text-start') {
      this.textStart += text;
      const first = /[^\s\uFEFF]/.exec(this.textStart);
      if (first === null) {
        // Only blank text so far; finish() reports an empty file if nothing else comes.
        if (this.textStart.length > this.maxRecordChars) this.fail('empty-file', 'no data in the first characters of the file');
        return;
      } else {
        const c = first[0];
        text = this.textStart.replace(/^\uFEFF/, '');
        this.textStart = '';
        this.phase = c === '{' || c === '[' ? 'json' : 'csv';
        this.source = this.phase === 'json' ? 'json' : 'csv';
      }
    }
    if (this.phase === 'csv') this.feedCsv(text, final);
    else if (this.phase === 'json') this.feedJson(text, final);
  }

  // --- CSV ------------------------------------------------------------------------------------

  private feedCsv(text: string, final: boolean): void {
    const sc = this.scanner;
    sc.append(text);
    if (!this.delimiterKnown) {
      if (sc.detectLineEnding(final) === 'need-more') {
        this.checkPending(sc.pending, 1);
        return;
      }
      sc.detectDelimiter();
      this.delimiterKnown = true;
    }
    for (;;) {
      const status = sc.next(final);
      if (status !== 'record') {
        if (status === 'need-more') this.checkPending(sc.pending, sc.row + 1);
        return;
      }
      if (!this.headerDone) {
        const header = (sc.values as string[]).map((h) => h.trim());
        if (header.every((h) => h === '')) continue;
        this.headerDone = true;
        this.headerRow = sc.row;
        this.header = header;
        if (!this.resolve(header, {})) return;
        const r = this.resolved as ResolvedColumns;
        sc.select(r.slotOfColumn, r.fields.length, this.aggregator?.hotSlots());
        continue;
      }
      if (this.isBlankRecord()) continue;
      if (sc.unterminatedQuote) {
        // Everything after the quote is one field: no later row can be read reliably.
        this.fail('malformed-file', `a quoted field opened in row ${sc.row} is not closed before the end of the file`, sc.row);
        return;
      }
      if (sc.bareCarriageReturn >= 0 || sc.fieldCount !== this.header.length) {
        this.rejectRecord(sc);
        continue;
      }
      if (this.lineBuilder !== null) this.lineBuilder.accept(sc.values, sc.row, sc.rawRecord());
      else (this.aggregator as UsageAggregator).accept(sc.values, sc.row, this.csvDuplicateOf, this.fillCsvValues);
      if (this.phase === 'failed') return;
    }
  }

  /**
   * A record whose structure is wrong is refused whole: its fields cannot be trusted to be in
   * their columns, so no money is read from it (the reason says where it broke).
   */
  private rejectRecord(sc: CsvScanner): void {
    this.state.rowsRead++;
    const raw = sc.rawRecord();
    const bare = sc.bareCarriageReturn;
    const column = bare >= 0 ? this.header[bare] : undefined;
    this.state.rejectRow([
      {
        code: 'malformed-record',
        row: sc.row,
        ...(column ? { column } : {}),
        rawValue: raw.replace(/\r?\n$/, ''),
        reason:
          bare >= 0
            ? `a carriage return without a line feed (bare CR) in ${column ? `column ${column}` : `field ${bare + 1}`}: the file's lines end in ${sc.lineEnding === 'crlf' ? 'CRLF' : 'LF'}, so this row may be two rows joined; the row is refused`
            : `the row has ${sc.fieldCount} fields where the header has ${this.header.length}: its values cannot be placed in their columns`,
      },
    ]);
  }

  /** Slices the fields the scanner only located (one bound function, no closure per row). */
  private readonly fillCsvValues = (): void => this.scanner.fillDeferred();

  /** Duplicate check of the scanner's current record (one bound function, no closure per row). */
  private readonly csvDuplicateOf = (): number => {
    const set = this.fpSet;
    if (set === null) return 0;
    const sc = this.scanner;
    const buf = sc.buffer;
    let end = sc.recordEnd;
    while (end > sc.recordStart && (buf.charCodeAt(end - 1) === 10 || buf.charCodeAt(end - 1) === 13)) end--;
    fingerprint(buf, sc.recordStart, end, this.fp);
    return set.addOrGet(this.fp[0] as number, this.fp[1] as number, sc.row);
  };

  private isBlankRecord(): boolean {
    const v = this.scanner.values;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x !== undefined && x !== '') return false;
    }
    return /^[\s,;\t"]*$/.test(this.scanner.rawRecord());
  }

  private checkPending(pending: number, row: number): void {
    if (pending > this.maxRecordChars) {
      this.fail('malformed-file', `a record longer than ${this.maxRecordChars} characters starts at row ${row} (probably a quote that is never closed)`, row);
    }
  }

  // --- shared row path ------------------------------------------------------------------------

  private resolve(header: string[], hint: { objectType?: string; forced?: string | undefined }): boolean {
    const seen = new Map<string, number>();
    for (let i = 0; i < header.length; i++) {
      const name = normalizeHeader(header[i] as string);
      if (name === '') continue;
      const first = seen.get(name);
      if (first !== undefined) {
        this.fail(
          'duplicate-column',
          `the header names column ${header[i] as string} twice (columns ${first + 1} and ${i + 1}): which one holds the value cannot be known`,
          1,
          header[i],
        );
        return false;
      }
      seen.set(name, i);
    }
    const det = detectFormat(header, this.formats, { objectType: hint.objectType, forced: hint.forced ?? this.opts.format });
    if (!det.ok) {
      this.fail(det.code, det.reason, 1, det.column);
      return false;
    }
    const r = det.resolved;
    const hasMoney = r.slot.subtotal >= 0 || r.slot.total >= 0;
    if (hasMoney && r.slot.currency < 0 && this.opts.defaultCurrency === undefined) {
      const name = r.format.columns.currency?.[0] ?? 'Currency';
      this.fail('missing-required-column', `${r.format.label}: required column ${name} is missing (or pass defaultCurrency)`, 1, name);
      return false;
    }
    this.resolved = r;
    const dates = new DateReader(r.format.dateOrder ?? 'mdy', this.source === 'xlsx');
    const ctx = new RowContext(r, dates, new CurrencyReader());
    const endExclusive = this.source === 'json' && r.format.jsonChargeEndExclusive === true;
    const defaultCurrency = this.opts.defaultCurrency === undefined ? undefined : this.opts.defaultCurrency.trim().toUpperCase();
    if (this.chunkSeed !== null) {
      this.state.billingCurrency = this.chunkSeed;
      this.state.noteCurrency(this.chunkSeed);
    }
    if (r.format.shape === 'daily') this.aggregator = new UsageAggregator(ctx, this.state, { defaultCurrency, endExclusive });
    else this.lineBuilder = new LineBuilder(ctx, this.state, { defaultCurrency, endExclusive, detectDuplicates: this.opts.detectDuplicates !== false });
    return true;
  }

  private acceptRow(values: (string | undefined)[], row: number, rawText: () => string, hashInto: () => void): void {
    if (this.lineBuilder !== null) {
      this.lineBuilder.accept(values, row, rawText());
      return;
    }
    const agg = this.aggregator as UsageAggregator;
    const set = this.fpSet;
    agg.accept(
      values,
      row,
      () => {
        if (set === null) return 0;
        hashInto();
        return set.addOrGet(this.fp[0] as number, this.fp[1] as number, row);
      },
      noDeferredValues,
    );
  }

  private fail(code: ImportErrorCode, reason: string, row = 0, column?: string): void {
    this.phase = 'failed';
    this.decoder = null;
    this.zipChunks = [];
    this.state.report({ code, row, column, reason });
  }

  // --- JSON -----------------------------------------------------------------------------------

  private feedJson(text: string, final: boolean): void {
    try {
      this.json.feed(text, (item) => this.onJsonItem(item));
      if (this.phase === 'failed') return;
      if (final) this.json.end((item) => this.onJsonItem(item));
      else this.checkPending(this.json.pending, this.jsonIndex + 1);
    } catch (e) {
      if (e instanceof JsonSyntaxError) this.fail('malformed-file', `not valid JSON: ${e.message}`, this.jsonIndex + 1);
      else throw e;
    }
  }

  private onJsonItem(itemText: string): void {
    if (this.phase === 'failed') return;
    // JSON Lines (Graph's billing exports) write the recon file's columns, dates as the CSV's (an inclusive ChargeEndDate).
    if (this.json.jsonLines || this.opts.jsonLines === true) this.source = 'jsonl';
    const row = ++this.jsonIndex;
    let item: FlatItem;
    try {
      item = parseFlatItem(itemText);
    } catch (e) {
      if (!(e instanceof JsonSyntaxError)) throw e;
      this.state.rowsRead++;
      this.state.rejectRow([{ code: 'malformed-record', row, rawValue: itemText.slice(0, 200), reason: `item is not valid JSON: ${e.message}` }]);
      return;
    }
    const objectType = valueOf(item, 'attributes.objectType');
    if (objectType !== undefined && objectType.toLowerCase() === 'invoice') {
      this.readInvoiceHeader(item);
      return;
    }
    if (this.jsonSlotByKey === null) {
      this.jsonObjectType = objectType;
      // An item may leave out a property that is null (Spark's JSON writer, which writes Graph's
      // billing exports, drops null fields), so the first item's keys cannot fix the columns: the
      // format is detected from them, then every column it reads gets a slot, and every alias maps.
      const detected = detectFormat(item.keys, this.formats, { objectType, forced: this.opts.format, skipRequired: true });
      const keys = detected.ok ? [...item.keys, ...absentColumns(detected.resolved.format, item.keys)] : item.keys;
      if (!this.resolve(keys, { objectType, forced: detected.ok ? detected.resolved.format.id : undefined })) return;
      const r = this.resolved as ResolvedColumns;
      const map = new Map<string, number>();
      keys.forEach((k, i) => {
        const s = r.slotOfColumn[i] as number;
        if (s >= 0) map.set(normalizeHeader(k), s);
      });
      for (const field of r.fields)
        for (const name of r.format.columns[field] ?? []) if (!map.has(normalizeHeader(name))) map.set(normalizeHeader(name), r.slot[field]);
      this.jsonSlotByKey = map;
    } else if (objectType !== undefined && this.jsonObjectType !== undefined && objectType.toLowerCase() !== this.jsonObjectType.toLowerCase()) {
      this.state.rowsRead++;
      this.state.rejectRow([
        {
          code: 'unexpected-object-type',
          row,
          column: 'attributes.objectType',
          rawValue: objectType,
          reason: `item is a ${objectType}, the file's items are ${this.jsonObjectType}`,
        },
      ]);
      return;
    }
    const r = this.resolved as ResolvedColumns;
    const values = new Array<string | undefined>(r.fields.length).fill(undefined);
    const map = this.jsonSlotByKey;
    const byRaw = this.jsonSlotByRawKey;
    for (let i = 0; i < item.keys.length; i++) {
      // Items repeat their keys: each spelling is normalised once (a regex per key per item was a third of a JSON import).
      const k = item.keys[i]!;
      let s = byRaw.get(k);
      if (s === undefined) {
        s = map.get(normalizeHeader(k)) ?? -1;
        if (byRaw.size < 10_000) byRaw.set(k, s); // bounded: hostile files may spell every key anew
      }
      if (s >= 0) values[s] = item.values[i];
    }
    this.acceptRow(
      values,
      row,
      () => itemText,
      () => fingerprint(itemText, 0, itemText.length, this.fp),
    );
  }

  private readInvoiceHeader(item: FlatItem): void {
    const st = this.state;
    st.rowsRead++;
    const id = valueOf(item, 'id') ?? '';
    const header: { -readonly [K in keyof InvoiceHeader]: InvoiceHeader[K] } = { id };
    const date = valueOf(item, 'invoiceDate');
    if (date) header.invoiceDate = new DateReader().read(date) ?? undefined;
    const total = valueOf(item, 'totalCharges');
    if (total) header.totalCharges = parseDecimalText(total) ?? undefined;
    const currency = valueOf(item, 'currencyCode');
    if (currency) header.currency = new CurrencyReader().read(currency) ?? undefined;
    const type = valueOf(item, 'invoiceType');
    if (type) header.invoiceType = type;
    if (id === '' || (total && header.totalCharges === undefined)) {
      // An invoice header is a total, not a charge: its money is not counted as a lost line.
      st.rejectRow([
        {
          code: id === '' ? 'missing-value' : 'bad-number',
          row: this.jsonIndex,
          column: id === '' ? 'id' : 'totalCharges',
          rawValue: id === '' ? '' : total,
          reason: id === '' ? 'invoice without an id' : 'totalCharges is not a number',
        },
      ]);
      return;
    }
    this.invoices.push(dropUndefined(header));
    st.noteInvoice(id);
    st.rowsAccepted++;
  }

  // --- xlsx -----------------------------------------------------------------------------------

  private readXlsx(): void {
    const bytes = concat(
      this.zipChunks,
      this.zipChunks.reduce((n, c) => n + c.length, 0),
    );
    this.zipChunks = [];
    let headerSeen = false;
    let width = 16384;
    try {
      readXlsxRows(
        bytes,
        ({ row, cells, beyond }) => {
          if (this.phase === 'failed') return;
          if (cells.every((c) => c.trim() === '') && beyond < 0) return;
          if (!headerSeen) {
            headerSeen = true;
            const header = cells.map((c) => c.trim());
            // The header's last named column bounds every row: cells beyond it are not kept.
            while (header.length > 0 && header[header.length - 1] === '') header.pop();
            width = header.length;
            this.header = header;
            this.resolve(header, {});
            return;
          }
          if (beyond >= 0) {
            this.state.rowsRead++;
            this.state.rejectRow([
              {
                code: 'malformed-record',
                row,
                column: columnName(beyond),
                reason: `a value in column ${columnName(beyond)}, beyond the header's last column ${columnName(width - 1)}: it belongs to no column`,
              },
            ]);
            return;
          }
          const r = this.resolved as ResolvedColumns;
          const values = new Array<string | undefined>(r.fields.length).fill(undefined);
          cells.forEach((c, i) => {
            const s = i < r.slotOfColumn.length ? (r.slotOfColumn[i] as number) : -1;
            if (s >= 0) values[s] = c;
          });
          const raw = cells.join('\u001f');
          this.acceptRow(
            values,
            row,
            () => raw,
            () => fingerprint(raw, 0, raw.length, this.fp),
          );
        },
        () => width,
        this.opts.xlsxLimits,
      );
    } catch (e) {
      if (e instanceof XlsxError) {
        this.fail(e.tooLarge ? 'too-large' : 'malformed-file', e.message);
        return;
      }
      throw e;
    }
    if (!headerSeen && this.phase !== 'failed') this.fail('empty-file', 'the worksheet is empty');
  }

  // --- result ---------------------------------------------------------------------------------

  private result(): ImportResult {
    const st = this.state;
    const { byType, total } = st.totalsByChargeType();
    const r = this.resolved;
    const lines: readonly BillLine[] = this.lineBuilder?.lines ?? [];
    const delimiter = this.source === 'csv' ? (String.fromCharCode(this.scanner.delimiter) as ',' | ';' | '\t') : undefined;
    const summary: ImportSummary = {
      ...(this.opts.fileName !== undefined ? { fileName: this.opts.fileName } : {}),
      format: r?.format.id ?? null,
      formatLabel: r?.format.label ?? null,
      source: this.source,
      encoding: this.encoding,
      ...(delimiter !== undefined ? { delimiter } : {}),
      contentHash: this.hasher.digestHex(),
      byteLength: this.byteLength,
      invoiceNumbers: st.invoiceNumbers,
      period: st.minStart !== null && st.maxEndExclusive !== null ? { start: st.minStart, end: st.maxEndExclusive } : null,
      currencies: st.currencies,
      totalsByChargeType: byType,
      total,
      rowsRead: st.rowsRead,
      rowsAccepted: st.rowsAccepted,
      rowsRejected: st.rowsRejected,
      rejectedAmounts: Object.fromEntries([...st.rejectedAmounts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
      rejectedWithoutAmount: st.rejectedWithoutAmount,
      lineCount: lines.length + this.usage.length,
      columns: r?.headerOf ?? {},
      unknownColumns: r?.unknownColumns ?? [],
      invoices: this.invoices,
      errorCount: st.errorCount,
      errorsTruncated: st.errorCount > st.errors.length,
      failed: this.phase === 'failed',
    };
    return { summary, lines, usage: this.usage, errors: st.errors as readonly ImportError[], rejected: st.rejected };
  }
}

/** Normalised spellings of the keys items use (they repeat item after item), bounded. */
const normalizedKeys = new Map<string, string>();
function normalizedKey(key: string): string {
  let n = normalizedKeys.get(key);
  if (n === undefined) {
    n = normalizeHeader(key);
    if (normalizedKeys.size < 10_000) normalizedKeys.set(key, n);
  }
  return n;
}

function valueOf(item: FlatItem, key: string): string | undefined {
  const want = normalizeHeader(key);
  for (let i = 0; i < item.keys.length; i++) {
    const k = item.keys[i] as string;
    // Normalising only drops characters: a key shorter than the wanted name cannot match it.
    if (k.length >= want.length && normalizedKey(k) === want) return item.values[i];
  }
  return undefined;
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The preferred name of each column the format reads that the item does not name (under any alias). */
function absentColumns(format: FormatDefinition, keys: readonly string[]): string[] {
  const present = new Set(keys.map(normalizeHeader));
  const out: string[] = [];
  for (const names of Object.values(format.columns)) if (names && names.length > 0 && !names.some((n) => present.has(normalizeHeader(n)))) out.push(names[0]!);
  return out;
}
