import type { BillLine, UsageAggregate } from '../import/types';
import type { ReconSubscription } from './model';

export type MatchOutcome =
  | {
      readonly kind: 'matched';
      readonly subscription: ReconSubscription;
      /** Its position in the matcher's subscriptions (callers keep per-subscription data in arrays). */
      readonly index: number;
      readonly by: 'subscriptionId' | 'tenantAndProduct';
    }
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
 *
 * Subscriptions are kept by position: a reconciliation's per-subscription data are arrays in the
 * subscriptions' order, not maps keyed by subscription (three maps of 20,000 entries left 7 MB of
 * outgrown tables at a million-row run's peak memory, bench:reconcile).
 */
export class SubscriptionMatcher {
  /** Position of each subscription by its vendor id (trimmed, lower case): the last, when CRM repeats one. */
  readonly vendorIndex = new Map<string, number>();
  /** Vendor ids more than one CRM subscription has (bad data: a line of that id matches the last). */
  readonly repeatedVendorIds = new Set<string>();
  private readonly byTenantProduct = new Map<string, number[]>();

  constructor(
    private readonly subscriptions: readonly ReconSubscription[],
    billedVendorIds: ReadonlySet<string>,
  ) {
    subscriptions.forEach((s, i) => {
      const id = norm(s.vendorSubscriptionId);
      if (!id) return;
      if (this.vendorIndex.has(id)) this.repeatedVendorIds.add(id);
      this.vendorIndex.set(id, i);
    });
    subscriptions.forEach((s, i) => {
      const id = norm(s.vendorSubscriptionId);
      // A subscription whose own id is on the bill is already accounted for: not a fallback candidate.
      if (id && billedVendorIds.has(id)) return;
      const product = norm(s.productId);
      if (!product || !s.customerTenantId) return;
      const key = SubscriptionMatcher.fallbackKey(s.customerTenantId, product);
      const list = this.byTenantProduct.get(key) ?? [];
      list.push(i);
      this.byTenantProduct.set(key, list);
    });
  }

  /** The customer|product keys lines were looked up by when their own id was not in CRM. */
  readonly fallbackKeys = new Set<string>();

  static fallbackKey(tenant: string, product: string): string {
    return `${norm(tenant)}|${norm(product)}`;
  }

  /** Position of the subscription with this vendor id, if any. */
  indexOfVendorId(vendorSubscriptionId: string): number | undefined {
    return this.vendorIndex.get(norm(vendorSubscriptionId));
  }

  match(line: BillLine | UsageAggregate): MatchOutcome {
    const direct = this.vendorIndex.get(norm(line.subscriptionId));
    if (direct !== undefined) return { kind: 'matched', subscription: this.subscriptions[direct] as ReconSubscription, index: direct, by: 'subscriptionId' };
    const product = norm(line.productId);
    if (!product || !line.customerId) return { kind: 'unknown' };
    const sku = norm(line.skuId);
    const key = SubscriptionMatcher.fallbackKey(line.customerId, product);
    this.fallbackKeys.add(key);
    const of = (i: number) => this.subscriptions[i] as ReconSubscription;
    // Same product; where both name a SKU, the same SKU.
    let list = (this.byTenantProduct.get(key) ?? []).filter((i) => !sku || !norm(of(i).skuId) || norm(of(i).skuId) === sku);
    // Only subscriptions alive on the line's first charge day can have caused it.
    const alive = list.filter((i) => {
      const ledger = of(i).ledger;
      return !ledger || ledger.stateAt(line.chargeStart).status !== 'none';
    });
    if (alive.length > 0) list = alive;
    if (list.length === 1) return { kind: 'matched', subscription: of(list[0] as number), index: list[0] as number, by: 'tenantAndProduct' };
    if (list.length > 1) return { kind: 'ambiguous', candidates: list.map(of) };
    return { kind: 'unknown' };
  }
}
