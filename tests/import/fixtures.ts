/**
 * Small bills for each format, written the way each source writes them, with totals worked out by
 * hand in the comments. Tests render them in every encoding/line-ending/quoting/column order.
 */
export interface Fixture {
  readonly name: string;
  readonly format: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Columns holding numbers (written as numeric cells in the .xlsx variant). */
  readonly numeric: readonly string[];
  readonly expectedTotal: string;
  readonly expectedRows: number;
  readonly expectedLines: number;
}

const TRICKY_NAME = 'Contoso, "Europe"\nLtd';

export const NCE_LICENSE_FIXTURE: Fixture = {
  name: 'nce-license',
  format: 'nce-license',
  header: ['PartnerId', 'CustomerId', 'CustomerName', 'CustomerDomainName', 'CustomerCountry', 'InvoiceNumber', 'MpnId', 'Tier2MpnId', 'OrderId', 'OrderDate', 'ProductId', 'SkuId', 'AvailabilityId', 'SkuName', 'ProductName', 'ChargeType', 'UnitPrice', 'Quantity', 'Subtotal', 'TaxTotal', 'Total', 'Currency', 'PriceAdjustmentDescription', 'PublisherName', 'PublisherId', 'SubscriptionDescription', 'SubscriptionId', 'ChargeStartDate', 'ChargeEndDate', 'TermAndBillingCycle', 'EffectiveUnitPrice', 'UnitType', 'AlternateId', 'BillableQuantity', 'BillingFrequency', 'PricingCurrency', 'PCToBCExchangeRate', 'PCToBCExchangeRateDate', 'MeterDescription', 'ReservationOrderId', 'CreditReasonCode', 'SubscriptionStartDate', 'SubscriptionEndDate', 'ReferenceId', 'ProductQualifiers', 'PromotionId'],
  rows: [
    ['p1', 'c1', TRICKY_NAME, 'contoso.onmicrosoft.com', 'DE', 'G000000001', '1234567', '7654321', 'o1', '3/5/2022', 'CFQ7TTC0LH18', '0001', 'CFQ7TTC0K5T9', 'Microsoft 365 Business Standard', 'Microsoft 365 Business Standard', 'New', '12', '10', '120.00', '22.80', '142.80', 'EUR', '', 'Microsoft Corporation', '', 'M365 BS', 'sub-1', '3/5/2022', '4/4/2022', 'One-Year commitment for monthly/yearly billing', '12.00', 'Licenses', 'a1', '10', 'Monthly', 'EUR', '1', '3/1/2022', '', '', '', '3/5/2022', '3/4/2023', 'ref-1', '', ''],
    ['p1', 'c1', TRICKY_NAME, 'contoso.onmicrosoft.com', 'DE', 'G000000001', '1234567', '7654321', 'o2', '3/10/2022', 'CFQ7TTC0LH18', '0001', 'CFQ7TTC0K5T9', 'Microsoft 365 Business Standard', 'Microsoft 365 Business Standard', 'ADDQUANTITY', '12', '15', '56.13', '10.66', '66.79', 'EUR', '', 'Microsoft Corporation', '', 'M365 BS', 'sub-1', '3/10/2022', '4/4/2022', 'One-Year commitment for monthly/yearly billing', '11.23', 'Licenses', 'a2', '5', 'Monthly', 'EUR', '1', '3/1/2022', '', '', '', '3/5/2022', '3/4/2023', 'ref-2', '', ''],
    ['p1', 'c2', 'Fabrikam', 'fabrikam.onmicrosoft.com', 'DE', 'G000000001', '1234567', '', 'o3', '3/1/2022', 'CFQ7TTC0LF8Q', '0002', 'CFQ7TTC0K5T1', 'Exchange Online (Plan 1)', 'Exchange Online (Plan 1)', 'cycleCharge', '-2.5', '5', '-12.5', '0', '-12.5', 'EUR', '', 'Microsoft Corporation', '', 'EXO', 'sub-2', '3/1/2022', '3/31/2022', 'One-Month commitment for monthly billing', '-2.5', 'Licenses', 'a3', '5', 'Monthly', 'EUR', '1', '3/1/2022', '', '', '', '3/1/2022', '3/31/2022', 'ref-3', 'AddOn', ''],
  ],
  numeric: ['UnitPrice', 'Quantity', 'Subtotal', 'TaxTotal', 'Total', 'EffectiveUnitPrice', 'BillableQuantity', 'PCToBCExchangeRate'],
  // 120.00 + 56.13 - 12.5
  expectedTotal: '163.63',
  expectedRows: 3,
  expectedLines: 3,
};

const USAGE_HEADER = ['PartnerId', 'PartnerName', 'CustomerId', 'CustomerName', 'CustomerDomainName', 'CustomerCountry', 'MpnId', 'Tier2MpnId', 'InvoiceNumber', 'ProductId', 'SkuId', 'AvailabilityId', 'SkuName', 'ProductName', 'PublisherName', 'PublisherId', 'SubscriptionDescription', 'SubscriptionId', 'ChargeStartDate', 'ChargeEndDate', 'UsageDate', 'MeterType', 'MeterCategory', 'MeterId', 'MeterSubCategory', 'MeterName', 'MeterRegion', 'Unit', 'ResourceLocation', 'ConsumedService', 'ResourceGroup', 'ResourceURI', 'ChargeType', 'UnitPrice', 'Quantity', 'UnitType', 'BillingPreTaxTotal', 'BillingCurrency', 'PricingPreTaxTotal', 'PricingCurrency', 'ServiceInfo1', 'ServiceInfo2', 'Tags', 'AdditionalInfo', 'EffectiveUnitPrice', 'PCToBCExchangeRate', 'PCToBCExchangeRateDate', 'EntitlementId', 'EntitlementDescription', 'PartnerEarnedCreditPercentage', 'CreditPercentage', 'CreditType', 'BenefitId', 'BenefitOrderId', 'BenefitType'];

function usageRow(sub: string, meter: string, day: string, qty: string, total: string, chargeType = 'new'): string[] {
  const byName: Record<string, string> = {
    PartnerId: 'p1', PartnerName: 'Partner', CustomerId: 'c1', CustomerName: TRICKY_NAME, CustomerDomainName: 'contoso.onmicrosoft.com', CustomerCountry: 'US',
    MpnId: '1234567', Tier2MpnId: '7654321', InvoiceNumber: 'G127575010', ProductId: 'DZH318Z0BQ3Q', SkuId: '0001', AvailabilityId: 'DZH318Z0BNZ5',
    SkuName: 'D2 v3', ProductName: 'Virtual Machines', PublisherName: 'Microsoft', PublisherId: '', SubscriptionDescription: 'Azure plan', SubscriptionId: sub,
    ChargeStartDate: '11/01/2025', ChargeEndDate: '11/30/2025', UsageDate: day, MeterType: 'Compute', MeterCategory: 'Virtual Machines', MeterId: meter,
    MeterSubCategory: 'Dv3', MeterName: 'D2 v3', MeterRegion: 'US East', Unit: '1 Hour', ResourceLocation: 'eastus', ConsumedService: 'Microsoft.Compute',
    ResourceGroup: 'rg', ResourceURI: `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-${day.replace(/\//g, '')}`,
    ChargeType: chargeType, UnitPrice: '0.0823', Quantity: qty, UnitType: '1 Hour', BillingPreTaxTotal: total, BillingCurrency: 'USD',
    PricingPreTaxTotal: total, PricingCurrency: 'USD', ServiceInfo1: '', ServiceInfo2: '', Tags: '{"env":"prod","owner":"ops, team"}',
    AdditionalInfo: '{"ImageType":null,"ServiceType":"Standard_D2s_v3","VMName":"vm, 1"}', EffectiveUnitPrice: '0.0699', PCToBCExchangeRate: '1',
    PCToBCExchangeRateDate: '11/01/2025', EntitlementId: 'e1', EntitlementDescription: 'Azure plan', PartnerEarnedCreditPercentage: '0.15',
    CreditPercentage: '0.15', CreditType: 'Partner Earned Credit Applied', BenefitId: '', BenefitOrderId: '', BenefitType: '',
  };
  return USAGE_HEADER.map((h) => byName[h] as string);
}

export const NCE_DAILY_FIXTURE: Fixture = {
  name: 'nce-daily-usage',
  format: 'nce-daily-usage',
  header: USAGE_HEADER,
  rows: [
    usageRow('S1', 'M1', '11/01/2025', '1.5', '0.123456789012345'),
    usageRow('S1', 'M1', '11/03/2025', '3E-05', '0.00000063'),
    usageRow('S1', 'M2', '11/01/2025', '10', '5'),
    usageRow('S1', 'M1', '11/02/2025', '2.25', '0.2', 'New'),
    usageRow('S2', 'M1', '11/05/2025', '1', '0.1', 'Refund'),
  ],
  numeric: ['Quantity', 'BillingPreTaxTotal', 'PricingPreTaxTotal', 'UnitPrice', 'EffectiveUnitPrice'],
  // 0.123456789012345 + 0.00000063 + 5 + 0.2 + 0.1
  expectedTotal: '5.423457419012345',
  expectedRows: 5,
  expectedLines: 3,
};

export const LEGACY_LICENSE_FIXTURE: Fixture = {
  name: 'legacy-license',
  format: 'legacy-license',
  header: ['PartnerId', 'CustomerId', 'CustomerName', 'MpnId', 'Tier2MpnId', 'OrderId', 'SubscriptionId', 'SyndicationPartnerSubscriptionNumber', 'OfferId', 'DurableOfferId', 'OfferName', 'SubscriptionStartDate', 'SubscriptionEndDate', 'ChargeStartDate', 'ChargeEndDate', 'ChargeType', 'UnitPrice', 'Quantity', 'Amount', 'TotalOtherDiscount', 'Subtotal', 'Tax', 'TotalForCustomer', 'Currency', 'DomainName', 'SubscriptionName', 'SubscriptionDescription', 'BillingCycleType'],
  rows: [
    ['p1', 'c1', TRICKY_NAME, '4391507', '-1', '5677', 'usCBMgAAAAAAAAIA', 'aaaa0a0a-bb1b', 'AAA5B3F0', '2F707C7C', 'EXCHANGE ONLINE (PLAN 2)', '5/12/2017', '6/10/2018', '5/12/2017', '6/9/2017', 'Cycle fee', '6.1', '5', '30.5', '0', '30.5', '3.05', '33.55', 'USD', 'contoso.onmicrosoft.com', 'EXO', 'EXCHANGE ONLINE (PLAN 2)', 'MONTHLY'],
    ['p1', 'c1', TRICKY_NAME, '4391507', '-1', '5678', 'Ik4YawEAAAAAAAEA', 'cccc0a0a-dd1d', '618B53FE', '69C67983', 'SHAREPOINT ONLINE (PLAN 2)', '5/13/2017', '6/10/2018', '5/13/2017', '6/9/2017', 'CYCLE FEE', '0', '1', '0', '0', '0', '0', '0', 'USD', 'contoso.onmicrosoft.com', 'SPO', 'SHAREPOINT ONLINE (PLAN 2)', 'MONTHLY'],
  ],
  numeric: ['UnitPrice', 'Quantity', 'Amount', 'TotalOtherDiscount', 'Subtotal', 'Tax', 'TotalForCustomer'],
  expectedTotal: '30.5',
  expectedRows: 2,
  expectedLines: 2,
};

export const LEGACY_USAGE_FIXTURE: Fixture = {
  name: 'legacy-usage',
  format: 'legacy-usage',
  header: ['PartnerId', 'PartnerName', 'PartnerBillableAccountId', 'CustomerCompanyName', 'MpnId', 'Tier2MpnId', 'InvoiceNumber', 'ChargeStartDate', 'ChargeEndDate', 'SubscriptionId', 'SubscriptionName', 'SubscriptionDescription', 'OrderId', 'ServiceName', 'ServiceType', 'ResourceGuid', 'ResourceName', 'Region', 'Sku', 'DetailLineItemId', 'ConsumedQuantity', 'IncludedQuantity', 'OverageQuantity', 'ListPrice', 'PretaxCharges', 'TaxAmount', 'PostTaxTotal', 'Currency', 'PretaxEffectiveRate', 'PostTaxEffectiveRate', 'ChargeType', 'CustomerId', 'DomainName', 'BillingCycleType', 'Unit'],
  rows: [
    ['p1', 'Partner', '1010578050', TRICKY_NAME, '4390934', '-1', '1234000000', '8/2/2019', '9/1/2019', 'sub-a', 'Microsoft Azure', 'Microsoft Azure', 'o1', 'Azure App Service', 'Standard Plan', 'g-1', 'S1', '', '7UD-00001', '1', '745', '0', '745', '0.085', '63.33', '6.34', '69.67', 'USD', '0.08500671', '0.09351677', 'Assess usage fee for current cycle', 'c1', 'contoso.onmicrosoft.com', 'Monthly', '1 Hour'],
    ['p1', 'Partner', '1010578050', TRICKY_NAME, '4390934', '-1', '1234000000', '8/2/2019', '9/1/2019', 'sub-a', 'Microsoft Azure', 'Microsoft Azure', 'o1', 'Storage', 'Blob', 'g-2', 'LRS', '', '7UD-00002', '1', '0.000882', '0', '0.000882', '0.0383', '0.01', '0', '0.01', 'USD', '0', '0', 'Assess usage fee for current cycle', 'c1', 'contoso.onmicrosoft.com', 'Monthly', '1 GB'],
  ],
  numeric: ['ConsumedQuantity', 'IncludedQuantity', 'OverageQuantity', 'ListPrice', 'PretaxCharges', 'TaxAmount', 'PostTaxTotal'],
  expectedTotal: '63.34',
  expectedRows: 2,
  expectedLines: 2,
};

export const PAX8_FIXTURE: Fixture = {
  name: 'pax8',
  format: 'profile:pax8',
  header: ['Invoice Id', 'Company Name', 'Subscription Id', 'Product Name', 'Sku', 'Charge Type', 'Start Period', 'End Period', 'Quantity', 'Unit Of Measure', 'Term', 'Price', 'Sub Total', 'Total', 'Currency Code', 'Description'],
  rows: [
    ['INV-1', TRICKY_NAME, 'px-sub-1', 'Microsoft 365 Business Premium', 'MST-365-BP', 'Recurring', '11/1/2025', '11/30/2025', '3', 'User', 'Monthly', '5.00', '15.00', '15.00', 'USD', 'Seats, monthly'],
    ['INV-1', 'Fabrikam', 'px-sub-2', 'Exchange Online (Plan 1)', 'MST-EXO-1', 'Prorated', '11/15/2025', '11/30/2025', '1', 'User', 'Monthly', '7.5', '7.5', '7.5', 'USD', ''],
  ],
  numeric: ['Quantity', 'Price', 'Sub Total', 'Total'],
  expectedTotal: '22.5',
  expectedRows: 2,
  expectedLines: 2,
};

export const STREAMONE_FIXTURE: Fixture = {
  name: 'td-synnex-streamone',
  format: 'profile:td-synnex-streamone',
  header: ['Customer Name', 'Subscription Id', 'Product Name', 'SKU', 'Charge Type', 'Charge Start Date', 'Charge End Date', 'Quantity', 'Seller Cost', 'Customer Cost', 'Margin', 'Currency'],
  rows: [
    [TRICKY_NAME, 'so-1', 'Microsoft 365 E3', 'CFQ7TTC0LFLZ', 'cycleCharge', '11/1/2025', '11/30/2025', '2', '100.10', '120.00', '19.90', 'USD'],
    ['Fabrikam', 'so-2', 'Azure plan', 'DZH318Z0BQ3Q', 'customerCredit', '11/1/2025', '11/30/2025', '1', '20.02', '24.00', '3.98', 'USD'],
  ],
  numeric: ['Quantity', 'Seller Cost', 'Customer Cost', 'Margin'],
  expectedTotal: '120.12',
  expectedRows: 2,
  expectedLines: 2,
};

export const CSV_FIXTURES: readonly Fixture[] = [NCE_LICENSE_FIXTURE, NCE_DAILY_FIXTURE, LEGACY_LICENSE_FIXTURE, LEGACY_USAGE_FIXTURE, PAX8_FIXTURE, STREAMONE_FIXTURE];
export { TRICKY_NAME };
