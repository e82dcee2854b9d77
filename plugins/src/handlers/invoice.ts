import { parseDate, type UsageAggregate } from '../../../core/src';
import { randomUUID } from 'node:crypto';
import type { BatchOperation, DataverseClient, EntityRecord } from '../../../dataverse/src/client/types';
import {
  CspbInvoiceInvoiceStatus as InvoiceStatus,
  CspbInvoiceRunRunStatus as RunStatus,
  type CspbBillingContractRow,
  type CspbInvoiceLineRow,
  type CspbExchangeRateRow,
  type CspbOfferRow,
  type CspbInvoiceRow,
  type CspbInvoiceRunRow,
} from '../../../dataverse/generated';
import { invoiceLineRows, invoiceRow, loadContractRows, loadImportedUsage, runInvoices } from '../../../dataverse/src/runs';
import { retrieveAll } from './types';
import { JobFailure, type ChunkOutcome, type Job, type JobContext } from '../jobs/job';
import { PassCache } from '../jobs/pass-cache';

/**
 * Invoice run Create (PostOperation, async, queued as `invoiceRunJob`, a contract per chunk): the
 * drafts of the run's contract (or of every contract) for the billing period that contains the
 * run's start, computed by `runInvoices` (dataverse/src/runs), the very call `npm run invoice`
 * makes, from the contract's rows and the imported usage; written as cspb_invoice (upsert on the
 * cspb_draftkey alternate key) with its lines, replacing the draft's previous lines, in one change set. An invoice
 * already issued (or cancelled) under that key is never touched. Re-running gives the same drafts.
 */
async function invoiceContract(
  client: DataverseClient,
  runId: string,
  contract: CspbBillingContractRow,
  run: CspbInvoiceRunRow,
  reads: { usage: readonly UsageAggregate[]; offers: readonly CspbOfferRow[]; rates: readonly CspbExchangeRateRow[] },
): Promise<{ written: number; warnings: string[] }> {
  const rows = await loadContractRows(client, contract, reads);
  const usage = reads.usage;
  const { invoices, issued, warnings } = runInvoices({
    rows,
    usage,
    at: parseDate(run.cspb_periodstart),
    contractIds: new Set([contract.cspb_billingcontractid]),
  });
  let written = 0;
  for (const draft of invoices) {
    const existing = (await retrieveAll<CspbInvoiceRow>(client, 'cspb_invoices', { filter: `cspb_draftkey eq '${draft.draftKey.replace(/'/g, "''")}'` }))[0];
    if (existing && existing.cspb_invoicestatus !== InvoiceStatus.Draft) continue; // issued invoices never change
    const { cspb_draftkey, ...body } = invoiceRow(draft, contract.cspb_name, issued);
    const header = {
      ...body,
      'cspb_ContractId@odata.bind': `/cspb_billingcontracts(${contract.cspb_billingcontractid})`,
      'cspb_RunId@odata.bind': `/cspb_invoiceruns(${runId})`,
    };
    const id = existing?.cspb_invoiceid ?? randomUUID();
    const oldLines = existing
      ? await retrieveAll<CspbInvoiceLineRow>(client, 'cspb_invoicelines', { filter: `_cspb_invoiceid_value eq ${id}`, select: ['cspb_invoicelineid'] })
      : [];
    // The header, the old lines out and the new lines in, as one transaction: a draft is never seen
    // (or issued) half-written, and the header's row version guards against an issue meanwhile.
    const operations: BatchOperation[] = [
      existing
        ? {
            kind: 'update',
            entitySet: 'cspb_invoices',
            key: id,
            record: header,
            ifMatch: String((existing as unknown as Record<string, unknown>)['@odata.etag']),
          }
        : { kind: 'create', entitySet: 'cspb_invoices', record: { cspb_invoiceid: id, cspb_draftkey, ...header } },
      ...oldLines.map((line): BatchOperation => ({ kind: 'delete', entitySet: 'cspb_invoicelines', key: line.cspb_invoicelineid })),
      ...invoiceLineRows(draft, issued).map(
        (line): BatchOperation => ({
          kind: 'create',
          entitySet: 'cspb_invoicelines',
          record: { ...line, 'cspb_InvoiceId@odata.bind': `/cspb_invoices(${id})` },
        }),
      ),
    ];
    if (operations.length > MAX_BATCH) {
      throw new JobFailure(
        `The ${draft.draftKey} draft has ${draft.lines.length} lines; one change set takes at most ${MAX_BATCH} operations, so it cannot be written whole.`,
      );
    }
    const results = await client.executeBatch(operations, { atomic: true });
    const failed = results.find((r) => !r.ok);
    // Thrown as is: a 412 (the draft changed or was issued meanwhile) or a throttle retries the chunk, which reads again.
    if (failed && !failed.ok) throw failed.error;
    written++;
  }
  return { written, warnings: warnings.map((w) => `${contract.cspb_name}: ${w.warning}`) };
}

/** Operations of one $batch change set (Dataverse's limit: 1,000 requests, "Execute batch operations using the Web API"). */
const MAX_BATCH = 1000;

const RUNS = 'cspb_invoiceruns';
const FINISHED: ReadonlySet<number> = new Set([RunStatus.Completed, RunStatus.Failed]);

/** The run's contracts in a fixed order: chunk n invoices contract n. */
async function contractsOf(client: DataverseClient, run: CspbInvoiceRunRow): Promise<CspbBillingContractRow[]> {
  if (run._cspb_contractid_value) return [await client.retrieve<CspbBillingContractRow>('cspb_billingcontracts', run._cspb_contractid_value)];
  const all = await retrieveAll<CspbBillingContractRow>(client, 'cspb_billingcontracts', { orderBy: ['cspb_billingcontractid'] });
  return all;
}

/** The imported usage a pass of a run bills, the offers and the exchange rates, read at its first chunk, not once per contract. */
const passReads = new PassCache<{ usage: UsageAggregate[]; offers: CspbOfferRow[]; rates: CspbExchangeRateRow[] }>();

/** One chunk of an invoice run: the draft of one contract (upserted by its draft key, its lines replaced). */
async function invoiceChunk(context: JobContext, n: number, row: EntityRecord): Promise<ChunkOutcome> {
  const { client, id: runId } = context;
  const run = row as unknown as CspbInvoiceRunRow;
  const contracts = await contractsOf(client, run);
  const contract = contracts[n];
  const before = typeof run.cspb_invoicecount === 'number' ? run.cspb_invoicecount : 0;
  const count = n === 0 ? 0 : before;
  const reads = await passReads.get(runId, n, async () => ({
    usage: await loadImportedUsage(client),
    offers: await retrieveAll<CspbOfferRow>(client, 'cspb_offers', {}),
    rates: await retrieveAll<CspbExchangeRateRow>(client, 'cspb_exchangerates', {}),
  }));
  const { written, warnings } = contract ? await invoiceContract(client, runId, contract, run, reads) : { written: 0, warnings: [] };
  // Each contract's warnings are added to the run's (a pass starts them afresh), as finance reads them on the run.
  const earlier = n === 0 || !run.cspb_warnings ? [] : run.cspb_warnings.split('\n');
  const allWarnings = [...earlier, ...warnings].join('\n');
  const last = n + 1 >= contracts.length;
  const progress = `${Math.min(n + 1, contracts.length)} of ${contracts.length} contracts invoiced`;
  return {
    done: last,
    patch: {
      cspb_runstatus: last ? RunStatus.Completed : RunStatus.Running,
      cspb_error: null,
      cspb_invoicecount: count + written,
      cspb_jobprogress: progress,
      cspb_warnings: allWarnings === '' ? null : allWarnings.slice(0, 10_000),
    },
  };
}

export const invoiceRunJob: Job = {
  kind: 'invoicerun',
  entitySet: RUNS,
  chunk: invoiceChunk,
  finished: (row) => FINISHED.has(row['cspb_runstatus'] as number),
  failed: (reason) => ({ cspb_runstatus: RunStatus.Failed, cspb_error: reason.slice(0, 10_000), cspb_jobprogress: 'Failed' }),
};
