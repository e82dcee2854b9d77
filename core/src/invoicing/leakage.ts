import { intersectPeriods, Period, periodDays } from '../calendar';
import { Decimal } from '../money';
import type { CustomerRevenueSource } from '../reconcile/model';
import type { Invoice, InvoiceLineType } from './model';

/** One customer invoice line as revenue: what leakage needs of it, however it was stored. */
export interface RevenueLine {
  readonly subscriptionId: string;
  readonly type: InvoiceLineType;
  readonly servicePeriod: Period;
  readonly amount: Decimal;
}

/** The non-tax subscription lines of the documents (issued ones only, unless drafts are asked for). */
export function revenueLinesOf(invoices: readonly Invoice[], options: RevenueSourceOptions = {}): RevenueLine[] {
  return invoices
    .filter((inv) => inv.status === 'issued' || options.includeDrafts)
    .flatMap((inv) =>
      inv.lines.flatMap((l) =>
        l.subscriptionId === undefined ? [] : [{ subscriptionId: l.subscriptionId, type: l.type, servicePeriod: l.servicePeriod, amount: l.amount }],
      ),
    );
}

export interface RevenueSourceOptions {
  /** Count draft documents too (default false: only issued invoices and credit notes are revenue). */
  readonly includeDrafts?: boolean;
}

/**
 * What customers were invoiced, for the reconciliation engine's revenue-leakage check
 * (`ReconOptions.customerRevenue`). billedToCustomer(subscriptionId, period) is the sum, over the
 * non-tax lines of that subscription (credits and discounts included), of each line's amount x the
 * days its service period shares with `period` / its service days. It is undefined when no line of
 * the subscription touches the period — vendor cost with no customer line is revenue leakage —
 * and zero when what was billed was credited back.
 */
export function invoiceRevenueSource(invoices: readonly Invoice[], options: RevenueSourceOptions = {}): CustomerRevenueSource {
  return revenueSource(revenueLinesOf(invoices, options));
}

/** The same source from revenue lines (invoice lines read back from Dataverse or a file). */
export function revenueSource(lines: readonly RevenueLine[]): CustomerRevenueSource {
  const bySubscription = new Map<string, { period: Period; amount: Decimal }[]>();
  for (const l of lines) {
    if (l.type === 'tax') continue;
    const list = bySubscription.get(l.subscriptionId) ?? [];
    list.push({ period: l.servicePeriod, amount: l.amount });
    bySubscription.set(l.subscriptionId, list);
  }
  return {
    billedToCustomer(subscriptionId: string, period: Period): Decimal | undefined {
      let total: Decimal | undefined;
      for (const l of bySubscription.get(subscriptionId) ?? []) {
        const shared = intersectPeriods(l.period, period);
        if (!shared) continue;
        const share = l.amount.times(periodDays(shared)).div(periodDays(l.period));
        total = (total ?? new Decimal(0)).plus(share);
      }
      return total;
    },
  };
}
