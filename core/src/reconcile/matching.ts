import type { BillLine, UsageAggregate } from '../import/types';
import type { ReconSubscription } from './model';

export type MatchOutcome =
  | { readonly kind: 'matched'; readonly subscription: ReconSubscription; readonly by: 'subscriptionId' | 'tenantAndProduct' }
  | { readonly kind: 'ambiguous'; readonly candidates: readonly ReconSubscription[] }
  | { readonly kind: 'unknown' };

const norm = (value: string | undefined): string => (value ?? '').trim().toLowerCase();

/**
 * Finds the CRM subscription a bill line belongs to: by vendor subscription id first; failing
 * that, by customer tenant and product among subscriptions whose own vendor id does not appear on
 * the bill, narrowed by SKU where both sides name one. Never by SKU alone: a SkuId ("0001") names
 * a SKU within its product, and many products share it, so a line of a third product would be laid
 * on an unrelated subscription. Two candidates is an answer too: "ambiguous", never a guess,
 * because a customer with two subscriptions of one product would otherwise be miscounted.
 */
export class SubscriptionMatcher {
  private readonly byVendorId = new Map<string, ReconSubscription>();
  private readonly byTenantProduct = new Map<string, ReconSubscription[]>();

  constructor(subscriptions: readonly ReconSubscription[], billedVendorIds: ReadonlySet<string>) {
    for (const s of subscriptions) {
      const id = norm(s.vendorSubscriptionId);
      if (id) this.byVendorId.set(id, s);
    }
    for (const s of subscriptions) {
      const id = norm(s.vendorSubscriptionId);
      // A subscription whose own id is on the bill is already accounted for: not a fallback candidate.
      if (id && billedVendorIds.has(id)) continue;
      const product = norm(s.productId);
      if (!product || !s.customerTenantId) continue;
      const key = SubscriptionMatcher.fallbackKey(s.customerTenantId, product);
      const list = this.byTenantProduct.get(key) ?? [];
      list.push(s);
      this.byTenantProduct.set(key, list);
    }
  }

  /** The customer|product keys lines were looked up by when their own id was not in CRM. */
  readonly fallbackKeys = new Set<string>();

  static fallbackKey(tenant: string, product: string): string {
    return `${norm(tenant)}|${norm(product)}`;
  }

  match(line: BillLine | UsageAggregate): MatchOutcome {
    const direct = this.byVendorId.get(norm(line.subscriptionId));
    if (direct) return { kind: 'matched', subscription: direct, by: 'subscriptionId' };
    const product = norm(line.productId);
    if (!product || !line.customerId) return { kind: 'unknown' };
    const sku = norm(line.skuId);
    const key = SubscriptionMatcher.fallbackKey(line.customerId, product);
    this.fallbackKeys.add(key);
    // Same product; where both name a SKU, the same SKU.
    let list = (this.byTenantProduct.get(key) ?? []).filter((s) => !sku || !norm(s.skuId) || norm(s.skuId) === sku);
    // Only subscriptions alive on the line's first charge day can have caused it.
    const alive = list.filter((s) => !s.ledger || s.ledger.stateAt(line.chargeStart).status !== 'none');
    if (alive.length > 0) list = alive;
    if (list.length === 1) return { kind: 'matched', subscription: list[0]!, by: 'tenantAndProduct' };
    if (list.length > 1) return { kind: 'ambiguous', candidates: list };
    return { kind: 'unknown' };
  }
}
