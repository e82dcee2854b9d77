/**
 * Month-end for one Microsoft invoice, a queued job one step at a time (the row's cspb_step is
 * where it is; a redelivered or restarted run resumes there):
 *   Pull licences -> Pull usage -> Reconcile -> Draft invoices -> Summary.
 *
 * - The pulls go through plugins/src/pull (idempotent by pull key: a repeat imports nothing). An
 *   invoice without Azure usage answers the usage export with Graph's "No data available": the step
 *   says so and month-end goes on.
 * - Reconcile and Draft invoices create their run rows (once: the id is kept on this row) and then
 *   drive them a chunk per message through the same runChunk the queue worker uses. Never waiting
 *   inside a chunk on another message: the run's own queued job may be doing the same chunks, and
 *   the resume point (cspb_jobchunk, written with its ETag) makes the slower one stale. When the
 *   other worker holds the run's current chunk, this job comes back later (delaySeconds) instead
 *   of spinning.
 * - The summary is written on the row, in words a finance user reads in Dynamics.
 */
import { Decimal, formatMoney } from '../../../core/src';
import { DataverseError, type EntityRecord } from '../../../dataverse/src/client/types';
import { stableGuid } from '../../../dataverse/src/codegen/stable-guid';
import { decimalFromWebApi } from '../../../dataverse/src/mappers/values';
import { retrieveAll } from '../../../dataverse/src/client/retrieve-all';
import {
  CspbBillingImportImportStatus as ImportStatus,
  CspbBillingImportSource,
  CspbDiscrepancyResolutionStatus,
  CspbInvoiceRunRunStatus as InvoiceStatus,
  CspbMonthEndRunRunStatus as Status,
  CspbMonthEndRunStep as Step,
  CspbMonthEndRunTable,
  CspbReconciliationRunRunStatus as ReconStatus,
  type CspbInvoiceRunRow,
  type CspbMonthEndRunRow,
  type CspbReconciliationRunRow,
} from '../../../dataverse/generated';
import { JobFailure, type ChunkOutcome, type Job, type JobContext } from '../jobs/job';
// A cycle (the runner lists this job): runChunk is only read when a chunk runs, after both loaded.
import { runChunk } from '../jobs/runner';
import { isTransient, PullError } from '../pull/errors';
import { pullBill } from '../pull/pull';

const RUNS = CspbMonthEndRunTable.entitySetName;
const max = CspbMonthEndRunTable.maxLengths;
/** How long to come back after when another worker holds the run's current chunk. */
export const MONTH_END_WAIT_SECONDS = 15;

const cut = (text: string, length: number): string => (text.length <= length ? text : `${text.slice(0, length - 1)}…`);
/** A money column as the summary prints it: read through the mappers' one Web API number reader. */
const money = (value: unknown, column: string, currency: string): string => formatMoney(decimalFromWebApi(value, column) ?? new Decimal(0), currency, 'en-US');
const lastDayOf = (monthStart: string): string => {
  const [y, m] = monthStart.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};

async function step(context: JobContext, _n: number, row: EntityRecord): Promise<ChunkOutcome> {
  const { client, deps } = context;
  const run = row as unknown as CspbMonthEndRunRow;
  const invoice = run.cspb_invoicenumber;
  const running = { cspb_runstatus: Status.Running };
  switch (run.cspb_step) {
    case Step.PullLicences:
    case Step.PullUsage: {
      if (!deps.pull)
        throw new JobFailure(
          'Microsoft Graph is not configured: set CSPB_GRAPH_TENANT_ID, CSPB_GRAPH_CLIENT_ID and CSPB_GRAPH_CLIENT_SECRET on the Functions app.',
        );
      const licences = run.cspb_step === Step.PullLicences;
      try {
        const pulled = await pullBill({
          request: { kind: licences ? 'billed-reconciliation' : 'billed-usage', invoiceId: invoice },
          graph: deps.pull.graph,
          client,
          stateDir: deps.pull.stateDir,
        });
        const imported = await client.retrieve<EntityRecord>('cspb_billingimports', pulled.importId, {
          select: ['cspb_rowsread', 'cspb_rowsrejected', 'cspb_linecount', 'cspb_totalbilled', 'cspb_currencycode'],
        });
        const status = cut(
          `${pulled.outcome === 'already-imported' ? 'Already imported' : 'Imported'}: ${String(imported['cspb_linecount'] ?? 0)} lines, ${money(imported['cspb_totalbilled'], 'cspb_totalbilled', String(imported['cspb_currencycode'] ?? ''))}` +
            (Number(imported['cspb_rowsrejected'] ?? 0) > 0 ? `; ${String(imported['cspb_rowsrejected'])} rows rejected (listed on the import)` : ''),
          max.cspb_licencepullstatus,
        );
        const bind = `/cspb_billingimports(${pulled.importId})`;
        return {
          done: false,
          patch: licences
            ? {
                ...running,
                cspb_step: Step.PullUsage,
                cspb_licencepullstatus: status,
                'cspb_LicenceImportId@odata.bind': bind,
                cspb_jobprogress: 'Licences pulled',
              }
            : { ...running, cspb_step: Step.Reconcile, cspb_usagepullstatus: status, 'cspb_UsageImportId@odata.bind': bind, cspb_jobprogress: 'Usage pulled' },
        };
      } catch (e) {
        // An invoice with no Azure plan has no usage to export: Graph's failed operation says so with
        // code 5000, "No data available" (the operation page's example); any other failure stops month-end.
        if (!licences && e instanceof PullError && e.code === 'export-failed' && e.graphCode === '5000')
          return {
            done: false,
            patch: { ...running, cspb_step: Step.Reconcile, cspb_usagepullstatus: cut(`No usage: ${e.message}`, max.cspb_usagepullstatus) },
          };
        if (!isTransient(e)) throw new JobFailure(`${licences ? 'Licence' : 'Usage'} pull: ${(e as Error).message}`);
        throw e; // the network, a 5xx, a cut download: the queue delivers the message again
      }
    }
    case Step.Reconcile: {
      const importId = run._cspb_licenceimportid_value;
      if (!importId) throw new JobFailure('No licence import to reconcile (the licence pull left none).');
      let runId = run._cspb_reconciliationrunid_value;
      if (!runId) {
        const imported = await client.retrieve<EntityRecord>('cspb_billingimports', importId, { select: ['cspb_currencycode', 'cspb_periodstart'] });
        // The run refuses a month with an import still being written (another month-end, a hand
        // import): wait for it rather than fail.
        const month = typeof imported['cspb_periodstart'] === 'string' ? imported['cspb_periodstart'].slice(0, 7) : undefined;
        const busy = month ? await unfinishedImportsOf(context, month) : [];
        if (busy.length > 0)
          return {
            done: false,
            delaySeconds: MONTH_END_WAIT_SECONDS * 4,
            patch: { ...running, cspb_reconcilestatus: cut(`Waiting for ${busy.join(', ')} to finish importing`, max.cspb_reconcilestatus) },
          };
        runId = await startOnce(context, 'cspb_reconciliationruns', 'cspb_reconciliationrunid', 'reconcile', {
          cspb_name: cut(`Month-end ${invoice}`, 200),
          'cspb_ImportId@odata.bind': `/cspb_billingimports(${importId})`,
          cspb_currencycode: imported['cspb_currencycode'],
        });
        return {
          done: false,
          patch: { ...running, 'cspb_ReconciliationRunId@odata.bind': `/cspb_reconciliationruns(${runId})`, cspb_reconcilestatus: 'Started' },
        };
      }
      const recon = await client.retrieve<CspbReconciliationRunRow>('cspb_reconciliationruns', runId);
      if (recon.cspb_runstatus === ReconStatus.Failed) throw new JobFailure(`The reconciliation run failed: ${recon.cspb_error ?? 'no reason given'}`);
      if (recon.cspb_runstatus !== ReconStatus.Completed)
        return drive(context, 'reconciliationrun', runId, recon, {
          cspb_reconcilestatus: cut(`Running: ${recon.cspb_jobprogress ?? ''}`, max.cspb_reconcilestatus),
        });
      const findings = await openFindings(context, runId);
      return {
        done: false,
        patch: {
          ...running,
          cspb_step: Step.Invoice,
          cspb_periodstart: recon.cspb_periodstart,
          cspb_openfindings: findings,
          cspb_reconcilestatus: cut(
            `Completed: billed ${money(recon.cspb_totalbilled, 'cspb_totalbilled', recon.cspb_currencycode)}, expected ${money(recon.cspb_totalexpected, 'cspb_totalexpected', recon.cspb_currencycode)}, ${recon.cspb_discrepancycount ?? 0} findings (${findings} open), leakage ${money(recon.cspb_totalleakage, 'cspb_totalleakage', recon.cspb_currencycode)}`,
            max.cspb_reconcilestatus,
          ),
        },
      };
    }
    case Step.Invoice: {
      const month = run.cspb_periodstart;
      if (!month) throw new JobFailure('The reconciliation named no billing month to invoice.');
      let runId = run._cspb_invoicerunid_value;
      if (!runId) {
        runId = await startOnce(context, 'cspb_invoiceruns', 'cspb_invoicerunid', 'invoice', {
          cspb_name: cut(`Month-end ${invoice} ${month.slice(0, 7)}`, 200),
          cspb_periodstart: month,
          cspb_periodend: lastDayOf(month),
        });
        return { done: false, patch: { ...running, 'cspb_InvoiceRunId@odata.bind': `/cspb_invoiceruns(${runId})`, cspb_invoicingstatus: 'Started' } };
      }
      const invoicing = await client.retrieve<CspbInvoiceRunRow>('cspb_invoiceruns', runId);
      if (invoicing.cspb_runstatus === InvoiceStatus.Failed) throw new JobFailure(`The invoice run failed: ${invoicing.cspb_error ?? 'no reason given'}`);
      if (invoicing.cspb_runstatus !== InvoiceStatus.Completed)
        return drive(context, 'invoicerun', runId, invoicing, {
          cspb_invoicingstatus: cut(`Running: ${invoicing.cspb_jobprogress ?? ''}`, max.cspb_invoicingstatus),
        });
      const warnings = invoicing.cspb_warnings ? `; warnings: ${invoicing.cspb_warnings}` : '';
      return {
        done: false,
        patch: {
          ...running,
          cspb_step: Step.Summary,
          cspb_invoicingstatus: cut(
            `Completed: ${invoicing.cspb_invoicecount ?? 0} draft invoice${invoicing.cspb_invoicecount === 1 ? '' : 's'}${warnings}`,
            max.cspb_invoicingstatus,
          ),
        },
      };
    }
    case Step.Summary: {
      const summary = [
        `Month-end of Microsoft invoice ${invoice}${run.cspb_periodstart ? ` (${run.cspb_periodstart.slice(0, 7)})` : ''}:`,
        `- Licences: ${run.cspb_licencepullstatus ?? '-'}`,
        `- Usage: ${run.cspb_usagepullstatus ?? '-'}`,
        `- Reconciliation: ${run.cspb_reconcilestatus ?? '-'}`,
        `- Invoicing: ${run.cspb_invoicingstatus ?? '-'}`,
        (run.cspb_openfindings ?? 0) > 0
          ? `${run.cspb_openfindings} findings wait for finance in the reconciliation run; the draft invoices wait for review before they are issued.`
          : 'Nothing is open: every bill line matched the ledger. The draft invoices wait for review before they are issued.',
      ].join('\n');
      return {
        done: true,
        patch: { cspb_step: Step.Done, cspb_runstatus: Status.Completed, cspb_summary: cut(summary, max.cspb_summary), cspb_jobprogress: 'Completed' },
      };
    }
    default:
      throw new JobFailure(`Month-end is at no step it knows (${String(run.cspb_step)}).`);
  }
}

/**
 * One chunk of a run this month-end started, as the queue worker would do it. When another worker
 * holds that chunk (the run's own queued job), the run's resume point does not move: come back later.
 */
async function drive(
  context: JobContext,
  job: 'reconciliationrun' | 'invoicerun',
  id: string,
  row: { cspb_jobchunk: number | null },
  patch: EntityRecord,
): Promise<ChunkOutcome> {
  const before = row.cspb_jobchunk ?? 0;
  const next = await runChunk({ v: 1, job, id, chunk: before, correlationId: context.correlationId }, context.client, context.deps);
  return { done: false, patch: { cspb_runstatus: Status.Running, ...patch }, ...(next ? {} : { delaySeconds: MONTH_END_WAIT_SECONDS }) };
}

/**
 * The run a step starts, created once: its id derives from this month-end and the step, so a
 * delivery after a crash between the create and the row's update finds it instead of starting a
 * second run (two runs of one month would both write findings or drafts).
 */
async function startOnce(context: JobContext, entitySet: string, idColumn: string, step: string, body: EntityRecord): Promise<string> {
  const id = stableGuid(`month-end/${context.id}/${step}`);
  try {
    await context.client.retrieve(entitySet, id, { select: [idColumn] });
    return id;
  } catch (e) {
    if (!(e instanceof DataverseError && e.status === 404)) throw e;
  }
  try {
    await context.client.create(entitySet, { ...body, [idColumn]: id });
  } catch (e) {
    // Another delivery created it between the read and the create.
    if (!(e instanceof DataverseError && (e.status === 409 || e.status === 412))) throw e;
  }
  return id;
}

async function unfinishedImportsOf(context: JobContext, month: string): Promise<string[]> {
  const rows = await retrieveAll<EntityRecord>(context.client, 'cspb_billingimports', {
    select: ['cspb_name', 'cspb_periodstart', 'cspb_importstatus', 'cspb_source'],
    filter: `cspb_importstatus eq ${ImportStatus.Pending} or cspb_importstatus eq ${ImportStatus.Parsing} or cspb_importstatus eq ${ImportStatus.Writing}`,
  });
  return rows
    .filter(
      (r) =>
        typeof r['cspb_periodstart'] === 'string' &&
        r['cspb_periodstart'].startsWith(month) &&
        r['cspb_source'] !== CspbBillingImportSource.GraphUnbilledReconciliation,
    )
    .map((r) => `'${String(r['cspb_name'])}'`);
}

async function openFindings(context: JobContext, runId: string): Promise<number> {
  const open = await retrieveAll<EntityRecord>(context.client, 'cspb_discrepancies', {
    select: ['cspb_discrepancyid'],
    filter: `_cspb_runid_value eq ${runId} and cspb_resolutionstatus eq ${CspbDiscrepancyResolutionStatus.Open}`,
  });
  return open.length;
}

export const monthEndRunJob: Job = {
  kind: 'monthendrun',
  entitySet: RUNS,
  chunk: step,
  finished: (row) => row['cspb_runstatus'] === Status.Completed || row['cspb_runstatus'] === Status.Failed,
  failed: (reason) => ({ cspb_runstatus: Status.Failed, cspb_error: cut(reason, max.cspb_error), cspb_jobprogress: 'Failed' }),
};
