import { choice, currencyCode, dateOnly, decimal, lookup, memo, money, text, whole, yesNo } from '../columns';
import type { TableDef } from '../types';

const priceListName = text('cspb_Name', {
  display: 'Name',
  description: 'What the list is for (e.g. Standard 2027, Education).',
  required: 'required',
  maxLength: 100,
});

/** Customer prices per offer a contract can follow; a subscription's own price wins over it. */
export const priceList: TableDef = {
  logicalName: 'cspb_pricelist',
  schemaName: 'cspb_PriceList',
  displayName: 'Price list',
  pluralName: 'Price lists',
  description: 'Customer prices per offer, flat or tiered, that billing contracts follow.',
  entitySetName: 'cspb_pricelists',
  ownership: 'UserOwned',
  primaryName: priceListName,
  columns: [priceListName, currencyCode()],
};

const itemName = text('cspb_Name', { display: 'Name', description: 'The offer and price, as finance reads it.', required: 'required', maxLength: 200 });

/**
 * One offer's price on a list: a unit price per `PerMonths` months, or tiers (JSON, ascending
 * `upTo`, the last open: `[{"upTo":10,"unitPrice":"12"},{"upTo":null,"unitPrice":"10","flatFee":"5"}]`).
 */
export const priceListItem: TableDef = {
  logicalName: 'cspb_pricelistitem',
  schemaName: 'cspb_PriceListItem',
  displayName: 'Price list item',
  pluralName: 'Price list items',
  description: "An offer's customer price on a price list: flat, tiered or volume.",
  entitySetName: 'cspb_pricelistitems',
  ownership: 'UserOwned',
  primaryName: itemName,
  columns: [
    itemName,
    lookup('cspb_PriceListId', {
      display: 'Price list',
      description: 'The list the price is on.',
      required: 'required',
      target: 'cspb_pricelist',
      targetEntitySet: 'cspb_pricelists',
      relationshipName: 'cspb_pricelist_cspb_pricelistitem_pricelistid',
      onDelete: 'Cascade',
    }),
    lookup('cspb_OfferId', {
      display: 'Offer',
      description: 'The offer priced.',
      required: 'required',
      target: 'cspb_offer',
      targetEntitySet: 'cspb_offers',
      relationshipName: 'cspb_offer_cspb_pricelistitem_offerid',
      onDelete: 'Restrict',
    }),
    currencyCode(),
    money('cspb_UnitPrice', { display: 'Unit price', description: 'Flat price per unit per "per months" months (empty when tiered).' }),
    whole('cspb_PerMonths', {
      display: 'Per months',
      description: 'Months the price is for: 1 monthly, 12 yearly, 36 for three years.',
      required: 'required',
      min: 1,
      max: 36,
    }),
    choice('cspb_TierMode', {
      display: 'Tier mode',
      description: 'Flat: one unit price. Tiered: each unit at its tier. Volume: all units at the tier the total falls in.',
      required: 'required',
      optionSetName: 'cspb_tiermode',
      options: [
        ['Flat', 'Flat', 'flat'],
        ['Tiered', 'Tiered', 'tiered'],
        ['Volume', 'Volume', 'volume'],
      ],
      defaultKey: 'Flat',
    }),
    memo('cspb_Tiers', {
      display: 'Tiers',
      description: 'JSON tiers when tiered or volume: [{"upTo":10,"unitPrice":"12"},{"upTo":null,"unitPrice":"10"}].',
      maxLength: 4000,
    }),
  ],
  keys: [{ schemaName: 'cspb_key_listoffer', displayName: 'List and offer', columns: ['cspb_pricelistid', 'cspb_offerid'] }],
};

const promotionName = text('cspb_Name', {
  display: 'Name',
  description: 'What the customer reads on the discount line.',
  required: 'required',
  maxLength: 200,
});

/** A dated discount of one contract (a promotion): percent of the lines in scope, or a fixed amount per period. */
export const promotion: TableDef = {
  logicalName: 'cspb_promotion',
  schemaName: 'cspb_Promotion',
  displayName: 'Promotion',
  pluralName: 'Promotions',
  description: "A dated discount on a contract's invoices: a percent of the licence lines, or a fixed amount per billing period.",
  entitySetName: 'cspb_promotions',
  ownership: 'UserOwned',
  primaryName: promotionName,
  columns: [
    promotionName,
    lookup('cspb_ContractId', {
      display: 'Billing contract',
      description: 'The contract discounted.',
      required: 'required',
      target: 'cspb_billingcontract',
      targetEntitySet: 'cspb_billingcontracts',
      relationshipName: 'cspb_billingcontract_cspb_promotion_contractid',
      onDelete: 'Cascade',
    }),
    lookup('cspb_SubscriptionId', {
      display: 'Subscription',
      description: 'Only this subscription (empty: every licence line of the contract).',
      target: 'cspb_subscription',
      targetEntitySet: 'cspb_subscriptions',
      relationshipName: 'cspb_subscription_cspb_promotion_subscriptionid',
      onDelete: 'Cascade',
    }),
    choice('cspb_DiscountKind', {
      display: 'Kind',
      description: 'Percent of each line in scope, or a fixed amount per billing period.',
      required: 'required',
      optionSetName: 'cspb_discountkind',
      options: [
        ['Percent', 'Percent', 'percent'],
        ['Fixed', 'Fixed amount', 'fixed'],
      ],
      defaultKey: 'Percent',
    }),
    decimal('cspb_Value', {
      display: 'Value',
      description: 'Percent (e.g. 10), or the fixed amount per period in the contract currency.',
      required: 'required',
      precision: 4,
      min: 0,
    }),
    dateOnly('cspb_StartDate', { display: 'Start', description: 'First day the promotion applies.', required: 'required' }),
    dateOnly('cspb_EndDate', { display: 'End', description: 'Last day it applies (inclusive); empty: open-ended.' }),
  ],
};

const chargeName = text('cspb_Name', {
  display: 'Description',
  description: 'What the charge is for, as the customer reads it.',
  required: 'required',
  maxLength: 300,
});

/** A one-time charge (setup, migration, hardware) invoiced with the period its date falls in. */
export const oneTimeCharge: TableDef = {
  logicalName: 'cspb_onetimecharge',
  schemaName: 'cspb_OneTimeCharge',
  displayName: 'One-time charge',
  pluralName: 'One-time charges',
  description: 'A one-time charge on a contract, invoiced in the billing period that holds its date.',
  entitySetName: 'cspb_onetimecharges',
  ownership: 'UserOwned',
  primaryName: chargeName,
  columns: [
    chargeName,
    lookup('cspb_ContractId', {
      display: 'Billing contract',
      description: 'The contract invoiced.',
      required: 'required',
      target: 'cspb_billingcontract',
      targetEntitySet: 'cspb_billingcontracts',
      relationshipName: 'cspb_billingcontract_cspb_onetimecharge_contractid',
      onDelete: 'Restrict',
    }),
    lookup('cspb_SubscriptionId', {
      display: 'Subscription',
      description: 'The subscription the charge belongs to, if any.',
      target: 'cspb_subscription',
      targetEntitySet: 'cspb_subscriptions',
      relationshipName: 'cspb_subscription_cspb_onetimecharge_subscriptionid',
      onDelete: 'RemoveLink',
    }),
    dateOnly('cspb_ChargeDate', {
      display: 'Charge date',
      description: 'The day charged: the invoice of the period holding it carries the line.',
      required: 'required',
    }),
    decimal('cspb_Quantity', { display: 'Quantity', description: 'Units charged.', required: 'required', precision: 10, min: 0 }),
    currencyCode(),
    money('cspb_UnitPrice', { display: 'Unit price', description: 'Price per unit, in the row currency.', required: 'required' }),
    money('cspb_UnitCost', { display: 'Unit cost', description: 'What the charge costs per unit, in the row currency (empty: unknown).' }),
    yesNo('cspb_TaxExempt', { display: 'Tax exempt', description: 'No tax on this charge.', defaultValue: false }),
  ],
};
