import {
  formatIso,
  isExplained,
  ROUNDING_RULE_LABELS,
  prepareReconciliation,
  reconcile,
  revenueSource,
  type PreparedReconciliation,
  type ReconOptions,
  type ReconSubscription,
  sha256Hex,
  type RevenueLine,
  type BillLine,
  type Decimal,
  type Period,
  type ReconCategory,
  type ReconItem,
  type ReconResult,
  type RejectedRow,
  type UsageAggregate,
  type PriceSheetInput,
} from '../../../core/src';
import { CspbDiscrepancyCategoryKeys } from '../../generated';
import type { EntityRecord } from '../client/types';
import { reconSubscriptionsFromRows, type ReconRows } from '../mappers';
import { MONEY_PLACES, roundedToWebApi } from '../mappers/values';
import { clipTo } from './lengths';

/**
 * The one reconciliation: `npm run reconcile` (a snapshot and bill files) and the Dynamics
 * reconciliation run (rows and imported lines read through the Web API) both call this, and both
 * store or print a finding through `discrepancyRow`, so the same org and bills give the same
 * discrepancies to the cent.
 */
export interface ReconRunInput {
  readonly rows: ReconRows;
  readonly lines: readonly BillLine[];
  readonly usage: readonly UsageAggregate[];
  readonly tolerancePerUnit?: Decimal;
  readonly billPeriod?: Period;
  /**
   * What customers were invoiced (issued invoice lines): with it, a subscription with vendor cost
   * and no customer line in the bill period is revenue leakage. Without it leakage is not assessed
   * (a partner that does not invoice from the suite would see every subscription as leakage).
   */
  readonly revenue?: readonly RevenueLine[];
  /** Bill rows the importer refused (the CLI's import result, an import row's stored list): each is a finding. */
  readonly rejected?: readonly RejectedRow[];
  /** Microsoft's price sheet: each licence term's CRM cost is checked against it (stale CRM cost findings). */
  readonly prices?: PriceSheetInput;
}

/**
 * The licence pass of a run made before its usage is known (the CLI, while worker threads read a
 * large usage file): runReconciliation uses it when given the same rows, lines and options.
 */
export interface PreparedRun {
  readonly from: Omit<ReconRunInput, 'usage' | 'rejected'>;
  readonly subscriptions: readonly ReconSubscription[];
  readonly options: ReconOptions;
  readonly pass: PreparedReconciliation;
}

export function prepareRun(input: Omit<ReconRunInput, 'usage' | 'rejected'>): PreparedRun {
  const subscriptions = reconSubscriptionsFromRows(input.rows);
  const options = reconOptionsOf(input);
  return { from: input, subscriptions, options, pass: prepareReconciliation({ lines: input.lines, subscriptions, options }) };
}

export function runReconciliation(input: ReconRunInput, prepared?: PreparedRun): ReconResult {
  // A prepared pass made from other rows or options is not this run's (the core checks the lines and the usage).
  const from = prepared?.from;
  const same =
    from !== undefined &&
    from.rows === input.rows &&
    from.billPeriod === input.billPeriod &&
    from.tolerancePerUnit === input.tolerancePerUnit &&
    from.revenue === input.revenue &&
    from.prices === input.prices;
  const subscriptions = same ? prepared!.subscriptions : reconSubscriptionsFromRows(input.rows);
  const options = same ? prepared!.options : reconOptionsOf(input);
  return reconcile(
    {
      lines: input.lines,
      usage: input.usage,
      subscriptions,
      ...(input.rejected?.length ? { rejected: input.rejected } : {}),
      options,
    },
    same ? prepared!.pass : undefined,
  );
}

function reconOptionsOf(input: Omit<ReconRunInput, 'usage' | 'rejected' | 'rows' | 'lines'>): ReconOptions {
  return {
    ...(input.billPeriod ? { billPeriod: input.billPeriod } : {}),
    ...(input.tolerancePerUnit ? { tolerancePerUnit: input.tolerancePerUnit } : {}),
    ...(input.revenue ? { customerRevenue: revenueSource(input.revenue) } : {}),
    ...(input.prices ? { prices: input.prices } : {}),
  };
}

/** Finding category -> cspb_category option, from the schema's core keys (the compile fails if a category has no option). */
export const CATEGORY = Object.fromEntries(CspbDiscrepancyCategoryKeys) as Readonly<Record<ReconCategory, number>>;
type UnmappedCategory = Exclude<ReconCategory, (typeof CspbDiscrepancyCategoryKeys)[number][0]>;
const everyCategoryMapped: [UnmappedCategory] extends [never] ? true : UnmappedCategory = true;
void everyCategoryMapped;

/**
 * The stored key of a finding: a fixed-length hash of its whole identity. Two findings whose
 * identities differ only at their end (the wipe and recreate lines of one seat change) must not
 * collide, as a key cut to the column's length did.
 */
export function discrepancyKeyOf(item: ReconItem): string {
  return sha256Hex(new TextEncoder().encode(item.key));
}

/** The findings a run stores (every item not explained by an exact or in-tolerance match), in key order. */
export function storedFindings(result: ReconResult): Array<{ key: string; item: ReconItem }> {
  return result.items
    .filter((item) => !isExplained(item.category))
    .map((item) => ({ key: discrepancyKeyOf(item), item }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

const money = (d: Decimal | undefined) => roundedToWebApi(d, 'money column', MONEY_PLACES);
const qty = (d: Decimal | undefined) => roundedToWebApi(d, 'decimal column', 10);
const TABLE = 'cspb_discrepancy';

/** What a run knows beyond the finding: its row, the currency, and which rows a lookup may bind. */
export interface DiscrepancyContext {
  readonly runId: string;
  readonly currency: string;
  readonly subscriptionIds: ReadonlySet<string>;
  readonly accountIds: ReadonlySet<string>;
}

/** A finding as its cspb_discrepancy row (status and note are finance's: never written here). */
export function discrepancyRow(item: ReconItem, key: string, ctx: DiscrepancyContext): EntityRecord {
  const name = `${item.category} ${item.vendorSubscriptionId ?? item.subscriptionId ?? ''} ${item.chargeType ?? ''}`.trim();
  return {
    cspb_name: clipTo(TABLE, 'cspb_name', name),
    'cspb_RunId@odata.bind': `/cspb_reconciliationruns(${ctx.runId})`,
    cspb_discrepancykey: key,
    cspb_category: CATEGORY[item.category],
    'cspb_SubscriptionId@odata.bind':
      item.subscriptionId && ctx.subscriptionIds.has(item.subscriptionId) ? `/cspb_subscriptions(${item.subscriptionId})` : null,
    'cspb_CustomerId@odata.bind': item.customerId && ctx.accountIds.has(item.customerId) ? `/accounts(${item.customerId})` : null,
    cspb_vendorsubscriptionid: clipTo(TABLE, 'cspb_vendorsubscriptionid', item.vendorSubscriptionId),
    cspb_referenceid: clipTo(TABLE, 'cspb_referenceid', item.referenceId),
    cspb_chargetype: clipTo(TABLE, 'cspb_chargetype', item.chargeType),
    cspb_expectedquantity: qty(item.expectedQuantity),
    cspb_billedquantity: qty(item.billedQuantity),
    cspb_expectedamount: money(item.expectedAmount),
    cspb_billedamount: money(item.billedAmount),
    cspb_variance: money(item.variance),
    cspb_margin: money(item.margin),
    cspb_customername: clipTo(TABLE, 'cspb_customername', item.customerName ?? item.billedLines[0]?.customerName ?? item.billedUsage[0]?.customerName),
    cspb_productname: clipTo(TABLE, 'cspb_productname', item.productName ?? item.billedUsage[0]?.productName ?? item.expectedLines[0]?.productName),
    cspb_chargestartdate: item.chargeStart === undefined ? null : formatIso(item.chargeStart),
    cspb_chargeenddate: item.chargeEndInclusive === undefined ? null : formatIso(item.chargeEndInclusive),
    cspb_effectiveunitprice: money(item.billedLines[0]?.effectiveUnitPrice),
    cspb_rule: item.rule ? ROUNDING_RULE_LABELS[item.rule] : null,
    cspb_currencycode: ctx.currency,
    cspb_explanation: clipTo(TABLE, 'cspb_explanation', item.explanation),
  };
}
