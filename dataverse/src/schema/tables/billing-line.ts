import { currencyCode, dateOnly, decimal, lookup, money, text, whole } from '../columns';
import type { TableDef } from '../types';

const name = text('cspb_Name', { display: 'Name', description: 'Product, charge type and period, for lists.', required: 'required', maxLength: 200 });

/**
 * One line of a vendor bill. Licence lines are kept one to one; daily usage is aggregated per
 * subscription, meter and charge period (count, first and last usage date kept).
 */
export const billingLine: TableDef = {
  logicalName: 'cspb_billingline',
  schemaName: 'cspb_BillingLine',
  displayName: 'Billing line',
  pluralName: 'Billing lines',
  description: 'A vendor bill line, or an aggregate of daily usage rows, as imported.',
  entitySetName: 'cspb_billinglines',
  ownership: 'UserOwned',
  primaryName: name,
  columns: [
    name,
    lookup('cspb_ImportId', {
      display: 'Billing import',
      description: 'The import this line came from.',
      required: 'required',
      target: 'cspb_billingimport',
      targetEntitySet: 'cspb_billingimports',
      relationshipName: 'cspb_billingimport_cspb_billingline_importid',
      onDelete: 'Cascade',
    }),
    text('cspb_LineKey', {
      display: 'Line key',
      description: 'Natural key of the line within its bill (hash of invoice, row identity and aggregate key): a re-run upserts, never duplicates.',
      required: 'required',
      maxLength: 100,
    }),
    whole('cspb_SourceRow', { display: 'Source row', description: 'Row of the file the line starts at (first row of an aggregate).' }),
    text('cspb_VendorSubscriptionId', { display: 'Vendor subscription id', description: 'SubscriptionId as billed.', maxLength: 100 }),
    text('cspb_CustomerTenantId', { display: 'Customer tenant id', description: 'CustomerId as billed.', maxLength: 36 }),
    text('cspb_CustomerName', { display: 'Customer name', description: 'CustomerName as billed.', maxLength: 200 }),
    text('cspb_ProductId', { display: 'Product id', description: 'ProductId as billed.', maxLength: 50 }),
    text('cspb_SkuId', { display: 'SKU id', description: 'SkuId as billed.', maxLength: 50 }),
    text('cspb_ProductName', { display: 'Product name', description: 'ProductName as billed.', maxLength: 200 }),
    text('cspb_MeterId', { display: 'Meter id', description: 'Azure meter of a usage aggregate.', maxLength: 100 }),
    text('cspb_MeterName', { display: 'Meter name', description: 'MeterName as billed: how an invoice names re-billed usage.', maxLength: 200 }),
    text('cspb_ChargeType', { display: 'Charge type', description: 'ChargeType as billed (compared case-insensitively).', maxLength: 50 }),
    dateOnly('cspb_ChargeStartDate', { display: 'Charge start', description: 'ChargeStartDate as billed.' }),
    dateOnly('cspb_ChargeEndDate', { display: 'Charge end', description: 'ChargeEndDate as billed (inclusive).' }),
    decimal('cspb_Quantity', { display: 'Quantity', description: 'Billable quantity, or summed usage quantity.', precision: 10 }),
    money('cspb_UnitPrice', { display: 'Unit price', description: 'UnitPrice as billed, in the pricing currency.' }),
    money('cspb_EffectiveUnitPrice', { display: 'Effective unit price', description: 'EffectiveUnitPrice as billed.' }),
    money('cspb_Subtotal', { display: 'Subtotal', description: 'Subtotal (or pre-tax total of a usage aggregate) in the billing currency.' }),
    decimal('cspb_ExactSubtotal', {
      display: 'Subtotal (exact)',
      description:
        'The subtotal with every decimal the bill gives, up to 10: a money column keeps 4, and daily usage sums carry 6 or more; reconciliation and re-billing read this one.',
      precision: 10,
    }),
    money('cspb_Total', { display: 'Total', description: 'Total including tax, in the billing currency.' }),
    currencyCode(),
    decimal('cspb_ExchangeRate', { display: 'PC to BC exchange rate', description: 'PCToBCExchangeRate as billed.', precision: 10, min: 0 }),
    text('cspb_PricingCurrency', {
      display: 'Pricing currency',
      description: 'PricingCurrency as billed: with the exchange rate, how Microsoft converted the price list into the billing currency.',
      maxLength: 3,
    }),
    dateOnly('cspb_OrderDate', {
      display: 'Order date',
      description: 'OrderDate as billed: the month a charge is invoiced in (the bill period of a reconciliation).',
    }),
    text('cspb_ReferenceId', { display: 'Reference id', description: 'ReferenceId tying wipe and recreate lines together.', maxLength: 100 }),
    whole('cspb_UsageRowCount', { display: 'Usage rows', description: 'Daily usage rows summed into this aggregate (1 for a licence line).' }),
    dateOnly('cspb_FirstUsageDate', { display: 'First usage date', description: 'Earliest UsageDate in the aggregate.' }),
    dateOnly('cspb_LastUsageDate', { display: 'Last usage date', description: 'Latest UsageDate in the aggregate.' }),
  ],
  keys: [{ schemaName: 'cspb_key_linekey', displayName: 'Line key', columns: ['cspb_linekey'] }],
};
