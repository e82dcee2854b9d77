import { formatIso, toYmd, type CalendarDate, type Period } from '../calendar';
import type { RejectedRow, UsageAggregate } from '../import/types';
import { Decimal, roundHalfUp, toDecimal, type CurrencyCode } from '../money';
import { ALL_CATEGORIES, NONE, type ReconCategory } from './categories';
import { SubscriptionMatcher } from './matching';
import { billPeriodOf } from './bill-period';
import { licencePass, lineOnly, preparedHolds, releasePass, unmatchedDraft, type PreparedReconciliation, type ReconDraft } from './licence-pass';
import { staleCostFindings } from './stale-cost';
import type { CategoryTotal, ReconInput, ReconItem, ReconResult, ReconSubscription } from './model';

const ZERO = new Decimal(0);

type Draft = ReconDraft;

/** Customer money for a vendor amount: the same proration at the customer's unit price. */
function customerAmountFor(s: ReconSubscription, vendorAmount: Decimal, currency: CurrencyCode | null): Decimal | undefined {
  if (s.kind === 'usage') {
    return s.usageMarkupPercent === undefined ? undefined : roundHalfUp(vendorAmount.times(s.usageMarkupPercent.plus(100)).div(100), 2);
  }
  const vendorUnit = s.offer ? toDecimal(s.offer.unitPrice) : undefined;
  if (!s.customerUnitPrice || !vendorUnit || vendorUnit.isZero()) return undefined;
  if (s.customerCurrency !== s.offer?.pricingCurrency || s.customerCurrency !== currency) return undefined;
  return roundHalfUp(vendorAmount.times(s.customerUnitPrice).div(vendorUnit), 2);
}

/**
 * Reconciles one vendor bill against the CRM ledger: every bill line ends in exactly one item.
 * `prepared` (prepareReconciliation of the same lines, subscriptions and options, made while the
 * usage was still being read) is used when it still holds; the result is the same either way.
 */
export function reconcile(input: ReconInput, prepared?: PreparedReconciliation): ReconResult {
  const options = input.options ?? {};
  const vendor = (options.vendor ?? 'Microsoft').toLowerCase();
  const billPeriod = options.billPeriod ?? billPeriodOf(input.lines, input.usage);
  const currency = input.lines[0]?.currency ?? input.usage[0]?.currency ?? null;

  const billedIds = new Set([...input.lines, ...input.usage].map((l) => l.subscriptionId.trim().toLowerCase()));
  const pass =
    prepared !== undefined && preparedHolds(prepared, input, billPeriod, billedIds)
      ? prepared
      : licencePass(input.lines, input.subscriptions, input.options, billPeriod, billedIds);
  pass.used = true;
  const drafts: Draft[] = [...pass.lineDrafts];
  const matcher = new SubscriptionMatcher(input.subscriptions, billedIds);
  const usageBySubscription: Array<UsageAggregate[] | undefined> = Array.from({ length: input.subscriptions.length }, () => undefined);
  for (const line of input.usage) {
    const outcome = matcher.match(line);
    if (outcome.kind === 'matched') (usageBySubscription[outcome.index] ??= []).push(line);
    else drafts.push(unmatchedDraft(line, outcome));
  }
  let expectedTotal = pass.expectedTotal;

  let margin = ZERO;
  let leakage = ZERO;
  const unpriced = { unknown: 0, 'not-in-force': 0, ambiguous: 0 };
  for (const [i, s] of input.subscriptions.entries()) {
    if (options.prices && billPeriod && s.vendor.toLowerCase() === vendor) {
      const stale = staleCostFindings(s, billPeriod, options.prices);
      drafts.push(...stale.findings);
      if (stale.unpriced) unpriced[stale.unpriced]++;
    }
    // The pass's lists are by position in the same subscriptions (preparedHolds checks they are the same array).
    const billed = pass.billedBySubscription[i] ?? [];
    const usage = usageBySubscription[i] ?? [];
    for (const d of pass.licenceDrafts[i] ?? []) drafts.push(d);
    for (const u of usage) {
      if (s.contractId) {
        expectedTotal = expectedTotal.plus(u.amount);
        drafts.push(
          lineOnly(
            'exactMatch',
            u,
            `usage as Microsoft rated it: ${u.rowCount} daily rows ${formatIso(u.firstUsageDate)}..${formatIso(u.lastUsageDate)}, re-billed under contract ${s.contractId}`,
            s,
          ),
        );
      } else {
        drafts.push(
          lineOnly('usageWithoutContract', u, `${u.rowCount} daily usage rows (${u.amount.toFixed(2)}) on a subscription no billing contract re-bills`, s),
        );
      }
    }

    const vendorCost = [...billed, ...usage].reduce((sum, l) => sum.plus(l.amount), ZERO);
    const customer = customerAmountFor(s, vendorCost, currency);
    if (customer !== undefined && !vendorCost.isZero()) {
      const subscriptionMargin = customer.minus(vendorCost);
      margin = margin.plus(subscriptionMargin);
      if (subscriptionMargin.isNegative() && vendorCost.isPositive()) {
        // One sign convention: variance = billed (cost) - expected (revenue); the margin is its own field.
        drafts.push({
          ...subscriptionFinding(
            s,
            'negativeMargin',
            vendorCost.minus(customer),
            customer,
            vendorCost,
            `the customer pays ${customer.toFixed(2)} for what costs ${vendorCost.toFixed(2)}: a margin of ${subscriptionMargin.toFixed(2)}`,
          ),
          margin: subscriptionMargin,
        });
      }
    }
    if (options.customerRevenue && billPeriod && vendorCost.isPositive()) {
      const invoiced = options.customerRevenue.billedToCustomer(s.id, billPeriod);
      if (invoiced === undefined || invoiced.isZero()) {
        leakage = leakage.plus(vendorCost);
        drafts.push(
          subscriptionFinding(
            s,
            'revenueLeakage',
            vendorCost,
            ZERO,
            vendorCost,
            `vendor cost ${vendorCost.toFixed(2)} has no customer invoice line in the period`,
          ),
        );
      }
    }
  }

  let rejectedTotal = ZERO;
  for (const row of input.rejected ?? []) {
    if (row.amount !== undefined && (currency === null || row.currency === undefined || row.currency === currency))
      rejectedTotal = rejectedTotal.plus(row.amount);
    drafts.push(rejectedFinding(row));
  }

  const billedTotal = [...input.lines, ...input.usage].reduce((sum, l) => sum.plus(l.amount), ZERO);
  // The pass is spent (used once): its maps are let go before the findings get their keys.
  releasePass(pass);
  const items = withKeys(sortDrafts(drafts));
  return {
    currency,
    billPeriod,
    items,
    totals: { billed: billedTotal, expected: expectedTotal, variance: billedTotal.minus(expectedTotal), leakage, margin, rejected: rejectedTotal },
    byCategory: totalsByCategory(items),
    billLineCount: input.lines.length + input.usage.length,
    warnings: [...(options.billPeriod || !billPeriod ? [] : periodWarnings(billPeriod)), ...unpricedWarnings(unpriced)],
  };
}

/** Terms the price sheet could not price: said once, not a finding each (a sheet may cover only some products). */
function unpricedWarnings(counts: { unknown: number; 'not-in-force': number; ambiguous: number }): string[] {
  const out: string[] = [];
  if (counts.unknown > 0)
    out.push(
      `${counts.unknown} licence subscription(s) have a product, SKU, term, plan or currency the price sheet does not list: their CRM cost was not checked`,
    );
  if (counts['not-in-force'] > 0)
    out.push(
      `${counts['not-in-force']} licence subscription(s) are in the price sheet but no row holds on their term's first day (or for their seats): their CRM cost was not checked`,
    );
  if (counts.ambiguous > 0)
    out.push(`${counts.ambiguous} licence subscription(s) have two prices in the price sheet for the same day and seats: their CRM cost was not checked`);
  return out;
}

/**
 * An inferred period of more than one month (order dates in September and October, say) expects
 * every month's charges, so the later month's flood the result as "not billed": say so, and how
 * to name the month.
 */
function periodWarnings(inferred: Period): string[] {
  const start = toYmd(inferred.start);
  const end = toYmd(inferred.end);
  const months = (end.year - start.year) * 12 + end.month - start.month;
  if (months <= 1) return [];
  return [
    `the bill's dates span ${months} months, so ${formatIso(inferred.start)} to ${formatIso((inferred.end - 1) as CalendarDate)} was reconciled as one period; name the bill's month (--period YYYY-MM) to reconcile only that month`,
  ];
}

/**
 * A bill row the importer refused: listed with the money it carried (when readable) so the report
 * says what it does not contain. Its reference is the file and row, which also keys it.
 */
function rejectedFinding(row: RejectedRow): Draft {
  const where = `${row.file ?? 'bill'} row ${row.row}`;
  const money = row.amount === undefined ? 'its amount could not be read' : `its ${row.amount.toFixed(2)}${row.currency ? ` ${row.currency}` : ''}`;
  return {
    category: 'rejectedRow',
    referenceId: where,
    billedLines: NONE,
    billedUsage: NONE,
    expectedLines: NONE,
    billedAmount: row.amount ?? ZERO,
    expectedAmount: ZERO,
    variance: row.amount ?? ZERO,
    explanation: `${where} was not read (${row.reason}); ${money} is not in this reconciliation: correct the file and import it again, or account for it by hand`,
  };
}

function subscriptionFinding(
  s: ReconSubscription,
  category: ReconCategory,
  money: Decimal,
  customer: Decimal,
  vendorCost: Decimal,
  explanation: string,
): Draft {
  return {
    category,
    subscriptionId: s.id,
    vendorSubscriptionId: s.vendorSubscriptionId,
    customerId: s.customerId,
    customerName: s.customerName,
    productName: s.offer?.productName,
    billedLines: NONE,
    billedUsage: NONE,
    expectedLines: NONE,
    billedAmount: vendorCost,
    expectedAmount: customer,
    variance: money,
    explanation,
  };
}

function sortDrafts(drafts: Draft[]): Draft[] {
  // Field by field, as the text customer \0 subscription \0 start \0 charge type \0 category \0
  // reference \0 amount would sort (\0 is below every character): building that text for each of
  // 54,000 findings was 10 MB at the run's peak memory.
  const decorated = drafts.map((d) => ({ d, amount: d.billedAmount.toFixed(2) }));
  decorated.sort((x, y) => {
    const a = x.d;
    const b = y.d;
    return (
      compareText(a.customerName ?? '', b.customerName ?? '') ||
      compareText(a.vendorSubscriptionId ?? a.subscriptionId ?? '', b.vendorSubscriptionId ?? b.subscriptionId ?? '') ||
      (a.chargeStart ?? 0) - (b.chargeStart ?? 0) ||
      compareText(a.chargeType ?? '', b.chargeType ?? '') ||
      compareText(a.category, b.category) ||
      compareText(a.referenceId ?? '', b.referenceId ?? '') ||
      compareText(x.amount, y.amount)
    );
  });
  return decorated.map((x) => x.d);
}

/** Code-unit order, as `<` compares strings. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Keys from what the finding is about, numbered when two findings are otherwise identical. The
 * key is added to each draft (drafts are this module's own): copying 20 fields into a new object
 * per item cost more than the key.
 */
function withKeys(drafts: Draft[]): ReconItem[] {
  const used = new Map<string, number>();
  for (const d of drafts) {
    const base = [
      d.category,
      d.subscriptionId ?? d.vendorSubscriptionId ?? '',
      d.chargeType ?? '',
      d.chargeStart === undefined ? '' : formatIso(d.chargeStart),
      d.referenceId ?? '',
      d.billedAmount.isNegative() ? '-' : '+',
    ].join('|');
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    (d as { key?: string }).key = n === 1 ? base : `${base}#${n}`;
  }
  return drafts as ReconItem[];
}

function totalsByCategory(items: readonly ReconItem[]): Record<ReconCategory, CategoryTotal> {
  const out = {} as Record<ReconCategory, CategoryTotal>;
  for (const c of ALL_CATEGORIES) out[c] = { count: 0, amount: ZERO };
  for (const item of items) {
    const t = out[item.category];
    out[item.category] = { count: t.count + 1, amount: t.amount.plus(item.variance) };
  }
  return out;
}
