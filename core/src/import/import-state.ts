import { CalendarDate, Period } from '../calendar';
import { Decimal } from '../money';
import { ImportError, ImportErrorDetails } from './import-error';
import { ChargeTypeTotal } from './types';

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

  noteCurrency(code: string): void {
    if (!this.currencies.includes(code)) this.currencies.push(code);
  }

  noteInvoice(n: string | undefined): void {
    if (n !== undefined && n !== '' && this.invoiceSet.size < 1000) this.invoiceSet.add(n);
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
