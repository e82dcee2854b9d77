import { currencyCode, dateOnly, decimal, jobColumns, lookup, memo, money, text, whole, yesNo, runStatus } from '../columns';
import type { TableDef } from '../types';

const reviewName = text('cspb_Name', { display: 'Name', description: 'The day reviewed from, as finance reads it.', required: 'required', maxLength: 200 });

/**
 * A price review of coming renewals (dataverse/src/runs/price-review-run.ts, the call
 * `npm run renewals` makes): created by a person (Reconciliation > Price reviews > New) or a
 * scheduled flow; the queued job writes one line per subscription renewing in the 60 days after
 * its day, priced by its margin rule from Microsoft's price on the renewal day. A completed review
 * replaces the lines of the earlier ones, so the *Renewals Below Margin Floor* view is today's list.
 */
export const priceReview: TableDef = {
  logicalName: 'cspb_pricereview',
  schemaName: 'cspb_PriceReview',
  displayName: 'Price review',
  pluralName: 'Price reviews',
  description: 'The renewals of the next 60 days priced by their margin rules, and those whose margin would fall below the floor.',
  entitySetName: 'cspb_pricereviews',
  ownership: 'UserOwned',
  primaryName: reviewName,
  columns: [
    reviewName,
    dateOnly('cspb_AsOf', {
      display: 'Review day',
      description: 'Renewals in the 60 days after this day are reviewed (Microsoft prices in force on each renewal day).',
      required: 'required',
    }),
    runStatus('cspb_pricereviewstatus', 'Where the review is.'),
    whole('cspb_RenewalCount', { display: 'Renewals', description: 'Subscriptions renewing in the 60 days reviewed.' }),
    whole('cspb_BelowFloorCount', { display: 'Below floor', description: 'Renewals whose margin would fall below their floor.' }),
    memo('cspb_Notes', { display: 'Notes', description: "Where the costs came from (Microsoft's prices in the org, or the CRM's costs).", maxLength: 4000 }),
    ...jobColumns(),
    memo('cspb_Error', { display: 'Error', description: 'Why the review stopped, if it did.', maxLength: 10_000 }),
  ],
};

const lineName = text('cspb_Name', { display: 'Name', description: 'The customer and subscription.', required: 'required', maxLength: 300 });

/** One renewal of a price review: its cost on the renewal day, the price its rule gives, the margin left. */
export const priceReviewLine: TableDef = {
  logicalName: 'cspb_pricereviewline',
  schemaName: 'cspb_PriceReviewLine',
  displayName: 'Renewal price',
  pluralName: 'Renewal prices',
  description: "A subscription renewing soon: Microsoft's price for its next term, the customer price its margin rule gives, and the margin left.",
  entitySetName: 'cspb_pricereviewlines',
  ownership: 'UserOwned',
  primaryName: lineName,
  columns: [
    lineName,
    lookup('cspb_PriceReviewId', {
      display: 'Price review',
      description: 'The review the line belongs to.',
      required: 'required',
      target: 'cspb_pricereview',
      targetEntitySet: 'cspb_pricereviews',
      relationshipName: 'cspb_pricereview_cspb_pricereviewline_pricereviewid',
      onDelete: 'Cascade',
    }),
    lookup('cspb_SubscriptionId', {
      display: 'Subscription',
      description: 'The subscription renewing (open it to change its price).',
      target: 'cspb_subscription',
      targetEntitySet: 'cspb_subscriptions',
      relationshipName: 'cspb_subscription_cspb_pricereviewline_subscriptionid',
      onDelete: 'RemoveLink',
    }),
    text('cspb_CustomerName', { display: 'Customer', description: 'The customer, as the CRM names it.', maxLength: 200 }),
    text('cspb_VendorSubscriptionId', { display: 'Vendor subscription id', description: "Microsoft's subscription id.", required: 'required', maxLength: 100 }),
    dateOnly('cspb_RenewsOn', { display: 'Renews on', description: 'The first day of the next term.', required: 'required' }),
    whole('cspb_Quantity', { display: 'Seats', description: 'Seats renewing.', min: 0, max: 2_000_000_000 }),
    currencyCode(),
    money('cspb_CurrentPrice', { display: 'Current price', description: 'What a seat is sold at today, per billing cycle.' }),
    money('cspb_CostAtRenewal', { display: 'Cost at renewal', description: "Microsoft's price for the next term, per seat (locked for the term)." }),
    text('cspb_CostSource', { display: 'Cost from', description: "The price list's row, or the CRM cost when the org holds no price.", maxLength: 300 }),
    money('cspb_RenewalPrice', { display: 'Renewal price', description: 'The customer price the margin rule gives for the next term.' }),
    money('cspb_Margin', { display: 'Margin per seat', description: 'Renewal price minus cost at renewal.' }),
    decimal('cspb_MarginPercent', { display: 'Margin (%)', description: 'The margin as a percent of the renewal price.', precision: 2 }),
    decimal('cspb_FloorPercent', { display: 'Floor (%)', description: "The rule's margin floor.", precision: 2, min: -100, max: 100 }),
    yesNo('cspb_BelowFloor', {
      display: 'Below floor',
      description: 'The margin would fall below the floor (or be negative where the rule has none): re-price before the renewal.',
      defaultValue: false,
    }),
    text('cspb_Rule', { display: 'Rule', description: 'Which rule priced it and how (or why it could not).', maxLength: 400 }),
    text('cspb_LineKey', {
      display: 'Line key',
      description: 'Review|subscription: a re-delivered chunk writes no second line.',
      required: 'required',
      maxLength: 250,
    }),
  ],
  keys: [{ schemaName: 'cspb_key_pricereviewline', displayName: 'Line key', columns: ['cspb_linekey'] }],
};
