import { CalendarDate, formatIso } from '../calendar';
import { AmountInput, currencyCode, CurrencyCode, Decimal, toDecimal } from '../money';
import type { ExchangeRateSource } from './model';
import { InvoicingError } from './model';

export interface FixedRate {
  readonly from: string;
  readonly to: string;
  /** Units of `to` per unit of `from`. */
  readonly rate: AmountInput;
  /** First day the rate applies (inclusive); the latest rate on or before the date wins. Default: always. */
  readonly validFrom?: CalendarDate;
}

/**
 * A fixed table of exchange rates: the explicit source a contract's invoices are converted with.
 * Only the direction given is used (no implicit inversion: 1 / 0.9123 is not exact, and the
 * partner states which rate it bills with). Same currency is always 1. A missing rate throws.
 */
export class FixedRateTable implements ExchangeRateSource {
  readonly name: string;
  private readonly table = new Map<string, { validFrom: number; rate: Decimal }[]>();

  constructor(name: string, rates: readonly FixedRate[]) {
    this.name = name;
    for (const r of rates) {
      const key = `${currencyCode(r.from)}>${currencyCode(r.to)}`;
      const rate = toDecimal(r.rate);
      if (!rate.isPositive() || rate.isZero()) throw new InvoicingError(`exchange rate ${key} must be positive`, r);
      const list = this.table.get(key) ?? [];
      list.push({ validFrom: r.validFrom ?? Number.NEGATIVE_INFINITY, rate });
      list.sort((a, b) => a.validFrom - b.validFrom);
      this.table.set(key, list);
    }
  }

  rate(from: CurrencyCode, to: CurrencyCode, date: CalendarDate): Decimal {
    if (from === to) return new Decimal(1);
    const list = this.table.get(`${from}>${to}`);
    let found: Decimal | undefined;
    for (const r of list ?? []) if (r.validFrom <= date) found = r.rate;
    if (found === undefined) throw new InvoicingError(`${this.name}: no ${from}->${to} rate on ${formatIso(date)}`, { from, to, date: formatIso(date) });
    return found;
  }
}
