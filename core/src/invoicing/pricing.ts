import type { LedgerState } from '../ledger';
import { currencyCode, CurrencyCode, Decimal, toDecimal } from '../money';
import type { BillingContract, InvoiceSubscription, PriceSpec, TierSchedule } from './model';
import { InvoicingError } from './model';

/** Where a subscription's customer price came from, most specific first. */
export type PriceSource = 'ledger' | 'subscription' | 'contract' | 'list';

/** A price ready to apply: flat or tiered, per `perMonths` months, in `currency`. */
export interface ResolvedPrice {
  readonly source: PriceSource;
  readonly currency: CurrencyCode;
  readonly perMonths: number;
  readonly unitPrice?: Decimal;
  readonly tiers?: TierSchedule;
}

function checkSpec(spec: PriceSpec, where: string): void {
  if ((spec.unitPrice === undefined) === (spec.tiers === undefined)) {
    throw new InvoicingError(`${where}: a price needs exactly one of unitPrice or tiers`, spec);
  }
  const per = spec.perMonths ?? 1;
  if (!Number.isSafeInteger(per) || per < 1) throw new InvoicingError(`${where}: perMonths must be a whole number >= 1`, spec);
  if (spec.tiers) checkTiers(spec.tiers, where);
}

function checkTiers(schedule: TierSchedule, where: string): void {
  const tiers = schedule.tiers;
  if (tiers.length === 0) throw new InvoicingError(`${where}: a tier schedule needs tiers`, schedule);
  let previous = 0;
  tiers.forEach((t, i) => {
    const last = i === tiers.length - 1;
    if (t.upTo === null) {
      if (!last) throw new InvoicingError(`${where}: only the last tier may be unbounded`, schedule);
    } else {
      if (!Number.isSafeInteger(t.upTo) || t.upTo <= previous)
        throw new InvoicingError(`${where}: tier bounds must ascend (${t.upTo} after ${previous})`, schedule);
      previous = t.upTo;
    }
  });
  if (tiers[tiers.length - 1]?.upTo !== null) throw new InvoicingError(`${where}: the last tier must be unbounded (upTo: null)`, schedule);
}

function fromSpec(spec: PriceSpec, source: PriceSource, where: string): ResolvedPrice {
  checkSpec(spec, where);
  return {
    source,
    currency: currencyCode(spec.currency),
    perMonths: spec.perMonths ?? 1,
    ...(spec.unitPrice !== undefined ? { unitPrice: toDecimal(spec.unitPrice) } : {}),
    ...(spec.tiers !== undefined ? { tiers: spec.tiers } : {}),
  };
}

/** The subscription's base price (no ledger): its own, then the contract's override, then the list. */
export function basePrice(contract: BillingContract, sub: InvoiceSubscription): ResolvedPrice | undefined {
  if (sub.customerPrice) return fromSpec(sub.customerPrice, 'subscription', `subscription ${sub.id}`);
  const override = contract.priceOverrides?.[sub.offerId];
  if (override) return fromSpec(override, 'contract', `contract ${contract.id} override for ${sub.offerId}`);
  const listed = contract.priceList?.prices[sub.offerId];
  if (listed) return fromSpec(listed, 'list', `price list ${contract.priceList?.id} for ${sub.offerId}`);
  return undefined;
}

/**
 * The customer price in force in a ledger state. A customer unit price recorded in the ledger
 * (dated, from a `new`/`price` entry) wins: it is the price sales agreed for this subscription from
 * that day; it is flat, in the base price's currency and interval (contract currency, per month
 * when there is no base price). Otherwise the base price.
 */
export function resolvePrice(contract: BillingContract, sub: InvoiceSubscription, state: LedgerState | undefined): ResolvedPrice {
  const base = basePrice(contract, sub);
  if (state?.customerUnitPrice !== undefined) {
    return {
      source: 'ledger',
      currency: base?.currency ?? currencyCode(contract.currency),
      perMonths: base?.perMonths ?? 1,
      unitPrice: state.customerUnitPrice,
    };
  }
  if (base === undefined)
    throw new InvoicingError(`no customer price for subscription ${sub.id} (offer ${sub.offerId})`, { subscriptionId: sub.id, offerId: sub.offerId });
  return base;
}

/**
 * Price of `quantity` units for one price interval, exact (no rounding).
 * - flat: unit price x quantity.
 * - tiered (graduated): sum over tiers of units falling in the tier x its unit price, plus the flat
 *   fee of every tier reached.
 * - volume: quantity x the unit price of the tier containing the quantity, plus that tier's flat fee.
 * Zero units cost zero (no flat fee).
 */
export function priceAmount(price: ResolvedPrice, quantity: number): Decimal {
  if (!Number.isSafeInteger(quantity) || quantity < 0) throw new InvoicingError(`quantity must be a whole number >= 0, got ${quantity}`, quantity);
  if (price.tiers) return tierAmount(price.tiers, quantity);
  return (price.unitPrice as Decimal).times(quantity);
}

export function tierAmount(schedule: TierSchedule, quantity: number): Decimal {
  let total = new Decimal(0);
  if (quantity === 0) return total;
  if (schedule.mode === 'volume') {
    const tier = schedule.tiers.find((t) => t.upTo === null || quantity <= t.upTo);
    if (!tier) throw new InvoicingError('no tier contains the quantity', { quantity });
    total = toDecimal(tier.unitPrice).times(quantity);
    return tier.flatFee !== undefined ? total.plus(toDecimal(tier.flatFee)) : total;
  }
  let lower = 0;
  for (const t of schedule.tiers) {
    if (quantity <= lower) break;
    const upper = t.upTo === null ? quantity : Math.min(t.upTo, quantity);
    total = total.plus(toDecimal(t.unitPrice).times(upper - lower));
    if (t.flatFee !== undefined) total = total.plus(toDecimal(t.flatFee));
    lower = t.upTo === null ? quantity : t.upTo;
  }
  return total;
}

/** Same price terms (source aside): a change between equal prices is a quantity change only. */
export function samePrice(a: ResolvedPrice, b: ResolvedPrice): boolean {
  if (a.currency !== b.currency || a.perMonths !== b.perMonths) return false;
  if (a.unitPrice !== undefined || b.unitPrice !== undefined) return a.unitPrice !== undefined && b.unitPrice !== undefined && a.unitPrice.eq(b.unitPrice);
  return a.tiers === b.tiers || JSON.stringify(a.tiers) === JSON.stringify(b.tiers);
}

/** "12.00 USD/month", "tiered USD/year" — for explanations. */
export function describePrice(p: ResolvedPrice): string {
  const per = p.perMonths === 1 ? 'month' : p.perMonths === 12 ? 'year' : `${p.perMonths} months`;
  return p.unitPrice !== undefined ? `${p.unitPrice.toString()} ${p.currency}/${per}` : `${p.tiers?.mode} tiers ${p.currency}/${per}`;
}
