import { addDays, dateOf, Decimal, roundHalfUp, subtotalUnder, toDecimal, type CalendarDate, type ReconCategory } from '../../core/src';
import { CATALOGUE } from './catalogue';
import { type BillRow } from './bill';
import type { SamplePartner, SampleSubscription } from './partner';
import type { Random } from './random';
import type { UsageTotal } from './usage';

/** One finding the reconciliation must report, with its money, as planted. */
export interface PlantedFinding {
  readonly category: ReconCategory;
  readonly vendorSubscriptionId: string;
  readonly chargeType?: string;
  /** Billed minus expected (or the finding's own money), to the cent. */
  readonly variance: string;
  readonly note: string;
}

const money = (d: Decimal) => d.toFixed(2);

/**
 * Plants one discrepancy of every kind into an otherwise clean month: edits Microsoft's bill rows
 * or CRM's ledger, and records what reconciliation must then find. Each planting uses its own
 * subscription, so findings never overlap.
 */
export function plantDiscrepancies(partner: SamplePartner, rows: BillRow[], usageTotals: readonly UsageTotal[], rng: Random): PlantedFinding[] {
  const found: PlantedFinding[] = [];
  const used = new Set<SampleSubscription>();
  const rowsOf = (s: SampleSubscription) => rows.filter((r) => r.subscription === s);
  /** Next unused subscription whose October bill is exactly one full-cycle charge (of a USD customer when `usd`). */
  const singleCycleCharge = (usd = false): [SampleSubscription, BillRow] => {
    for (const s of partner.subscriptions) {
      const own = rowsOf(s);
      if (used.has(s) || own.length !== 1 || !['renew', 'cycleCharge'].includes(own[0]!.chargeType)) continue;
      if (usd && s.customer.currency !== 'USD') continue;
      used.add(s);
      return [s, own[0]!];
    }
    throw new Error('sample too small: no unused subscription with a single cycle charge');
  };

  {
    const [s, row] = singleCycleCharge();
    const line = row.source!;
    const old = toDecimal(row.subtotal);
    row.quantity += 2;
    const updated = line.effectiveUnitPriceTruncated.times(row.quantity);
    row.subtotal = money(updated);
    found.push({
      category: 'quantityMismatch',
      vendorSubscriptionId: s.vendorSubscriptionId!,
      chargeType: row.chargeType,
      variance: money(updated.minus(old)),
      note: 'Microsoft billed 2 seats more than CRM has',
    });
  }
  {
    const [s, row] = singleCycleCharge();
    const line = row.source!;
    const old = toDecimal(row.subtotal);
    const raised = line.unitPrice.plus('0.60');
    const updated = subtotalUnder(line.rule, {
      unitPrice: raised,
      proration: line.proration,
      sign: line.sign,
      quantity: line.billableQuantity,
      exchangeRate: line.exchangeRate,
    });
    row.unitPrice = money(raised);
    row.effectiveUnitPrice = money(raised);
    row.subtotal = money(updated);
    found.push({
      category: 'priceMismatch',
      vendorSubscriptionId: s.vendorSubscriptionId!,
      chargeType: row.chargeType,
      variance: money(updated.minus(old)),
      note: 'Microsoft raised the price by 0.60; CRM missed it',
    });
  }
  {
    const [s, row] = singleCycleCharge();
    row.chargeEnd = addDays(row.chargeEnd as CalendarDate, 1);
    found.push({
      category: 'dateMismatch',
      vendorSubscriptionId: s.vendorSubscriptionId!,
      chargeType: row.chargeType,
      variance: '0.00',
      note: 'charge period ends a day late',
    });
  }
  {
    const [s, row] = singleCycleCharge();
    row.subtotal = money(toDecimal(row.subtotal).plus('0.01'));
    found.push({
      category: 'withinTolerance',
      vendorSubscriptionId: s.vendorSubscriptionId!,
      chargeType: row.chargeType,
      variance: '0.01',
      note: 'a cent of rounding',
    });
  }
  {
    const [s, row] = singleCycleCharge();
    rows.splice(rows.indexOf(row), 1);
    found.push({
      category: 'notBilled',
      vendorSubscriptionId: s.vendorSubscriptionId!,
      chargeType: row.chargeType,
      variance: money(toDecimal(row.subtotal).negated()),
      note: 'Microsoft did not bill an active subscription',
    });
  }
  {
    const [s, row] = singleCycleCharge();
    rows.splice(rows.indexOf(row) + 1, 0, { ...row });
    found.push({
      category: 'duplicateCharge',
      vendorSubscriptionId: s.vendorSubscriptionId!,
      chargeType: row.chargeType,
      variance: row.subtotal,
      note: 'the same charge twice',
    });
  }
  {
    const [s, row] = singleCycleCharge();
    rows.push({
      ...row,
      chargeType: 'activationFee',
      quantity: 1,
      unitPrice: '25.00',
      effectiveUnitPrice: '25.00',
      subtotal: '25.00',
      chargeStart: dateOf(2026, 10, 15),
      chargeEnd: dateOf(2026, 10, 15),
      referenceId: rng.guid(),
      orderId: 'ORD-FEE',
      orderDate: dateOf(2026, 10, 15),
      source: undefined,
    });
    found.push({
      category: 'unexpectedChargeType',
      vendorSubscriptionId: s.vendorSubscriptionId!,
      chargeType: 'activationFee',
      variance: '25.00',
      note: 'a charge type no ledger change causes',
    });
  }
  {
    // Microsoft kept billing a subscription CRM cancelled inside the 7-day window after its September renewal.
    const s = partner.subscriptions.find(
      (x) =>
        !used.has(x) && x.offer.term === 'P1M' && x.crmEntries.length === 1 && x.crmEntries[0]!.effectiveDate < dateOf(2026, 8, 25) && rowsOf(x).length === 1,
    );
    if (!s) throw new Error('sample too small: no unused monthly-term subscription bought before 2026-08-25 to cancel');
    used.add(s);
    const renewal = addDays(s.crmEntries[0]!.effectiveDate, 31);
    s.crmEntries.push({ kind: 'cancel', effectiveDate: addDays(renewal, 1), referenceId: rng.guid(), source: 'form', reason: 'customer left' });
    const row = rowsOf(s)[0]!;
    found.push({
      category: 'cancelledButBilled',
      vendorSubscriptionId: s.vendorSubscriptionId!,
      chargeType: row.chargeType,
      variance: row.subtotal,
      note: 'cancelled in CRM in September, still renewed by Microsoft',
    });
  }
  {
    // A margin compares the customer price with Microsoft's cost: only in one currency (a USD contract).
    const [s, row] = singleCycleCharge(true);
    s.customerUnitPrice = roundHalfUp(toDecimal(s.offer.unitCost).times('0.9'), 2).toFixed(2);
    const vendorCost = toDecimal(row.subtotal);
    const customer = roundHalfUp(vendorCost.times(s.customerUnitPrice).div(s.offer.unitCost), 2);
    found.push({
      category: 'negativeMargin',
      vendorSubscriptionId: s.vendorSubscriptionId!,
      // Billed (cost) minus expected (what the customer pays): the margin lost, as a positive variance.
      variance: money(vendorCost.minus(customer)),
      note: 'sold at 90% of cost',
    });
  }
  {
    const ghost = { customerId: rng.guid(), name: 'Unlisted Customer Ltd', subscriptionId: rng.guid() };
    const template = rows[0]!;
    rows.push({
      ...template,
      subscription: null,
      customerId: ghost.customerId,
      customerName: ghost.name,
      customerDomain: 'unlisted.onmicrosoft.com',
      subscriptionId: ghost.subscriptionId,
      chargeType: 'new',
      productId: 'CFQ7TTC0LDPB',
      skuId: '0001',
      productName: 'Microsoft 365 Business Standard',
      unitPrice: '15.00',
      effectiveUnitPrice: '15.00',
      quantity: 5,
      subtotal: '75.00',
      orderDate: dateOf(2026, 10, 3),
      chargeStart: dateOf(2026, 10, 3),
      chargeEnd: dateOf(2026, 11, 2),
      term: 'P1M',
      billingFrequency: 'Monthly',
      referenceId: rng.guid(),
      orderId: 'ORD-GHOST',
      source: undefined,
    });
    found.push({
      category: 'unknownInCrm',
      vendorSubscriptionId: ghost.subscriptionId,
      chargeType: 'new',
      variance: '75.00',
      note: 'a customer CRM does not know',
    });
  }
  {
    // Two annual Business Premium subscriptions CRM has not linked to Microsoft's ids yet, and a third one billed.
    const premium = CATALOGUE.find((o) => o.key === 'premium-ya')!;
    const customer = partner.customers.find(
      (c) => c.contractId && !partner.subscriptions.some((s) => s.customer === c && s.offer.productId === premium.productId),
    )!;
    for (const day of [5, 20]) {
      const entries = [
        {
          kind: 'new' as const,
          effectiveDate: dateOf(2026, 8, day),
          referenceId: rng.guid(),
          quantityDelta: 3,
          productId: premium.productId,
          productName: premium.name,
          unitPrice: premium.unitCost,
          term: premium.term!,
          billingPlan: 'annual' as const,
          source: 'form' as const,
        },
      ];
      partner.subscriptions.push({
        id: rng.guid(),
        customer,
        offer: premium,
        vendorSubscriptionId: null,
        customerUnitPrice: '316.80',
        crmEntries: entries,
        msEntries: [...entries],
      });
    }
    const billedId = rng.guid();
    rows.push({
      subscription: null,
      customerId: customer.tenantId,
      customerName: customer.name,
      customerDomain: customer.domain,
      subscriptionId: billedId,
      orderId: 'ORD-PREMIUM',
      orderDate: dateOf(2026, 10, 14),
      productId: premium.productId,
      skuId: premium.skuId,
      productName: premium.name,
      chargeType: 'new',
      unitPrice: '264.00',
      effectiveUnitPrice: '264.00',
      quantity: 3,
      subtotal: '792.00',
      chargeStart: dateOf(2026, 10, 14),
      chargeEnd: dateOf(2027, 10, 13),
      term: 'P1Y',
      billingFrequency: 'Annual',
      referenceId: rng.guid(),
    });
    found.push({
      category: 'ambiguousMatch',
      vendorSubscriptionId: billedId,
      chargeType: 'new',
      variance: '792.00',
      note: 'two CRM subscriptions of one product and customer could be it',
    });
  }
  for (const total of usageTotals) {
    const s = partner.subscriptions.find((x) => x.vendorSubscriptionId === total.subscriptionId)!;
    if (s.customer.contractId) continue;
    found.push({
      category: 'usageWithoutContract',
      vendorSubscriptionId: total.subscriptionId,
      chargeType: 'new',
      variance: money(total.amount),
      note: `meter ${total.meterId}: usage no contract re-bills`,
    });
  }
  return found;
}
