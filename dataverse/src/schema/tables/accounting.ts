import { choice, dateOnly, jobColumns, lookup, memo, text, whole, yesNo, runStatus } from '../columns';
import { ACCOUNTING_SYSTEM_OPTIONS } from '../posting-columns';
import type { TableDef } from '../types';

const mappingName = text('cspb_Name', { display: 'Name', description: 'What is mapped, as an admin reads it.', required: 'required', maxLength: 200 });

/**
 * How the suite's documents are named in an accounting system (core/src/accounting): a customer to
 * its customer there, a line category to an account or item, a tax key to a tax code. A document
 * needing a mapping the table lacks is listed before anything posts, never guessed.
 */
export const accountingMapping: TableDef = {
  logicalName: 'cspb_accountingmapping',
  schemaName: 'cspb_AccountingMapping',
  displayName: 'Accounting mapping',
  pluralName: 'Accounting mappings',
  description: 'A customer, line category or tax key and what the accounting system calls it.',
  entitySetName: 'cspb_accountingmappings',
  ownership: 'UserOwned',
  primaryName: mappingName,
  columns: [
    mappingName,
    choice('cspb_System', {
      display: 'Accounting system',
      description: 'The system the mapping is for.',
      required: 'required',
      optionSetName: 'cspb_accountingmapping_system',
      options: ACCOUNTING_SYSTEM_OPTIONS,
    }),
    choice('cspb_Kind', {
      display: 'Maps',
      description: 'Customer: an account to its customer. Line category: what a line bills to an account or item. Tax: a tax key to a tax code.',
      required: 'required',
      optionSetName: 'cspb_accountingmapping_kind',
      options: [
        ['Customer', 'Customer', 'customer'],
        ['LineCategory', 'Line category', 'category'],
        ['Tax', 'Tax', 'tax'],
      ],
    }),
    lookup('cspb_AccountId', {
      display: 'Customer',
      description: 'Customer mappings: the account.',
      target: 'account',
      targetEntitySet: 'accounts',
      relationshipName: 'cspb_account_cspb_accountingmapping_accountid',
      onDelete: 'Cascade',
    }),
    choice('cspb_LineCategory', {
      display: 'Line category',
      description: 'Line category mappings: what the invoice line bills.',
      optionSetName: 'cspb_accountingmapping_category',
      options: [
        ['Recurring', 'Recurring licences', 'recurring'],
        ['Prorated', 'Prorated adjustments', 'prorated'],
        ['Usage', 'Azure usage', 'usage'],
        ['OneTime', 'One-time charges', 'oneTime'],
        ['Credit', 'Credits', 'credit'],
        ['Discount', 'Discounts', 'discount'],
        ['Commitment', 'Minimum commitment', 'commitment'],
      ],
    }),
    text('cspb_TaxKey', {
      display: 'Tax key',
      description: "Tax mappings: the invoice's tax jurisdictions joined by + (US-WA+US-WA-SEATTLE), exempt, or none (a line without tax).",
      maxLength: 200,
    }),
    text('cspb_ExternalValue', {
      display: 'In the accounting system',
      description:
        'Business Central: customer number, account:<G/L no.> or item:<item no.>, tax group code. Xero: ContactID, account code, TaxType. QuickBooks: Customer Id, Item Id, TaxCode Id.',
      required: 'required',
      maxLength: 100,
    }),
  ],
};

const runName = text('cspb_Name', { display: 'Name', description: 'The system and month, as finance reads it.', required: 'required', maxLength: 200 });

/**
 * A bulk post: every issued invoice and credit note of a month to one accounting system, with the
 * call `npm run post` makes (plugins/src/accounting/post-period.ts). Created by a person
 * (Invoicing > Posting runs > New); the queued job posts and records each document's status.
 */
export const postingRun: TableDef = {
  logicalName: 'cspb_postingrun',
  schemaName: 'cspb_PostingRun',
  displayName: 'Posting run',
  pluralName: 'Posting runs',
  description: "A month's issued invoices and credit notes posted to the accounting system.",
  entitySetName: 'cspb_postingruns',
  ownership: 'UserOwned',
  primaryName: runName,
  columns: [
    runName,
    choice('cspb_System', {
      display: 'Accounting system',
      description: 'Where the documents post.',
      required: 'required',
      optionSetName: 'cspb_postingrun_system',
      options: ACCOUNTING_SYSTEM_OPTIONS,
    }),
    dateOnly('cspb_PeriodStart', { display: 'Billing month', description: 'The first day of the month whose issued documents post.', required: 'required' }),
    yesNo('cspb_DryRun', { display: 'Dry run', description: 'Yes: list what would post and the mappings missing, send nothing.', defaultValue: false }),
    runStatus('cspb_postingrunstatus', 'Where the run is.', true),
    whole('cspb_PostedCount', { display: 'Posted', description: 'Documents posted by this run, or already in the books.' }),
    whole('cspb_FailedCount', { display: 'Failed', description: 'Documents the system refused (each says why on its invoice).' }),
    memo('cspb_Summary', { display: 'Summary', description: 'Each document and its outcome; the mappings missing, if any.', maxLength: 100_000 }),
    ...jobColumns(),
    memo('cspb_Error', { display: 'Error', description: 'Why the run stopped, if it did (a later run resumes it).', maxLength: 10_000 }),
  ],
};
