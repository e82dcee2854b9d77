import type { BillingPlan, Term } from '../../core/src';

/** Microsoft offers the sample partner sells (product ids as Partner Center lists them; USD prices). */
export interface CatalogueOffer {
  readonly key: string;
  readonly productId: string;
  readonly skuId: string;
  readonly name: string;
  readonly term: Term | null;
  readonly billingPlan: BillingPlan | 'usage';
  /** Microsoft price per seat per billing cycle. */
  readonly unitCost: string;
}

export const CATALOGUE: readonly CatalogueOffer[] = [
  { key: 'basic-m', productId: 'CFQ7TTC0LH18', skuId: '0001', name: 'Microsoft 365 Business Basic', term: 'P1M', billingPlan: 'monthly', unitCost: '7.20' },
  { key: 'basic-y', productId: 'CFQ7TTC0LH18', skuId: '0001', name: 'Microsoft 365 Business Basic', term: 'P1Y', billingPlan: 'monthly', unitCost: '6.00' },
  {
    key: 'standard-m',
    productId: 'CFQ7TTC0LDPB',
    skuId: '0001',
    name: 'Microsoft 365 Business Standard',
    term: 'P1M',
    billingPlan: 'monthly',
    unitCost: '15.00',
  },
  {
    key: 'standard-y',
    productId: 'CFQ7TTC0LDPB',
    skuId: '0001',
    name: 'Microsoft 365 Business Standard',
    term: 'P1Y',
    billingPlan: 'monthly',
    unitCost: '12.50',
  },
  {
    key: 'premium-y',
    productId: 'CFQ7TTC0LCHC',
    skuId: '0002',
    name: 'Microsoft 365 Business Premium',
    term: 'P1Y',
    billingPlan: 'monthly',
    unitCost: '22.00',
  },
  {
    key: 'premium-ya',
    productId: 'CFQ7TTC0LCHC',
    skuId: '0002',
    name: 'Microsoft 365 Business Premium',
    term: 'P1Y',
    billingPlan: 'annual',
    unitCost: '264.00',
  },
  { key: 'e3-y', productId: 'CFQ7TTC0LF8Q', skuId: '0001', name: 'Microsoft 365 E3', term: 'P1Y', billingPlan: 'monthly', unitCost: '36.00' },
  { key: 'exchange-m', productId: 'CFQ7TTC0LH16', skuId: '0001', name: 'Exchange Online (Plan 1)', term: 'P1M', billingPlan: 'monthly', unitCost: '4.80' },
  { key: 'azure', productId: 'DZH318Z0BCZJ', skuId: '0001', name: 'Azure plan', term: null, billingPlan: 'usage', unitCost: '0' },
];

export const CUSTOMER_NAMES: readonly string[] = [
  'Contoso Ltd',
  'Fabrikam Inc',
  'Northwind Traders',
  'Adventure Works',
  'Tailspin Toys',
  'Wide World Importers',
  'Litware Inc',
  'Proseware Inc',
  'Woodgrove Bank',
  'Coho Winery',
  'Alpine Ski House',
  'Blue Yonder Airlines',
  'Fourth Coffee',
  'Graphic Design Institute',
  'Humongous Insurance',
  'Lucerne Publishing',
  "Margie's Travel",
  'Nod Publishers',
  'Relecloud',
  'School of Fine Art',
  'Southridge Video',
  'Trey Research',
  'VanArsdel Ltd',
  'Wingtip Toys',
  'A. Datum Corporation',
];

/** Azure meters the usage file draws from: [meter id, category, name, unit, unit price]. */
export const METERS: ReadonlyArray<readonly [string, string, string, string, string]> = [
  ['fd3ef1e3-ad4d-4c4e-9a23-0c4b8a0c5a1f', 'Virtual Machines', 'D2s v5', '1 Hour', '0.096'],
  ['2a0c7b46-5f5a-4b36-9f3a-6d2f4a61c0e2', 'Storage', 'LRS Data Stored', '1 GB/Month', '0.0208'],
  ['9b1e4c0d-3f8a-4a5e-8d7c-1e2f3a4b5c6d', 'Bandwidth', 'Standard Data Transfer Out', '1 GB', '0.087'],
];

/**
 * A three-year offer billed once for the term (triennial plan), sold only in the "variety" sample
 * the parity suite uses; kept out of CATALOGUE so the default sample stays as it is.
 */
export const TRIENNIAL_OFFER: CatalogueOffer = {
  key: 'bc-3y',
  productId: 'CFQ7TTC0LH3P',
  skuId: '0001',
  name: 'Dynamics 365 Business Central Essentials',
  term: 'P3Y',
  billingPlan: 'triennial',
  unitCost: '2520.00',
};

/** Invoice currencies of the variety sample and the USD rates their contracts convert costs and prices with. */
export const CONTRACT_RATES = { EUR: '0.92', JPY: '151.37' } as const;
export type ContractCurrency = 'USD' | keyof typeof CONTRACT_RATES;
