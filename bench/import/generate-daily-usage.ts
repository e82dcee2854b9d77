/**
 * Writes a realistic new-commerce daily-rated-usage (billed usage v2) export: the real column order
 * from ../shared/samples/SOURCES.md section 6, JSON in Tags and AdditionalInfo (quoted, with doubled
 * quotes and commas), MM/DD/YYYY dates, 15-16 digit prices, a few customer names with accents and
 * commas. Rows are deterministic (seeded) so two runs produce the same bytes.
 */
import * as fs from 'node:fs';
import { Random } from '../../scripts/sample-data/random';

export const DAILY_USAGE_COLUMNS = [
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
  'BenefitId',
  'BenefitOrderId',
  'BenefitType',
] as const;

function guid(r: () => number): string {
  const h = (n: number) => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');
  return `${h(8)}-${h(4)}-${h(4)}-${h(4)}-${h(12)}`;
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const METERS = [
  ['Virtual Machines', 'Dv3/DSv3 Series', 'D2 v3/D2s v3', '1 Hour', 'Microsoft.Compute', 'virtualMachines'],
  ['Storage', 'Standard Page Blob', 'LRS Data Stored', '1 GB/Month', 'Microsoft.Storage', 'storageAccounts'],
  ['Bandwidth', 'Rtn Preference: MGN', 'Standard Data Transfer Out', '1 GB', 'Microsoft.Network', 'publicIPAddresses'],
  ['Azure App Service', 'Standard Plan', 'S1 App', '1 Hour', 'Microsoft.Web', 'serverfarms'],
  ['SQL Database', 'General Purpose - Compute Gen5', 'vCore', '1 Hour', 'Microsoft.Sql', 'servers'],
] as const;

const NAMES = ['Contoso Ltd', 'Fabrikam, Inc.', 'Société Générale de Café', 'Müller & Söhne GmbH', 'Tailspin "Toys"', 'Northwind Traders'];

export interface GeneratedFileStats {
  rows: number;
  bytes: number;
  /** Sum of BillingPreTaxTotal over all rows, computed with BigInt on the written text (independent of the importer). */
  expectedTotal: string;
  /** The Azure plan subscriptions the rows belong to, with their customer tenant (for reconciliation benches). */
  subscriptions: Array<{ id: string; customerId: string }>;
}

/** Streams `rows` data rows to `file`; returns the byte count. */
export async function generateDailyUsage(file: string, rows: number, seed = 42): Promise<GeneratedFileStats> {
  const r = Random.stream(seed); // reproducible file
  const partnerId = guid(r);
  const customers = Array.from({ length: 40 }, (_, i) => ({ id: guid(r), name: NAMES[i % NAMES.length] as string, domain: `tenant${i}.onmicrosoft.com` }));
  const subs = Array.from({ length: 400 }, (_, i) => ({ id: guid(r), customer: customers[i % customers.length]!, entitlement: guid(r) }));
  const meterIds = METERS.map(() => guid(r));
  const out = fs.createWriteStream(file);
  let bytes = 0;
  let scaledTotal = 0n; // BillingPreTaxTotal is written with 15 decimals
  const write = async (s: string): Promise<void> => {
    bytes += Buffer.byteLength(s);
    if (!out.write(s)) await new Promise<void>((res) => out.once('drain', () => res()));
  };
  await write(DAILY_USAGE_COLUMNS.join(',') + '\r\n');
  let batch = '';
  for (let i = 0; i < rows; i++) {
    const sub = subs[Math.floor(r() * subs.length)]!;
    const m = Math.floor(r() * METERS.length);
    const meter = METERS[m]!;
    const day = 1 + Math.floor(r() * 30);
    const price = (r() * 2).toFixed(16);
    const qty = (r() * 24).toFixed(6);
    const total = (Number(price) * Number(qty)).toFixed(15);
    scaledTotal += BigInt(total.replace('.', ''));
    const rg = `rg-${sub.customer.domain.slice(0, 8)}-${m}`;
    const res = `/subscriptions/${sub.id}/resourceGroups/${rg}/providers/${meter[4]}/${meter[5]}/res${i % 97}`;
    const tags = JSON.stringify({ env: i % 2 ? 'prod' : 'dev', costCenter: `CC-${i % 13}`, owner: 'ops, team' });
    const info = JSON.stringify({
      ImageType: null,
      ServiceType: 'Standard_D2s_v3',
      VMName: `vm-${i % 50}`,
      VMProperties: null,
      UsageType: 'ComputeHR',
      ConsumptionMeter: meterIds[m],
    });
    const values = [
      partnerId,
      'Fabrikam Partner',
      sub.customer.id,
      sub.customer.name,
      sub.customer.domain,
      'US',
      '1234567',
      '7654321',
      'G127575010',
      'DZH318Z0BQ3Q',
      '0001',
      'DZH318Z0BNZ5',
      meter[2],
      meter[0],
      'Microsoft',
      '',
      'Azure plan',
      sub.id,
      '11/01/2025',
      '11/30/2025',
      `11/${String(day).padStart(2, '0')}/2025`,
      meter[2],
      meter[0],
      meterIds[m]!,
      meter[1],
      meter[2],
      'US East',
      meter[3],
      'eastus',
      meter[4],
      rg,
      res,
      i % 200 === 0 ? 'refund' : 'new',
      price,
      qty,
      meter[3],
      total,
      'USD',
      total,
      'USD',
      '',
      '',
      tags,
      info,
      price,
      '1',
      '11/01/2025',
      sub.entitlement,
      'Azure plan',
      '0.15',
      '0.15',
      'Partner Earned Credit Applied',
      '',
      '',
      '',
    ];
    batch += values.map(csvField).join(',') + '\r\n';
    if (batch.length > 1 << 20) {
      await write(batch);
      batch = '';
    }
  }
  await write(batch);
  await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
  const digits = scaledTotal.toString().padStart(16, '0');
  const expectedTotal = `${digits.slice(0, -15)}.${digits.slice(-15)}`.replace(/\.?0+$/, '');
  return { rows, bytes, expectedTotal, subscriptions: subs.map((s) => ({ id: s.id, customerId: s.customer.id })) };
}
