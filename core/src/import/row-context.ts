import { CalendarDate } from '../calendar';
import { FIELD_KINDS, FieldName } from './fields';
import { ResolvedColumns } from './detect';
import { ImportErrorDetails } from './import-error';
import { CurrencyReader, DateReader } from './value-parsers';
import { detach } from './detach';

export type RowIssue = Omit<ImportErrorDetails, 'file'>;

/** Per-row field access with the file's column names for error reports. */
export class RowContext {
  values: readonly (string | undefined)[] = [];
  row = 0;
  issues: RowIssue[] = [];

  constructor(
    readonly resolved: ResolvedColumns,
    readonly dates: DateReader,
    readonly currencies: CurrencyReader,
  ) {}

  start(values: readonly (string | undefined)[], row: number): void {
    this.values = values;
    this.row = row;
    if (this.issues.length > 0) this.issues = [];
  }

  column(f: FieldName): string {
    return this.resolved.headerOf[f] ?? this.resolved.format.columns[f]?.[0] ?? f;
  }

  raw(f: FieldName): string | undefined {
    const s = this.resolved.slot[f];
    return s >= 0 ? this.values[s] : undefined;
  }

  /** Trimmed text, undefined when absent or blank. */
  text(f: FieldName): string | undefined {
    const v = this.raw(f);
    if (v === undefined) return undefined;
    const t = v.trim();
    return t === '' ? undefined : detach(t);
  }

  requireText(f: FieldName): string {
    const t = this.text(f);
    if (t === undefined) this.issue('missing-value', f, this.raw(f) ?? '', `${this.column(f)} is empty`);
    return t ?? '';
  }

  date(f: FieldName, required: boolean): CalendarDate | undefined {
    const v = this.raw(f);
    if (v === undefined || v.trim() === '') {
      if (required) this.issue('bad-date', f, v ?? '', `${this.column(f)} is empty`);
      return undefined;
    }
    const d = this.dates.read(v);
    if (d === null) {
      this.issue('bad-date', f, v, `${this.column(f)} is not a date (M/D/YYYY, MM/DD/YYYY or ISO 8601)`);
      return undefined;
    }
    return d;
  }

  currency(f: FieldName, fallback: string | undefined): string | undefined {
    const v = this.raw(f);
    if (v === undefined || v.trim() === '') {
      if (fallback !== undefined) return fallback;
      this.issue('bad-currency', f, v ?? '', `${this.column(f)} is empty`);
      return undefined;
    }
    const c = this.currencies.read(v);
    if (c === null) this.issue('bad-currency', f, v, `${this.column(f)} is not an ISO 4217 currency code`);
    return c ?? undefined;
  }

  /**
   * Text columns may not hold control characters (NUL, ESC, …): they are not in any name Microsoft
   * writes, and a NUL would end the text early in some systems the data goes on to. TAB and line
   * breaks inside quotes are text.
   */
  refuseControlCharacters(): void {
    const r = this.resolved;
    for (let i = 0; i < r.fields.length; i++) {
      const f = r.fields[i] as FieldName;
      if (FIELD_KINDS[f] !== 'text') continue;
      const v = this.values[i];
      if (v === undefined) continue;
      const at = controlCharacterAt(v);
      if (at >= 0) {
        this.issue(
          'bad-text',
          f,
          v,
          `${this.column(f)} holds the control character U+${v.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0')} at position ${at + 1}`,
        );
      }
    }
  }

  issue(code: RowIssue['code'], f: FieldName | undefined, rawValue: string, reason: string): void {
    this.issues.push({ code, row: this.row, column: f === undefined ? undefined : this.column(f), rawValue, reason });
  }
}

/**
 * Index of the first control character in the text, or -1: C0 (other than TAB, LF, CR), DEL and C1
 * (U+0080-U+009F, what windows-1252 quotes become when a file is read as ISO-8859-1).
 */
export function controlCharacterAt(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || (c >= 127 && c <= 159)) return i;
  }
  return -1;
}
