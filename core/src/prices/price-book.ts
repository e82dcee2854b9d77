/**
 * Effective-dated prices by product, SKU, term, billing plan, market and currency: what Microsoft
 * charges a partner for a seat on a given day. New-commerce prices are locked for the term
 * ("price protection": the price at purchase or renewal holds until the term ends), so the price
 * a subscription pays is the one in force on its term's first day, not today's.
 */
import { formatIso, type CalendarDate } from '../calendar';
import { Decimal } from '../money';
import type { BillingPlan, Term } from '../nce/terms';
import type { PriceRow } from './price-sheet';

export interface PriceQuery {
  readonly productId: string;
  readonly skuId: string;
  readonly term: Term;
  readonly billingPlan: BillingPlan;
  readonly currency: string;
  /** The day the price must be in force (a term's first day). */
  readonly date: CalendarDate;
  /** Seats, to pick a quantity tier (rows without a tier hold for any quantity). */
  readonly quantity?: number;
}

export type PriceLookup =
  | { readonly kind: 'found'; readonly row: PriceRow; readonly unitPrice: Decimal }
  /** Two rows of the sheet say different prices for the same day and quantity: not guessed. */
  | { readonly kind: 'ambiguous'; readonly rows: readonly PriceRow[] }
  /** The product is in the sheet, but no row holds on that day (or for that quantity). */
  | { readonly kind: 'not-in-force'; readonly rows: readonly PriceRow[] }
  | { readonly kind: 'unknown' };

const keyOf = (productId: string, skuId: string, term: string, plan: string, currency: string): string =>
  `${productId.toUpperCase()}|${skuId.toUpperCase()}|${term}|${plan}|${currency.toUpperCase()}`;

export class PriceBook {
  private readonly byKey = new Map<string, PriceRow[]>();
  readonly markets: readonly string[];

  /**
   * The rows of one market (a partner buys in its own market; a sheet may hold several): without
   * `market`, a sheet of one market is taken as it is, and a sheet of several is refused.
   */
  constructor(rows: readonly PriceRow[], market?: string) {
    const markets = [...new Set(rows.map((r) => r.market))].sort();
    if (market === undefined && markets.length > 1)
      throw new PriceBookError(`the price sheet holds ${markets.length} markets (${markets.join(', ')}): name the partner's market`);
    const wanted = market?.toUpperCase();
    this.markets = wanted ? [wanted] : markets;
    for (const r of rows) {
      if (wanted !== undefined && r.market !== wanted) continue;
      const key = keyOf(r.productId, r.skuId, r.term, r.billingPlan, r.currency);
      const list = this.byKey.get(key);
      if (list) list.push(r);
      else this.byKey.set(key, [r]);
    }
    if (wanted !== undefined && this.byKey.size === 0 && rows.length > 0)
      throw new PriceBookError(`the price sheet has no row for market ${wanted} (it holds ${markets.join(', ')})`);
  }

  get size(): number {
    return this.byKey.size;
  }

  lookup(q: PriceQuery): PriceLookup {
    const rows = this.byKey.get(keyOf(q.productId, q.skuId, q.term, q.billingPlan, q.currency));
    if (!rows) return { kind: 'unknown' };
    const quantity = q.quantity ?? 1;
    const inForce = rows.filter(
      (r) =>
        r.effectiveStart <= q.date &&
        (r.effectiveEnd === null || q.date < r.effectiveEnd) &&
        (r.tierMin === undefined || quantity >= r.tierMin) &&
        (r.tierMax === undefined || quantity <= r.tierMax),
    );
    if (inForce.length === 0) return { kind: 'not-in-force', rows };
    // An open-ended row of an older sheet and a newer sheet's price from a later day both hold: the
    // later start is the price change, as an effective-dated list means it. Two prices from the same
    // day are the sheet contradicting itself: not guessed.
    const latest = inForce.reduce((d, r) => (r.effectiveStart > d ? r.effectiveStart : d), inForce[0]!.effectiveStart);
    const current = inForce.filter((r) => r.effectiveStart === latest);
    const prices = new Set(current.map((r) => new Decimal(r.unitPrice).toFixed()));
    if (prices.size > 1) return { kind: 'ambiguous', rows: current };
    // The same price on several rows (a sheet listing one price twice): the first cites it.
    const row = current.reduce((a, b) => (b.row < a.row ? b : a));
    return { kind: 'found', row, unitPrice: new Decimal(row.unitPrice) };
  }
}

export class PriceBookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PriceBookError';
  }
}

/** "price sheet row 12 (10.80 USD, 2026-10-01 to 2026-12-31)": where a price came from, for a finding. */
export function citePrice(row: PriceRow, fileName?: string): string {
  const until = row.effectiveEnd === null ? 'no end' : formatIso((row.effectiveEnd - 1) as CalendarDate);
  return `${fileName ?? row.sheet ?? 'price sheet'} row ${row.row} (${row.unitPrice} ${row.currency}, ${formatIso(row.effectiveStart)} to ${until})`;
}
