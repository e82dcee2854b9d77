import { choice, dateOnly, jobColumns, lookup, memo, text, whole, yesNo, runStatus } from '../columns';
import type { TableDef } from '../types';

const name = text('cspb_Name', { display: 'Name', description: 'The invoice and month the run closes.', required: 'required', maxLength: 200 });

const stepStatus = (schemaName: string, display: string, what: string) =>
  text(schemaName, { display, description: `${what}: its state, and what it found or why it stopped.`, maxLength: 400 });

/**
 * Month-end for one Microsoft invoice: pull its licences and usage from Graph, reconcile, draft the
 * customer invoices, and a summary for finance. The timer creates one per invoice Partner Center
 * issues (the invoice number is the key: a second timer run creates nothing); a person may create
 * one too. Each step is restartable (plugins/src/handlers/month-end.ts).
 */
export const monthEndRun: TableDef = {
  logicalName: 'cspb_monthendrun',
  schemaName: 'cspb_MonthEndRun',
  displayName: 'Month-end run',
  pluralName: 'Month-end runs',
  description: "A Microsoft invoice taken through month-end: pulled from Graph, reconciled, the customers' invoices drafted, with a summary for finance.",
  entitySetName: 'cspb_monthendruns',
  ownership: 'UserOwned',
  primaryName: name,
  columns: [
    name,
    text('cspb_InvoiceNumber', {
      display: 'Microsoft invoice',
      description: 'The Partner Center invoice number (G000012345) whose data is pulled.',
      required: 'required',
      maxLength: 50,
    }),
    dateOnly('cspb_PeriodStart', { display: 'Billing month', description: "First day of the month the invoice's licence charges begin in (set by the pull)." }),
    runStatus('cspb_monthendstatus', 'Where the run is.'),
    choice('cspb_Step', {
      display: 'Step',
      description: 'The step the run is at (a restarted run resumes here).',
      required: 'required',
      optionSetName: 'cspb_monthendstep',
      options: [
        ['PullLicences', 'Pull licences'],
        ['PullUsage', 'Pull usage'],
        ['Reconcile', 'Reconcile'],
        ['Invoice', 'Draft invoices'],
        ['Summary', 'Summary'],
        ['Done', 'Done'],
      ],
      defaultKey: 'PullLicences',
    }),
    stepStatus('cspb_LicencePullStatus', 'Licence pull', "The billed invoice reconciliation's pull"),
    stepStatus('cspb_UsagePullStatus', 'Usage pull', "The billed daily rated usage's pull"),
    stepStatus('cspb_ReconcileStatus', 'Reconciliation', 'The reconciliation run'),
    stepStatus('cspb_InvoicingStatus', 'Invoicing', 'The invoice run'),
    lookup('cspb_LicenceImportId', {
      display: 'Licence import',
      description: "The import of the invoice's licence lines.",
      target: 'cspb_billingimport',
      targetEntitySet: 'cspb_billingimports',
      relationshipName: 'cspb_billingimport_cspb_monthendrun_licenceimportid',
      onDelete: 'RemoveLink',
    }),
    lookup('cspb_UsageImportId', {
      display: 'Usage import',
      description: "The import of the invoice's Azure usage.",
      target: 'cspb_billingimport',
      targetEntitySet: 'cspb_billingimports',
      relationshipName: 'cspb_billingimport_cspb_monthendrun_usageimportid',
      onDelete: 'RemoveLink',
    }),
    lookup('cspb_ReconciliationRunId', {
      display: 'Reconciliation run',
      description: 'The run that reconciled the invoice.',
      target: 'cspb_reconciliationrun',
      targetEntitySet: 'cspb_reconciliationruns',
      relationshipName: 'cspb_reconciliationrun_cspb_monthendrun_runid',
      onDelete: 'RemoveLink',
    }),
    lookup('cspb_InvoiceRunId', {
      display: 'Invoice run',
      description: "The run that drafted the customers' invoices.",
      target: 'cspb_invoicerun',
      targetEntitySet: 'cspb_invoiceruns',
      relationshipName: 'cspb_invoicerun_cspb_monthendrun_invoicerunid',
      onDelete: 'RemoveLink',
    }),
    text('cspb_PullOperation', {
      display: 'Export operation',
      description:
        "The Graph export the current pull step polls (its operation URL), kept on the row so whichever worker takes the step's next message polls the same export.",
      maxLength: 2000,
    }),
    yesNo('cspb_Restart', {
      display: 'Restart',
      description: 'Set to Yes and save to restart a failed run at the step it stopped at (a failed reconciliation or invoice run is started anew).',
      defaultValue: false,
    }),
    whole('cspb_OpenFindings', { display: 'Open findings', description: 'Discrepancies the reconciliation left open for finance.' }),
    memo('cspb_Summary', {
      display: 'Summary',
      description: 'What month-end found and did, for finance: totals, findings, invoices drafted.',
      maxLength: 10_000,
    }),
    ...jobColumns(),
    memo('cspb_Error', { display: 'Error', description: 'Why the run stopped, if it did.', maxLength: 10_000 }),
  ],
  keys: [{ schemaName: 'cspb_key_monthend_invoice', displayName: 'Microsoft invoice', columns: ['cspb_invoicenumber'] }],
};
