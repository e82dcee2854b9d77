import { choice, currencyCode, memo, money, text } from '../columns';
import type { TableDef } from '../types';
import { marginColumns } from '../margin-columns';

const name = text('cspb_Name', { display: 'Name', description: 'The offer as sales and invoices name it.', required: 'required', maxLength: 200 });

/** A sellable SKU with its vendor identity, term, billing plan, cost and list price. */
export const offer: TableDef = {
  logicalName: 'cspb_offer',
  schemaName: 'cspb_Offer',
  displayName: 'Offer',
  pluralName: 'Offers',
  description: 'A sellable SKU: vendor ids, term, billing plan, unit cost and list price.',
  entitySetName: 'cspb_offers',
  ownership: 'UserOwned',
  primaryName: name,
  columns: [
    name,
    choice('cspb_Vendor', {
      display: 'Vendor',
      description: 'Who bills the partner for this offer.',
      required: 'required',
      optionSetName: 'cspb_offer_vendor',
      options: [
        ['Microsoft', 'Microsoft', 'Microsoft'],
        ['Pax8', 'Pax8', 'Pax8'],
        ['TdSynnex', 'TD SYNNEX', 'TD SYNNEX'],
        ['Ingram', 'Ingram Micro', 'Ingram Micro'],
        ['Other', 'Other', 'Other'],
      ],
      defaultKey: 'Microsoft',
    }),
    text('cspb_ProductId', { display: 'Product id', description: 'Microsoft ProductId (e.g. CFQ7TTC0LDPB).', maxLength: 50 }),
    text('cspb_SkuId', { display: 'SKU id', description: 'Microsoft SkuId.', maxLength: 50 }),
    text('cspb_AvailabilityId', { display: 'Availability id', description: 'Microsoft AvailabilityId.', maxLength: 50 }),
    text('cspb_DistributorSku', { display: 'Distributor SKU', description: "The distributor's SKU when a distributor bills the offer.", maxLength: 100 }),
    choice('cspb_Term', {
      display: 'Term',
      description: 'Commitment term (TermDuration).',
      required: 'required',
      optionSetName: 'cspb_offer_term',
      options: [
        ['P1M', 'Monthly (P1M)', 'P1M'],
        ['P1Y', 'Annual (P1Y)', 'P1Y'],
        ['P3Y', 'Three years (P3Y)', 'P3Y'],
        ['None', 'None (usage)', 'none'],
      ],
    }),
    choice('cspb_BillingPlan', {
      display: 'Billing plan',
      description: 'How often Microsoft bills the term.',
      required: 'required',
      optionSetName: 'cspb_offer_billingplan',
      options: [
        ['Monthly', 'Monthly', 'monthly'],
        ['Annual', 'Annual', 'annual'],
        ['Triennial', 'Triennial', 'triennial'],
        ['OneTime', 'One-time', 'oneTime'],
        ['Usage', 'Usage', 'usage'],
      ],
    }),
    money('cspb_UnitCost', { display: 'Unit cost', description: 'What the vendor charges per unit per billing period, in the offer currency.' }),
    money('cspb_ListPrice', { display: 'List price', description: 'What customers pay per unit per billing period before overrides and discounts.' }),
    currencyCode(),
    ...marginColumns('offer'),
    memo('cspb_PriceTiers', {
      display: 'Price tiers',
      description: 'JSON list of quantity tiers ({"from":1,"to":300,"unitPrice":"12.00"}), tiered or volume per the contract.',
      maxLength: 20_000,
    }),
  ],
};
