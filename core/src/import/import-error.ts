import { CoreError } from '../errors';
import { detach } from './detach';

/**
 * Why a file, a header or a row was refused. Codes are stable strings so a UI can translate them
 * and tests can assert them; `reason` is the English explanation.
 */
export type ImportErrorCode =
  | 'empty-file'
  | 'unknown-header-set'
  | 'missing-required-column'
  | 'malformed-file'
  | 'bad-date'
  | 'bad-number'
  | 'bad-currency'
  | 'bad-text'
  | 'malformed-record'
  | 'duplicate-column'
  | 'bad-encoding'
  | 'too-large'
  | 'missing-value'
  | 'mixed-currencies'
  | 'duplicate-row'
  | 'unexpected-object-type'
  | 'bad-profile';

/** True for errors after which no further row can be read (the header or container is unusable). */
export function isFileLevel(code: ImportErrorCode): boolean {
  return (
    code === 'empty-file' ||
    code === 'unknown-header-set' ||
    code === 'missing-required-column' ||
    code === 'malformed-file' ||
    code === 'bad-profile' ||
    code === 'duplicate-column' ||
    code === 'bad-encoding' ||
    code === 'too-large'
  );
}

export interface ImportErrorDetails {
  readonly code: ImportErrorCode;
  readonly file?: string;
  /** Spreadsheet row (header = 1, first data row = 2) for CSV/xlsx; 1-based item index for JSON; 0 for the whole file. */
  readonly row: number;
  /** The file's own column name (or JSON key), when one column is at fault. */
  readonly column?: string;
  /** The offending text exactly as read (truncated to 200 characters). */
  readonly rawValue?: string;
  readonly reason: string;
}

export class ImportError extends CoreError {
  readonly code: ImportErrorCode;
  readonly file: string | undefined;
  readonly row: number;
  readonly column: string | undefined;
  readonly rawValue: string | undefined;
  readonly reason: string;

  constructor(d: ImportErrorDetails) {
    const where = [d.file, d.row > 0 ? `row ${d.row}` : undefined, d.column ? `column ${d.column}` : undefined].filter(Boolean).join(', ');
    const raw = d.rawValue === undefined ? undefined : detach(d.rawValue.length > 200 ? `${d.rawValue.slice(0, 200)}…` : d.rawValue);
    super(`${where ? `${where}: ` : ''}${d.reason}${raw !== undefined ? ` ("${raw}")` : ''}`, raw);
    this.code = d.code;
    this.file = d.file;
    this.row = d.row;
    this.column = detach(d.column);
    this.rawValue = raw;
    this.reason = d.reason;
  }

  toJSON(): ImportErrorDetails {
    return { code: this.code, file: this.file, row: this.row, column: this.column, rawValue: this.rawValue, reason: this.reason };
  }
}
