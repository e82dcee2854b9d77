import { FieldName } from './fields';

/**
 * One declarative table per bill format: which of the file's columns fill which of our fields,
 * which are required, and which headers identify the format. Distributor profiles (JSON) are
 * turned into the same structure, so built-in formats and user profiles share one code path.
 */
export type FormatId = 'nce-license' | 'nce-daily-usage' | 'legacy-license' | 'legacy-usage' | 'legacy-daily-usage' | `profile:${string}`;

/** 'line': kept one to one (licences, monthly usage lines); 'daily': aggregated while streaming. */
export type LineShape = 'line' | 'daily';

export interface FormatDefinition {
  readonly id: FormatId;
  readonly label: string;
  readonly shape: LineShape;
  /** field -> the file's column names, preferred first (aliases after). */
  readonly columns: Readonly<Partial<Record<FieldName, readonly string[]>>>;
  /** Fields that must have a column; an inner array means "at least one of". */
  readonly required: readonly (FieldName | readonly FieldName[])[];
  /**
   * Header sets that identify the format (any group, all names of the group). Detection considers
   * only formats with a matching group, then prefers the one that recognises the most columns.
   */
  readonly signature: readonly (readonly string[])[];
  /** Partner Center API `attributes.objectType` values this format reads. */
  readonly objectTypes?: readonly string[];
  /**
   * The API's DailyRatedUsageLineItem reports chargeEndDate as the exclusive end instant
   * (2018-11-01..2018-12-01T00:00Z for November), unlike the CSV's inclusive 11/30/2025.
   */
  readonly jsonChargeEndExclusive?: boolean;
  /** Names ship in the file but are deliberately not read (documented, so they are not "unknown"). */
  readonly ignored?: readonly string[];
  /** Distributor profiles: date order when a date is written with slashes ('mdy' is Microsoft's). */
  readonly dateOrder?: 'mdy' | 'dmy';
}

/** New-commerce invoice reconciliation file (licence-based), Microsoft Learn "modern-invoice-reconciliation-file". */
export const NCE_LICENSE: FormatDefinition = {
  id: 'nce-license',
  label: 'New-commerce invoice reconciliation (licence-based)',
  shape: 'line',
  columns: {
    partnerId: ['PartnerId'],
    customerId: ['CustomerId'],
    customerName: ['CustomerName'],
    customerDomain: ['CustomerDomainName'],
    customerCountry: ['CustomerCountry'],
    invoiceNumber: ['InvoiceNumber'],
    mpnId: ['MpnId'],
    resellerMpnId: ['ResellerMpnId', 'Tier2MpnId'],
    orderId: ['OrderId'],
    orderDate: ['OrderDate'],
    productId: ['ProductId'],
    skuId: ['SkuId'],
    availabilityId: ['AvailabilityId'],
    skuName: ['SkuName'],
    productName: ['ProductName'],
    chargeType: ['ChargeType'],
    unitPrice: ['UnitPrice'],
    quantity: ['Quantity'],
    subtotal: ['Subtotal'],
    taxTotal: ['TaxTotal'],
    total: ['Total', 'TotalForCustomer'],
    currency: ['Currency', 'BillingCurrency'],
    publisherName: ['PublisherName'],
    subscriptionDescription: ['SubscriptionDescription'],
    subscriptionId: ['SubscriptionId'],
    chargeStartDate: ['ChargeStartDate'],
    chargeEndDate: ['ChargeEndDate'],
    termAndBillingCycle: ['TermAndBillingCycle'],
    effectiveUnitPrice: ['EffectiveUnitPrice'],
    unit: ['UnitType'],
    billableQuantity: ['BillableQuantity'],
    billingFrequency: ['BillingFrequency'],
    pricingCurrency: ['PricingCurrency'],
    exchangeRate: ['PCToBCExchangeRate'],
    subscriptionStartDate: ['SubscriptionStartDate'],
    subscriptionEndDate: ['SubscriptionEndDate'],
    referenceId: ['ReferenceId'],
    productQualifiers: ['ProductQualifiers'],
    productCategory: ['ProductCategory'],
  },
  required: ['chargeType', 'chargeStartDate', 'chargeEndDate', ['billableQuantity', 'quantity'], ['subtotal', 'total']],
  signature: [['BillableQuantity'], ['TermAndBillingCycle'], ['EffectiveUnitPrice', 'ReferenceId'], ['AlternateId', 'OrderDate']],
  objectTypes: ['OneTimeInvoiceLineItem'],
  ignored: [
    'PriceAdjustmentDescription',
    'PublisherId',
    'AlternateId',
    'PCToBCExchangeRateDate',
    'MeterDescription',
    'ReservationOrderId',
    'CreditReasonCode',
    'PromotionId',
    'DiscountDetails',
    'InvoiceLineItemType',
    'BillingProvider',
    'AttributesObjectType',
  ],
};

/** New-commerce daily rated usage (Azure plan, billed usage v2): SOURCES.md section 6 column order. */
export const NCE_DAILY_USAGE: FormatDefinition = {
  id: 'nce-daily-usage',
  label: 'New-commerce daily rated usage',
  shape: 'daily',
  columns: {
    partnerId: ['PartnerId'],
    customerId: ['CustomerId'],
    customerName: ['CustomerName'],
    customerDomain: ['CustomerDomainName'],
    customerCountry: ['CustomerCountry'],
    mpnId: ['MpnId'],
    resellerMpnId: ['Tier2MpnId', 'ResellerMpnId'],
    invoiceNumber: ['InvoiceNumber'],
    productId: ['ProductId'],
    skuId: ['SkuId'],
    availabilityId: ['AvailabilityId'],
    skuName: ['SkuName'],
    productName: ['ProductName'],
    publisherName: ['PublisherName'],
    subscriptionDescription: ['SubscriptionDescription'],
    subscriptionId: ['SubscriptionId'],
    chargeStartDate: ['ChargeStartDate'],
    chargeEndDate: ['ChargeEndDate'],
    usageDate: ['UsageDate'],
    meterCategory: ['MeterCategory'],
    meterId: ['MeterId'],
    meterName: ['MeterName'],
    unit: ['Unit', 'UnitOfMeasure'],
    resourceUri: ['ResourceURI'],
    chargeType: ['ChargeType'],
    unitPrice: ['UnitPrice'],
    quantity: ['Quantity'],
    subtotal: ['BillingPreTaxTotal'],
    currency: ['BillingCurrency'],
    pricingSubtotal: ['PricingPreTaxTotal'],
    pricingCurrency: ['PricingCurrency'],
    effectiveUnitPrice: ['EffectiveUnitPrice'],
    exchangeRate: ['PCToBCExchangeRate'],
  },
  required: ['subscriptionId', 'meterId', 'chargeStartDate', 'chargeEndDate', 'usageDate', 'quantity', 'subtotal', 'currency'],
  signature: [['UsageDate', 'MeterId']],
  objectTypes: ['DailyRatedUsageLineItem'],
  jsonChargeEndExclusive: true,
  ignored: [
    'PartnerName',
    'PublisherId',
    'MeterType',
    'MeterSubCategory',
    'MeterRegion',
    'ResourceLocation',
    'ConsumedService',
    'ResourceGroup',
    'UnitType',
    'ServiceInfo1',
    'ServiceInfo2',
    'Tags',
    'AdditionalInfo',
    'PCToBCExchangeRateDate',
    'EntitlementId',
    'EntitlementDescription',
    'PartnerEarnedCreditPercentage',
    'RateOfPartnerEarnedCredit',
    'CreditPercentage',
    'RateOfCredit',
    'CreditType',
    'BenefitOrderId',
    'BenefitId',
    'BenefitType',
    'InvoiceLineItemType',
    'BillingProvider',
    'AttributesObjectType',
    'ProductCategory',
  ],
};

/** Legacy licence-based reconciliation file (Microsoft Learn "license-based-recon-files"). */
export const LEGACY_LICENSE: FormatDefinition = {
  id: 'legacy-license',
  label: 'Legacy licence-based reconciliation',
  shape: 'line',
  columns: {
    partnerId: ['PartnerId'],
    customerId: ['CustomerId'],
    customerName: ['CustomerName'],
    mpnId: ['MpnId'],
    resellerMpnId: ['Tier2MpnId', 'ResellerMpnId'],
    invoiceNumber: ['InvoiceNumber'],
    orderId: ['OrderId'],
    // SyndicationPartnerSubscriptionNumber is the subscription id partners see; SubscriptionId is internal.
    subscriptionId: ['SyndicationPartnerSubscriptionNumber', 'SubscriptionId'],
    offerId: ['DurableOfferId', 'OfferId'],
    productName: ['OfferName'],
    subscriptionStartDate: ['SubscriptionStartDate'],
    subscriptionEndDate: ['SubscriptionEndDate'],
    chargeStartDate: ['ChargeStartDate'],
    chargeEndDate: ['ChargeEndDate'],
    chargeType: ['ChargeType'],
    unitPrice: ['UnitPrice'],
    quantity: ['Quantity'],
    subtotal: ['Subtotal'],
    taxTotal: ['Tax'],
    total: ['TotalForCustomer'],
    currency: ['Currency'],
    customerDomain: ['DomainName'],
    subscriptionDescription: ['SubscriptionDescription', 'SubscriptionName'],
    billingFrequency: ['BillingCycleType'],
    productCategory: ['ProductCategory'],
  },
  required: ['subscriptionId', 'chargeType', 'chargeStartDate', 'chargeEndDate', 'quantity', 'subtotal', 'currency'],
  signature: [['SyndicationPartnerSubscriptionNumber'], ['DurableOfferId'], ['OfferId', 'TotalForCustomer']],
  objectTypes: ['LicenseBasedLineItem'],
  ignored: ['PartnerName', 'Amount', 'TotalOtherDiscount', 'SubscriptionName', 'InvoiceLineItemType', 'BillingProvider', 'AttributesObjectType'],
};

/** Legacy usage-based reconciliation file: one line per subscription, resource and billing cycle. */
export const LEGACY_USAGE: FormatDefinition = {
  id: 'legacy-usage',
  label: 'Legacy usage-based reconciliation',
  shape: 'line',
  columns: {
    partnerId: ['PartnerId'],
    customerId: ['CustomerId'],
    customerName: ['CustomerCompanyName', 'CustomerName'],
    mpnId: ['MpnId'],
    resellerMpnId: ['Tier2MpnId', 'ResellerMpnId'],
    invoiceNumber: ['InvoiceNumber'],
    chargeStartDate: ['ChargeStartDate'],
    chargeEndDate: ['ChargeEndDate'],
    subscriptionId: ['SubscriptionId'],
    subscriptionDescription: ['SubscriptionDescription', 'SubscriptionName'],
    orderId: ['OrderId'],
    meterCategory: ['ServiceName'],
    meterName: ['ResourceName'],
    meterId: ['ResourceGuid'],
    skuId: ['Sku'],
    quantity: ['ConsumedQuantity'],
    billableQuantity: ['OverageQuantity'],
    unitPrice: ['ListPrice'],
    effectiveUnitPrice: ['PretaxEffectiveRate'],
    subtotal: ['PretaxCharges'],
    taxTotal: ['TaxAmount'],
    total: ['PostTaxTotal'],
    currency: ['Currency'],
    chargeType: ['ChargeType'],
    customerDomain: ['DomainName'],
    billingFrequency: ['BillingCycleType'],
    unit: ['Unit'],
  },
  required: ['subscriptionId', 'meterId', 'chargeType', 'chargeStartDate', 'chargeEndDate', 'quantity', 'subtotal', 'currency'],
  signature: [
    ['ResourceGuid', 'PretaxCharges'],
    ['ConsumedQuantity', 'OverageQuantity'],
  ],
  objectTypes: ['UsageBasedLineItem'],
  ignored: [
    'PartnerName',
    'PartnerBillableAccountId',
    'ServiceType',
    'Region',
    'DetailLineItemId',
    'IncludedQuantity',
    'PostTaxEffectiveRate',
    'InvoiceLineItemType',
    'BillingProvider',
    'AttributesObjectType',
  ],
};

/** Legacy daily usage (API UsageLineItems / legacy daily usage file): quantities only, no prices. */
export const LEGACY_DAILY_USAGE: FormatDefinition = {
  id: 'legacy-daily-usage',
  label: 'Legacy daily usage',
  shape: 'daily',
  columns: {
    partnerId: ['PartnerId'],
    customerId: ['CustomerId'],
    customerName: ['CustomerCompanyName', 'CustomerName'],
    mpnId: ['MpnId'],
    resellerMpnId: ['Tier2MpnId', 'ResellerMpnId'],
    invoiceNumber: ['InvoiceNumber'],
    subscriptionId: ['SubscriptionId'],
    subscriptionDescription: ['SubscriptionDescription', 'SubscriptionName'],
    orderId: ['OrderId'],
    meterCategory: ['ServiceName'],
    meterName: ['ResourceName'],
    meterId: ['ResourceGuid'],
    usageDate: ['UsageDate'],
    quantity: ['ConsumedQuantity'],
    chargeStartDate: ['ChargeStartDate'],
    chargeEndDate: ['ChargeEndDate'],
    customerDomain: ['DomainName'],
    billingFrequency: ['BillingCycleType'],
    unit: ['Unit'],
  },
  required: ['subscriptionId', 'meterId', 'usageDate', 'quantity', 'chargeStartDate', 'chargeEndDate'],
  signature: [['UsageDate', 'ResourceGuid', 'ConsumedQuantity']],
  objectTypes: ['DailyUsageLineItem'],
  ignored: [
    'PartnerName',
    'PartnerBillableAccountId',
    'CustomerBillableAccount',
    'ServiceType',
    'Region',
    'InvoiceLineItemType',
    'BillingProvider',
    'AttributesObjectType',
  ],
};

/** Built-in Microsoft formats, most specific first (used to break detection ties). */
export const MICROSOFT_FORMATS: readonly FormatDefinition[] = [NCE_DAILY_USAGE, LEGACY_DAILY_USAGE, NCE_LICENSE, LEGACY_LICENSE, LEGACY_USAGE];
