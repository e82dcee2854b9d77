import { parseDate, type CalendarDate, type Period } from '../../../core/src/calendar';
import type { UsageAggregate } from '../../../core/src/import/types';
import type { BillingContract, Invoice, InvoiceLine } from '../../../core/src/invoicing';
import { LedgerEntryInput, SubscriptionLedger } from '../../../core/src/ledger';
import { Decimal } from '../../../core/src/money';

export const d = (iso: string): CalendarDate => parseDate(iso);
export const period = (start: string, end: string): Period => ({ start: d(start), end: d(end) });

/** Monthly, calendar month, in advance, net 30, daily proration both ways, half-up, no tax. */
export function contract(over: Partial<BillingContract> = {}): BillingContract {
  return {
    id: 'C-1',
    customerId: 'acct-1',
    customerName: 'Contoso',
    currency: 'USD',
    frequency: 'monthly',
    anchor: { kind: 'calendarMonth' },
    timing: 'advance',
    startDate: d('2024-01-01'),
    paymentTerms: { kind: 'net', days: 30 },
    proration: { increase: 'daily', decrease: 'daily' },
    rounding: 'halfUp',
    priceList: { id: 'PL', prices: { M365BS: { currency: 'USD', unitPrice: '12.00' } } },
    tax: { rates: [] },
    ...over,
  };
}

export function ledger(id: string, entries: readonly Omit<LedgerEntryInput, 'referenceId'>[]): SubscriptionLedger {
  return SubscriptionLedger.of(
    id,
    entries.map((e, i) => ({ productId: 'M365BS', ...e, referenceId: `${id}-${i}` }) as LedgerEntryInput),
  );
}

/** amount as fixed text, for readable expectations */
export const amounts = (inv: Invoice, type?: InvoiceLine['type']): string[] =>
  inv.lines.filter((l) => type === undefined || l.type === type).map((l) => l.amount.toFixed());

export const byKey = (inv: Invoice, key: string): InvoiceLine => {
  const found = inv.lines.find((l) => l.key === key);
  if (!found) throw new Error(`no line ${key} in ${inv.lines.map((l) => l.key).join(', ')}`);
  return found;
};

export const sum = (xs: readonly Decimal[]): Decimal => xs.reduce((s, x) => s.plus(x), new Decimal(0));

export function usage(over: Partial<UsageAggregate> & { amount: Decimal; subscriptionId: string; period: Period }): UsageAggregate {
  return {
    kind: 'usage',
    format: 'nce-daily-usage',
    firstRow: 2,
    meterId: 'meter-vm',
    meterName: 'D2s v5',
    rowCount: 29,
    chargeType: 'new',
    chargeTypeKey: 'new',
    chargeStart: over.period.start,
    chargeEndInclusive: (over.period.end - 1) as CalendarDate,
    currency: 'USD',
    firstUsageDate: over.period.start,
    lastUsageDate: (over.period.end - 1) as CalendarDate,
    quantity: new Decimal('720'),
    ...over,
  } as UsageAggregate;
}
