import { choice, currencyCode, dateOnly, memo, money, text, whole, jobColumns, yesNo } from '../columns';
import type { TableDef } from '../types';

const name = text('cspb_Name', { display: 'Name', description: 'Vendor, invoice and period of the imported bill.', required: 'required', maxLength: 200 });

/** An imported vendor bill: the raw file, what was detected, totals and errors. */
export const billingImport: TableDef = {
  logicalName: 'cspb_billingimport',
  schemaName: 'cspb_BillingImport',
  displayName: 'Billing import',
  pluralName: 'Billing imports',
  description: 'An imported vendor bill (Partner Center or distributor) with its detected format, totals and row errors.',
  entitySetName: 'cspb_billingimports',
  ownership: 'UserOwned',
  primaryName: name,
  // The bill as received (CSV, XLSX or JSON) is the import's note attachment, so every line can
  // be traced back to its row.
  notes: true,
  columns: [
    name,
    text('cspb_FileName', { display: 'File name', description: 'Name of the uploaded file.', maxLength: 260 }),
    choice('cspb_Vendor', {
      display: 'Vendor',
      description: 'Who sent the bill.',
      required: 'required',
      optionSetName: 'cspb_import_vendor',
      options: [
        ['Microsoft', 'Microsoft'],
        ['Pax8', 'Pax8'],
        ['TdSynnex', 'TD SYNNEX'],
        ['Ingram', 'Ingram Micro'],
        ['Other', 'Other'],
      ],
      defaultKey: 'Microsoft',
    }),
    choice('cspb_Format', {
      display: 'Detected format',
      description: 'File format recognised from the header.',
      optionSetName: 'cspb_billformat',
      options: [
        ['NceLicense', 'New commerce invoice reconciliation'],
        ['NceDailyUsage', 'New commerce daily rated usage'],
        ['LegacyLicense', 'Legacy licence-based'],
        ['LegacyUsage', 'Legacy usage-based'],
        ['PartnerCenterJson', 'Partner Center API line items'],
        ['DistributorProfile', 'Distributor profile'],
      ],
    }),
    choice('cspb_Encoding', {
      display: 'File encoding',
      description:
        "How the file's text is read: Automatic reads UTF-8, UTF-16 and UTF-32 (by their byte-order mark) and refuses anything else naming the byte; choose the code page of a CSV Excel saved on Windows.",
      optionSetName: 'cspb_billencoding',
      options: [
        ['Automatic', 'Automatic (UTF-8, UTF-16, UTF-32)', 'utf-8'],
        ['Windows1252', 'Windows-1252 (Excel on Western Windows)', 'windows-1252'],
        ['Iso88591', 'ISO-8859-1 (Latin-1)', 'iso-8859-1'],
      ],
      defaultKey: 'Automatic',
    }),
    choice('cspb_Source', {
      display: 'Source',
      // Not required: imports saved before this column existed have none (Dataverse does not backfill a default), and read as File.
      description: 'How the bill came in: a file someone imported, or a pull from Microsoft Graph (npm run pull, the month-end timer).',
      optionSetName: 'cspb_import_source',
      options: [
        ['File', 'File'],
        ['GraphBilledReconciliation', 'Graph: billed invoice reconciliation'],
        ['GraphBilledUsage', 'Graph: billed daily rated usage'],
        ['GraphUnbilledReconciliation', 'Graph: unbilled invoice reconciliation'],
      ],
      defaultKey: 'File',
    }),
    choice('cspb_BillKind', {
      display: 'Bill kind',
      // Not required: imports saved before this column existed have none and read as Billed (an unbilled pull by its source).
      description:
        "Billed: an invoice Microsoft issued. Unbilled: a preview of a month not yet invoiced (Partner Center's unbilled reconciliation); it is never summed with the month's invoice, and a newer unbilled import of the month supersedes the older.",
      optionSetName: 'cspb_billkind',
      options: [
        ['Billed', 'Billed (an issued invoice)'],
        ['Unbilled', 'Unbilled (a preview of the open month)'],
      ],
      defaultKey: 'Billed',
    }),
    text('cspb_PullKey', {
      display: 'Pull',
      description:
        "What was pulled from Microsoft Graph (export, invoice or period and currency, the data's eTag): a second pull of the same data finds this import and writes nothing.",
      maxLength: 200,
    }),
    text('cspb_InvoiceNumber', { display: 'Invoice number', description: "The vendor's invoice number.", maxLength: 50 }),
    dateOnly('cspb_PeriodStart', { display: 'Period start', description: 'First day of the billing period.' }),
    dateOnly('cspb_PeriodEnd', { display: 'Period end', description: 'Last day of the billing period (inclusive).' }),
    text('cspb_ContentHash', {
      display: 'Content hash',
      description: 'SHA-256 of the file bytes: the same file is never imported twice.',
      required: 'required',
      maxLength: 64,
    }),
    choice('cspb_ImportStatus', {
      display: 'Import status',
      description: 'Where the import is.',
      required: 'required',
      optionSetName: 'cspb_importstatus',
      options: [
        ['Pending', 'Pending'],
        ['Parsing', 'Parsing'],
        ['Writing', 'Writing lines'],
        ['Completed', 'Completed'],
        ['CompletedWithErrors', 'Completed with errors'],
        ['Failed', 'Failed'],
        // An unbilled pull a newer version of the same period's data replaced (no run takes it).
        ['Superseded', 'Superseded by a newer pull'],
      ],
      defaultKey: 'Pending',
    }),
    currencyCode(),
    money('cspb_TotalBilled', { display: 'Total billed', description: 'Sum of the bill lines in the billing currency.' }),
    money('cspb_InvoiceTotal', {
      display: 'Invoice total',
      description:
        "The invoice's total as Microsoft states it (its PDF; read from Partner Center's invoice JSON when the file carries it): a reconciliation of the month refuses to run while the imported lines of this invoice do not add up to it.",
    }),
    whole('cspb_RowsRead', { display: 'Rows read', description: 'Data rows in the file (rows accepted + rows rejected).' }),
    whole('cspb_RowsAccepted', { display: 'Rows accepted', description: 'Rows that became bill lines or usage aggregates.' }),
    whole('cspb_RowsRejected', { display: 'Rows rejected', description: 'Rows refused, each listed in Rejected rows with its money.' }),
    money('cspb_RejectedAmount', {
      display: 'Rejected amount',
      description: 'Money of the refused rows whose amount could be read, in the billing currency: it is not in the lines nor in a reconciliation.',
    }),
    memo('cspb_RejectedRows', {
      display: 'Rejected rows',
      description: 'JSON list of the refused rows: row, code, column, value, reason, amount and currency.',
      maxLength: 1048576,
    }),
    yesNo('cspb_RejectedAcknowledged', {
      display: 'Rejected rows accounted for',
      description: 'Set by finance once the rejected rows are dealt with: a reconciliation run refuses an import with rejected rows until then.',
      defaultValue: false,
    }),
    whole('cspb_LineCount', { display: 'Line count', description: 'Bill lines written for this import.' }),
    ...jobColumns(),
    memo('cspb_Errors', { display: 'Errors', description: 'JSON list of row errors: row, column, value, reason.' }),
  ],
  keys: [{ schemaName: 'cspb_key_contenthash', displayName: 'Content hash', columns: ['cspb_contenthash'] }],
};
