import { choice, currencyCode, dateOnly, decimal, lookup, memo, money, text, whole, jobColumns, yesNo, runStatus } from '../columns';
import type { TableDef } from '../types';
import { postingColumns } from '../posting-columns';

const runName = text('cspb_Name', { display: 'Name', description: 'Period and scope of the run.', required: 'required', maxLength: 200 });

/** A request to invoice contracts for a period; creating it starts generation. */
export const invoiceRun: TableDef = {
  logicalName: 'cspb_invoicerun',
  schemaName: 'cspb_InvoiceRun',
  displayName: 'Invoice run',
  pluralName: 'Invoice runs',
  description: 'Generation of draft invoices for a period, for one contract or all.',
  entitySetName: 'cspb_invoiceruns',
  ownership: 'UserOwned',
  primaryName: runName,
  columns: [
    runName,
    dateOnly('cspb_PeriodStart', { display: 'Period start', description: 'First day of the period invoiced.', required: 'required' }),
    dateOnly('cspb_PeriodEnd', { display: 'Period end', description: 'Last day of the period invoiced (inclusive).', required: 'required' }),
    lookup('cspb_ContractId', {
      display: 'Billing contract',
      description: 'Only this contract; empty means every contract due in the period.',
      target: 'cspb_billingcontract',
      targetEntitySet: 'cspb_billingcontracts',
      relationshipName: 'cspb_billingcontract_cspb_invoicerun_contractid',
      onDelete: 'RemoveLink',
    }),
    runStatus('cspb_invoicerunstatus', 'Where the run is.'),
    whole('cspb_InvoiceCount', { display: 'Invoices', description: 'Draft invoices written.' }),
    ...jobColumns(),
    memo('cspb_Error', { display: 'Error', description: 'Why the run failed, if it did.', maxLength: 10_000 }),
    memo('cspb_Warnings', {
      display: 'Warnings',
      description: 'What the run left as issued and why, per contract (issued usage with no usage bill of its month to compare it with).',
      maxLength: 10_000,
    }),
  ],
};

const invoiceName = text('cspb_Name', {
  display: 'Invoice number',
  description: 'Invoice number (draft numbers are provisional).',
  required: 'required',
  maxLength: 50,
});

/** A customer invoice (or credit note) for one contract and period. Issued invoices never change. */
export const invoice: TableDef = {
  logicalName: 'cspb_invoice',
  schemaName: 'cspb_Invoice',
  displayName: 'Invoice',
  pluralName: 'Invoices',
  description: 'A customer invoice or credit note for one billing contract and period.',
  entitySetName: 'cspb_invoices',
  ownership: 'UserOwned',
  primaryName: invoiceName,
  columns: [
    invoiceName,
    lookup('cspb_ContractId', {
      display: 'Billing contract',
      description: 'The contract invoiced.',
      required: 'required',
      target: 'cspb_billingcontract',
      targetEntitySet: 'cspb_billingcontracts',
      relationshipName: 'cspb_billingcontract_cspb_invoice_contractid',
      onDelete: 'Restrict',
    }),
    lookup('cspb_CustomerId', {
      display: 'Customer',
      description: 'The account invoiced.',
      required: 'required',
      target: 'account',
      targetEntitySet: 'accounts',
      relationshipName: 'cspb_account_cspb_invoice_customerid',
      onDelete: 'Restrict',
    }),
    lookup('cspb_RunId', {
      display: 'Invoice run',
      description: 'The run that generated the draft.',
      target: 'cspb_invoicerun',
      targetEntitySet: 'cspb_invoiceruns',
      relationshipName: 'cspb_invoicerun_cspb_invoice_runid',
      onDelete: 'RemoveLink',
    }),
    lookup('cspb_CreditOfId', {
      display: 'Credit of',
      description: 'For a credit note: the issued invoice it corrects.',
      target: 'cspb_invoice',
      targetEntitySet: 'cspb_invoices',
      relationshipName: 'cspb_invoice_cspb_invoice_creditofid',
      onDelete: 'Restrict',
    }),
    choice('cspb_InvoiceStatus', {
      display: 'Invoice status',
      description: 'Draft invoices may be regenerated; issued ones never change.',
      required: 'required',
      optionSetName: 'cspb_invoicestatus',
      options: [
        ['Draft', 'Draft'],
        ['Issued', 'Issued'],
        ['Cancelled', 'Cancelled'],
      ],
      defaultKey: 'Draft',
    }),
    choice('cspb_Kind', {
      display: 'Kind',
      description: 'Invoice or credit note.',
      required: 'required',
      optionSetName: 'cspb_invoicekind',
      options: [
        ['Invoice', 'Invoice', 'invoice'],
        ['CreditNote', 'Credit note', 'creditNote'],
      ],
      defaultKey: 'Invoice',
    }),
    dateOnly('cspb_PeriodStart', { display: 'Period start', description: 'First day invoiced.', required: 'required' }),
    dateOnly('cspb_PeriodEnd', { display: 'Period end', description: 'Last day invoiced (inclusive).', required: 'required' }),
    dateOnly('cspb_InvoiceDate', { display: 'Invoice date', description: 'Date of issue.' }),
    dateOnly('cspb_DueDate', { display: 'Due date', description: 'Invoice date plus the payment terms.' }),
    currencyCode(),
    money('cspb_Subtotal', { display: 'Subtotal', description: 'Sum of the non-tax lines.' }),
    money('cspb_TaxTotal', { display: 'Tax', description: 'Sum of the tax lines.' }),
    money('cspb_Total', { display: 'Total', description: 'Sum of all lines, exactly.' }),
    money('cspb_Cost', { display: 'Cost', description: 'Vendor cost of the lines.' }),
    money('cspb_Margin', { display: 'Margin', description: 'Subtotal minus cost.' }),
    text('cspb_DraftKey', {
      display: 'Draft key',
      description: 'Contract and period: one draft per key, regenerated in place.',
      required: 'required',
      maxLength: 100,
    }),
    ...postingColumns(),
  ],
  keys: [{ schemaName: 'cspb_key_draftkey', displayName: 'Draft key', columns: ['cspb_draftkey'] }],
};

const lineName = text('cspb_Name', {
  display: 'Description',
  description: 'What the line charges for, as the customer reads it.',
  required: 'required',
  maxLength: 300,
});

/** One invoice line: recurring, prorated adjustment, usage, one-time, credit, discount or tax. */
export const invoiceLine: TableDef = {
  logicalName: 'cspb_invoiceline',
  schemaName: 'cspb_InvoiceLine',
  displayName: 'Invoice line',
  pluralName: 'Invoice lines',
  description: 'A line of a customer invoice with its cost and margin.',
  entitySetName: 'cspb_invoicelines',
  ownership: 'UserOwned',
  primaryName: lineName,
  columns: [
    lineName,
    lookup('cspb_InvoiceId', {
      display: 'Invoice',
      description: 'The invoice the line is on.',
      required: 'required',
      target: 'cspb_invoice',
      targetEntitySet: 'cspb_invoices',
      relationshipName: 'cspb_invoice_cspb_invoiceline_invoiceid',
      onDelete: 'Cascade',
    }),
    lookup('cspb_SubscriptionId', {
      display: 'Subscription',
      description: 'The subscription charged, if any.',
      target: 'cspb_subscription',
      targetEntitySet: 'cspb_subscriptions',
      relationshipName: 'cspb_subscription_cspb_invoiceline_subscriptionid',
      onDelete: 'RemoveLink',
    }),
    lookup('cspb_CorrectsLineId', {
      display: 'Corrects line',
      description: 'For a credit: the issued line it corrects.',
      target: 'cspb_invoiceline',
      targetEntitySet: 'cspb_invoicelines',
      relationshipName: 'cspb_invoiceline_cspb_invoiceline_correctslineid',
      onDelete: 'Restrict',
    }),
    choice('cspb_LineType', {
      display: 'Line type',
      description: 'What kind of charge.',
      required: 'required',
      optionSetName: 'cspb_invoicelinetype',
      options: [
        ['Recurring', 'Recurring', 'recurring'],
        ['Prorated', 'Prorated adjustment', 'prorated'],
        ['Usage', 'Usage', 'usage'],
        ['OneTime', 'One-time', 'oneTime'],
        ['Credit', 'Credit', 'credit'],
        ['Discount', 'Discount', 'discount'],
        ['Tax', 'Tax', 'tax'],
        ['Commitment', 'Minimum commitment', 'commitment'],
      ],
    }),
    // What a correction compares: the engine's identity of what the line bills, the line a
    // discount or per-line tax derives from, and the discount. Issued lines are read back with them.
    text('cspb_LineKey', {
      display: 'Line key',
      description: 'What the line bills (subscription and charge), stable across re-runs: corrections compare issued and current lines by it.',
      required: 'required',
      maxLength: 500,
    }),
    text('cspb_AppliesToKey', { display: 'Applies to', description: 'Discount and per-line tax lines: the key of the line they derive from.', maxLength: 500 }),
    text('cspb_DiscountKey', { display: 'Discount', description: 'Discount lines: the discount or promotion applied.', maxLength: 200 }),
    yesNo('cspb_Taxable', { display: 'Taxable', description: 'Whether tax applies to the line.', defaultValue: true }),
    whole('cspb_LineNumber', { display: 'Line number', description: 'Order on the invoice.', required: 'required', min: 1 }),
    dateOnly('cspb_PeriodStart', { display: 'Service start', description: 'First day charged.' }),
    dateOnly('cspb_PeriodEnd', { display: 'Service end', description: 'Last day charged (inclusive).' }),
    decimal('cspb_Quantity', { display: 'Quantity', description: 'Units charged.', precision: 10 }),
    money('cspb_UnitPrice', { display: 'Unit price', description: 'Price per unit after tiers and overrides.' }),
    money('cspb_Amount', { display: 'Amount', description: 'Line amount, rounded per the contract rounding policy.' }),
    money('cspb_Cost', { display: 'Cost', description: 'Vendor cost behind the line.' }),
    money('cspb_Margin', { display: 'Margin', description: 'Amount minus cost.' }),
    decimal('cspb_TaxRate', { display: 'Tax rate', description: 'Rate of a tax line, in percent.', precision: 4, min: 0, max: 100 }),
    currencyCode(),
    memo('cspb_Explanation', { display: 'Explanation', description: 'How the amount was computed (days, tiers, discounts).', maxLength: 4000 }),
  ],
};

const sequenceName = text('cspb_Name', {
  display: 'Name',
  description: 'Which documents the sequence numbers ("Invoices": invoices and credit notes).',
  required: 'required',
  maxLength: 100,
});

/**
 * The numbers issued documents get: prefix + the next number, zero-padded. Issuing takes the next
 * number and moves the counter in one transaction guarded by the counter's row version, so
 * concurrent issues never repeat a number and a failed issue never skips one.
 */
export const invoiceNumbering: TableDef = {
  logicalName: 'cspb_invoicenumbering',
  schemaName: 'cspb_InvoiceNumbering',
  displayName: 'Invoice numbering',
  pluralName: 'Invoice numberings',
  description: 'The sequence issued invoices and credit notes are numbered from: prefix, next number and digits.',
  entitySetName: 'cspb_invoicenumberings',
  ownership: 'UserOwned',
  primaryName: sequenceName,
  columns: [
    sequenceName,
    text('cspb_Prefix', { display: 'Prefix', description: 'Put before every number (e.g. INV-2026-).', maxLength: 20 }),
    whole('cspb_NextNumber', { display: 'Next number', description: 'The number the next issued document gets.', required: 'required', min: 1 }),
    whole('cspb_Digits', { display: 'Digits', description: 'Numbers are zero-padded to this many digits (default 6).', min: 1, max: 12 }),
  ],
  keys: [{ schemaName: 'cspb_key_sequencename', displayName: 'Sequence name', columns: ['cspb_name'] }],
};

const rateName = text('cspb_Name', {
  display: 'Name',
  description: 'The pair and date, e.g. USD to EUR from 2026-10-01.',
  required: 'required',
  maxLength: 100,
});

/**
 * The exchange rates invoices convert with: units of the invoice currency for one unit of the cost or
 * price currency, from a date on (the latest rate on or before the invoice's rate date wins). Only
 * the direction given is used; a missing rate fails the contract, naming the pair and date.
 */
export const exchangeRate: TableDef = {
  logicalName: 'cspb_exchangerate',
  schemaName: 'cspb_ExchangeRate',
  displayName: 'Exchange rate',
  pluralName: 'Exchange rates',
  description: 'A dated exchange rate invoices convert foreign-currency costs and prices with.',
  entitySetName: 'cspb_exchangerates',
  ownership: 'UserOwned',
  primaryName: rateName,
  columns: [
    rateName,
    text('cspb_FromCurrency', {
      display: 'From currency',
      description: 'ISO 4217 code converted from (the cost or price currency).',
      required: 'required',
      maxLength: 3,
    }),
    text('cspb_ToCurrency', { display: 'To currency', description: 'ISO 4217 code converted to (the invoice currency).', required: 'required', maxLength: 3 }),
    decimal('cspb_Rate', {
      display: 'Rate',
      description: 'Units of the "to" currency for one unit of the "from" currency.',
      required: 'required',
      precision: 10,
      min: 0,
    }),
    dateOnly('cspb_ValidFrom', { display: 'Valid from', description: 'First day the rate applies.', required: 'required' }),
  ],
  keys: [{ schemaName: 'cspb_key_pairdate', displayName: 'Pair and date', columns: ['cspb_fromcurrency', 'cspb_tocurrency', 'cspb_validfrom'] }],
};
