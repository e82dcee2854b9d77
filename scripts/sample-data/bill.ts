import { expectedCharges, formatUs, SubscriptionLedger, type ChargeLine, type NceOffer } from '../../core/src';
import { BILL_MONTH, type SamplePartner, type SampleSubscription } from './partner';

/** One row of Microsoft's new-commerce invoice reconciliation file, as the sample writes it. */
export interface BillRow {
  subscription: SampleSubscription | null;
  customerId: string;
  customerName: string;
  customerDomain: string;
  subscriptionId: string;
  orderId: string;
  orderDate: number;
  productId: string;
  skuId: string;
  productName: string;
  chargeType: string;
  unitPrice: string;
  effectiveUnitPrice: string;
  quantity: number;
  subtotal: string;
  chargeStart: number;
  chargeEnd: number;
  term: string;
  billingFrequency: string;
  referenceId: string;
  /** The charge line Microsoft's arithmetic gave (absent for planted rows). */
  source?: ChargeLine;
}

export const INVOICE_NUMBER = 'G0000012345';
export const PARTNER_ID = '3c1a9a42-6f5e-4b53-8d1f-2f0d4b7e9a10';

export function nceOffer(s: SampleSubscription): NceOffer {
  if (s.offer.term === null || s.offer.billingPlan === 'usage') throw new Error(`${s.offer.key} is not a licence offer`);
  return {
    productId: s.offer.productId,
    productName: s.offer.name,
    term: s.offer.term,
    billingPlan: s.offer.billingPlan,
    unitPrice: s.offer.unitCost,
    pricingCurrency: 'USD',
  };
}

/** How Partner Center prints a line's EUP: truncated on EUP-truncated lines, half-up on seat changes. */
function shownEup(line: ChargeLine): string {
  return (line.rule === 'TOTAL_TRUNCATED' ? line.effectiveUnitPriceRounded : line.effectiveUnitPriceTruncated).toFixed(2);
}

export function rowFromCharge(s: SampleSubscription, line: ChargeLine, orderId: string): BillRow {
  return {
    subscription: s,
    customerId: s.customer.tenantId,
    customerName: s.customer.name,
    customerDomain: s.customer.domain,
    subscriptionId: line.subscriptionId,
    orderId,
    orderDate: line.orderDate,
    productId: s.offer.productId,
    skuId: s.offer.skuId,
    productName: s.offer.name,
    chargeType: line.chargeType,
    unitPrice: line.unitPrice.toFixed(2),
    effectiveUnitPrice: shownEup(line),
    quantity: line.billableQuantity,
    subtotal: line.subtotal.toFixed(2),
    chargeStart: line.chargeStart,
    chargeEnd: line.chargeEndInclusive,
    term: line.term,
    billingFrequency: line.billingPlan === 'monthly' ? 'Monthly' : line.billingPlan === 'annual' ? 'Annual' : 'Triennial',
    referenceId: line.referenceId,
    source: line,
  };
}

/** What Microsoft bills for the month, from what Microsoft's systems did (msEntries). */
export function microsoftBill(partner: SamplePartner): BillRow[] {
  const rows: BillRow[] = [];
  for (const s of partner.subscriptions) {
    if (s.offer.billingPlan === 'usage' || s.msEntries.length === 0 || !s.vendorSubscriptionId) continue;
    const ledger = SubscriptionLedger.of(s.vendorSubscriptionId, s.msEntries);
    for (const line of expectedCharges(ledger, nceOffer(s), { from: BILL_MONTH.start, to: BILL_MONTH.end })) {
      rows.push(rowFromCharge(s, line, `ORD-${line.referenceId.slice(0, 8).toUpperCase()}`));
    }
  }
  return rows;
}

const HEADER = [
  'PartnerId',
  'CustomerId',
  'CustomerName',
  'CustomerDomainName',
  'CustomerCountry',
  'InvoiceNumber',
  'MpnId',
  'Tier2MpnId',
  'OrderId',
  'OrderDate',
  'ProductId',
  'SkuId',
  'AvailabilityId',
  'SkuName',
  'ProductName',
  'ChargeType',
  'UnitPrice',
  'Quantity',
  'Subtotal',
  'TaxTotal',
  'Total',
  'Currency',
  'PriceAdjustmentDescription',
  'PublisherName',
  'PublisherId',
  'SubscriptionDescription',
  'SubscriptionId',
  'ChargeStartDate',
  'ChargeEndDate',
  'TermAndBillingCycle',
  'EffectiveUnitPrice',
  'UnitType',
  'AlternateId',
  'BillableQuantity',
  'BillingFrequency',
  'PricingCurrency',
  'PCToBCExchangeRate',
  'PCToBCExchangeRateDate',
  'MeterDescription',
  'ReservationOrderId',
  'CreditReasonCode',
  'SubscriptionStartDate',
  'SubscriptionEndDate',
  'ReferenceId',
  'ProductQualifiers',
  'PromotionId',
  'ProductCategory',
];

export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The file as Partner Center exports it: header names, M/D/YYYY dates, CRLF line ends. */
export function billCsv(rows: readonly BillRow[]): string {
  const lines = [HEADER.join(',')];
  for (const r of rows) {
    const term =
      r.term === 'P1M'
        ? 'One-Month commitment for monthly/yearly billing'
        : r.term === 'P1Y'
          ? 'One-Year commitment for monthly/yearly billing'
          : 'Three-Year commitment';
    const record: Record<string, string> = {
      PartnerId: PARTNER_ID,
      CustomerId: r.customerId,
      CustomerName: r.customerName,
      CustomerDomainName: r.customerDomain,
      CustomerCountry: 'US',
      InvoiceNumber: INVOICE_NUMBER,
      MpnId: '1234567',
      Tier2MpnId: '',
      OrderId: r.orderId,
      OrderDate: formatUs(r.orderDate as never),
      ProductId: r.productId,
      SkuId: r.skuId,
      AvailabilityId: 'CFQ7TTC0K5DJ',
      SkuName: r.productName,
      ProductName: r.productName,
      ChargeType: r.chargeType,
      UnitPrice: r.unitPrice,
      Quantity: String(r.quantity),
      Subtotal: r.subtotal,
      TaxTotal: '0',
      Total: r.subtotal,
      Currency: 'USD',
      PriceAdjustmentDescription: '',
      PublisherName: 'Microsoft Corporation',
      PublisherId: '',
      SubscriptionDescription: r.productName,
      SubscriptionId: r.subscriptionId,
      ChargeStartDate: formatUs(r.chargeStart as never),
      ChargeEndDate: formatUs(r.chargeEnd as never),
      TermAndBillingCycle: term,
      EffectiveUnitPrice: r.effectiveUnitPrice,
      UnitType: 'Licenses',
      AlternateId: r.orderId.toLowerCase(),
      BillableQuantity: String(r.quantity),
      BillingFrequency: r.billingFrequency,
      PricingCurrency: 'USD',
      PCToBCExchangeRate: '1',
      PCToBCExchangeRateDate: '10/1/2026',
      MeterDescription: '',
      ReservationOrderId: '',
      CreditReasonCode: '',
      SubscriptionStartDate: '',
      SubscriptionEndDate: '',
      ReferenceId: r.referenceId,
      ProductQualifiers: '',
      PromotionId: '',
      ProductCategory: 'OnlineServicesNCE',
    };
    lines.push(HEADER.map((h) => csvCell(record[h] ?? '')).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
