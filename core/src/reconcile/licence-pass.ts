import type { CalendarDate, Period } from '../calendar';
import type { BillLine, UsageAggregate } from '../import/types';
import { detach } from '../import/detach';
import { Decimal } from '../money';
import { expectedCharges, type ChargeLine } from '../nce/charges';
import { billPeriodOf } from './bill-period';
import { NONE, type ReconCategory } from './categories';
import { compareSubscription, type CompareContext } from './compare';
import { SubscriptionMatcher, type MatchOutcome } from './matching';
import { SharedValues } from '../objects';
import type { ReconInput, ReconItem, ReconOptions, ReconSubscription } from './model';

/** A finding before its key (keys are given once all findings are sorted). */
export type ReconDraft = Omit<ReconItem, 'key'>;

const ZERO = new Decimal(0);
const DEFAULT_TOLERANCE = new Decimal('0.01');

/**
 * The part of a reconciliation the licence lines decide alone: which CRM subscription each line
 * is, the ledger's expected charges, and the pairing of the two. It is most of a reconciliation's
 * work, so the CLI makes it while worker threads are still reading a large usage file
 * (prepareReconciliation), and reconcile() uses it when it still holds (preparedHolds).
 */
export interface PreparedReconciliation {
  readonly lines: readonly BillLine[];
  readonly subscriptions: readonly ReconSubscription[];
  readonly options: ReconOptions | undefined;
  readonly billPeriod: Period | null;
  /** Vendor subscription ids the matcher took as billed (so not fallback candidates). */
  readonly billedIds: ReadonlySet<string>;
  /** Customer|product keys lines were matched by when their own id was not in CRM. */
  readonly fallbackKeys: ReadonlySet<string>;
  /** Position of each subscription by vendor id (trimmed, lower case). */
  readonly vendorIndex: ReadonlyMap<string, number>;
  /** Vendor ids more than one subscription has. */
  readonly repeatedVendorIds: ReadonlySet<string>;
  /** Lines no CRM subscription (or more than one) answers to, in line order. */
  readonly lineDrafts: readonly ReconDraft[];
  /** Per subscription (by position in `subscriptions`), the lines matched to it. */
  readonly billedBySubscription: ReadonlyArray<readonly BillLine[] | undefined>;
  /** Per subscription (by position), its pairing of billed and expected lines. */
  readonly licenceDrafts: ReadonlyArray<readonly ReconDraft[] | undefined>;
  /** Sum of the expected lines' subtotals. */
  readonly expectedTotal: Decimal;
  /** Set by the reconciliation that used it: its findings are that result's (they get their keys in place). */
  used: boolean;
}

/**
 * The licence pass over `input`'s lines before the usage is known: the bill period from the lines
 * (or the one given), only the lines' subscription ids as billed.
 */
export function prepareReconciliation(input: Omit<ReconInput, 'usage' | 'rejected'>): PreparedReconciliation {
  const billedIds = new Set(input.lines.map((l) => l.subscriptionId.trim().toLowerCase()));
  const billPeriod = input.options?.billPeriod ?? billPeriodOf(input.lines, []);
  return licencePass(input.lines, input.subscriptions, input.options, billPeriod, billedIds);
}

/**
 * Whether a prepared pass is what reconcile(input) would compute: the same lines, subscriptions
 * and options, the same bill period once the usage is in, and no line matched by customer and
 * product where a subscription the usage names would have been left out of the candidates.
 */
export function preparedHolds(p: PreparedReconciliation, input: ReconInput, billPeriod: Period | null, billedIds: ReadonlySet<string>): boolean {
  if (p.used || p.lines !== input.lines || p.subscriptions !== input.subscriptions || p.options !== input.options) return false;
  if (
    (p.billPeriod === null) !== (billPeriod === null) ||
    (billPeriod !== null && (p.billPeriod?.start !== billPeriod.start || p.billPeriod.end !== billPeriod.end))
  )
    return false;
  for (const id of billedIds) {
    if (p.billedIds.has(id)) continue;
    // Several subscriptions with the id: any of them could have been a candidate (computed afresh).
    if (p.repeatedVendorIds.has(id)) return false;
    const at = p.vendorIndex.get(id);
    const s = at === undefined ? undefined : p.subscriptions[at];
    if (s !== undefined && s.customerTenantId && s.productId && p.fallbackKeys.has(SubscriptionMatcher.fallbackKey(s.customerTenantId, s.productId)))
      return false;
  }
  return true;
}

export function licencePass(
  lines: readonly BillLine[],
  subscriptions: readonly ReconSubscription[],
  options: ReconOptions | undefined,
  billPeriod: Period | null,
  billedIds: ReadonlySet<string>,
): PreparedReconciliation {
  const tolerance = options?.tolerancePerUnit ?? DEFAULT_TOLERANCE;
  const vendor = (options?.vendor ?? 'Microsoft').toLowerCase();
  const matcher = new SubscriptionMatcher(subscriptions, billedIds);
  const lineDrafts: ReconDraft[] = [];
  const billedBySubscription: Array<BillLine[] | undefined> = Array.from({ length: subscriptions.length }, () => undefined);
  for (const line of lines) {
    const outcome = matcher.match(line);
    if (outcome.kind !== 'matched') {
      lineDrafts.push(unmatchedDraft(line, outcome));
      continue;
    }
    (billedBySubscription[outcome.index] ??= []).push(line);
  }

  // Expected lines belong to the subscription they name: a partial conversion's target line is
  // produced by the source ledger but billed on the target subscription.
  const expectedBySubscription: Array<ChargeLine[] | undefined> = Array.from({ length: subscriptions.length }, () => undefined);
  let expectedTotal = ZERO;
  subscriptions.forEach((s, i) => {
    if (s.kind !== 'licence' || !s.ledger || !s.offer || !billPeriod || s.vendor.toLowerCase() !== vendor) return;
    // Microsoft's own exchange rate of the month, when the bill carries one.
    const rated = (billedBySubscription[i] ?? []).find((b) => b.exchangeRate && b.pricingCurrency && b.pricingCurrency !== b.currency);
    const offer = rated ? { ...s.offer, billingCurrency: rated.currency, pcToBcExchangeRate: rated.exchangeRate! } : s.offer;
    for (const e of expectedCharges(s.ledger, offer, { from: billPeriod.start, to: billPeriod.end })) {
      const owner = matcher.indexOfVendorId(e.subscriptionId) ?? i;
      (expectedBySubscription[owner] ??= []).push(e);
      expectedTotal = expectedTotal.plus(e.subtotal);
    }
  });

  const licenceDrafts: Array<readonly ReconDraft[] | undefined> = Array.from({ length: subscriptions.length }, () => undefined);
  // One string per distinct explanation of the run (bounded: a bill of all-different ones shares none past it).
  const explanations = new SharedValues<string, string>(100_000);
  subscriptions.forEach((s, i) => {
    const billed = billedBySubscription[i] ?? [];
    const expected = expectedBySubscription[i] ?? [];
    if (billed.length === 0 && expected.length === 0) return;
    if (s.kind === 'usage') {
      licenceDrafts[i] = billed.map((b) => lineOnly('unexpectedChargeType', b, `licence charge "${b.chargeType}" on an Azure plan subscription`, s));
      return;
    }
    const ctx: CompareContext = {
      subscription: s,
      tolerancePerUnit: tolerance,
      cancelledOn: (date) => (s.ledger ? s.ledger.stateAt(date as CalendarDate).status === 'cancelled' : s.status === 'cancelled'),
      explanations,
    };
    licenceDrafts[i] = compareSubscription(ctx, billed, expected);
  });
  return {
    lines,
    subscriptions,
    options,
    billPeriod,
    billedIds,
    fallbackKeys: matcher.fallbackKeys,
    vendorIndex: matcher.vendorIndex,
    repeatedVendorIds: matcher.repeatedVendorIds,
    lineDrafts,
    billedBySubscription,
    licenceDrafts,
    expectedTotal,
    used: false,
  };
}

/** Lets a used pass's lists and maps go (the caller may hold the pass until the run returns). */
export function releasePass(p: PreparedReconciliation): void {
  (p.billedBySubscription as unknown[]).length = 0;
  (p.licenceDrafts as unknown[]).length = 0;
  (p.vendorIndex as Map<unknown, unknown>).clear();
  (p.billedIds as Set<unknown>).clear();
  (p.fallbackKeys as Set<unknown>).clear();
}

/** The finding of a line no CRM subscription answers to, or more than one could. */
export function unmatchedDraft(line: BillLine | UsageAggregate, outcome: Exclude<MatchOutcome, { kind: 'matched' }>): ReconDraft {
  if (outcome.kind === 'unknown')
    return lineOnly(
      'unknownInCrm',
      line,
      `subscription ${line.subscriptionId} of ${line.customerName ?? line.customerId ?? 'an unknown customer'} is not in CRM`,
    );
  // Sorted: CRM rows come in no fixed order (a query without $orderby), the explanation must not.
  const names = outcome.candidates
    .map((c) => c.vendorSubscriptionId ?? c.id)
    .sort()
    .join(', ');
  return lineOnly(
    'ambiguousMatch',
    line,
    `subscription ${line.subscriptionId} is not in CRM and ${outcome.candidates.length} CRM subscriptions of the same customer and product could be it (${names})`,
  );
}

export function lineOnly(category: ReconCategory, line: BillLine | UsageAggregate, explanation: string, subscription?: ReconSubscription): ReconDraft {
  const isUsage = line.kind === 'usage';
  return {
    category,
    subscriptionId: subscription?.id,
    vendorSubscriptionId: line.subscriptionId,
    customerId: subscription?.customerId,
    customerName: line.customerName ?? subscription?.customerName,
    productName: line.productName,
    chargeType: line.chargeType,
    referenceId: isUsage ? undefined : line.referenceId,
    chargeStart: line.chargeStart,
    chargeEndInclusive: line.chargeEndInclusive,
    billedLines: isUsage ? NONE : [line],
    billedUsage: isUsage ? [line] : NONE,
    expectedLines: NONE,
    billedQuantity: line.quantity,
    expectedQuantity: category === 'exactMatch' ? line.quantity : ZERO,
    billedAmount: line.amount,
    expectedAmount: category === 'exactMatch' ? line.amount : ZERO,
    variance: category === 'exactMatch' ? ZERO : line.amount,
    explanation: detach(explanation),
  };
}
