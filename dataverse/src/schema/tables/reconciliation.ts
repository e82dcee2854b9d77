import { choice, currencyCode, decimal, lookup, memo, money, text, whole, jobColumns } from '../columns';
import type { TableDef } from '../types';

const runName = text('cspb_Name', { display: 'Name', description: 'Import and time of the run.', required: 'required', maxLength: 200 });

/** One reconciliation of an import against the ledger; creating it starts the engine. */
export const reconciliationRun: TableDef = {
  logicalName: 'cspb_reconciliationrun',
  schemaName: 'cspb_ReconciliationRun',
  displayName: 'Reconciliation run',
  pluralName: 'Reconciliation runs',
  description: 'A reconciliation of one billing import against the subscription ledger, with its totals.',
  entitySetName: 'cspb_reconciliationruns',
  ownership: 'UserOwned',
  primaryName: runName,
  columns: [
    runName,
    lookup('cspb_ImportId', {
      display: 'Billing import',
      description: 'The bill reconciled.',
      required: 'required',
      target: 'cspb_billingimport',
      targetEntitySet: 'cspb_billingimports',
      relationshipName: 'cspb_billingimport_cspb_reconciliationrun_importid',
      onDelete: 'Cascade',
    }),
    choice('cspb_RunStatus', {
      display: 'Run status',
      description: 'Where the run is.',
      required: 'required',
      optionSetName: 'cspb_runstatus',
      options: [['Pending', 'Pending'], ['Running', 'Running'], ['Completed', 'Completed'], ['Failed', 'Failed']],
      defaultKey: 'Pending',
    }),
    decimal('cspb_TolerancePerUnit', { display: 'Tolerance per unit', description: 'Variance per unit accepted as a match (default 0.01).', precision: 4, min: 0, max: 1000 }),
    currencyCode(),
    money('cspb_TotalBilled', { display: 'Billed', description: 'What the vendor billed.' }),
    money('cspb_TotalExpected', { display: 'Expected', description: 'What the ledger says the vendor should have billed.' }),
    money('cspb_TotalVariance', { display: 'Variance', description: 'Billed minus expected.' }),
    money('cspb_TotalLeakage', { display: 'Revenue leakage', description: 'Vendor cost never re-billed to a customer.' }),
    money('cspb_TotalMargin', { display: 'Margin', description: 'Customer revenue minus vendor cost.' }),
    whole('cspb_DiscrepancyCount', { display: 'Discrepancies', description: 'Discrepancies found (not counting exact matches).' }),
    memo('cspb_CategoryCounts', { display: 'Counts per category', description: 'JSON: category -> count and amount.', maxLength: 10_000 }),
    ...jobColumns(),
    memo('cspb_Error', { display: 'Error', description: 'Why the run failed, if it did.', maxLength: 10_000 }),
    memo('cspb_Warnings', { display: 'Warnings', description: 'What to know about how the run was made (a period of several months inferred from the bill).', maxLength: 4000 }),
  ],
};

const discrepancyName = text('cspb_Name', { display: 'Name', description: 'Category, subscription and charge, for lists.', required: 'required', maxLength: 200 });

/** A bill line (or group of lines) the ledger does not explain, or an expected line never billed. */
export const discrepancy: TableDef = {
  logicalName: 'cspb_discrepancy',
  schemaName: 'cspb_Discrepancy',
  displayName: 'Discrepancy',
  pluralName: 'Discrepancies',
  description: 'A difference between the vendor bill and the ledger, with its category, money and resolution.',
  entitySetName: 'cspb_discrepancies',
  ownership: 'UserOwned',
  primaryName: discrepancyName,
  columns: [
    discrepancyName,
    lookup('cspb_RunId', {
      display: 'Reconciliation run',
      description: 'The run that found it.',
      required: 'required',
      target: 'cspb_reconciliationrun',
      targetEntitySet: 'cspb_reconciliationruns',
      relationshipName: 'cspb_reconciliationrun_cspb_discrepancy_runid',
      onDelete: 'Cascade',
    }),
    choice('cspb_Category', {
      display: 'Category',
      description: 'What kind of difference.',
      required: 'required',
      optionSetName: 'cspb_discrepancycategory',
      options: [
        ['ExactMatch', 'Exact match'], ['WithinTolerance', 'Within tolerance'], ['QuantityMismatch', 'Quantity mismatch'],
        ['PriceMismatch', 'Price or cost mismatch'], ['DateMismatch', 'Date or period mismatch'], ['UnknownInCrm', 'Billed but unknown in CRM'],
        ['NotBilled', 'Active in CRM but not billed'], ['CancelledButBilled', 'Cancelled in CRM but still billed'], ['DuplicateCharge', 'Duplicate charge'],
        ['UnexpectedChargeType', 'Unexpected charge type'], ['UsageWithoutContract', 'Usage with no contract'], ['NegativeMargin', 'Negative margin'],
        ['RevenueLeakage', 'Vendor cost never re-billed'], ['AmbiguousMatch', 'Ambiguous match'],
      ],
    }),
    choice('cspb_ResolutionStatus', {
      display: 'Status',
      description: 'Where finance is with it.',
      required: 'required',
      optionSetName: 'cspb_discrepancystatus',
      options: [['Open', 'Open'], ['Accepted', 'Accepted'], ['Resolved', 'Resolved'], ['Ignored', 'Ignored']],
      defaultKey: 'Open',
    }),
    memo('cspb_ResolutionNote', { display: 'Resolution note', description: 'What was decided and why.', maxLength: 4000 }),
    lookup('cspb_SubscriptionId', {
      display: 'Subscription',
      description: 'The subscription concerned, when one matched.',
      target: 'cspb_subscription',
      targetEntitySet: 'cspb_subscriptions',
      relationshipName: 'cspb_subscription_cspb_discrepancy_subscriptionid',
      onDelete: 'RemoveLink',
    }),
    lookup('cspb_CustomerId', {
      display: 'Customer',
      description: 'The customer concerned, when known.',
      target: 'account',
      targetEntitySet: 'accounts',
      relationshipName: 'cspb_account_cspb_discrepancy_customerid',
      onDelete: 'RemoveLink',
    }),
    text('cspb_DiscrepancyKey', { display: 'Discrepancy key', description: 'Stable identity across re-runs (category + lines), so resolved ones are kept.', required: 'required', maxLength: 100 }),
    text('cspb_VendorSubscriptionId', { display: 'Vendor subscription id', description: 'SubscriptionId as billed or in CRM.', maxLength: 100 }),
    text('cspb_ReferenceId', { display: 'Reference id', description: 'ReferenceId of the bill lines concerned.', maxLength: 100 }),
    text('cspb_ChargeType', { display: 'Charge type', description: 'Charge type concerned.', maxLength: 50 }),
    decimal('cspb_ExpectedQuantity', { display: 'Expected quantity', description: 'Quantity the ledger expects.', precision: 10 }),
    decimal('cspb_BilledQuantity', { display: 'Billed quantity', description: 'Quantity billed.', precision: 10 }),
    money('cspb_ExpectedAmount', { display: 'Expected amount', description: 'Amount the ledger expects.' }),
    money('cspb_BilledAmount', { display: 'Billed amount', description: 'Amount billed.' }),
    money('cspb_Variance', { display: 'Variance', description: 'Billed minus expected.' }),
    currencyCode(),
    memo('cspb_Explanation', { display: 'Explanation', description: 'How the expected amount was computed (rule, days, formula).', maxLength: 4000 }),
  ],
  keys: [{ schemaName: 'cspb_key_run_discrepancykey', displayName: 'Run and discrepancy key', columns: ['cspb_runid', 'cspb_discrepancykey'] }],
};
