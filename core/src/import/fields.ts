/**
 * "Our columns": the canonical fields every format and distributor profile maps its headers to.
 * The kind decides how text becomes a value (CalendarDate, Decimal, ISO currency code, text).
 */
export const FIELD_KINDS = {
  // identity and description (text)
  invoiceNumber: 'text',
  partnerId: 'text',
  customerId: 'text',
  customerName: 'text',
  customerDomain: 'text',
  customerCountry: 'text',
  mpnId: 'text',
  resellerMpnId: 'text',
  subscriptionId: 'text',
  subscriptionDescription: 'text',
  orderId: 'text',
  productId: 'text',
  skuId: 'text',
  availabilityId: 'text',
  productName: 'text',
  skuName: 'text',
  offerId: 'text',
  productCategory: 'text',
  publisherName: 'text',
  chargeType: 'text',
  meterId: 'text',
  meterName: 'text',
  meterCategory: 'text',
  unit: 'text',
  referenceId: 'text',
  termAndBillingCycle: 'text',
  billingFrequency: 'text',
  productQualifiers: 'text',
  resourceUri: 'text',
  // dates
  orderDate: 'date',
  chargeStartDate: 'date',
  chargeEndDate: 'date',
  usageDate: 'date',
  subscriptionStartDate: 'date',
  subscriptionEndDate: 'date',
  // exact decimals
  unitPrice: 'decimal',
  effectiveUnitPrice: 'decimal',
  quantity: 'decimal',
  billableQuantity: 'decimal',
  subtotal: 'decimal',
  taxTotal: 'decimal',
  total: 'decimal',
  pricingSubtotal: 'decimal',
  exchangeRate: 'decimal',
  // currencies
  currency: 'currency',
  pricingCurrency: 'currency',
} as const;

export type FieldName = keyof typeof FIELD_KINDS;
export type FieldKind = (typeof FIELD_KINDS)[FieldName];
export const FIELD_NAMES = Object.keys(FIELD_KINDS) as FieldName[];

export function isFieldName(name: string): name is FieldName {
  return Object.prototype.hasOwnProperty.call(FIELD_KINDS, name);
}

/**
 * Header names compare case-, space- and punctuation-insensitively: "ResellerMPNID",
 * "ResellerMpnId", "reseller_mpn_id" and the JSON key "resellerMpnId" are the same column.
 */
export function normalizeHeader(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}
