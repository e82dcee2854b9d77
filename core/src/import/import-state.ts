import { CalendarDate, Period } from '../calendar';
import { Decimal } from '../money';
import { ImportError, ImportErrorDetails } from './import-error';
import { ChargeTypeTotal, RejectedRow } from './types';

/** Invoice numbers a summary lists (a file naming more is not a bill of one partner's month). */
export const MAX_INVOICE_NUMBERS = 1000;

/** The money a refused row carried, when its amount column could still be read. */
export interface RejectedMoney {
  readonly amount?: Decimal | undefined;
  readonly currency?: string | undefined;
}

/** ImportState.exportChunk(): counts, errors and refused rows (Decimals as text), currencies, invoices, period. */
export interface ImportStateChunk {
  readonly rowsRead: number;
  readonly rowsAccepted: number;
  readonly rowsRejected: number;
  readonly errorCount: number;
  readonly errors: readonly ImportErrorDetails[];
  readonly rejected: ReadonlyArray<Omit<RejectedRow, 'amount'> & { readonly amount?: string }>;
  readonly rejectedAmounts: ReadonlyArray<readonly [string, string]>;
  readonly rejectedWithoutAmount: number;
  readonly currencies: readonly string[];
  readonly billingCurrency: string | null;
  readonly invoiceNumbers: readonly string[];
  readonly minStart: CalendarDate | null;
  readonly maxEndExclusive: CalendarDate | null;
}

/**
 * What every row path shares: error collection (strict mode throws the first), the rows-read
 * ledger (read = accepted + rejected, always), the file's billing currency and the header summary
 * accumulators.
 */
export class ImportState {
  rowsRead = 0;
  rowsAccepted = 0;
  rowsRejected = 0;
  errorCount = 0;
  readonly errors: ImportError[] = [];
  /** Refused rows with their money, as many as errors are kept; the totals below count them all. */
  readonly rejected: RejectedRow[] = [];
  readonly rejectedAmounts = new Map<string, Decimal>();
  rejectedWithoutAmount = 0;
  readonly currencies: string[] = [];
  billingCurrency: string | null = null;
  private readonly invoiceSet = new Set<string>();
  minStart: CalendarDate | null = null;
  maxEndExclusive: CalendarDate | null = null;
  private readonly totals = new Map<string, { label: string; rows: number; amount: Decimal; quantity: Decimal }>();

  constructor(
    readonly file: string | undefined,
    readonly strict: boolean,
    private readonly maxErrors: number,
  ) {}

  /** Records an error; in strict mode throws it. */
  report(d: Omit<ImportErrorDetails, 'file'>): ImportError {
    const err = new ImportError({ ...d, file: this.file });
    this.errorCount++;
    if (this.errors.length < this.maxErrors) this.errors.push(err);
    if (this.strict) throw err;
    return err;
  }

  /**
   * A row refused: counted, listed with its location, reasons and money (so a report can say what
   * the reconciliation does not contain), and each reason reported (strict mode throws the first).
   */
  rejectRow(issues: readonly Omit<ImportErrorDetails, 'file'>[], money: RejectedMoney = {}): void {
    const first = issues[0];
    if (first === undefined) throw new Error('ImportState.rejectRow: a refused row needs a reason');
    this.rowsRejected++;
    const currency = money.currency ?? this.billingCurrency ?? '';
    if (money.amount === undefined) this.rejectedWithoutAmount++;
    else this.rejectedAmounts.set(currency, (this.rejectedAmounts.get(currency) ?? new Decimal(0)).plus(money.amount));
    // Reported first (strict mode throws the first); the first report, located and cut to size, lists the row.
    const located = issues.map((issue) => this.report(issue))[0] as ImportError;
    if (this.rejected.length < this.maxErrors) {
      this.rejected.push({
        ...(this.file !== undefined ? { file: this.file } : {}),
        row: first.row,
        code: first.code,
        ...(located.column !== undefined ? { column: located.column } : {}),
        ...(located.rawValue !== undefined ? { rawValue: located.rawValue } : {}),
        reason: issues.map((i) => (i.column && !i.reason.includes(i.column) ? `${i.column}: ${i.reason}` : i.reason)).join('; '),
        ...(money.amount !== undefined ? { amount: money.amount, currency } : {}),
      });
    }
  }

  /** What a chunk of a file contributed, as plain data (chunks.ts merges chunks in file order). */
  exportChunk(): ImportStateChunk {
    return {
      rowsRead: this.rowsRead,
      rowsAccepted: this.rowsAccepted,
      rowsRejected: this.rowsRejected,
      errorCount: this.errorCount,
      errors: this.errors.map((e) => e.toJSON()),
      rejected: this.rejected.map(({ amount, ...rest }) => (amount === undefined ? rest : { ...rest, amount: amount.toString() })),
      rejectedAmounts: [...this.rejectedAmounts.entries()].map(([c, a]) => [c, a.toString()] as const),
      rejectedWithoutAmount: this.rejectedWithoutAmount,
      currencies: [...this.currencies],
      billingCurrency: this.billingCurrency,
      invoiceNumbers: this.invoiceNumbers,
      minStart: this.minStart,
      maxEndExclusive: this.maxEndExclusive,
    };
  }

  /**
   * Adds a later chunk of the same file: its rows are numbered from `rowOffset` on. Errors and
   * refused rows keep their file order and the same caps as one pass over the file.
   */
  absorbChunk(c: ImportStateChunk, rowOffset: number): void {
    this.rowsRead += c.rowsRead;
    this.rowsAccepted += c.rowsAccepted;
    this.rowsRejected += c.rowsRejected;
    this.errorCount += c.errorCount;
    for (const e of c.errors) if (this.errors.length < this.maxErrors) this.errors.push(new ImportError({ ...e, file: this.file, row: e.row + rowOffset }));
    for (const r of c.rejected) {
      if (this.rejected.length >= this.maxErrors) break;
      const { amount, ...rest } = r;
      this.rejected.push({ ...rest, row: r.row + rowOffset, ...(amount !== undefined ? { amount: new Decimal(amount) } : {}) });
    }
    for (const [currency, amount] of c.rejectedAmounts)
      this.rejectedAmounts.set(currency, (this.rejectedAmounts.get(currency) ?? new Decimal(0)).plus(new Decimal(amount)));
    this.rejectedWithoutAmount += c.rejectedWithoutAmount;
    for (const code of c.currencies) this.noteCurrency(code);
    if (this.billingCurrency === null) this.billingCurrency = c.billingCurrency;
    for (const n of c.invoiceNumbers) this.noteInvoice(n);
    if (c.minStart !== null && c.maxEndExclusive !== null) this.notePeriod({ start: c.minStart, end: c.maxEndExclusive });
  }

  noteCurrency(code: string): void {
    if (!this.currencies.includes(code)) this.currencies.push(code);
  }

  noteInvoice(n: string | undefined): void {
    if (n !== undefined && n !== '' && this.invoiceSet.size < MAX_INVOICE_NUMBERS) this.invoiceSet.add(n);
  }

  get invoiceNumbers(): string[] {
    return [...this.invoiceSet];
  }

  notePeriod(p: Period): void {
    if (this.minStart === null || p.start < this.minStart) this.minStart = p.start;
    if (this.maxEndExclusive === null || p.end > this.maxEndExclusive) this.maxEndExclusive = p.end;
  }

  addTotal(key: string, label: string, rows: number, amount: Decimal, quantity: Decimal): void {
    const t = this.totals.get(key);
    if (t === undefined) {
      this.totals.set(key, { label, rows, amount, quantity });
      return;
    }
    t.rows += rows;
    t.amount = t.amount.plus(amount);
    t.quantity = t.quantity.plus(quantity);
  }

  totalsByChargeType(): { byType: Record<string, ChargeTypeTotal>; total: Decimal } {
    const byType: Record<string, ChargeTypeTotal> = {};
    let total = new Decimal(0);
    for (const [key, t] of [...this.totals.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      byType[key] = { chargeType: t.label, rows: t.rows, amount: t.amount, quantity: t.quantity };
      total = total.plus(t.amount);
    }
    return { byType, total };
  }
}
