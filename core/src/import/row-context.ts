import { CalendarDate } from '../calendar';
import { FieldName } from './fields';
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

  issue(code: RowIssue['code'], f: FieldName | undefined, rawValue: string, reason: string): void {
    this.issues.push({ code, row: this.row, column: f === undefined ? undefined : this.column(f), rawValue, reason });
  }
}
