import type { FormDef } from '../form-xml';

const BILLING_CONTRACT_FORM_SCRIPT = 'cspb_/scripts/billingcontract.form.js';
const INVOICE_FORM_SCRIPT = 'cspb_/scripts/invoice.form.js';
const withScript = (form: FormDef, library: string, functionName: string): FormDef => ({
  ...form,
  libraries: [library],
  handlers: [{ event: 'onload', functionName, library }],
});

/**
 * Main forms of the remaining tables. No scripts yet: the billing contract and invoice form
 * scripts come in later issues (see docs/ADMIN.md, "Pending"); each is one `libraries` entry and
 * one `handlers` entry here.
 */
const plain = (table: string, name: string, description: string, sections: FormDef['sections']): FormDef => ({
  table,
  name,
  description,
  sections,
  libraries: [],
  handlers: [],
});

/** A record nobody edits (a ledger row, an imported bill line): every field read-only in the form XML. */
const readOnlyForm = (form: FormDef): FormDef => ({ ...form, readOnly: form.sections.flatMap((section) => section.fields ?? []) });

const CURRENCY_FORM_SCRIPT = 'cspb_/scripts/currency.form.js';

export const offerMainForm = withScript(
  plain('cspb_offer', 'Offer', 'Main form for a sellable SKU.', [
    { name: 'general', label: 'General', fields: ['cspb_name', 'cspb_vendor', 'cspb_productid', 'cspb_skuid', 'cspb_availabilityid', 'cspb_distributorsku'] },
    {
      name: 'pricing',
      label: 'Pricing',
      fields: ['cspb_term', 'cspb_billingplan', 'cspb_unitcost', 'cspb_listprice', 'cspb_currencycode', 'transactioncurrencyid', 'cspb_pricetiers'],
    },
    { name: 'margin', label: 'Margin rule', fields: ['cspb_marginrule', 'cspb_marginpercent', 'cspb_marginfixedprice', 'cspb_marginfloor'] },
  ]),
  CURRENCY_FORM_SCRIPT,
  'Cspb.CurrencyForm.onLoad',
);

export const billingContractMainForm = withScript(
  plain('cspb_billingcontract', 'Billing contract', 'Main form for a customer billing contract.', [
    { name: 'general', label: 'General', fields: ['cspb_name', 'cspb_customerid', 'cspb_currencycode', 'transactioncurrencyid', 'cspb_paymenttermdays'] },
    {
      name: 'billing',
      label: 'Billing',
      fields: ['cspb_frequency', 'cspb_anchor', 'cspb_anchorday', 'cspb_timing', 'cspb_prorationpolicy', 'cspb_roundingpolicy'],
    },
    {
      name: 'pricing',
      label: 'Pricing',
      fields: ['cspb_pricelistid', 'cspb_discountpercent', 'cspb_minimumcommitment', 'cspb_usagemarkuppercent', 'cspb_exchangeratesource', 'cspb_taxprofile'],
    },
    { name: 'margin', label: 'Margin rule', fields: ['cspb_marginrule', 'cspb_marginpercent', 'cspb_marginfloor'] },
    {
      name: 'subscriptions',
      label: 'Subscriptions',
      subgrids: [
        {
          id: 'subscriptions',
          label: 'Subscriptions',
          targetTable: 'cspb_subscription',
          relationshipName: 'cspb_billingcontract_cspb_subscription_contractid',
          view: 'active',
        },
      ],
    },
  ]),
  BILLING_CONTRACT_FORM_SCRIPT,
  'Cspb.BillingContractForm.onLoad',
);

export const subscriptionChangeMainForm = readOnlyForm(
  plain('cspb_subscriptionchange', 'Subscription change', 'Main form for a ledger row (append-only: read, never edited).', [
    {
      name: 'general',
      label: 'General',
      fields: ['cspb_name', 'cspb_subscriptionid', 'cspb_sequence', 'cspb_changetype', 'cspb_effectivedate', 'cspb_source', 'cspb_reason', 'cspb_referenceid'],
    },
    { name: 'quantity', label: 'Quantity', fields: ['cspb_quantitybefore', 'cspb_quantitydelta', 'cspb_quantityafter'] },
    {
      name: 'terms',
      label: 'Terms in force',
      fields: [
        'cspb_unitprice',
        'cspb_unitcost',
        'cspb_currencycode',
        'transactioncurrencyid',
        'cspb_productid',
        'cspb_productname',
        'cspb_term',
        'cspb_billingplan',
        'cspb_autorenew',
        'cspb_openedbyconversion',
      ],
    },
    {
      name: 'conversion',
      label: 'Conversion',
      fields: ['cspb_targetproductid', 'cspb_targetproductname', 'cspb_targetunitprice', 'cspb_convertedquantity', 'cspb_targetvendorsubscriptionid'],
    },
  ]),
);

export const billingLineMainForm = readOnlyForm(
  plain('cspb_billingline', 'Billing line', 'Main form for a vendor bill line, as imported.', [
    { name: 'general', label: 'General', fields: ['cspb_name', 'cspb_importid', 'cspb_linekey', 'cspb_sourcerow', 'cspb_referenceid'] },
    {
      name: 'customer',
      label: 'Customer and product',
      fields: [
        'cspb_vendorsubscriptionid',
        'cspb_customertenantid',
        'cspb_customername',
        'cspb_productid',
        'cspb_skuid',
        'cspb_productname',
        'cspb_meterid',
        'cspb_chargetype',
      ],
    },
    {
      name: 'charge',
      label: 'Charge',
      fields: [
        'cspb_chargestartdate',
        'cspb_chargeenddate',
        'cspb_quantity',
        'cspb_unitprice',
        'cspb_effectiveunitprice',
        'cspb_subtotal',
        'cspb_total',
        'cspb_currencycode',
        'transactioncurrencyid',
        'cspb_exchangerate',
      ],
    },
    { name: 'usage', label: 'Usage aggregate', fields: ['cspb_usagerowcount', 'cspb_firstusagedate', 'cspb_lastusagedate'] },
  ]),
);

export const discrepancyMainForm = plain(
  'cspb_discrepancy',
  'Discrepancy',
  'Main form for a discrepancy: what differs, by how much, and what finance decided.',
  [
    { name: 'general', label: 'General', fields: ['cspb_name', 'cspb_runid', 'cspb_category', 'cspb_resolutionstatus', 'cspb_resolutionnote'] },
    {
      name: 'subject',
      label: 'Subject',
      fields: ['cspb_subscriptionid', 'cspb_customerid', 'cspb_vendorsubscriptionid', 'cspb_referenceid', 'cspb_chargetype', 'cspb_discrepancykey'],
    },
    {
      name: 'money',
      label: 'Expected and billed',
      fields: [
        'cspb_expectedquantity',
        'cspb_billedquantity',
        'cspb_expectedamount',
        'cspb_billedamount',
        'cspb_variance',
        'cspb_currencycode',
        'transactioncurrencyid',
        'cspb_explanation',
      ],
    },
  ],
);

export const invoiceNumberingMainForm = plain('cspb_invoicenumbering', 'Invoice numbering', 'Main form for the sequence issued documents are numbered from.', [
  { name: 'general', label: 'General', fields: ['cspb_name', 'cspb_prefix', 'cspb_nextnumber', 'cspb_digits'] },
]);

export const exchangeRateMainForm = plain('cspb_exchangerate', 'Exchange rate', 'Main form for a dated exchange rate.', [
  { name: 'general', label: 'General', fields: ['cspb_name', 'cspb_fromcurrency', 'cspb_tocurrency', 'cspb_rate', 'cspb_validfrom'] },
]);

export const priceListMainForm = plain('cspb_pricelist', 'Price list', 'Main form for a price list and its prices.', [
  { name: 'general', label: 'General', fields: ['cspb_name', 'cspb_currencycode'] },
  {
    name: 'items',
    label: 'Prices',
    subgrids: [
      { id: 'items', label: 'Prices', targetTable: 'cspb_pricelistitem', relationshipName: 'cspb_pricelist_cspb_pricelistitem_pricelistid', view: 'active' },
    ],
  },
]);

export const priceListItemMainForm = withScript(
  plain('cspb_pricelistitem', 'Price list item', "Main form for an offer's price on a list.", [
    { name: 'general', label: 'General', fields: ['cspb_name', 'cspb_pricelistid', 'cspb_offerid', 'cspb_currencycode', 'transactioncurrencyid'] },
    { name: 'price', label: 'Price', fields: ['cspb_unitprice', 'cspb_permonths', 'cspb_tiermode', 'cspb_tiers'] },
  ]),
  CURRENCY_FORM_SCRIPT,
  'Cspb.CurrencyForm.onLoad',
);

export const promotionMainForm = plain('cspb_promotion', 'Promotion', 'Main form for a dated discount of a contract.', [
  {
    name: 'general',
    label: 'General',
    fields: ['cspb_name', 'cspb_contractid', 'cspb_subscriptionid', 'cspb_discountkind', 'cspb_value', 'cspb_startdate', 'cspb_enddate'],
  },
]);

export const oneTimeChargeMainForm = withScript(
  plain('cspb_onetimecharge', 'One-time charge', 'Main form for a one-time charge of a contract.', [
    { name: 'general', label: 'General', fields: ['cspb_name', 'cspb_contractid', 'cspb_subscriptionid', 'cspb_chargedate', 'cspb_taxexempt'] },
    { name: 'money', label: 'Amount', fields: ['cspb_quantity', 'cspb_unitprice', 'cspb_unitcost', 'cspb_currencycode', 'transactioncurrencyid'] },
  ]),
  CURRENCY_FORM_SCRIPT,
  'Cspb.CurrencyForm.onLoadUnderContract',
);

// A new run's period end and name follow its period start (webresources/src/invoicerun.form.ts; OnLoad registers the OnChange).
export const invoiceRunMainForm = withScript(
  plain('cspb_invoicerun', 'Invoice run', 'Main form for an invoice run.', [
    {
      name: 'general',
      label: 'General',
      fields: ['cspb_name', 'cspb_periodstart', 'cspb_periodend', 'cspb_contractid', 'cspb_runstatus', 'cspb_invoicecount', 'cspb_error', 'cspb_warnings'],
    },
    {
      name: 'invoices',
      label: 'Invoices',
      subgrids: [{ id: 'invoices', label: 'Invoices', targetTable: 'cspb_invoice', relationshipName: 'cspb_invoicerun_cspb_invoice_runid', view: 'active' }],
    },
  ]),
  'cspb_/scripts/invoicerun.form.js',
  'Cspb.InvoiceRunForm.onLoad',
);

/** Month-end: the invoice (the only thing a person types), then what each step did, read-only; Restart for a failed run. */
export const monthEndRunMainForm: FormDef = {
  ...plain('cspb_monthendrun', 'Month-end run', 'Main form for a month-end run: pull, reconcile, invoice, summary.', [
    { name: 'general', label: 'General', fields: ['cspb_name', 'cspb_invoicenumber', 'cspb_periodstart', 'cspb_runstatus', 'cspb_step', 'cspb_jobprogress'] },
    // Restart is the one thing a person sets after the create: Yes on a failed run queues it again.
    { name: 'summary', label: 'Summary', fields: ['cspb_summary', 'cspb_openfindings', 'cspb_error', 'cspb_restart'] },
    {
      name: 'steps',
      label: 'Steps',
      fields: [
        'cspb_licencepullstatus',
        'cspb_licenceimportid',
        'cspb_usagepullstatus',
        'cspb_usageimportid',
        'cspb_reconcilestatus',
        'cspb_reconciliationrunid',
        'cspb_invoicingstatus',
        'cspb_invoicerunid',
      ],
    },
  ]),
  readOnly: [
    'cspb_periodstart',
    'cspb_runstatus',
    'cspb_step',
    'cspb_jobprogress',
    'cspb_summary',
    'cspb_openfindings',
    'cspb_error',
    'cspb_licencepullstatus',
    'cspb_licenceimportid',
    'cspb_usagepullstatus',
    'cspb_usageimportid',
    'cspb_reconcilestatus',
    'cspb_reconciliationrunid',
    'cspb_invoicingstatus',
    'cspb_invoicerunid',
  ],
};

/** Written by the post (npm run post, a Posting run), never by hand. */
const POSTING_FIELDS = ['cspb_postingstatus', 'cspb_postedto', 'cspb_externalid', 'cspb_externalnumber', 'cspb_postedat', 'cspb_postingerror'];

export const invoiceMainForm = withScript(
  {
    ...plain('cspb_invoice', 'Invoice', 'Main form for a customer invoice.', [
      {
        name: 'general',
        label: 'General',
        fields: ['cspb_name', 'cspb_customerid', 'cspb_contractid', 'cspb_runid', 'cspb_invoicestatus', 'cspb_kind', 'cspb_creditofid'],
      },
      { name: 'dates', label: 'Dates', fields: ['cspb_periodstart', 'cspb_periodend', 'cspb_invoicedate', 'cspb_duedate'] },
      {
        name: 'totals',
        label: 'Totals',
        fields: ['cspb_currencycode', 'transactioncurrencyid', 'cspb_subtotal', 'cspb_taxtotal', 'cspb_total', 'cspb_cost', 'cspb_margin', 'cspb_draftkey'],
      },
      {
        name: 'lines',
        label: 'Lines',
        subgrids: [
          { id: 'lines', label: 'Invoice lines', targetTable: 'cspb_invoiceline', relationshipName: 'cspb_invoice_cspb_invoiceline_invoiceid', view: 'active' },
        ],
      },
      { name: 'posting', label: 'Accounting', fields: POSTING_FIELDS },
    ]),
    readOnly: POSTING_FIELDS,
  },
  INVOICE_FORM_SCRIPT,
  'Cspb.InvoiceForm.onLoad',
);

export const invoiceLineMainForm = plain('cspb_invoiceline', 'Invoice line', 'Main form for an invoice line.', [
  {
    name: 'general',
    label: 'General',
    fields: ['cspb_name', 'cspb_invoiceid', 'cspb_linenumber', 'cspb_linetype', 'cspb_subscriptionid', 'cspb_correctslineid'],
  },
  {
    name: 'amount',
    label: 'Amount',
    fields: [
      'cspb_periodstart',
      'cspb_periodend',
      'cspb_quantity',
      'cspb_unitprice',
      'cspb_amount',
      'cspb_cost',
      'cspb_margin',
      'cspb_taxrate',
      'cspb_currencycode',
      'transactioncurrencyid',
      'cspb_explanation',
    ],
  },
]);

/** A Microsoft price, as imported from the price list: read-only (a new sheet is imported, never edited by hand). */
export const microsoftPriceMainForm: FormDef = {
  ...plain('cspb_microsoftprice', 'Microsoft price', "Main form for a row of Microsoft's price list.", [
    {
      name: 'general',
      label: 'General',
      fields: ['cspb_name', 'cspb_productid', 'cspb_skuid', 'cspb_skutitle', 'cspb_term', 'cspb_billingplan', 'cspb_market', 'cspb_currency', 'cspb_segment'],
    },
    {
      name: 'price',
      label: 'Price',
      fields: [
        'cspb_unitprice',
        'cspb_erpprice',
        'cspb_tiermin',
        'cspb_tiermax',
        'cspb_effectivestart',
        'cspb_effectiveend',
        'cspb_sheetname',
        'cspb_sheetrow',
      ],
    },
  ]),
  readOnly: [
    'cspb_name',
    'cspb_productid',
    'cspb_skuid',
    'cspb_skutitle',
    'cspb_term',
    'cspb_billingplan',
    'cspb_market',
    'cspb_currency',
    'cspb_segment',
    'cspb_unitprice',
    'cspb_erpprice',
    'cspb_tiermin',
    'cspb_tiermax',
    'cspb_effectivestart',
    'cspb_effectiveend',
    'cspb_sheetname',
    'cspb_sheetrow',
  ],
};

/** An accrual: the month and date (and the import to close against) a person gives, the totals, its lines with their chart. */
export const accrualRunMainForm: FormDef = {
  ...plain('cspb_accrualrun', 'Accrual', 'Main form for an accrual of the coming Microsoft bill, with its lines.', [
    { name: 'general', label: 'General', fields: ['cspb_name', 'cspb_periodstart', 'cspb_asof', 'cspb_closedimportid', 'cspb_runstatus', 'cspb_jobprogress'] },
    {
      name: 'totals',
      label: 'Totals',
      fields: ['cspb_linecount', 'cspb_accrued', 'cspb_billed', 'cspb_explainedbylater', 'cspb_unexplained', 'cspb_notes', 'cspb_error'],
    },
    {
      name: 'lines',
      label: 'Accrual lines',
      subgrids: [
        {
          id: 'lines',
          label: 'Accrual lines',
          targetTable: 'cspb_accrualline',
          relationshipName: 'cspb_accrualrun_cspb_accrualline_accrualrunid',
          view: 'active',
        },
      ],
    },
  ]),
  readOnly: [
    'cspb_runstatus',
    'cspb_jobprogress',
    'cspb_linecount',
    'cspb_accrued',
    'cspb_billed',
    'cspb_explainedbylater',
    'cspb_unexplained',
    'cspb_notes',
    'cspb_error',
  ],
};

/** An accrual line: written by the accrual, read-only. */
export const accrualLineMainForm: FormDef = {
  ...plain('cspb_accrualline', 'Accrual line', 'Main form for an accrual line.', [
    {
      name: 'general',
      label: 'General',
      fields: [
        'cspb_name',
        'cspb_accrualrunid',
        'cspb_periodstart',
        'cspb_customername',
        'cspb_vendorsubscriptionid',
        'cspb_productname',
        'cspb_chargetype',
        'cspb_quantity',
      ],
    },
    {
      name: 'money',
      label: 'Money',
      fields: ['cspb_currencycode', 'transactioncurrencyid', 'cspb_amount', 'cspb_billedamount', 'cspb_difference', 'cspb_explanation'],
    },
  ]),
  readOnly: [
    'cspb_name',
    'cspb_accrualrunid',
    'cspb_periodstart',
    'cspb_customername',
    'cspb_vendorsubscriptionid',
    'cspb_productname',
    'cspb_chargetype',
    'cspb_quantity',
    'cspb_currencycode',
    'transactioncurrencyid',
    'cspb_amount',
    'cspb_billedamount',
    'cspb_difference',
    'cspb_explanation',
  ],
};

/** A price review: the day a person (or a scheduled flow) gives, the counts, the renewals with their prices. */
export const priceReviewMainForm: FormDef = {
  ...plain('cspb_pricereview', 'Price review', 'Main form for a price review of coming renewals, with the renewals it priced.', [
    { name: 'general', label: 'General', fields: ['cspb_name', 'cspb_asof', 'cspb_runstatus', 'cspb_jobprogress'] },
    { name: 'totals', label: 'Totals', fields: ['cspb_renewalcount', 'cspb_belowfloorcount', 'cspb_notes', 'cspb_error'] },
    {
      name: 'lines',
      label: 'Renewal prices',
      subgrids: [
        {
          id: 'lines',
          label: 'Renewal prices',
          targetTable: 'cspb_pricereviewline',
          relationshipName: 'cspb_pricereview_cspb_pricereviewline_pricereviewid',
          view: 'active',
        },
      ],
    },
  ]),
  readOnly: ['cspb_runstatus', 'cspb_jobprogress', 'cspb_renewalcount', 'cspb_belowfloorcount', 'cspb_notes', 'cspb_error'],
};

const PRICE_REVIEW_LINE_FIELDS = {
  general: ['cspb_name', 'cspb_pricereviewid', 'cspb_subscriptionid', 'cspb_customername', 'cspb_vendorsubscriptionid', 'cspb_renewson', 'cspb_quantity'],
  money: [
    'cspb_currencycode',
    'transactioncurrencyid',
    'cspb_currentprice',
    'cspb_costatrenewal',
    'cspb_costsource',
    'cspb_renewalprice',
    'cspb_margin',
    'cspb_marginpercent',
    'cspb_floorpercent',
    'cspb_belowfloor',
    'cspb_rule',
  ],
};

/** A renewal price: written by the review, read-only (the subscription is where its price changes). */
export const priceReviewLineMainForm: FormDef = {
  ...plain('cspb_pricereviewline', 'Renewal price', 'Main form for a renewal priced by a price review.', [
    { name: 'general', label: 'General', fields: PRICE_REVIEW_LINE_FIELDS.general },
    { name: 'money', label: 'Price and margin', fields: PRICE_REVIEW_LINE_FIELDS.money },
  ]),
  readOnly: [...PRICE_REVIEW_LINE_FIELDS.general, ...PRICE_REVIEW_LINE_FIELDS.money],
};

/** An accounting mapping: what an admin maps, per system. */
export const accountingMappingMainForm: FormDef = plain('cspb_accountingmapping', 'Accounting mapping', 'Main form for an accounting mapping.', [
  {
    name: 'general',
    label: 'General',
    fields: ['cspb_name', 'cspb_system', 'cspb_kind', 'cspb_accountid', 'cspb_linecategory', 'cspb_taxkey', 'cspb_externalvalue'],
  },
]);

/** A posting run: the system and month a person gives, the counts and each document's outcome. */
export const postingRunMainForm: FormDef = {
  ...plain('cspb_postingrun', 'Posting run', "Main form for a posting run of a month's issued documents.", [
    { name: 'general', label: 'General', fields: ['cspb_name', 'cspb_system', 'cspb_periodstart', 'cspb_dryrun', 'cspb_runstatus', 'cspb_jobprogress'] },
    { name: 'outcome', label: 'Outcome', fields: ['cspb_postedcount', 'cspb_failedcount', 'cspb_summary', 'cspb_error'] },
  ]),
  readOnly: ['cspb_runstatus', 'cspb_jobprogress', 'cspb_postedcount', 'cspb_failedcount', 'cspb_summary', 'cspb_error'],
};
