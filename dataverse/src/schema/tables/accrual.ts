import { currencyCode, dateOnly, jobColumns, lookup, memo, money, text, whole, yesNo, runStatus } from '../columns';
import type { TableDef } from '../types';

const runName = text('cspb_Name', { display: 'Name', description: 'The month and accrual date, as finance reads it.', required: 'required', maxLength: 200 });

/**
 * An accrual of the coming Microsoft bill (core/src/accrual): for a billing month and an accrual
 * date, the licence charges the ledger says are coming, as accrual lines finance books (Export to
 * Excel from the lines' view). Created by a person (Reconciliation > Accruals > New); the queued
 * job computes the lines with the call `npm run accrual` makes. Given an import of the month's
 * invoice, the job also closes the accrual against it: each line's billed amount and the difference,
 * explained by the ledger's changes after the accrual date or left to the reconciliation.
 */
export const accrualRun: TableDef = {
  logicalName: 'cspb_accrualrun',
  schemaName: 'cspb_AccrualRun',
  displayName: 'Accrual',
  pluralName: 'Accruals',
  description: 'The Microsoft licence charges coming for a billing month, from the ledger as it stands on the accrual date.',
  entitySetName: 'cspb_accrualruns',
  ownership: 'UserOwned',
  primaryName: runName,
  columns: [
    runName,
    dateOnly('cspb_PeriodStart', { display: 'Billing month', description: 'The first day of the month accrued.', required: 'required' }),
    dateOnly('cspb_AsOf', {
      display: 'Accrual date',
      description: "The ledger's changes effective by this day count (a day of the billing month).",
      required: 'required',
    }),
    lookup('cspb_ClosedImportId', {
      display: 'Close against',
      description: "The billing import of the month's invoice: the accrual is closed against its lines.",
      target: 'cspb_billingimport',
      targetEntitySet: 'cspb_billingimports',
      relationshipName: 'cspb_billingimport_cspb_accrualrun_closedimportid',
      onDelete: 'RemoveLink',
    }),
    runStatus('cspb_accrualstatus', 'Where the accrual is.'),
    yesNo('cspb_IsLatest', {
      display: 'Latest accrual of its month',
      description: 'Yes on the newest completed accrual of its billing month: the accrual chart sums only these, so a re-run is not counted twice.',
      defaultValue: false,
    }),
    whole('cspb_LineCount', { display: 'Lines', description: 'Accrual lines written.' }),
    text('cspb_Accrued', { display: 'Accrued', description: 'The accrual per currency ("56379.16 USD").', maxLength: 400 }),
    text('cspb_Billed', { display: 'Billed', description: 'The invoice closed against, per currency.', maxLength: 400 }),
    text('cspb_ExplainedByLater', {
      display: 'Explained by later changes',
      description: "The part of billed minus accrued the ledger's changes after the accrual date explain, per currency.",
      maxLength: 400,
    }),
    text('cspb_Unexplained', {
      display: 'Not explained by the ledger',
      description: "What the reconciliation's findings must explain, per currency.",
      maxLength: 400,
    }),
    memo('cspb_Notes', { display: 'Notes', description: 'What the accrual leaves out (Azure plan usage) and why.', maxLength: 4000 }),
    ...jobColumns(),
    memo('cspb_Error', { display: 'Error', description: 'Why the accrual stopped, if it did.', maxLength: 10_000 }),
  ],
};

const lineName = text('cspb_Name', { display: 'Name', description: 'The subscription and charge type.', required: 'required', maxLength: 300 });

/** One subscription and charge type of an accrual: what Microsoft will bill, and once closed, what it billed. */
export const accrualLine: TableDef = {
  logicalName: 'cspb_accrualline',
  schemaName: 'cspb_AccrualLine',
  displayName: 'Accrual line',
  pluralName: 'Accrual lines',
  description: "A subscription's coming Microsoft charges of one charge type, accrued, and billed once the invoice is in.",
  entitySetName: 'cspb_accruallines',
  ownership: 'UserOwned',
  primaryName: lineName,
  columns: [
    lineName,
    lookup('cspb_AccrualRunId', {
      display: 'Accrual',
      description: 'The accrual the line belongs to.',
      required: 'required',
      target: 'cspb_accrualrun',
      targetEntitySet: 'cspb_accrualruns',
      relationshipName: 'cspb_accrualrun_cspb_accrualline_accrualrunid',
      onDelete: 'Cascade',
    }),
    dateOnly('cspb_PeriodStart', { display: 'Billing month', description: "The first day of the accrual's billing month (charts group by it)." }),
    text('cspb_CustomerName', { display: 'Customer', description: 'The customer, as the CRM names it.', maxLength: 200 }),
    text('cspb_VendorSubscriptionId', { display: 'Vendor subscription id', description: "Microsoft's subscription id.", required: 'required', maxLength: 100 }),
    text('cspb_ProductName', { display: 'Product', description: 'The product billed.', maxLength: 200 }),
    text('cspb_ChargeType', {
      display: 'Charge type',
      description: "Microsoft's charge type (cycleCharge, renew, addQuantity, ...).",
      required: 'required',
      maxLength: 50,
    }),
    whole('cspb_Quantity', {
      display: 'Quantity',
      description: 'Billable seats summed over the charges (a credit counts negative).',
      min: -2_000_000_000,
      max: 2_000_000_000,
    }),
    currencyCode(),
    money('cspb_Amount', { display: 'Accrued', description: 'What the ledger says Microsoft will bill, in the billing currency.' }),
    money('cspb_BilledAmount', { display: 'Billed', description: 'What the invoice closed against billed (empty until closed).' }),
    money('cspb_Difference', { display: 'Difference', description: 'Billed minus accrued.' }),
    memo('cspb_Explanation', { display: 'Explanation', description: 'Why billed and accrued differ.', maxLength: 2000 }),
    text('cspb_LineKey', {
      display: 'Line key',
      description: 'Accrual|subscription|charge type: a re-delivered chunk writes no second line.',
      required: 'required',
      maxLength: 250,
    }),
  ],
  keys: [{ schemaName: 'cspb_key_accrualline', displayName: 'Line key', columns: ['cspb_linekey'] }],
};
