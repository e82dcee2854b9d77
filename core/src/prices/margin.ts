/**
 * Margin rules: what a subscription's customer price becomes when its term renews, and whether the
 * margin it leaves holds the partner's floor. A rule belongs to a billing contract or an offer (the
 * contract's wins: it is the customer's deal), and is one of
 * - percent on cost: Microsoft's price at renewal plus a markup;
 * - discount off ERP: Microsoft's suggested retail price (the price list's ERP Price) less a discount;
 * - fixed price: the customer pays this whatever Microsoft charges;
 * each with an optional floor: the least margin, as a percent of the customer's price, a renewal may
 * leave. The cost at renewal is the price list's price on the renewal day (new-commerce prices are
 * locked per term, so that is what the next term costs), else the CRM's cost.
 */
import { daysBetween, formatIso, type CalendarDate } from '../calendar';
import { Decimal, roundHalfUp } from '../money';
import type { Renewal } from '../sync/renewals';
import { citePrice, type PriceBook } from './price-book';
import type { BillingPlan, Term } from '../nce/terms';

export type MarginRule =
  | { readonly kind: 'percentOnCost'; readonly percent: Decimal; readonly floorPercent?: Decimal }
  | { readonly kind: 'discountOffErp'; readonly percent: Decimal; readonly floorPercent?: Decimal }
  | { readonly kind: 'fixedPrice'; readonly price: Decimal; readonly floorPercent?: Decimal };

/** A customer unit price is money in the contract's currency: to the cent, half up (the invoicing rule). */
export const CUSTOMER_PRICE_PLACES = 2;
const customerPrice = (d: Decimal): Decimal => roundHalfUp(d, CUSTOMER_PRICE_PLACES);

/** The renewal price a rule gives, or why it gives none (a discount off ERP without an ERP price). */
export function renewalPrice(rule: MarginRule, cost: Decimal, erp: Decimal | undefined): { price: Decimal; how: string } | { reason: string } {
  switch (rule.kind) {
    case 'percentOnCost':
      return { price: customerPrice(cost.times(rule.percent.plus(100)).div(100)), how: `cost ${cost.toFixed(2)} + ${rule.percent.toFixed()}%` };
    case 'discountOffErp':
      if (erp === undefined) return { reason: 'the price list gives no ERP price to discount' };
      return { price: customerPrice(erp.times(new Decimal(100).minus(rule.percent)).div(100)), how: `ERP ${erp.toFixed(2)} - ${rule.percent.toFixed()}%` };
    case 'fixedPrice':
      return { price: customerPrice(rule.price), how: `fixed ${rule.price.toFixed(2)}` };
  }
}

/** What the review needs of a subscription beyond its renewal: how it is sold and bought. */
export interface ReviewSubject {
  readonly renewal: Renewal;
  readonly productId?: string;
  readonly skuId?: string;
  readonly term?: Term;
  readonly billingPlan?: BillingPlan;
  /** The rule that prices it (the contract's, else the offer's), with where it came from. */
  readonly rule?: { readonly rule: MarginRule; readonly source: string };
}

export interface RenewalReview {
  readonly renewal: Renewal;
  /** Microsoft's price for the next term, and where it came from. */
  readonly costAtRenewal?: Decimal;
  readonly costSource: string;
  readonly erpPrice?: Decimal;
  /** The price the rule gives for the next term (undefined: no rule, or the rule could not price it). */
  readonly renewalPrice?: Decimal;
  readonly how: string;
  /** renewalPrice - costAtRenewal, per seat, and as a percent of the renewal price. */
  readonly margin?: Decimal;
  readonly marginPercent?: Decimal;
  readonly floorPercent?: Decimal;
  /** The margin is below the rule's floor (or negative without a floor): finance re-prices before the renewal. */
  readonly belowFloor: boolean;
}

/** Each renewal's price and margin by its rule, the ones below their floor first, then by renewal date. */
export function reviewRenewals(subjects: readonly ReviewSubject[], prices?: PriceBook): RenewalReview[] {
  const out = subjects.map((s): RenewalReview => {
    const r = s.renewal;
    let costAtRenewal = r.vendorUnitCost;
    let costSource = 'the CRM cost';
    let erpPrice: Decimal | undefined;
    if (prices && s.productId && s.skuId && s.term && s.billingPlan && r.currency) {
      const found = prices.lookup({
        productId: s.productId,
        skuId: s.skuId,
        term: s.term,
        billingPlan: s.billingPlan,
        currency: r.currency,
        date: r.renewsOn,
        quantity: r.quantity,
      });
      if (found.kind === 'found') {
        costAtRenewal = found.unitPrice;
        costSource = citePrice(found.row);
        if (found.row.erpPrice !== undefined) erpPrice = new Decimal(found.row.erpPrice);
      }
    }
    const base = { renewal: r, ...(costAtRenewal ? { costAtRenewal } : {}), costSource, ...(erpPrice ? { erpPrice } : {}) };
    if (!s.rule) return { ...base, how: 'no margin rule', belowFloor: false };
    if (!costAtRenewal) return { ...base, how: `${s.rule.source}: no cost to price from`, belowFloor: false };
    const priced = renewalPrice(s.rule.rule, costAtRenewal, erpPrice);
    if ('reason' in priced) return { ...base, how: `${s.rule.source}: ${priced.reason}`, belowFloor: false };
    const margin = priced.price.minus(costAtRenewal);
    // The floor is held against the exact percent; the shown one is rounded.
    const exactPercent = priced.price.isZero() ? new Decimal(0) : margin.div(priced.price).times(100);
    const marginPercent = roundHalfUp(exactPercent, 2);
    const floor = s.rule.rule.floorPercent;
    return {
      ...base,
      renewalPrice: priced.price,
      how: `${s.rule.source}: ${priced.how}`,
      margin,
      marginPercent,
      ...(floor ? { floorPercent: floor } : {}),
      belowFloor: floor ? exactPercent.lt(floor) : margin.isNegative(),
    };
  });
  return out.sort(
    (a, b) =>
      Number(b.belowFloor) - Number(a.belowFloor) ||
      a.renewal.renewsOn - b.renewal.renewsOn ||
      (a.renewal.vendorSubscriptionId < b.renewal.vendorSubscriptionId ? -1 : a.renewal.vendorSubscriptionId > b.renewal.vendorSubscriptionId ? 1 : 0),
  );
}

/** One line of the review, for the CLI and a report. */
export function reviewLine(r: RenewalReview, asOf: CalendarDate): string {
  const cur = r.renewal.currency ?? '';
  const days = daysBetween(asOf, r.renewal.renewsOn);
  const money = (d: Decimal | undefined) => (d === undefined ? '-' : `${d.toFixed(2)}${cur ? ` ${cur}` : ''}`);
  return [
    `${r.belowFloor ? 'BELOW FLOOR ' : ''}${r.renewal.vendorSubscriptionId} ${r.renewal.name} (${r.renewal.customer}), renews ${formatIso(r.renewal.renewsOn)} (in ${days} day${days === 1 ? '' : 's'}), ${r.renewal.quantity} seats`,
    `cost ${money(r.costAtRenewal)} (${r.costSource}), now sold at ${money(r.renewal.customerUnitPrice)}, renews at ${money(r.renewalPrice)} (${r.how})`,
    r.margin === undefined
      ? 'margin -'
      : `margin ${money(r.margin)} (${r.marginPercent!.toFixed(2)}%${r.floorPercent ? `, floor ${r.floorPercent.toFixed()}%` : ''})`,
  ].join('; ');
}
