/**
 * The grid's totals: billed, expected, variance, leakage and margin, as exact sums (fixed-point
 * integers, model/exact.ts). A mixed-currency set is summed per row's own number, as the run does.
 */
import type { Decimal } from '../../../core/src/money';
import { FixedSum } from './exact';
import type { ReconRow } from './rows';

export interface Totals {
  readonly count: number;
  readonly billed: Decimal;
  readonly expected: Decimal;
  readonly variance: Decimal;
  /** Vendor cost never re-billed: the money of revenue-leakage findings. */
  readonly leakage: Decimal;
  /** The money of negative-margin findings (negative: margin lost). */
  readonly margin: Decimal;
}

/** Running totals: rows are added as they come (a page at a time); a copy goes on without changing the original. */
export class TotalsSum {
  private count = 0;
  private constructor(
    private readonly billed: FixedSum,
    private readonly expected: FixedSum,
    private readonly variance: FixedSum,
    private readonly leakage: FixedSum,
    private readonly margin: FixedSum,
  ) {}

  static empty(): TotalsSum {
    return new TotalsSum(new FixedSum(), new FixedSum(), new FixedSum(), new FixedSum(), new FixedSum());
  }

  copy(): TotalsSum {
    const c = new TotalsSum(this.billed.copy(), this.expected.copy(), this.variance.copy(), this.leakage.copy(), this.margin.copy());
    c.count = this.count;
    return c;
  }

  addAll(rows: readonly ReconRow[]): this {
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      this.billed.add(row.billed);
      this.expected.add(row.expected);
      this.variance.add(row.variance);
      if (row.category === 'revenueLeakage') this.leakage.addAbs(row.variance);
      else if (row.margin !== null) this.margin.add(row.margin);
    }
    this.count += rows.length;
    return this;
  }

  totals(): Totals {
    return {
      count: this.count,
      billed: this.billed.toDecimal(),
      expected: this.expected.toDecimal(),
      variance: this.variance.toDecimal(),
      leakage: this.leakage.toDecimal(),
      margin: this.margin.toDecimal(),
    };
  }
}

export function totalsOf(rows: readonly ReconRow[]): Totals {
  return TotalsSum.empty().addAll(rows).totals();
}
