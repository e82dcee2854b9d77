/**
 * Incremental RFC 4180 scanner over decoded text. Built for the million-row usage file: it finds
 * field boundaries with String.indexOf (native, fast) and only slices the fields the importer asked
 * for (`select`), so the Tags/AdditionalInfo JSON of a usage row is skipped, never copied. Quoted
 * fields may hold delimiters, doubled quotes and line breaks; CRLF and LF both end a record; a
 * record split across chunks is rescanned when the next chunk arrives (the buffer keeps only the
 * unfinished record).
 */
const QUOTE = 34;
const LF = 10;
const CR = 13;

export type RecordStatus = 'record' | 'need-more' | 'end';

export class CsvScanner {
  /** Delimiter character code: ',' by default, '\t' for Excel's "Unicode text", ';' in some locales. */
  delimiter = 44;
  private delimiterText = ',';
  private buf = '';
  private pos = 0;
  private nl = -1;
  /** column index -> slot in `values`, or -1 to skip; null captures every column (the header). */
  private slotOf: Int32Array | null = null;
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
  /** Characters buffered for an unfinished record; the caller refuses runaway records. */
  get pending(): number {
    return this.buf.length - this.pos;
  }

  setDelimiter(code: number): void {
    this.delimiter = code;
    this.delimiterText = String.fromCharCode(code);
  }

  /** Which columns to keep from now on; null keeps all of them (used for the header). */
  select(slotOf: Int32Array | null, slotCount: number): void {
    this.slotOf = slotOf;
    this.values = new Array<string | undefined>(slotCount).fill(undefined);
  }

  append(text: string): void {
    // join() builds a flat string; '+' would make a cons string, slower for the charCodeAt loops.
    this.buf = this.pos >= this.buf.length ? text : [this.buf.slice(this.pos), text].join('');
    this.pos = 0;
    this.nl = -1;
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
    const lineEnd = s.indexOf('\n', this.pos);
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
    if (capture) values.length = 0;
    else values.fill(undefined);
    const delim = this.delimiter;
    const delimText = this.delimiterText;
    let nl = this.nl;
    let col = 0;
    this.unterminatedQuote = false;
    for (;;) {
      const slot = capture ? col : col < (slotOf as Int32Array).length ? ((slotOf as Int32Array)[col] as number) : -1;
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
          if (slot >= 0) {
            value = s.slice(p + 1, e);
            if (escaped) value = value.replaceAll('""', '"');
          }
          p = e + 1;
          break;
        }
        if (p < len) {
          const c = s.charCodeAt(p);
          if (c !== delim && c !== LF && c !== CR) {
            // Text after a closing quote ("a"b): not RFC 4180; keep it, as Excel does.
            if (nl < p) nl = s.indexOf('\n', p);
            if (nl < 0 && !final) return 'need-more';
            const lineEnd = nl < 0 ? len : nl;
            const d = s.indexOf(delimText, p);
            let end = d >= 0 && d < lineEnd ? d : lineEnd;
            const stop = end;
            if (end === lineEnd && end > p && s.charCodeAt(end - 1) === CR) end--;
            if (slot >= 0) value = (value ?? '') + s.slice(p, end);
            p = stop;
          }
        }
      } else {
        if (nl < p) nl = s.indexOf('\n', p);
        if (nl < 0 && !final) return 'need-more';
        const lineEnd = nl < 0 ? len : nl;
        const d = s.indexOf(delimText, p);
        const end = d >= 0 && d < lineEnd ? d : lineEnd;
        if (slot >= 0) value = s.slice(p, end === lineEnd && end > p && s.charCodeAt(end - 1) === CR ? end - 1 : end);
        p = end;
      }
      if (slot >= 0) values[slot] = value ?? '';
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
        p += s.charCodeAt(p + 1) === LF ? 2 : 1;
        break;
      }
      if (c === LF) {
        p++;
        break;
      }
    }
    this.recordStart = this.pos;
    this.recordEnd = p;
    this.pos = p;
    this.nl = nl;
    this.fieldCount = col;
    this.row++;
    return 'record';
  }
}
