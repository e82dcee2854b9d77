/**
 * Stale CRM cost: the vendor unit cost the CRM's ledger bills a term at, against Microsoft's price
 * sheet on the term's first day (new-commerce prices are locked for the term, so a renewal after a
 * price change pays the new price and the term before it keeps the old one). A difference is a
 * finding citing the price-sheet row, with the money it makes on the term's seats per billing cycle:
 * the CRM's cost (and every margin and expected charge computed from it) is out of date.
 */
import { formatIso, type CalendarDate, type Period } from '../calendar';
import { Decimal } from '../money';
import { expectedCharges, type ChargeLine } from '../nce/charges';
import { citePrice, type PriceBook } from '../prices/price-book';
import type { ReconItem, ReconSubscription } from './model';

export interface PriceSheetInput {
  readonly book: PriceBook;
  /** Named in each finding's citation. */
  readonly fileName?: string;
}

type Draft = Omit<ReconItem, 'key'>;

/** The term starts (a purchase or a renewal) of a subscription whose term overlaps the period. */
function termStartsIn(s: ReconSubscription, p: Period): ChargeLine[] {
  const first = s.ledger!.entries[0];
  if (!first) return [];
  const starts = expectedCharges(s.ledger!, s.offer!, { from: first.effectiveDate, to: p.end }).filter(
    (l) => l.sign === 1 && (l.chargeType === 'new' || l.chargeType === 'renew') && l.role === undefined,
  );
  // A term lasts until the next one starts: keep the one in force at the period's start (while the
  // subscription is still live then: an ended one bills nothing more) and those after.
  const before = starts.filter((l) => l.chargeStart <= p.start);
  const live = s.ledger!.stateAt(p.start).status;
  const inForce = before.length > 0 && (live === 'active' || live === 'suspended') ? [before[before.length - 1]!] : [];
  return [...inForce, ...starts.filter((l) => l.chargeStart > p.start)];
}

export function staleCostFindings(
  s: ReconSubscription,
  billPeriod: Period,
  prices: PriceSheetInput,
): { findings: Draft[]; unpriced?: 'unknown' | 'not-in-force' | 'ambiguous' } {
  if (s.kind !== 'licence' || !s.ledger || !s.offer || !s.skuId) return { findings: [] };
  const findings: Draft[] = [];
  let unpriced: 'unknown' | 'not-in-force' | 'ambiguous' | undefined;
  for (const start of termStartsIn(s, billPeriod)) {
    const found = prices.book.lookup({
      productId: start.productId,
      skuId: s.skuId,
      term: start.term,
      billingPlan: start.billingPlan,
      currency: start.pricingCurrency,
      date: start.chargeStart,
      quantity: start.billableQuantity,
    });
    if (found.kind !== 'found') {
      unpriced ??= found.kind;
      continue;
    }
    if (found.unitPrice.eq(start.unitPrice)) continue;
    const seats = start.billableQuantity;
    const perCycle = found.unitPrice.minus(start.unitPrice).times(seats);
    const day = formatIso(start.chargeStart as CalendarDate);
    findings.push({
      category: 'staleCrmCost',
      subscriptionId: s.id,
      vendorSubscriptionId: s.vendorSubscriptionId,
      customerId: s.customerId,
      customerName: s.customerName,
      productName: start.productName ?? s.offer.productName,
      chargeType: start.chargeType,
      referenceId: `price sheet row ${found.row.row}`,
      chargeStart: start.chargeStart,
      billedLines: [],
      billedUsage: [],
      expectedLines: [start],
      billedQuantity: new Decimal(seats),
      expectedQuantity: new Decimal(seats),
      billedAmount: found.unitPrice.times(seats),
      expectedAmount: start.unitPrice.times(seats),
      variance: perCycle,
      explanation: `the CRM's vendor unit cost ${start.unitPrice.toFixed(2)} ${start.pricingCurrency} for the term from ${day} differs from Microsoft's price when that term ${start.chargeType === 'renew' ? 'renewed' : 'began'}: ${found.unitPrice.toFixed(2)} (${citePrice(found.row, prices.fileName)}); ${seats} seat${seats === 1 ? '' : 's'}: ${perCycle.toFixed(2)} a billing cycle. Update the CRM cost (a price change on the ledger from ${day}).`,
    });
  }
  return unpriced ? { findings, unpriced } : { findings };
}
