/**
 * Month-end for one Microsoft invoice, a queued job one step at a time (the row's cspb_step is
 * where it is; a redelivered or restarted run resumes there):
 *   Pull licences -> Pull usage -> Reconcile -> Draft invoices -> Summary.
 *
 * - The pulls go through plugins/src/pull (idempotent by pull key: a repeat imports nothing), a
 *   bounded share per message, never waiting inside one: a message starts the export or polls it
 *   once and comes back after Graph's Retry-After; once exported, each message writes at most
 *   PULL_LINES_PER_MESSAGE lines (an Azure function stops at its time limit: 10 min at most on the
 *   Consumption plan). The export's operation URL is kept on the row (cspb_pulloperation), so the
 *   worker that takes the next message, on any instance, polls the same export. An invoice without
 *   Azure usage answers the usage export with Graph's "No data available": the step says so and
 *   month-end goes on.
 * - A failed run restarts when a user sets Restart to Yes (the monthendrun-restart step queues the
 *   row's resume point): the step it stopped at runs again; a failed reconciliation or invoice run
 *   is replaced by a new one, the failed one kept for the record.
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
import { isUnbilledImport } from '../../../dataverse/src/imports/unbilled';
import { retrieveAll } from '../../../dataverse/src/client/retrieve-all';
import {
  CspbBillingImportImportStatus as ImportStatus,
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
import { isPending, pullStep } from '../pull/pull';

const RUNS = CspbMonthEndRunTable.entitySetName;
const max = CspbMonthEndRunTable.maxLengths;
/** How long to come back after when another worker holds the run's current chunk. */
export const MONTH_END_WAIT_SECONDS = 15;
/**
 * Bill lines one message writes at most. Each message also downloads and parses the whole export
 * again when it lands on another instance (about 30,000 lines/s here, bench:pull); the writes are
 * Dataverse's pace: 50,000 lines is minutes at most, well inside a function's limit.
 */
export const PULL_LINES_PER_MESSAGE = 50_000;

const cut = (text: string, length: number): string => (text.length <= length ? text : `${text.slice(0, length - 1)}…`);
/** A money column as the summary prints it: read through the mappers' one Web API number reader. */
const money = (value: unknown, column: string, currency: string): string => formatMoney(decimalFromWebApi(value, column) ?? new Decimal(0), currency, 'en-US');
const lastDayOf = (monthStart: string): string => {
  const [y, m] = monthStart.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};

async function step(context: JobContext, n: number, row: EntityRecord): Promise<ChunkOutcome> {
  const run = row as unknown as CspbMonthEndRunRow;
  const outcome = await stepOf(context, n, run);
  // A restart's first message: the request is answered, the old reason goes.
  return run.cspb_restart ? { ...outcome, patch: { ...outcome.patch, cspb_restart: false, cspb_error: null } } : outcome;
}

async function stepOf(context: JobContext, n: number, run: CspbMonthEndRunRow): Promise<ChunkOutcome> {
  const { client, deps } = context;
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
      const statusColumn = licences ? 'cspb_licencepullstatus' : 'cspb_usagepullstatus';
      try {
        const pulled = await pullStep({
          request: { kind: licences ? 'billed-reconciliation' : 'billed-usage', invoiceId: invoice },
          graph: deps.pull.graph,
          client,
          stateDir: deps.pull.stateDir,
          operationUrl: run.cspb_pulloperation,
          maxLines: deps.pull.linesPerMessage ?? PULL_LINES_PER_MESSAGE,
        });
        if (isPending(pulled))
          return {
            done: false,
            ...(pulled.retryAfterSeconds > 0 ? { delaySeconds: pulled.retryAfterSeconds } : {}),
            patch: {
              ...running,
              cspb_pulloperation: pulled.operationUrl,
              [statusColumn]:
                pulled.outcome === 'exporting'
                  ? 'Microsoft is exporting the data'
                  : `Writing: ${(pulled.linesWritten ?? 0).toLocaleString('en-US')} lines written, ${(pulled.linesRemaining ?? 0).toLocaleString('en-US')} left`,
            },
          };
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
                cspb_pulloperation: null,
                cspb_step: Step.PullUsage,
                cspb_licencepullstatus: status,
                'cspb_LicenceImportId@odata.bind': bind,
                cspb_jobprogress: 'Licences pulled',
              }
            : {
                ...running,
                cspb_pulloperation: null,
                cspb_step: Step.Reconcile,
                cspb_usagepullstatus: status,
                'cspb_UsageImportId@odata.bind': bind,
                cspb_jobprogress: 'Usage pulled',
              },
        };
      } catch (e) {
        // An invoice with no Azure plan has no usage to export: Graph's failed operation says so with
        // code 5000, "No data available" (the operation page's example); any other failure stops month-end.
        if (!licences && e instanceof PullError && e.code === 'export-failed' && e.graphCode === '5000')
          return {
            done: false,
            patch: {
              ...running,
              cspb_pulloperation: null,
              cspb_step: Step.Reconcile,
              cspb_usagepullstatus: cut(`No usage: ${e.message}`, max.cspb_usagepullstatus),
            },
          };
        // The pull forgot an export whose SAS stays refused: so does the row, and the next message starts a new one.
        if (e instanceof PullError && e.code === 'sas-refused')
          return {
            done: false,
            delaySeconds: MONTH_END_WAIT_SECONDS,
            patch: { ...running, cspb_pulloperation: null, [statusColumn]: cut(`Starting a new export: ${e.message}`, max.cspb_licencepullstatus) },
          };
        if (!isTransient(e)) throw new JobFailure(`${licences ? 'Licence' : 'Usage'} pull: ${(e as Error).message}`);
        throw e; // the network, a 5xx, a cut download: the queue delivers the message again
      }
    }
    case Step.Reconcile: {
      const importId = run._cspb_licenceimportid_value;
      if (!importId) throw new JobFailure('No licence import to reconcile (the licence pull left none).');
      const recon0 = run._cspb_reconciliationrunid_value
        ? await client.retrieve<CspbReconciliationRunRow>('cspb_reconciliationruns', run._cspb_reconciliationrunid_value)
        : undefined;
      if (recon0?.cspb_runstatus === ReconStatus.Failed && !run.cspb_restart)
        throw new JobFailure(`The reconciliation run failed: ${recon0.cspb_error ?? 'no reason given'}`);
      // Restarted after the run failed: a new run (the failed one stays, with its reason).
      let runId = recon0?.cspb_runstatus === ReconStatus.Failed ? undefined : recon0?.cspb_reconciliationrunid;
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
        runId = await startOnce(context, n, 'cspb_reconciliationruns', 'cspb_reconciliationrunid', 'reconcile', {
          cspb_name: cut(`Month-end ${invoice}`, 200),
          'cspb_ImportId@odata.bind': `/cspb_billingimports(${importId})`,
          cspb_currencycode: imported['cspb_currencycode'],
        });
        return {
          done: false,
          patch: { ...running, 'cspb_ReconciliationRunId@odata.bind': `/cspb_reconciliationruns(${runId})`, cspb_reconcilestatus: 'Started' },
        };
      }
      const recon = recon0!;
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
      const invoicing0 = run._cspb_invoicerunid_value ? await client.retrieve<CspbInvoiceRunRow>('cspb_invoiceruns', run._cspb_invoicerunid_value) : undefined;
      if (invoicing0?.cspb_runstatus === InvoiceStatus.Failed && !run.cspb_restart)
        throw new JobFailure(`The invoice run failed: ${invoicing0.cspb_error ?? 'no reason given'}`);
      let runId = invoicing0?.cspb_runstatus === InvoiceStatus.Failed ? undefined : invoicing0?.cspb_invoicerunid;
      if (!runId) {
        runId = await startOnce(context, n, 'cspb_invoiceruns', 'cspb_invoicerunid', 'invoice', {
          cspb_name: cut(`Month-end ${invoice} ${month.slice(0, 7)}`, 200),
          cspb_periodstart: month,
          cspb_periodend: lastDayOf(month),
        });
        return { done: false, patch: { ...running, 'cspb_InvoiceRunId@odata.bind': `/cspb_invoiceruns(${runId})`, cspb_invoicingstatus: 'Started' } };
      }
      const invoicing = invoicing0!;
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
 * The run a step starts, created once: its id derives from this month-end, the step and the chunk
 * that starts it, so a delivery of that chunk after a crash between the create and the row's
 * update finds it instead of starting a second run (two runs of one month would both write findings
 * or drafts), and a restart after that run failed (a later chunk) starts a new one.
 */
async function startOnce(context: JobContext, n: number, entitySet: string, idColumn: string, step: string, body: EntityRecord): Promise<string> {
  const id = stableGuid(`month-end/${context.id}/${step}/${n}`);
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
    select: ['cspb_name', 'cspb_periodstart', 'cspb_importstatus', 'cspb_source', 'cspb_billkind'],
    filter: `cspb_importstatus eq ${ImportStatus.Pending} or cspb_importstatus eq ${ImportStatus.Parsing} or cspb_importstatus eq ${ImportStatus.Writing}`,
  });
  return rows
    .filter((r) => typeof r['cspb_periodstart'] === 'string' && r['cspb_periodstart'].startsWith(month) && !isUnbilledImport(r))
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
  // A failed run a user asked to restart is not finished: its resume point's message runs.
  finished: (row) => row['cspb_runstatus'] === Status.Completed || (row['cspb_runstatus'] === Status.Failed && row['cspb_restart'] !== true),
  // The export is forgotten too: a restart starts a new one rather than poll one that failed or expired.
  failed: (reason) => ({
    cspb_runstatus: Status.Failed,
    cspb_error: cut(reason, max.cspb_error),
    cspb_jobprogress: 'Failed',
    cspb_restart: false,
    cspb_pulloperation: null,
  }),
};
