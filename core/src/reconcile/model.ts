import type { CalendarDate, Period } from '../calendar';
import type { BillLine, RejectedRow, UsageAggregate } from '../import/types';
import type { SubscriptionLedger } from '../ledger';
import type { CurrencyCode, Decimal } from '../money';
import type { ChargeLine, NceOffer } from '../nce/charges';
import type { RoundingRuleName } from '../nce/rounding-rules';
import type { ReconCategory } from './categories';
import type { PriceSheetInput } from './stale-cost';

/** A CRM subscription as reconciliation sees it: identity, ledger, prices and what bills it. */
export interface ReconSubscription {
  /** CRM row id. */
  readonly id: string;
  /** SubscriptionId on the vendor's bill; the first matching key. */
  readonly vendorSubscriptionId?: string;
  readonly customerId?: string;
  readonly customerName?: string;
  /** Microsoft tenant id of the customer (CustomerId on the bill): the fallback key. */
  readonly customerTenantId?: string;
  readonly productId?: string;
  readonly skuId?: string;
  readonly vendor: string;
  /** Licence subscriptions have an NCE offer and a ledger; usage (Azure plan) ones have neither. */
  readonly kind: 'licence' | 'usage';
  readonly offer?: NceOffer;
  readonly ledger?: SubscriptionLedger;
  /** CRM status; the ledger's own state decides for licences when both exist. */
  readonly status: 'active' | 'suspended' | 'cancelled' | 'expired';
  /** Billing contract that re-bills this subscription to the customer, if any. */
  readonly contractId?: string;
  /** Customer price per unit per cycle, in `customerCurrency`. */
  readonly customerUnitPrice?: Decimal;
  readonly customerCurrency?: CurrencyCode;
  /** Markup on usage cost in percent (Azure plan), from the contract. */
  readonly usageMarkupPercent?: Decimal;
}

/**
 * What customers were invoiced, by subscription and period: supplied by the invoicing engine once
 * invoices exist. Without it, revenue leakage is not assessed.
 */
export interface CustomerRevenueSource {
  billedToCustomer(subscriptionId: string, period: Period): Decimal | undefined;
}

export interface ReconOptions {
  /** Accepted variance per unit (default 0.01). */
  readonly tolerancePerUnit?: Decimal;
  /** Order dates the bill covers, [start, end); default: the calendar month(s) of its order dates. */
  readonly billPeriod?: Period;
  /** Only subscriptions of this vendor are expected on the bill (default 'Microsoft'). */
  readonly vendor?: string;
  readonly customerRevenue?: CustomerRevenueSource;
  /**
   * Microsoft's price sheet: each licence term's CRM cost is checked against the price in force on
   * the term's first day (a `staleCrmCost` finding citing the sheet's row when they differ).
   */
  readonly prices?: PriceSheetInput;
}

export interface ReconInput {
  readonly lines: readonly BillLine[];
  readonly usage: readonly UsageAggregate[];
  readonly subscriptions: readonly ReconSubscription[];
  /** Rows the importer refused: each becomes a `rejectedRow` finding, so no money leaves a report unsaid. */
  readonly rejected?: readonly RejectedRow[];
  readonly options?: ReconOptions;
}

/** One finding: a bill line (or pair) matched or not, or a subscription-level finding. */
export interface ReconItem {
  /** Stable across re-runs of the same bill and ledger: resolved findings keep their resolution. */
  readonly key: string;
  readonly category: ReconCategory;
  readonly subscriptionId?: string;
  readonly vendorSubscriptionId?: string;
  readonly customerId?: string;
  readonly customerName?: string;
  readonly productName?: string;
  readonly chargeType?: string;
  readonly referenceId?: string;
  readonly chargeStart?: CalendarDate;
  readonly chargeEndInclusive?: CalendarDate;
  readonly billedLines: readonly BillLine[];
  readonly billedUsage: readonly UsageAggregate[];
  readonly expectedLines: readonly ChargeLine[];
  readonly billedQuantity?: Decimal;
  readonly expectedQuantity?: Decimal;
  readonly billedAmount: Decimal;
  readonly expectedAmount: Decimal;
  /** Billed minus expected, for every finding (a margin finding: cost billed minus customer revenue). */
  readonly variance: Decimal;
  /** Customer revenue minus vendor cost (negative: sold below cost), on margin findings. */
  readonly margin?: Decimal;
  /** Rounding rule the expected amount followed, when a Microsoft rule explains the line. */
  readonly rule?: RoundingRuleName;
  /** Plain words: how the expected amount was computed or why the line is listed. */
  readonly explanation: string;
}

export interface CategoryTotal {
  readonly count: number;
  /** Sum of the items' variance (absolute money at stake for billed-only or expected-only items). */
  readonly amount: Decimal;
}

export interface ReconTotals {
  readonly billed: Decimal;
  readonly expected: Decimal;
  readonly variance: Decimal;
  readonly leakage: Decimal;
  /** Customer revenue minus vendor cost over lines whose customer price is known. */
  readonly margin: Decimal;
  /** Money of the bill rows the importer refused (those in the bill's currency whose amount was readable): not in `billed`. */
  readonly rejected: Decimal;
}

export interface ReconResult {
  readonly currency: CurrencyCode | null;
  readonly billPeriod: Period | null;
  readonly items: readonly ReconItem[];
  readonly totals: ReconTotals;
  readonly byCategory: Readonly<Record<ReconCategory, CategoryTotal>>;
  /** Bill lines + usage aggregates the run saw; each is in exactly one line-level item. */
  readonly billLineCount: number;
  /** What the reader must know about how the run was made (an inferred period of several months). */
  readonly warnings: readonly string[];
}
