import { extensions, tables, type TableDef } from '../../dataverse/src/schema';
import { bracedGuid } from '../../dataverse/src/codegen/stable-guid';
import { el, leaf, type XmlElement } from '../../dataverse/src/codegen/xml';
import { LANGUAGE_CODE } from './publisher';

/**
 * System views (SavedQuery). Every table gets the three views Dataverse expects of a custom table
 * (the default public view, quick find and lookup); the views finance and sales work from are
 * hand-kept below. Shapes copy the savedquery elements of the real export in
 * ../shared/samples/solutions/tactec-dev-powerapps-packed/customizations.xml.
 */
export interface ViewDef {
  readonly table: string;
  /** Stable key: the view id is derived from table and key, so never rename a shipped key. */
  readonly key: string;
  readonly name: string;
  readonly description: string;
  /** 0 public view, 1 advanced find, 2 associated, 4 quick find, 64 lookup (Dataverse savedquery querytype). */
  readonly queryType: 0 | 1 | 2 | 4 | 64;
  readonly isDefault: boolean;
  readonly columns: ReadonlyArray<{ readonly name: string; readonly width: number }>;
  /** FetchXML conditions (operators from Fetch.xsd; next-x-days counts from today in the user's time zone). */
  readonly conditions?: ReadonlyArray<{ readonly attribute: string; readonly operator: 'eq' | 'ne' | 'like' | 'next-x-days'; readonly value: string | number }>;
  readonly orders: ReadonlyArray<{ readonly attribute: string; readonly descending: boolean }>;
  /** Quick Find views: the text columns the search box searches (the primary name when absent). */
  readonly findColumns?: readonly string[];
}

/** Columns Dataverse adds to every user-owned table, usable in views without being in the schema. */
export const SYSTEM_COLUMNS = ['createdon', 'modifiedon', 'ownerid', 'statecode', 'statuscode'] as const;

export const viewId = (table: string, key: string): string => bracedGuid(`${table}/view/${key}`);

const ACTIVE = { attribute: 'statecode', operator: 'eq', value: 0 } as const;
const INACTIVE = { attribute: 'statecode', operator: 'eq', value: 1 } as const;
const optionValue = (table: TableDef, column: string, key: string): number => {
  const c = table.columns.find((col) => col.logicalName === column);
  if (!c || c.type !== 'choice') throw new Error(`${table.logicalName}.${column} is not a choice column`);
  const option = c.options.find((o) => o.key === key);
  if (!option) throw new Error(`${table.logicalName}.${column} has no option ${key}`);
  return option.value;
};
const tableNamed = (name: string): TableDef => {
  const t = tables.find((x) => x.logicalName === name);
  if (!t) throw new Error(`no table ${name}`);
  return t;
};

/** Columns each table's default public view shows after the primary name (at most five). */
const DEFAULT_COLUMNS: Record<string, readonly string[]> = {
  cspb_offer: ['cspb_vendor', 'cspb_productid', 'cspb_term', 'cspb_billingplan'],
  cspb_billingcontract: ['cspb_customerid', 'cspb_frequency', 'cspb_currencycode'],
  cspb_subscription: ['cspb_customerid', 'cspb_offerid', 'cspb_quantity', 'cspb_status', 'cspb_termenddate'],
  cspb_subscriptionchange: ['cspb_subscriptionid', 'cspb_sequence', 'cspb_changetype', 'cspb_quantitydelta', 'cspb_effectivedate'],
  cspb_billingimport: ['cspb_vendor', 'cspb_invoicenumber', 'cspb_periodstart', 'cspb_importstatus', 'cspb_totalbilled'],
  cspb_billingline: ['cspb_importid', 'cspb_vendorsubscriptionid', 'cspb_chargetype', 'cspb_quantity', 'cspb_subtotal'],
  cspb_reconciliationrun: ['cspb_periodstart', 'cspb_runstatus', 'cspb_totalvariance', 'cspb_totalleakage', 'cspb_discrepancycount'],
  cspb_discrepancy: ['cspb_category', 'cspb_resolutionstatus', 'cspb_subscriptionid', 'cspb_variance', 'cspb_currencycode'],
  cspb_invoicerun: ['cspb_periodstart', 'cspb_periodend', 'cspb_runstatus', 'cspb_invoicecount'],
  cspb_monthendrun: ['cspb_invoicenumber', 'cspb_periodstart', 'cspb_step', 'cspb_runstatus', 'cspb_openfindings'],
  cspb_microsoftprice: ['cspb_productid', 'cspb_skuid', 'cspb_term', 'cspb_unitprice', 'cspb_effectivestart'],
  cspb_accrualrun: ['cspb_periodstart', 'cspb_asof', 'cspb_runstatus', 'cspb_accrued', 'cspb_unexplained'],
  cspb_accrualline: ['cspb_customername', 'cspb_chargetype', 'cspb_quantity', 'cspb_amount', 'cspb_difference'],
  cspb_pricereview: ['cspb_asof', 'cspb_runstatus', 'cspb_renewalcount', 'cspb_belowfloorcount'],
  cspb_accountingmapping: ['cspb_system', 'cspb_kind', 'cspb_accountid', 'cspb_linecategory', 'cspb_taxkey', 'cspb_externalvalue'],
  cspb_postingrun: ['cspb_system', 'cspb_periodstart', 'cspb_runstatus', 'cspb_postedcount', 'cspb_failedcount'],
  cspb_pricereviewline: ['cspb_renewson', 'cspb_customername', 'cspb_renewalprice', 'cspb_costatrenewal', 'cspb_marginpercent', 'cspb_belowfloor'],
  cspb_invoice: ['cspb_customerid', 'cspb_invoicestatus', 'cspb_periodstart', 'cspb_total', 'cspb_currencycode'],
  cspb_invoiceline: ['cspb_linenumber', 'cspb_linetype', 'cspb_quantity', 'cspb_unitprice', 'cspb_amount'],
  cspb_invoicenumbering: ['cspb_prefix', 'cspb_nextnumber', 'cspb_digits'],
  cspb_exchangerate: ['cspb_fromcurrency', 'cspb_tocurrency', 'cspb_rate', 'cspb_validfrom'],
  cspb_pricelist: ['cspb_currencycode'],
  cspb_pricelistitem: ['cspb_pricelistid', 'cspb_offerid', 'cspb_unitprice', 'cspb_permonths', 'cspb_tiermode'],
  cspb_promotion: ['cspb_contractid', 'cspb_discountkind', 'cspb_value', 'cspb_startdate', 'cspb_enddate'],
  cspb_onetimecharge: ['cspb_contractid', 'cspb_chargedate', 'cspb_quantity', 'cspb_unitprice', 'cspb_currencycode'],
};

/**
 * The order a table's lists open in, where the name is not it (issue 19: the ledger sorted as text
 * on "+1 -> 8"): time-ordered tables newest first, lines in their own order.
 */
const DEFAULT_ORDERS: Record<string, ReadonlyArray<{ readonly attribute: string; readonly descending: boolean }>> = {
  cspb_subscriptionchange: [
    { attribute: 'cspb_effectivedate', descending: true },
    { attribute: 'cspb_sequence', descending: true },
  ],
  cspb_billingimport: [{ attribute: 'createdon', descending: true }],
  cspb_billingline: [{ attribute: 'cspb_sourcerow', descending: false }],
  cspb_reconciliationrun: [{ attribute: 'createdon', descending: true }],
  cspb_discrepancy: [
    { attribute: 'cspb_category', descending: false },
    { attribute: 'cspb_variance', descending: true },
  ],
  cspb_invoicerun: [{ attribute: 'cspb_periodstart', descending: true }],
  cspb_monthendrun: [{ attribute: 'createdon', descending: true }],
  cspb_accrualrun: [{ attribute: 'createdon', descending: true }],
  cspb_pricereview: [{ attribute: 'createdon', descending: true }],
  cspb_postingrun: [{ attribute: 'createdon', descending: true }],
  cspb_accountingmapping: [
    { attribute: 'cspb_system', descending: false },
    { attribute: 'cspb_kind', descending: false },
  ],
  cspb_pricereviewline: [
    { attribute: 'cspb_renewson', descending: false },
    { attribute: 'cspb_customername', descending: false },
  ],
  cspb_accrualline: [
    { attribute: 'cspb_customername', descending: false },
    { attribute: 'cspb_vendorsubscriptionid', descending: false },
  ],
  cspb_microsoftprice: [
    { attribute: 'cspb_productid', descending: false },
    { attribute: 'cspb_effectivestart', descending: true },
  ],
  cspb_invoice: [{ attribute: 'cspb_periodstart', descending: true }],
  cspb_invoiceline: [{ attribute: 'cspb_linenumber', descending: false }],
  cspb_exchangerate: [{ attribute: 'cspb_validfrom', descending: true }],
  cspb_onetimecharge: [{ attribute: 'cspb_chargedate', descending: true }],
  cspb_promotion: [{ attribute: 'cspb_startdate', descending: true }],
};

/**
 * What an empty list should tell its reader: the default view's description (the real app shows a
 * view's description in its view selector; the grid's own empty text is the platform's and cannot
 * be set per view), and the workbench's empty state.
 */
export const EMPTY_TEXT: Record<string, string> = {
  cspb_subscription: 'No active subscriptions. Create one, or sync them from Partner Center.',
  cspb_subscriptionchange: 'No ledger rows yet: every saved change of a subscription writes one.',
  cspb_billingcontract: 'No billing contracts. A contract says how and when a customer is invoiced.',
  cspb_billingimport: 'No bills imported yet. Select New and drop the Partner Center invoice file (CSV or Excel).',
  cspb_billingline: 'No bill lines yet: importing a bill writes them.',
  cspb_reconciliationrun: 'No reconciliation runs yet. Open a completed billing import and select Run reconciliation.',
  cspb_discrepancy: 'No discrepancies: either no run has completed yet, or every bill line matched the ledger.',
  cspb_invoicerun: 'No invoice runs yet. Select New, pick the period, and leave the contract empty to invoice every contract.',
  cspb_invoice: 'No invoices yet: an invoice run drafts them.',
  cspb_invoiceline: 'No invoice lines yet: an invoice run drafts them.',
  cspb_monthendrun: 'No month-end runs yet. The month-end timer starts one for each invoice Partner Center issues; or select New and give the invoice number.',
  cspb_accrualrun: 'No accruals yet. Select New, give the billing month and the accrual date (and the invoice import to close against, once it is in).',
  cspb_accrualline: 'No accrual lines yet: an accrual writes them.',
  cspb_pricereview: 'No price reviews yet. Select New and give the day to review the next 60 days of renewals from.',
  cspb_pricereviewline: 'No renewal prices yet: a price review writes them.',
  cspb_accountingmapping: 'No mappings yet. Select New: a customer, line category or tax key and its name in the accounting system.',
  cspb_postingrun: 'No posting runs yet. Select New, choose the accounting system and the billing month (Dry run lists what would post).',
  cspb_microsoftprice:
    "No Microsoft prices yet. Import the partner's licence-based price list with npm run prices (docs/ADMIN.md): reconciliation then checks each term's CRM cost against it.",
};

/** Text columns a table's Quick Find searches besides its name: the ids finance types in. */
const FIND_COLUMNS: Record<string, readonly string[]> = {
  cspb_subscription: ['cspb_vendorsubscriptionid'],
  cspb_billingimport: ['cspb_invoicenumber', 'cspb_filename'],
  cspb_microsoftprice: ['cspb_productid', 'cspb_skutitle'],
  cspb_accrualline: ['cspb_vendorsubscriptionid', 'cspb_customername', 'cspb_productname'],
  cspb_pricereviewline: ['cspb_vendorsubscriptionid', 'cspb_customername'],
  cspb_billingline: ['cspb_vendorsubscriptionid', 'cspb_invoicenumber', 'cspb_referenceid', 'cspb_customername', 'cspb_productname'],
  cspb_discrepancy: ['cspb_vendorsubscriptionid', 'cspb_referenceid', 'cspb_customername', 'cspb_productname'],
  cspb_invoice: ['cspb_invoicenumber'],
  cspb_offer: ['cspb_productid', 'cspb_skuid'],
};

function standardViews(table: TableDef): ViewDef[] {
  const primary = table.primaryName.logicalName;
  const columns = [{ name: primary, width: 300 }, ...(DEFAULT_COLUMNS[table.logicalName] ?? []).map((name) => ({ name, width: 150 }))];
  const orders = DEFAULT_ORDERS[table.logicalName] ?? [{ attribute: primary, descending: false }];
  const textColumns = new Set(table.columns.filter((c) => c.type === 'text').map((c) => c.logicalName));
  const findColumns = [primary, ...(FIND_COLUMNS[table.logicalName] ?? []).filter((c) => textColumns.has(c))];
  return [
    {
      table: table.logicalName,
      key: 'active',
      name: `Active ${table.pluralName}`,
      description: EMPTY_TEXT[table.logicalName]
        ? `Active ${table.pluralName.toLowerCase()}. ${EMPTY_TEXT[table.logicalName]}`
        : `Active ${table.pluralName.toLowerCase()}.`,
      queryType: 0,
      isDefault: true,
      columns,
      conditions: [ACTIVE],
      orders,
    },
    {
      table: table.logicalName,
      key: 'quickfind',
      name: `Quick Find Active ${table.pluralName}`,
      description: `Searches active ${table.pluralName.toLowerCase()} by name.`,
      queryType: 4,
      isDefault: true,
      columns,
      conditions: [ACTIVE],
      orders,
      findColumns,
    },
    {
      table: table.logicalName,
      key: 'lookup',
      name: `${table.displayName} Lookup View`,
      description: `Lookup view of ${table.pluralName.toLowerCase()}.`,
      queryType: 64,
      isDefault: true,
      columns: [{ name: primary, width: 300 }],
      conditions: [ACTIVE],
      orders: [{ attribute: primary, descending: false }],
    },
    // The rest of the default set every exported table has (tactec cr97b_Project: querytype 0
    // Active and Inactive, 1 Advanced Find, 2 Associated, 4 Quick Find, 64 Lookup).
    {
      table: table.logicalName,
      key: 'inactive',
      name: `Inactive ${table.pluralName}`,
      description: `Inactive ${table.pluralName.toLowerCase()}.`,
      queryType: 0,
      isDefault: false,
      columns,
      conditions: [INACTIVE],
      orders: [{ attribute: primary, descending: false }],
    },
    {
      table: table.logicalName,
      key: 'advancedfind',
      name: `${table.displayName} Advanced Find View`,
      description: `Advanced find view of ${table.pluralName.toLowerCase()}.`,
      queryType: 1,
      isDefault: true,
      columns,
      orders: [{ attribute: primary, descending: false }],
    },
    {
      table: table.logicalName,
      key: 'associated',
      name: `${table.displayName} Associated View`,
      description: `Associated view of ${table.pluralName.toLowerCase()}.`,
      queryType: 2,
      isDefault: true,
      columns,
      conditions: [ACTIVE],
      orders: [{ attribute: primary, descending: false }],
    },
  ];
}

const discrepancy = tableNamed('cspb_discrepancy');

/** The views the issue names: what sales and finance open every day. */
export const namedViews: readonly ViewDef[] = [
  {
    table: 'cspb_subscription',
    key: 'activebycustomer',
    name: 'Active Subscriptions by Customer',
    description: 'Active subscriptions with their customer, quantity and term end.',
    queryType: 0,
    isDefault: false,
    columns: [
      { name: 'cspb_customerid', width: 200 },
      { name: 'cspb_name', width: 250 },
      { name: 'cspb_quantity', width: 100 },
      { name: 'cspb_termenddate', width: 125 },
      { name: 'cspb_vendorsubscriptionid', width: 200 },
    ],
    conditions: [ACTIVE, { attribute: 'cspb_status', operator: 'eq', value: optionValue(tableNamed('cspb_subscription'), 'cspb_status', 'Active') }],
    orders: [
      { attribute: 'cspb_customerid', descending: false },
      { attribute: 'cspb_name', descending: false },
    ],
  },
  {
    table: 'cspb_subscription',
    key: 'renewals60',
    name: 'Renewals in the Next 60 Days',
    description:
      'Active subscriptions whose term ends within 60 days, soonest first, with auto-renew and the price they would renew at (npm run sync prints the 7/30/60-day buckets from Partner Center).',
    queryType: 0,
    isDefault: false,
    columns: [
      { name: 'cspb_termenddate', width: 125 },
      { name: 'cspb_customerid', width: 200 },
      { name: 'cspb_name', width: 250 },
      { name: 'cspb_quantity', width: 100 },
      { name: 'cspb_autorenew', width: 100 },
      { name: 'cspb_customerunitprice', width: 125 },
      { name: 'cspb_currencycode', width: 75 },
    ],
    conditions: [
      ACTIVE,
      { attribute: 'cspb_status', operator: 'eq', value: optionValue(tableNamed('cspb_subscription'), 'cspb_status', 'Active') },
      { attribute: 'cspb_termenddate', operator: 'next-x-days', value: 60 },
    ],
    orders: [
      { attribute: 'cspb_termenddate', descending: false },
      { attribute: 'cspb_customerid', descending: false },
    ],
  },
  {
    table: 'cspb_pricereviewline',
    key: 'belowfloor',
    name: 'Renewals Below Margin Floor',
    description:
      "Renewals of the latest price review whose margin would fall below their rule's floor, soonest first: re-price them on the subscription before they renew.",
    queryType: 0,
    isDefault: false,
    columns: [
      { name: 'cspb_renewson', width: 125 },
      { name: 'cspb_customername', width: 200 },
      { name: 'cspb_subscriptionid', width: 250 },
      { name: 'cspb_quantity', width: 75 },
      { name: 'cspb_costatrenewal', width: 125 },
      { name: 'cspb_renewalprice', width: 125 },
      { name: 'cspb_marginpercent', width: 100 },
      { name: 'cspb_floorpercent', width: 100 },
      { name: 'cspb_currencycode', width: 75 },
    ],
    conditions: [ACTIVE, { attribute: 'cspb_belowfloor', operator: 'eq', value: 1 }],
    orders: [
      { attribute: 'cspb_renewson', descending: false },
      { attribute: 'cspb_customername', descending: false },
    ],
  },
  {
    table: 'cspb_discrepancy',
    key: 'openbycategory',
    name: 'Open Discrepancies by Category',
    description: 'Discrepancies finance has not yet accepted, resolved or ignored, grouped by category.',
    queryType: 0,
    isDefault: false,
    columns: [
      { name: 'cspb_category', width: 200 },
      { name: 'cspb_name', width: 250 },
      { name: 'cspb_variance', width: 125 },
      { name: 'cspb_currencycode', width: 75 },
      { name: 'cspb_subscriptionid', width: 200 },
      { name: 'cspb_runid', width: 200 },
    ],
    conditions: [ACTIVE, { attribute: 'cspb_resolutionstatus', operator: 'eq', value: optionValue(discrepancy, 'cspb_resolutionstatus', 'Open') }],
    orders: [
      { attribute: 'cspb_category', descending: false },
      { attribute: 'cspb_variance', descending: true },
    ],
  },
  {
    table: 'cspb_invoice',
    key: 'bystatus',
    name: 'Invoices by Status',
    description: 'All invoices ordered by status, then period.',
    queryType: 0,
    isDefault: false,
    columns: [
      { name: 'cspb_invoicestatus', width: 125 },
      { name: 'cspb_name', width: 150 },
      { name: 'cspb_customerid', width: 200 },
      { name: 'cspb_periodstart', width: 125 },
      { name: 'cspb_total', width: 125 },
      { name: 'cspb_currencycode', width: 75 },
    ],
    conditions: [ACTIVE],
    orders: [
      { attribute: 'cspb_invoicestatus', descending: false },
      { attribute: 'cspb_periodstart', descending: true },
    ],
  },
  {
    table: 'cspb_billingimport',
    key: 'recent',
    name: 'Billing Imports',
    description: 'Imported vendor bills, newest first, with their status and row counts.',
    queryType: 0,
    isDefault: false,
    columns: [
      { name: 'cspb_name', width: 250 },
      { name: 'cspb_importstatus', width: 150 },
      { name: 'cspb_format', width: 200 },
      { name: 'cspb_rowsaccepted', width: 100 },
      { name: 'cspb_rowsrejected', width: 100 },
      { name: 'createdon', width: 125 },
    ],
    conditions: [ACTIVE],
    orders: [{ attribute: 'createdon', descending: true }],
  },
  {
    table: 'cspb_discrepancy',
    key: 'byrun',
    name: 'Discrepancies of a Run',
    description: 'Every discrepancy of a run, for the reconciliation run form: the columns the reconciliation grid shows.',
    queryType: 0,
    isDefault: false,
    // The ReconciliationGrid reads these columns from its data set (the view decides what the
    // platform fetches): customer and subscription names to group by, the line's product, dates,
    // quantities, unit price, money, margin, the rule and the engine's explanation.
    columns: [
      { name: 'cspb_name', width: 250 },
      { name: 'cspb_customerid', width: 200 },
      { name: 'cspb_customername', width: 200 },
      { name: 'cspb_subscriptionid', width: 200 },
      { name: 'cspb_vendorsubscriptionid', width: 150 },
      { name: 'cspb_productname', width: 200 },
      { name: 'cspb_chargetype', width: 125 },
      { name: 'cspb_chargestartdate', width: 100 },
      { name: 'cspb_chargeenddate', width: 100 },
      { name: 'cspb_referenceid', width: 125 },
      { name: 'cspb_billedquantity', width: 100 },
      { name: 'cspb_expectedquantity', width: 100 },
      { name: 'cspb_effectiveunitprice', width: 100 },
      { name: 'cspb_billedamount', width: 125 },
      { name: 'cspb_expectedamount', width: 125 },
      { name: 'cspb_variance', width: 125 },
      { name: 'cspb_margin', width: 125 },
      { name: 'cspb_category', width: 200 },
      { name: 'cspb_resolutionstatus', width: 100 },
      { name: 'cspb_resolutionnote', width: 200 },
      { name: 'cspb_decisionfrom', width: 200 },
      { name: 'cspb_currencycode', width: 75 },
      { name: 'cspb_rule', width: 200 },
      { name: 'cspb_explanation', width: 300 },
    ],
    conditions: [ACTIVE],
    orders: [{ attribute: 'cspb_category', descending: false }],
  },
];

export const views: readonly ViewDef[] = [...tables.flatMap(standardViews), ...namedViews];

function checkColumns(view: ViewDef): void {
  const table = tableNamed(view.table);
  const known = new Set<string>([...table.columns.map((c) => c.logicalName), ...SYSTEM_COLUMNS]);
  for (const name of [
    ...view.columns.map((c) => c.name),
    ...(view.conditions ?? []).map((c) => c.attribute),
    ...view.orders.map((o) => o.attribute),
    ...(view.findColumns ?? []),
  ]) {
    if (!known.has(name)) throw new Error(`view ${view.name} uses ${name}, which ${view.table} does not have`);
  }
}

export function savedQueryXml(view: ViewDef): XmlElement {
  checkColumns(view);
  const table = tableNamed(view.table);
  const primaryId = `${table.logicalName}id`;
  const attributes = [...new Set([primaryId, ...view.columns.map((c) => c.name)])];
  const quickFind = view.queryType === 4;
  return el(
    'savedquery',
    null,
    leaf('IsCustomizable', 1),
    leaf('CanBeDeleted', view.isDefault ? 0 : 1),
    leaf('isquickfindquery', quickFind ? 1 : 0),
    leaf('isprivate', 0),
    leaf('isdefault', view.isDefault ? 1 : 0),
    leaf('savedqueryid', viewId(view.table, view.key)),
    el(
      'layoutxml',
      null,
      el(
        'grid',
        { name: 'resultset', jump: table.primaryName.logicalName, select: '1', icon: '1', preview: '1' },
        el(
          'row',
          { name: 'result', id: primaryId },
          view.columns.map((c) => el('cell', { name: c.name, width: c.width })),
        ),
      ),
    ),
    leaf('querytype', view.queryType),
    el(
      'fetchxml',
      null,
      el(
        'fetch',
        { version: '1.0', 'output-format': 'xml-platform', mapping: 'logical' },
        el(
          'entity',
          { name: table.logicalName },
          attributes.map((name) => el('attribute', { name })),
          view.orders.map((o) => el('order', { attribute: o.attribute, descending: String(o.descending) })),
          (view.conditions ?? []).length > 0 &&
            el(
              'filter',
              { type: 'and' },
              (view.conditions ?? []).map((c) => el('condition', { attribute: c.attribute, operator: c.operator, value: c.value })),
            ),
          quickFind &&
            el(
              'filter',
              { type: 'or', isquickfindfields: '1' },
              (view.findColumns ?? [table.primaryName.logicalName]).map((attribute) => el('condition', { attribute, operator: 'like', value: '{0}' })),
            ),
        ),
      ),
    ),
    leaf('IntroducedVersion', '1.0.0.0'),
    el('LocalizedNames', null, el('LocalizedName', { description: view.name, languagecode: LANGUAGE_CODE })),
    el('Descriptions', null, el('Description', { description: view.description, languagecode: LANGUAGE_CODE })),
  );
}

export function viewsOf(table: string): readonly ViewDef[] {
  return views.filter((v) => v.table === table);
}

/** Account is Dataverse's: the solution ships no views for it. */
export const tablesWithViews = (): readonly string[] => tables.map((t) => t.logicalName).filter((t) => !extensions.some((e) => e.logicalName === t));
