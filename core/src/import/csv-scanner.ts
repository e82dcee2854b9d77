/**
 * Incremental RFC 4180 scanner over decoded text. Built for the million-row usage file: it finds
 * field boundaries with String.indexOf (native, fast) and only slices the fields the importer asked
 * for (`select`), so the Tags/AdditionalInfo JSON of a usage row is skipped, never copied. Quoted
 * fields may hold delimiters, doubled quotes and line breaks. The file's line ending is taken from
 * its header line: LF or CRLF files end records at LF (a CR before it is dropped), CR-only files
 * (Excel's "CSV (Macintosh)") at CR. A CR anywhere else outside quotes is not text: it would join
 * two records of a CRLF file that lost its LF, so the record is flagged (`bareCarriageReturn`) for
 * the importer to refuse. A record split across chunks is rescanned when the next chunk arrives
 * (the buffer keeps only the unfinished record).
 */
const QUOTE = 34;
const LF = 10;
const CR = 13;

export type RecordStatus = 'record' | 'need-more' | 'end';

/** How the file's records end, from its header line. */
export type LineEnding = 'lf' | 'crlf' | 'cr';

export class CsvScanner {
  /** Delimiter character code: ',' by default, '\t' for Excel's "Unicode text", ';' in some locales. */
  delimiter = 44;
  private delimiterText = ',';
  private buf = '';
  private pos = 0;
  private nl = -1;
  /** Position of the next CR at or after the scan position (-1: not searched; buffer length: none). */
  private cr = -1;
  /** The character that ends a record outside quotes: LF, or CR in a CR-only file. */
  private eol = LF;
  private eolText = '\n';
  lineEnding: LineEnding = 'lf';
  /** column index -> slot in `values`, or -1 to skip; null captures every column (the header). */
  private slotOf: Int32Array | null = null;
  /**
   * Slots sliced as the record is read; null: all of them. The others are only located (start,
   * end, quoting) and sliced by fillDeferred(): a usage row's aggregation reads a dozen of its 33
   * fields, and the rest are needed only for the first row of a bucket or a refused row.
   */
  private eager: Uint8Array | null = null;
  private deferredSlots = new Int32Array(0);
  private deferredFrom = new Int32Array(0);
  private deferredTo = new Int32Array(0);
  /** 1: the deferred field was quoted with doubled quotes inside ("" to unescape). */
  private deferredEscaped = new Uint8Array(0);
  private deferredCount = 0;
  /** Field values of the current record, by slot (undefined when the record is too short). */
  values: (string | undefined)[] = [];
  /** Number of fields in the current record. */
  fieldCount = 0;
  /** Spreadsheet row number of the current record (header = 1); blank lines count, like in Excel. */
  row = 0;
  recordStart = 0;
  recordEnd = 0;
  /** The current record ran into end of input inside a quoted field. */
  unterminatedQuote = false;
  /** Field index (0-based) of the first unquoted CR that does not end the record, or -1. */
  bareCarriageReturn = -1;
  /** Characters buffered for an unfinished record; the caller refuses runaway records. */
  get pending(): number {
    return this.buf.length - this.pos;
  }

  setDelimiter(code: number): void {
    this.delimiter = code;
    this.delimiterText = String.fromCharCode(code);
  }

  /**
   * Which columns to keep from now on; null keeps all of them (used for the header). With
   * `eagerSlots`, only those slots are filled by next(); the rest wait for fillDeferred().
   */
  select(slotOf: Int32Array | null, slotCount: number, eagerSlots?: readonly number[]): void {
    this.slotOf = slotOf;
    this.values = new Array<string | undefined>(slotCount).fill(undefined);
    this.deferredCount = 0;
    if (eagerSlots === undefined) {
      this.eager = null;
      return;
    }
    this.eager = new Uint8Array(slotCount);
    for (const slot of eagerSlots) if (slot >= 0 && slot < slotCount) this.eager[slot] = 1;
    this.deferredSlots = new Int32Array(slotCount);
    this.deferredFrom = new Int32Array(slotCount);
    this.deferredTo = new Int32Array(slotCount);
    this.deferredEscaped = new Uint8Array(slotCount);
  }

  /**
   * Slices the current record's deferred fields into `values` (a no-op when none are deferred).
   * Only valid until the next append(): the fields are located in the buffered text.
   */
  fillDeferred(): void {
    const s = this.buf;
    const values = this.values;
    for (let i = 0; i < this.deferredCount; i++) {
      const slot = this.deferredSlots[i] as number;
      const text = s.slice(this.deferredFrom[i], this.deferredTo[i]);
      values[slot] = this.deferredEscaped[i] === 1 ? text.replaceAll('""', '"') : text;
    }
    this.deferredCount = 0;
  }

  private defer(slot: number, from: number, to: number, escaped: boolean): void {
    const i = this.deferredCount++;
    this.deferredSlots[i] = slot;
    this.deferredFrom[i] = from;
    this.deferredTo[i] = to;
    this.deferredEscaped[i] = escaped ? 1 : 0;
  }

  append(text: string): void {
    // join() builds a flat string; '+' would make a cons string, slower for the charCodeAt loops.
    this.buf = this.pos >= this.buf.length ? text : [this.buf.slice(this.pos), text].join('');
    this.pos = 0;
    this.nl = -1;
    this.cr = -1;
  }

  /**
   * Reads the line ending off the first line break of the buffered text; 'need-more' when there is
   * none yet (or a CR is the last character, which a following LF would make CRLF).
   */
  detectLineEnding(final: boolean): 'ok' | 'need-more' {
    const s = this.buf;
    const lf = s.indexOf('\n', this.pos);
    const cr = s.indexOf('\r', this.pos);
    if (cr >= 0 && (lf < 0 || cr < lf)) {
      if (cr + 1 >= s.length && !final) return 'need-more';
      this.lineEnding = s.charCodeAt(cr + 1) === LF ? 'crlf' : 'cr';
    } else if (lf >= 0) this.lineEnding = 'lf';
    else if (!final) return 'need-more';
    this.eol = this.lineEnding === 'cr' ? CR : LF;
    this.eolText = this.lineEnding === 'cr' ? '\r' : '\n';
    return 'ok';
  }

  /** The current record's text as it stands in the file (for duplicate checks and error reports). */
  rawRecord(): string {
    return this.buf.slice(this.recordStart, this.recordEnd);
  }

  get buffer(): string {
    return this.buf;
  }

  /** Looks at the first line of buffered text and picks the most frequent of , ; and TAB. */
  detectDelimiter(): void {
    const s = this.buf;
    const lineEnd = s.indexOf(this.eolText, this.pos);
    const line = s.slice(this.pos, lineEnd < 0 ? s.length : lineEnd).replace(/"[^"]*"/g, '');
    const counts: [number, number][] = [
      [44, line.split(',').length],
      [9, line.split('\t').length],
      [59, line.split(';').length],
    ];
    counts.sort((a, b) => b[1] - a[1]);
    this.setDelimiter((counts[0] as [number, number])[0]);
  }

  /**
   * Reads the next record. 'need-more' means the buffered text ends inside a record (feed more,
   * or call again with final = true at end of input); 'end' means nothing is left.
   */
  next(final: boolean): RecordStatus {
    const s = this.buf;
    const len = s.length;
    let p = this.pos;
    if (p >= len) return 'end';
    const slotOf = this.slotOf;
    const values = this.values;
    const capture = slotOf === null;
    const eager = this.eager;
    if (capture) values.length = 0;
    else values.fill(undefined);
    this.deferredCount = 0;
    const delim = this.delimiter;
    const delimText = this.delimiterText;
    let nl = this.nl;
    let cr = this.cr;
    const eol = this.eol;
    const eolText = this.eolText;
    const crIsText = eol === LF;
    let col = 0;
    this.unterminatedQuote = false;
    this.bareCarriageReturn = -1;
    for (;;) {
      const slot = capture ? col : col < (slotOf as Int32Array).length ? ((slotOf as Int32Array)[col] as number) : -1;
      const deferSlot = slot >= 0 && eager !== null && eager[slot] === 0;
      let deferred = false;
      let value: string | undefined;
      if (p < len && s.charCodeAt(p) === QUOTE) {
        let q = p + 1;
        let escaped = false;
        for (;;) {
          const e = s.indexOf('"', q);
          if (e < 0) {
            if (!final) return 'need-more';
            this.unterminatedQuote = true;
            if (slot >= 0) value = s.slice(p + 1);
            p = len;
            break;
          }
          if (e + 1 >= len && !final) return 'need-more';
          if (s.charCodeAt(e + 1) === QUOTE) {
            escaped = true;
            q = e + 2;
            continue;
          }
          if (deferSlot) {
            this.defer(slot, p + 1, e, escaped);
            deferred = true;
          } else if (slot >= 0) {
            value = s.slice(p + 1, e);
            if (escaped) value = value.replaceAll('""', '"');
          }
          p = e + 1;
          break;
        }
        if (p < len) {
          const c = s.charCodeAt(p);
          if (c !== delim && c !== LF && c !== CR) {
            if (deferred) {
              // Rare (text after a closing quote): this field is sliced now after all.
              this.deferredCount--;
              value = s.slice(this.deferredFrom[this.deferredCount], this.deferredTo[this.deferredCount]);
              if (this.deferredEscaped[this.deferredCount] === 1) value = value.replaceAll('""', '"');
              deferred = false;
            }
            // Text after a closing quote ("a"b): not RFC 4180; keep it, as Excel does.
            if (nl < p) nl = s.indexOf(eolText, p);
            if (nl < 0 && !final) return 'need-more';
            const lineEnd = nl < 0 ? len : nl;
            const d = s.indexOf(delimText, p);
            let end = d >= 0 && d < lineEnd ? d : lineEnd;
            const stop = end;
            if (crIsText && end === lineEnd && end > p && s.charCodeAt(end - 1) === CR) end--;
            if (slot >= 0) value = (value ?? '') + s.slice(p, end);
            p = stop;
          }
        }
      } else {
        if (nl < p) nl = s.indexOf(eolText, p);
        if (nl < 0 && !final) return 'need-more';
        const lineEnd = nl < 0 ? len : nl;
        const d = s.indexOf(delimText, p);
        const end = d >= 0 && d < lineEnd ? d : lineEnd;
        const dropCr = crIsText && end === lineEnd && end > p && s.charCodeAt(end - 1) === CR;
        if (crIsText) {
          // One search per line: the next CR is usually the one before the LF that ends it.
          if (cr < p) {
            cr = s.indexOf('\r', p);
            if (cr < 0) cr = len;
          }
          if (cr < end && !(dropCr && cr === end - 1) && this.bareCarriageReturn < 0) this.bareCarriageReturn = col;
        }
        if (deferSlot) {
          this.defer(slot, p, dropCr ? end - 1 : end, false);
          deferred = true;
        } else if (slot >= 0) value = s.slice(p, dropCr ? end - 1 : end);
        p = end;
      }
      if (slot >= 0 && !deferred) values[slot] = value ?? '';
      col++;
      if (p >= len) break;
      const c = s.charCodeAt(p);
      if (c === delim) {
        p++;
        if (p >= len && !final) return 'need-more';
        continue;
      }
      if (c === CR) {
        if (p + 1 >= len && !final) return 'need-more';
        const crlf = s.charCodeAt(p + 1) === LF;
        // After a closing quote: a CR that is not the file's line ending joins records, as above.
        if (crIsText && !crlf && this.bareCarriageReturn < 0) this.bareCarriageReturn = col - 1;
        p += crlf ? 2 : 1;
        break;
      }
      if (c === eol) {
        p++;
        break;
      }
      // An LF after a closing quote in a CR-only file: the record ends there all the same.
      p++;
      break;
    }
    this.recordStart = this.pos;
    this.recordEnd = p;
    this.pos = p;
    this.nl = nl;
    this.cr = cr;
    this.fieldCount = col;
    this.row++;
    return 'record';
  }
}
