import { choice, currencyCode, decimal, lookup, memo, money, text, whole } from '../columns';
import type { TableDef } from '../types';
import { marginColumns } from '../margin-columns';

const name = text('cspb_Name', { display: 'Name', description: 'Customer and scope of the contract.', required: 'required', maxLength: 200 });

/** How one customer is billed: currency, frequency, anchor, terms, proration, discounts, tax. */
export const billingContract: TableDef = {
  logicalName: 'cspb_billingcontract',
  schemaName: 'cspb_BillingContract',
  displayName: 'Billing contract',
  pluralName: 'Billing contracts',
  description: "A customer's billing terms: currency, frequency and anchor, payment terms, proration, discounts, markup and tax.",
  entitySetName: 'cspb_billingcontracts',
  ownership: 'UserOwned',
  primaryName: name,
  columns: [
    name,
    lookup('cspb_CustomerId', {
      display: 'Customer',
      description: 'The account invoiced under this contract.',
      required: 'required',
      target: 'account',
      targetEntitySet: 'accounts',
      relationshipName: 'cspb_account_cspb_billingcontract_customerid',
      onDelete: 'Restrict',
    }),
    currencyCode(),
    ...marginColumns('contract'),
    choice('cspb_Frequency', {
      display: 'Billing frequency',
      description: 'How often invoices are issued.',
      required: 'required',
      optionSetName: 'cspb_billingfrequency',
      options: [
        ['Monthly', 'Monthly', 'monthly'],
        ['Quarterly', 'Quarterly', 'quarterly'],
        ['Annual', 'Annual', 'annual'],
        ['Triennial', 'Triennial', 'triennial'],
        ['OneTime', 'One-time', 'oneTime'],
      ],
      defaultKey: 'Monthly',
    }),
    choice('cspb_Anchor', {
      display: 'Anchor',
      description: 'What the billing periods are aligned to.',
      required: 'required',
      optionSetName: 'cspb_billinganchor',
      options: [
        ['CalendarMonth', 'Calendar month', 'calendarMonth'],
        ['BillingDay', 'Billing day', 'billingDay'],
        ['CoTerm', 'Co-term with the subscription', 'coterm'],
      ],
      defaultKey: 'CalendarMonth',
    }),
    whole('cspb_AnchorDay', { display: 'Anchor day', description: 'Day of month periods start on when anchored to a billing day (1-28).', min: 1, max: 28 }),
    choice('cspb_Timing', {
      display: 'Timing',
      description: 'Licences are billed in advance, usage in arrears.',
      required: 'required',
      optionSetName: 'cspb_billingtiming',
      options: [
        ['InAdvance', 'In advance', 'advance'],
        ['InArrears', 'In arrears', 'arrears'],
      ],
      defaultKey: 'InAdvance',
    }),
    whole('cspb_PaymentTermDays', {
      display: 'Payment terms (days)',
      description: 'Net days: the due date is the invoice date plus these days.',
      required: 'required',
      min: 0,
      max: 365,
    }),
    choice('cspb_ProrationPolicy', {
      display: 'Proration policy',
      description: 'How mid-period changes are charged or credited.',
      required: 'required',
      optionSetName: 'cspb_prorationpolicy',
      options: [
        ['DailyByDaysInPeriod', 'Daily, by days in period', 'daily'],
        ['None', 'None', 'none'],
        ['FullPeriod', 'Full period', 'fullPeriod'],
      ],
      defaultKey: 'DailyByDaysInPeriod',
    }),
    choice('cspb_RoundingPolicy', {
      display: 'Rounding policy',
      description: 'How each invoice line is rounded to the currency minor unit.',
      required: 'required',
      optionSetName: 'cspb_roundingpolicy',
      options: [
        ['HalfUp', 'Half up', 'halfUp'],
        ['HalfEven', "Half even (banker's)", 'halfEven'],
        ['Truncate', 'Truncate', 'truncate'],
      ],
      defaultKey: 'HalfUp',
    }),
    decimal('cspb_DiscountPercent', { display: 'Discount %', description: 'Standing discount on licence lines, in percent.', precision: 4, min: 0, max: 100 }),
    money('cspb_MinimumCommitment', {
      display: 'Minimum commitment',
      description: 'The least a billing period is invoiced before tax; a shortfall is a minimum-commitment line (empty: none).',
    }),
    decimal('cspb_UsageMarkupPercent', {
      display: 'Usage markup %',
      description: 'Markup on Azure usage cost, in percent.',
      precision: 4,
      min: -100,
      max: 1000,
    }),
    memo('cspb_TaxProfile', { display: 'Tax profile', description: 'JSON: jurisdiction, rates, exemption.', maxLength: 4000 }),
    lookup('cspb_PriceListId', {
      display: 'Price list',
      description: 'Customer prices per offer for subscriptions without a price of their own.',
      target: 'cspb_pricelist',
      targetEntitySet: 'cspb_pricelists',
      relationshipName: 'cspb_pricelist_cspb_billingcontract_pricelistid',
      onDelete: 'Restrict',
    }),
    text('cspb_ExchangeRateSource', {
      display: 'Exchange-rate source',
      description: 'Where rates for a foreign-currency cost come from (e.g. Partner Center PCToBCExchangeRate, ECB).',
      maxLength: 100,
    }),
  ],
};
