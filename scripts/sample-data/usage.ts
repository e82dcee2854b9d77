import { addDays, Decimal, formatUs, toDecimal } from '../../core/src';
import { METERS } from './catalogue';
import { csvCell, INVOICE_NUMBER, PARTNER_ID } from './bill';
import { BILL_MONTH, type SamplePartner } from './partner';
import type { Random } from './random';

/** Columns of the new-commerce daily rated usage file, in the order the real export has them. */
const HEADER = [
  'PartnerId',
  'PartnerName',
  'CustomerId',
  'CustomerName',
  'CustomerDomainName',
  'CustomerCountry',
  'MpnId',
  'Tier2MpnId',
  'InvoiceNumber',
  'ProductId',
  'SkuId',
  'AvailabilityId',
  'SkuName',
  'ProductName',
  'PublisherName',
  'PublisherId',
  'SubscriptionDescription',
  'SubscriptionId',
  'ChargeStartDate',
  'ChargeEndDate',
  'UsageDate',
  'MeterType',
  'MeterCategory',
  'MeterId',
  'MeterSubCategory',
  'MeterName',
  'MeterRegion',
  'Unit',
  'ResourceLocation',
  'ConsumedService',
  'ResourceGroup',
  'ResourceURI',
  'ChargeType',
  'UnitPrice',
  'Quantity',
  'UnitType',
  'BillingPreTaxTotal',
  'BillingCurrency',
  'PricingPreTaxTotal',
  'PricingCurrency',
  'ServiceInfo1',
  'ServiceInfo2',
  'Tags',
  'AdditionalInfo',
  'EffectiveUnitPrice',
  'PCToBCExchangeRate',
  'PCToBCExchangeRateDate',
  'EntitlementId',
  'EntitlementDescription',
  'PartnerEarnedCreditPercentage',
  'CreditPercentage',
  'CreditType',
  'BenefitOrderId',
  'BenefitId',
  'BenefitType',
];

/** Expected usage money per subscription x meter, summed exactly: what the importer must aggregate to. */
export interface UsageTotal {
  readonly subscriptionId: string;
  readonly meterId: string;
  readonly meterName: string;
  readonly rows: number;
  readonly quantity: Decimal;
  readonly amount: Decimal;
}

/** A month of daily rated usage for every Azure plan subscription. */
export function usageCsv(partner: SamplePartner, rng: Random): { csv: string; totals: UsageTotal[] } {
  const lines = [HEADER.join(',')];
  const totals: UsageTotal[] = [];
  for (const s of partner.subscriptions) {
    if (s.offer.billingPlan !== 'usage' || !s.vendorSubscriptionId) continue;
    for (const [meterId, category, name, unit, price] of METERS) {
      let amount = new Decimal(0);
      let used = new Decimal(0);
      let rows = 0;
      for (let day = BILL_MONTH.start; day < BILL_MONTH.end; day = addDays(day, 1)) {
        const quantity = new Decimal(rng.int(1, 2_400_000)).div(10_000); // 4 decimals, as the export has
        const total = quantity.times(toDecimal(price)).toDecimalPlaces(6, Decimal.ROUND_HALF_UP);
        amount = amount.plus(total);
        used = used.plus(quantity);
        rows += 1;
        const resourceGroup = `rg-${s.customer.domain.split('.')[0]}`;
        const record: Record<string, string> = {
          PartnerId: PARTNER_ID,
          PartnerName: 'Sample CSP Partner',
          CustomerId: s.customer.tenantId,
          CustomerName: s.customer.name,
          CustomerDomainName: s.customer.domain,
          CustomerCountry: 'US',
          MpnId: '1234567',
          Tier2MpnId: '',
          InvoiceNumber: INVOICE_NUMBER,
          ProductId: s.offer.productId,
          SkuId: s.offer.skuId,
          AvailabilityId: 'DZH318Z0BNZJ',
          SkuName: 'Azure plan',
          ProductName: 'Azure plan',
          PublisherName: 'Microsoft',
          PublisherId: '',
          SubscriptionDescription: 'Azure plan',
          SubscriptionId: s.vendorSubscriptionId,
          ChargeStartDate: formatUs(BILL_MONTH.start),
          ChargeEndDate: formatUs(addDays(BILL_MONTH.end, -1)),
          UsageDate: formatUs(day),
          MeterType: '1 Hour',
          MeterCategory: category,
          MeterId: meterId,
          MeterSubCategory: '',
          MeterName: name,
          MeterRegion: 'US East',
          Unit: unit,
          ResourceLocation: 'eastus',
          ConsumedService: 'Microsoft.Compute',
          ResourceGroup: resourceGroup,
          ResourceURI: `/subscriptions/${s.vendorSubscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Compute/virtualMachines/vm1`,
          ChargeType: 'new',
          UnitPrice: price,
          Quantity: quantity.toFixed(4),
          UnitType: unit,
          BillingPreTaxTotal: total.toFixed(6),
          BillingCurrency: 'USD',
          PricingPreTaxTotal: total.toFixed(6),
          PricingCurrency: 'USD',
          ServiceInfo1: '',
          ServiceInfo2: '',
          Tags: JSON.stringify({ env: 'prod', owner: s.customer.name }),
          AdditionalInfo: JSON.stringify({ ImageType: null, ServiceType: 'Standard_D2s_v5', VCPUs: 2 }),
          EffectiveUnitPrice: price,
          PCToBCExchangeRate: '1',
          PCToBCExchangeRateDate: '10/1/2026',
          EntitlementId: s.vendorSubscriptionId,
          EntitlementDescription: 'Azure plan',
          PartnerEarnedCreditPercentage: '0',
          CreditPercentage: '0',
          CreditType: 'Credit Not Applied',
          BenefitOrderId: '',
          BenefitId: '',
          BenefitType: '',
        };
        lines.push(HEADER.map((h) => csvCell(record[h] ?? '')).join(','));
      }
      totals.push({ subscriptionId: s.vendorSubscriptionId, meterId, meterName: name, rows, quantity: used, amount });
    }
  }
  return { csv: lines.join('\r\n') + '\r\n', totals };
}
