/**
 * Renewals coming up: the subscriptions whose term ends soon, with whether they renew by themselves
 * and the unit price and cost they would renew at. A partner acts on these before the renewal date
 * (turn auto-renew off, move to another term, re-price), so they are bucketed by how soon.
 *
 * A term's last day is inclusive (cspb_termenddate, Partner Center's new-commerce commitmentEndDate);
 * the renewal is the next day. Buckets are disjoint: "7" is 1..7 days until the renewal, "30" 8..30,
 * "60" 31..60. A term that ended before the as-of date is not upcoming (its data is stale, which
 * the drift report shows), and only active subscriptions renew: suspended and ended ones do not.
 */
import { addDays, daysBetween, type CalendarDate } from '../calendar';
import type { Decimal } from '../money';
import { gridEnd, gridIndexContaining } from '../nce/charge-dates';
import { TERM_MONTHS, type Term } from '../nce/terms';
import { crmStatusOf, type CrmSubscription, type CrmSubscriptionStatus } from './drift';
import type { PcSubscription } from './partner-center-subscriptions';

export interface RenewalInput {
  readonly vendorSubscriptionId: string;
  readonly name: string;
  readonly customer: string;
  readonly status: CrmSubscriptionStatus;
  readonly quantity: number;
  /** The current term's last day, inclusive; null when unknown (never renews in this report). */
  readonly termEnd: CalendarDate | null;
  readonly autoRenew: boolean | null;
  readonly customerUnitPrice?: Decimal;
  readonly vendorUnitCost?: Decimal;
  readonly currency?: string;
}

export type RenewalBucket = 7 | 30 | 60;
export const RENEWAL_BUCKETS: readonly RenewalBucket[] = [7, 30, 60];

export interface Renewal extends RenewalInput {
  /** The first day of the next term: termEnd + 1. */
  readonly renewsOn: CalendarDate;
  readonly daysUntil: number;
  readonly bucket: RenewalBucket;
}

export interface RenewalReport {
  readonly asOf: CalendarDate;
  /** Each bucket sorted by renewal date, then subscription id. */
  readonly buckets: Readonly<Record<RenewalBucket, readonly Renewal[]>>;
}

export function renewalsDue(subscriptions: readonly RenewalInput[], asOf: CalendarDate): RenewalReport {
  const buckets: Record<RenewalBucket, Renewal[]> = { 7: [], 30: [], 60: [] };
  for (const s of subscriptions) {
    if (s.status !== 'active' || s.termEnd === null) continue;
    const renewsOn = addDays(s.termEnd, 1);
    const daysUntil = daysBetween(asOf, renewsOn);
    const bucket = RENEWAL_BUCKETS.find((b) => daysUntil >= 1 && daysUntil <= b);
    if (bucket !== undefined) buckets[bucket].push({ ...s, renewsOn, daysUntil, bucket });
  }
  for (const list of Object.values(buckets))
    list.sort(
      (a, b) => a.renewsOn - b.renewsOn || (a.vendorSubscriptionId < b.vendorSubscriptionId ? -1 : a.vendorSubscriptionId > b.vendorSubscriptionId ? 1 : 0),
    );
  return { asOf, buckets };
}

/**
 * Renewal inputs from both sides: where a subscription is paired, Microsoft's term end, auto-renew,
 * seats and status (what will actually happen at Microsoft) with the CRM's name and prices (what the
 * partner will bill and pay); unpaired ones as their own side has them (Microsoft's without prices).
 */
export function renewalInputs(microsoft: readonly PcSubscription[], crm: readonly CrmSubscription[]): RenewalInput[] {
  const byId = new Map(crm.filter((c) => c.vendorSubscriptionId).map((c) => [c.vendorSubscriptionId!.trim().toLowerCase(), c]));
  const used = new Set<CrmSubscription>();
  const out: RenewalInput[] = [];
  for (const ms of microsoft) {
    const row = byId.get(ms.id.trim().toLowerCase());
    if (row) used.add(row);
    out.push({
      vendorSubscriptionId: ms.id,
      name: row?.name ?? ms.friendlyName ?? ms.offerName ?? ms.offerId,
      customer: row?.customer ?? ms.customerId ?? '',
      // "none" is no status at all: such a subscription is not counted as renewing.
      status: crmStatusOf(ms.status) ?? 'expired',
      quantity: ms.quantity,
      termEnd: ms.termEnd,
      autoRenew: ms.autoRenewEnabled,
      ...prices(row),
    });
  }
  for (const row of crm.filter((c) => !used.has(c)))
    out.push({
      vendorSubscriptionId: row.vendorSubscriptionId ?? row.id,
      name: row.name,
      customer: row.customer,
      status: row.status,
      quantity: row.quantity,
      termEnd: row.termEnd,
      autoRenew: row.autoRenew,
      ...prices(row),
    });
  return out;
}

function prices(row: CrmSubscription | undefined): Pick<RenewalInput, 'customerUnitPrice' | 'vendorUnitCost' | 'currency'> {
  if (!row) return {};
  return {
    ...(row.customerUnitPrice !== undefined ? { customerUnitPrice: row.customerUnitPrice } : {}),
    ...(row.vendorUnitCost !== undefined ? { vendorUnitCost: row.vendorUnitCost } : {}),
    ...(row.currency !== undefined ? { currency: row.currency } : {}),
  };
}

/**
 * The last day (inclusive) of the term in force on `asOf`, for a CRM row that knows its term start
 * and term but not its end. Terms follow each other on Microsoft's grid from the start date
 * (charge-dates.ts): bought Jan 31 on P1M ends Feb 28 (Feb 29 in a leap year); bought on the 1st ends
 * on the last day of a month. Before the start, the first term's end.
 */
export function termEndAt(termStart: CalendarDate, term: Term, asOf: CalendarDate): CalendarDate {
  const months = TERM_MONTHS[term];
  if (asOf < termStart) return gridEnd(termStart, months);
  const termIndex = Math.floor(gridIndexContaining(termStart, asOf) / months);
  return gridEnd(termStart, (termIndex + 1) * months);
}
