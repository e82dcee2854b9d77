import { choice, dateOnly, decimal, text, whole } from '../columns';
import type { TableDef } from '../types';

const name = text('cspb_Name', {
  display: 'Name',
  description: 'The product, SKU and price period, as finance reads it.',
  required: 'required',
  maxLength: 300,
});

/**
 * Microsoft's price for a partner, one row of its new-commerce licence-based price list (the CSV of
 * Partner Center's Pricing and offers, or the price sheet API's file), imported by `npm run prices`:
 * effective-dated per product, SKU, term, billing plan, market, currency and quantity tier. The
 * reconciliation run checks each term's CRM cost against the row in force on the term's first day
 * (core/src/prices, core/src/reconcile/stale-cost.ts). Prices are decimals of 6 places: the sheet's
 * text kept exactly (Microsoft writes at most 4).
 */
export const microsoftPrice: TableDef = {
  logicalName: 'cspb_microsoftprice',
  schemaName: 'cspb_MicrosoftPrice',
  displayName: 'Microsoft price',
  pluralName: 'Microsoft prices',
  description: "A row of Microsoft's new-commerce price list: the partner's unit price of a product, SKU, term and plan in a market, for a period.",
  entitySetName: 'cspb_microsoftprices',
  ownership: 'UserOwned',
  primaryName: name,
  columns: [
    name,
    text('cspb_ProductId', { display: 'Product id', description: 'ProductId (e.g. CFQ7TTC0LDPB), upper case.', required: 'required', maxLength: 50 }),
    text('cspb_SkuId', { display: 'SKU id', description: 'SkuId (e.g. 0001).', required: 'required', maxLength: 50 }),
    text('cspb_SkuTitle', { display: 'SKU title', description: 'SkuTitle as the sheet writes it.', maxLength: 300 }),
    choice('cspb_Term', {
      display: 'Term',
      description: 'TermDuration.',
      required: 'required',
      optionSetName: 'cspb_microsoftprice_term',
      options: [
        ['P1M', 'Monthly (P1M)', 'P1M'],
        ['P1Y', 'Annual (P1Y)', 'P1Y'],
        ['P3Y', 'Three years (P3Y)', 'P3Y'],
      ],
    }),
    choice('cspb_BillingPlan', {
      display: 'Billing plan',
      description: 'BillingPlan.',
      required: 'required',
      optionSetName: 'cspb_microsoftprice_billingplan',
      options: [
        ['Monthly', 'Monthly', 'monthly'],
        ['Annual', 'Annual', 'annual'],
        ['Triennial', 'Triennial', 'triennial'],
      ],
    }),
    text('cspb_Market', { display: 'Market', description: 'The market (two-letter country code) the price is for.', required: 'required', maxLength: 5 }),
    text('cspb_Currency', { display: 'Currency', description: 'ISO 4217 code of the price.', required: 'required', maxLength: 3 }),
    decimal('cspb_UnitPrice', {
      display: 'Unit price',
      description: "The partner's price per seat per billing cycle.",
      required: 'required',
      precision: 6,
      min: -1_000_000,
      max: 100_000_000,
    }),
    decimal('cspb_ErpPrice', { display: 'ERP price', description: "Microsoft's estimated retail price.", precision: 6, min: -1_000_000, max: 100_000_000 }),
    whole('cspb_TierMin', { display: 'Tier from', description: 'PricingTierRangeMin: the fewest seats the price is for.', min: 0, max: 2_000_000_000 }),
    whole('cspb_TierMax', {
      display: 'Tier to',
      description: 'PricingTierRangeMax: the most seats the price is for (empty: no limit).',
      min: 0,
      max: 2_000_000_000,
    }),
    dateOnly('cspb_EffectiveStart', { display: 'Effective from', description: 'EffectiveStartDate: the first day the price holds.', required: 'required' }),
    dateOnly('cspb_EffectiveEnd', { display: 'Effective to', description: 'EffectiveEndDate: the last day the price holds (empty: no end).' }),
    text('cspb_Segment', { display: 'Segment', description: 'Segment (Commercial, Education, ...).', maxLength: 50 }),
    text('cspb_SheetName', { display: 'Price sheet', description: 'The file the row was imported from.', maxLength: 200 }),
    whole('cspb_SheetRow', {
      display: 'Sheet row',
      description: 'The row of that file (header = 1): what a stale-cost finding cites.',
      min: 0,
      max: 2_000_000_000,
    }),
    text('cspb_PriceKey', {
      display: 'Price key',
      description: 'Product|SKU|term|plan|market|currency|from|tier: a second import of the same sheet updates its rows.',
      required: 'required',
      maxLength: 200,
    }),
  ],
  keys: [{ schemaName: 'cspb_key_microsoftprice', displayName: 'Price key', columns: ['cspb_pricekey'] }],
};
