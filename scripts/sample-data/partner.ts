import { addDays, checkSeatDecrease, dateOf, roundHalfUp, SubscriptionLedger, toDecimal, type CalendarDate, type LedgerEntryInput } from '../../core/src';
import { CATALOGUE, CUSTOMER_NAMES, TRIENNIAL_OFFER, type CatalogueOffer, type ContractCurrency } from './catalogue';
import type { Random } from './random';

export interface SampleCustomer {
  readonly id: string;
  readonly name: string;
  readonly tenantId: string;
  readonly domain: string;
  /** Customers without a billing contract are invoiced by nobody: their usage is leakage waiting to happen. */
  readonly contractId: string | null;
  /** The contract's invoice currency (prices are kept in USD here and converted in the snapshot). */
  readonly currency: ContractCurrency;
}

export interface SampleSubscription {
  readonly id: string;
  readonly customer: SampleCustomer;
  readonly offer: CatalogueOffer;
  /** Empty when CRM has not learnt Microsoft's id yet. */
  vendorSubscriptionId: string | null;
  customerUnitPrice: string;
  /** What CRM's ledger records. */
  crmEntries: LedgerEntryInput[];
  /** What Microsoft's systems did (the bill is derived from these); equal to crmEntries unless a planting says otherwise. */
  msEntries: LedgerEntryInput[];
}

export interface SamplePartner {
  readonly customers: SampleCustomer[];
  readonly subscriptions: SampleSubscription[];
}

/** History starts here: three months of ledger before the billed month. */
export const HISTORY_START = dateOf(2026, 8, 1);
/** The billed month: October 2026. */
export const BILL_MONTH = { start: dateOf(2026, 10, 1), end: dateOf(2026, 11, 1) };

const LICENCE_OFFERS = CATALOGUE.filter((o) => o.billingPlan !== 'usage' && o.key !== 'premium-ya');
const AZURE = CATALOGUE.find((o) => o.key === 'azure')!;

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/** A seat history that Microsoft's rules allow: adds any time, removals only inside the 7-day window. */
function history(rng: Random, offer: CatalogueOffer, vendorId: string): LedgerEntryInput[] {
  const purchase = addDays(HISTORY_START, rng.int(0, 80)) as CalendarDate;
  let quantity = rng.int(5, 50);
  const entries: LedgerEntryInput[] = [
    {
      kind: 'new',
      effectiveDate: purchase,
      referenceId: rng.guid(),
      quantityDelta: quantity,
      productId: offer.productId,
      productName: offer.name,
      unitPrice: offer.unitCost,
      term: offer.term ?? undefined,
      billingPlan: offer.billingPlan === 'usage' ? undefined : offer.billingPlan,
      source: 'sync',
    },
  ];
  let date = purchase;
  for (let i = rng.int(0, 3); i > 0; i--) {
    date = addDays(date, rng.int(1, 12)) as CalendarDate;
    if (date >= BILL_MONTH.end) break;
    const remove = rng.chance(0.35) && quantity > 3;
    if (remove) {
      const seats = rng.int(1, Math.min(5, quantity - 1));
      const ledger = SubscriptionLedger.of(vendorId, entries);
      if (!checkSeatDecrease(ledger, date, seats).allowed) continue;
      quantity -= seats;
      entries.push({ kind: 'remove', effectiveDate: date, referenceId: rng.guid(), quantityAfter: quantity, source: 'form', reason: 'leaver' });
    } else {
      quantity += rng.int(1, 10);
      entries.push({ kind: 'add', effectiveDate: date, referenceId: rng.guid(), quantityAfter: quantity, source: 'form', reason: 'new starters' });
    }
  }
  return entries;
}

/** Customer 22 has no billing contract in the planted sample: its Azure usage is re-billed by nobody. */
function contractFor(index: number, id: string, everyone: boolean): string | null {
  return index === 22 && !everyone ? null : id;
}

/** Variety: every fifth customer from the second invoices in EUR, from the fourth in JPY. */
function currencyFor(index: number, variety: boolean): ContractCurrency {
  return !variety ? 'USD' : index % 5 === 1 ? 'EUR' : index % 5 === 3 ? 'JPY' : 'USD';
}

/**
 * 25 customers, 108 licence subscriptions and 12 Azure plans, each with a valid ledger. With
 * `variety`, some contracts invoice in EUR and JPY and every sixth customer's first licence is a
 * three-year triennial-billed offer (the random draws are the same, so the bill's shape is too).
 */
export function buildPartner(rng: Random, options: { everyCustomerContracted: boolean; variety?: boolean }): SamplePartner {
  const customers: SampleCustomer[] = CUSTOMER_NAMES.map((name, i) => ({
    id: rng.guid(),
    name,
    tenantId: rng.guid(),
    domain: `${slug(name)}.onmicrosoft.com`,
    contractId: contractFor(i, rng.guid(), options.everyCustomerContracted),
    currency: currencyFor(i, options.variety === true),
  }));
  const subscriptions: SampleSubscription[] = [];
  customers.forEach((customer, i) => {
    const licences = 4 + (i % 3 === 0 && i < 24 ? 1 : 0);
    for (let n = 0; n < licences; n++) {
      const picked = rng.pick(LICENCE_OFFERS);
      const offer = options.variety && n === 0 && i % 6 === 5 ? TRIENNIAL_OFFER : picked;
      const vendorId = rng.guid();
      const entries = history(rng, offer, vendorId);
      const price = roundHalfUp(toDecimal(offer.unitCost).times('1.2'), 2).toFixed(2);
      subscriptions.push({
        id: rng.guid(),
        customer,
        offer,
        vendorSubscriptionId: vendorId,
        customerUnitPrice: price,
        crmEntries: entries,
        msEntries: [...entries],
      });
    }
    if (i % 2 === 0 && i < 24) {
      subscriptions.push({ id: rng.guid(), customer, offer: AZURE, vendorSubscriptionId: rng.guid(), customerUnitPrice: '0', crmEntries: [], msEntries: [] });
    }
  });
  return { customers, subscriptions };
}
