/**
 * Command-bar actions (`Cspb.Commands`), called from RibbonDiffXml JavaScriptFunction actions with
 * the PrimaryControl (the form context). Each run action creates the run record the plugins act
 * on, then polls it with a progress indicator until it completes or fails.
 */
import { addDays, formatIso, parseDate, type CalendarDate, type Period } from '../../core/src/calendar';
import { FINDING_CSV_SELECT, findingCsvRowOfRecord, findingsCsv } from '../../dataverse/src/mappers/findings-csv';
import { CspbInvoiceInvoiceStatus } from '../../dataverse/generated/cspb_invoice';
import { CspbReconciliationRunRunStatus as RunStatus } from '../../dataverse/generated/cspb_reconciliationrun';
import { nextInvoice, type NextInvoice } from './logic/contract';
import { calendarDateOf } from './logic/subscription';
import { activeSubscriptions, readContract } from './billingcontract.form';
import { t } from './strings';
import { instantText, monthOf, periodText, recordName, spanText } from './locale';
import { formClient } from './client';
import { retrieveAll } from '../../dataverse/src/client/retrieve-all';

/** Polling and download, replaceable by tests. Both run tables share the status values. */
export const settings = {
  pollDelayMs: 2000,
  maxPolls: 150,
  /** Rows per page of a read (Xrm.WebApi's maxPageSize; 5000 is Dataverse's largest). */
  pageSize: 5000,
  sleep: (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms)),
  /** Hands the file to the browser through the supported Client API (no DOM). */
  download(fileName: string, text: string): void {
    const bytes = new TextEncoder().encode('\ufeff' + text);
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    void Xrm.Navigation.openFile({ fileContent: btoa(binary), fileName, fileSize: bytes.length, mimeType: 'text/csv' }, { openMode: 2 });
  },
};

const idOf = (form: Xrm.FormContext): string => form.data.entity.getId().replace(/[{}]/g, '').toLowerCase();
const showAlert = async (text: string): Promise<void> => {
  await Xrm.Navigation.openAlertDialog({ text });
};

export type RunOutcome = { readonly status: 'completed' | 'failed' | 'timeout'; readonly record: Record<string, unknown> };

/** Polls a run record under a progress indicator until it is completed or failed. */
export async function waitForRun(table: string, id: string, label: string, select: readonly string[]): Promise<RunOutcome> {
  Xrm.Utility.showProgressIndicator(t('runStarted', label));
  try {
    let record: Record<string, unknown> = {};
    for (let i = 1; i <= settings.maxPolls; i++) {
      record = await Xrm.WebApi.retrieveRecord(table, id, `?$select=cspb_runstatus,cspb_error,${select.join(',')}`);
      const status = record['cspb_runstatus'];
      if (status === RunStatus.Completed) return { status: 'completed', record };
      if (status === RunStatus.Failed) return { status: 'failed', record };
      Xrm.Utility.showProgressIndicator(t('runProgress', label, t(status === RunStatus.Running ? 'statusRunning' : 'statusPending'), i));
      await settings.sleep(settings.pollDelayMs);
    }
    return { status: 'timeout', record };
  } finally {
    Xrm.Utility.closeProgressIndicator();
  }
}

async function report(outcome: RunOutcome, label: string, done: () => string): Promise<void> {
  if (outcome.status === 'completed') await showAlert(done());
  else if (outcome.status === 'failed') await showAlert(t('runFailed', label, String(outcome.record['cspb_error'] ?? '')));
  else await showAlert(t('runTimedOut', label));
}

/** Billing import: creates a reconciliation run over this import and waits for it. */
export async function runReconciliation(primaryControl: Xrm.FormContext): Promise<string | null> {
  const importId = idOf(primaryControl);
  if (!importId) {
    await showAlert(t('saveFirst'));
    return null;
  }
  const label = t('reconciliationName');
  const name = (primaryControl.getAttribute('cspb_name')?.getValue() as string | null) ?? importId;
  const created = await Xrm.WebApi.createRecord('cspb_reconciliationrun', {
    cspb_name: `${label} ${name} ${instantText(new Date())}`,
    'cspb_ImportId@odata.bind': `/cspb_billingimports(${importId})`,
    cspb_runstatus: RunStatus.Pending,
    cspb_currencycode: (primaryControl.getAttribute('cspb_currencycode')?.getValue() as string | null) ?? 'USD',
  });
  const outcome = await waitForRun('cspb_reconciliationrun', created.id, label, ['cspb_discrepancycount']);
  await report(outcome, label, () => t('reconciliationDone', Number(outcome.record['cspb_discrepancycount'] ?? 0)));
  return created.id;
}

const INVOICE_RUN = 'cspb_invoicerun';
const samePeriod = (a: Period, b: Period): boolean => a.start === b.start && a.end === b.end;
/** The run's columns for a period: first day and last day (inclusive), as Dataverse date-only text. */
const runPeriod = (period: Period) => ({ cspb_periodstart: formatIso(period.start), cspb_periodend: formatIso(addDays(period.end, -1)) });

/** Creates the invoice run (of one contract, or of every contract due when none), waits for it and reports. */
async function invoiceRun(period: Period, name: string, contractId?: string): Promise<string> {
  const label = t('invoiceRunName');
  const run = await Xrm.WebApi.createRecord(INVOICE_RUN, {
    cspb_name: recordName(name),
    ...runPeriod(period),
    ...(contractId ? { 'cspb_ContractId@odata.bind': `/cspb_billingcontracts(${contractId})` } : {}),
    cspb_runstatus: RunStatus.Pending,
  });
  const outcome = await waitForRun(INVOICE_RUN, run.id, label, ['cspb_invoicecount']);
  await report(outcome, label, () => t('invoiceRunDone', Number(outcome.record['cspb_invoicecount'] ?? 0), periodText(period)));
  return run.id;
}

/**
 * Which period the contract's Generate invoices bills. The next period when it is the current
 * calendar month; otherwise the user is asked, the period named in words: the next one first
 * (what the command billed before), then the contract's current one. Closing both dialogs bills nothing.
 */
async function choosePeriod(next: NextInvoice, today: CalendarDate): Promise<Period | null> {
  const month = monthOf(today);
  if (samePeriod(next.period, month)) return next.period;
  const nextText = periodText(next.period);
  const other = !samePeriod(next.current, next.period);
  const first = await Xrm.Navigation.openConfirmDialog({
    title: t('whichPeriodTitle'),
    text: t('generateNextPeriod', nextText, periodText(month)),
    confirmButtonLabel: t('invoicePeriodButton', nextText),
    ...(other ? { cancelButtonLabel: t('otherPeriod') } : {}),
  });
  if (first.confirmed) return next.period;
  if (!other) return null;
  const currentText = periodText(next.current);
  const second = await Xrm.Navigation.openConfirmDialog({
    title: t('whichPeriodTitle'),
    text: t('generateCurrentPeriod', currentText),
    confirmButtonLabel: t('invoicePeriodButton', currentText),
  });
  return second.confirmed ? next.current : null;
}

/** Billing contract: creates an invoice run for the period the user picks (see choosePeriod) and waits for it. */
export async function generateInvoices(primaryControl: Xrm.FormContext): Promise<string | null> {
  const contractId = idOf(primaryControl);
  const today = calendarDateOf(new Date());
  const created = primaryControl.getAttribute<Xrm.Attributes.DateAttribute>('createdon')?.getValue();
  // The same periods the form previews: phased (and co-term anchored) on the earliest active term start.
  const next = contractId
    ? nextInvoice(readContract(primaryControl), today, created ? calendarDateOf(created) : today, (await activeSubscriptions(contractId)).earliestStart)
    : null;
  if (!next) {
    await showAlert(t('saveFirst'));
    return null;
  }
  const period = await choosePeriod(next, today);
  if (!period) return null;
  return invoiceRun(period, `${t('invoiceRunName')} ${periodText(period)}`, contractId);
}

/**
 * Invoice runs list ("Invoice a period", HomepageGrid command): invoices one calendar month for
 * every billing contract due in it, by default the previous month (the one month-end closes).
 *
 * The Client API has no input dialog (its dialogs are openAlertDialog, openConfirmDialog and
 * openErrorDialog; window.prompt is not supported, and Microsoft's checker rule use-utility-dialogs
 * points alerts and confirms to these: learn.microsoft.com/power-apps/maker/data-platform/powerapps-checker/rules/web/use-utility-dialogs).
 * So the month is asked in two supported steps: openConfirmDialog proposes the previous month and
 * "Invoice <month> for all billing contracts?"; its other button opens a new Invoice run form
 * with that month prefilled through Xrm.Navigation.openForm's formParameters ("Set column values
 * using parameters passed to a form": learn.microsoft.com/power-apps/developer/model-driven-apps/set-field-values-using-parameters-passed-form,
 * date columns as the text of the date; learn.microsoft.com/power-apps/developer/model-driven-apps/clientapi/reference/xrm-navigation/openform),
 * where the user picks any month (invoicerun.form.ts follows the period start with the end and the
 * name) and saves: nothing is created until then, so closing the dialog only opens that form.
 * Confirmed, the run (no contract: every contract due) is created, waited for and opened.
 */
export async function invoicePeriod(): Promise<string | null> {
  const today = calendarDateOf(new Date());
  const month = monthOf(addDays(monthOf(today).start, -1));
  const text = periodText(month);
  const name = recordName(t('invoicePeriodName', text));
  const answer = await Xrm.Navigation.openConfirmDialog({
    title: t('invoicePeriodTitle'),
    text: t('invoicePeriodConfirm', text),
    confirmButtonLabel: t('invoicePeriodButton', text),
    cancelButtonLabel: t('invoicePeriodOther'),
  });
  if (!answer.confirmed) {
    await Xrm.Navigation.openForm({ entityName: INVOICE_RUN }, { cspb_name: name, ...runPeriod(month) });
    return null;
  }
  const id = await invoiceRun(month, name);
  await Xrm.Navigation.openForm({ entityName: INVOICE_RUN, entityId: id });
  return id;
}

/** The discrepancies of a run as the one findings CSV (labels, explanations; the grid's Export writes the same). */
export function discrepanciesCsv(rows: ReadonlyArray<Record<string, unknown>>): string {
  return findingsCsv(rows.map(findingCsvRowOfRecord));
}

/** Reconciliation run: downloads its discrepancies as CSV. */
export async function exportDiscrepancies(primaryControl: Xrm.FormContext): Promise<number> {
  const runId = idOf(primaryControl);
  if (!runId) {
    await showAlert(t('saveFirst'));
    return 0;
  }
  Xrm.Utility.showProgressIndicator(t('runStarted', 'CSV'));
  let rows: Array<Record<string, unknown>>;
  try {
    rows = await retrieveAll(formClient(), 'cspb_discrepancies', {
      select: FINDING_CSV_SELECT,
      filter: `_cspb_runid_value eq ${runId}`,
      orderBy: ['cspb_customername asc', 'cspb_vendorsubscriptionid asc', 'cspb_name asc'],
      pageSize: settings.pageSize,
    });
  } finally {
    Xrm.Utility.closeProgressIndicator();
  }
  const fileName = `discrepancies-${runId}.csv`;
  settings.download(fileName, discrepanciesCsv(rows));
  await showAlert(t('exportDone', rows.length, fileName));
  return rows.length;
}

/**
 * Invoice: drafts what corrects this issued invoice. The invoice run of its contract and period
 * compares what was issued with the current ledger (the engine's corrections): decreases become a
 * credit note linked to the issued lines, increases a supplementary invoice. Nothing changed, nothing
 * drafted: a credit note is never a blank document.
 */
export async function createCreditNote(primaryControl: Xrm.FormContext): Promise<string | null> {
  const id = idOf(primaryControl);
  const invoice = id
    ? await Xrm.WebApi.retrieveRecord('cspb_invoice', id, '?$select=cspb_name,cspb_invoicestatus,cspb_periodstart,cspb_periodend,_cspb_contractid_value')
    : null;
  if (!invoice || invoice['cspb_invoicestatus'] !== CspbInvoiceInvoiceStatus.Issued) {
    await showAlert(t('creditNoteOnlyIssued'));
    return null;
  }
  const name = String(invoice['cspb_name']);
  const label = t('invoiceRunName');
  const start = String(invoice['cspb_periodstart']);
  const end = String(invoice['cspb_periodend']);
  const run = await Xrm.WebApi.createRecord(INVOICE_RUN, {
    cspb_name: recordName(`${label} ${spanText(parseDate(start), parseDate(end))} (${name})`),
    cspb_periodstart: start,
    cspb_periodend: end,
    'cspb_ContractId@odata.bind': `/cspb_billingcontracts(${String(invoice['_cspb_contractid_value'])})`,
    cspb_runstatus: RunStatus.Pending,
  });
  const outcome = await waitForRun(INVOICE_RUN, run.id, label, ['cspb_invoicecount']);
  const count = Number(outcome.record['cspb_invoicecount'] ?? 0);
  await report(outcome, label, () => (count > 0 ? t('creditNoteDone', name, count) : t('creditNoteNothing', name)));
  return run.id;
}
