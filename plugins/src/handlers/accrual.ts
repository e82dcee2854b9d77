/**
 * Accrual Create (PostOperation, async, queued as `accrualRunJob`): the Microsoft licence charges
 * the ledger says are coming for the run's month, as of its accrual date, computed with
 * `runAccrual` (dataverse/src/runs, the call `npm run accrual` makes) from the org's rows; given an
 * import to close against, its lines close the accrual. Each chunk recomputes the same lines (the
 * same rows give the same lines, in the same order) and writes its share by line key (UpsertMultiple:
 * a redelivered chunk writes no second line); the last sets the totals.
 */
import { formatIso, monthPeriod, parseDate, toYmd, type BillLine } from '../../../core/src';
import { writeBulk } from '../../../dataverse/src/bulk';
import type { EntityRecord } from '../../../dataverse/src/client/types';
import { retrieveAll } from '../../../dataverse/src/client/retrieve-all';
import {
  CspbAccrualLineTable,
  CspbAccrualRunRunStatus as Status,
  CspbAccrualRunTable,
  CspbBillingImportImportStatus as ImportStatus,
  type CspbAccrualRunRow,
  type CspbBillingImportRow,
} from '../../../dataverse/generated';
import { MappingError } from '../../../dataverse/src/mappers';
import { accrualLineRows, loadImportLines, loadReconRows, runAccrual, totalsText } from '../../../dataverse/src/runs';
import { chunkOf, JobFailure, type ChunkOutcome, type Job, type JobContext } from '../jobs/job';

/** Accrual lines written per chunk (one queue message's work). */
export const ACCRUAL_CHUNK_LINES = 5_000;
const RUNS = CspbAccrualRunTable.entitySetName;
const max = CspbAccrualRunTable.maxLengths;
const cut = (text: string, length: number): string => (text.length <= length ? text : `${text.slice(0, length - 1)}…`);

async function chunk(context: JobContext, n: number, row: EntityRecord): Promise<ChunkOutcome> {
  const { client, id } = context;
  const run = row as unknown as CspbAccrualRunRow;
  if (!run.cspb_periodstart || !run.cspb_asof) throw new JobFailure('The accrual names no billing month or accrual date.');
  const start = parseDate(run.cspb_periodstart.slice(0, 10));
  const { year, month } = toYmd(start);
  const period = monthPeriod(year, month);
  const asOf = parseDate(run.cspb_asof.slice(0, 10));
  if (asOf < period.start || asOf >= period.end)
    throw new JobFailure(`The accrual date ${formatIso(asOf)} is not in the billing month ${formatIso(period.start).slice(0, 7)}.`);
  let billed: BillLine[] | undefined;
  if (run._cspb_closedimportid_value) {
    const bill = await client.retrieve<CspbBillingImportRow>('cspb_billingimports', run._cspb_closedimportid_value);
    if (bill.cspb_importstatus !== ImportStatus.Completed && bill.cspb_importstatus !== ImportStatus.CompletedWithErrors)
      throw new JobFailure(`The import '${bill.cspb_name}' to close against has not completed.`);
    billed = (await loadImportLines(client, bill)).flatMap((l) => (l.kind === 'line' ? [l] : []));
  }
  let result;
  try {
    result = runAccrual({ rows: await loadReconRows(client), period, asOf, ...(billed ? { billed } : {}) });
  } catch (e) {
    if (e instanceof MappingError) throw new JobFailure(e.message);
    throw e;
  }
  const lines = accrualLineRows(id, result).map((l) => ({ ...l, 'cspb_AccrualRunId@odata.bind': `/${RUNS}(${id})` }) as EntityRecord);
  const { slice, last } = chunkOf(lines, n, ACCRUAL_CHUNK_LINES);
  const written = await writeBulk(client, [...slice], {
    entitySet: CspbAccrualLineTable.entitySetName,
    keyColumns: CspbAccrualLineTable.keys.cspb_key_accrualline,
    batchSize: 500,
  });
  if (written.errors.length > 0) throw new JobFailure(`Dataverse refused ${written.errors.length} accrual line(s): ${written.errors[0]!.error.message}`);
  const done = Math.min((n + 1) * ACCRUAL_CHUNK_LINES, lines.length);
  const progress = `${done.toLocaleString('en-US')} of ${lines.length.toLocaleString('en-US')} lines written`;
  if (!last) return { done: false, patch: { cspb_runstatus: Status.Running, cspb_jobprogress: progress } };
  // A line an earlier pass wrote that this one no longer computes (the ledger changed between
  // passes): removed, so the accrual is the last pass's lines and nothing else.
  const keep = new Set(lines.map((l) => String(l['cspb_linekey'])));
  const stored = await retrieveAll<{ cspb_accruallineid: string; cspb_linekey: string }>(client, CspbAccrualLineTable.entitySetName, {
    select: ['cspb_accruallineid', 'cspb_linekey'],
    filter: `_cspb_accrualrunid_value eq ${id}`,
  });
  for (const s of stored) if (!keep.has(s.cspb_linekey)) await client.delete(CspbAccrualLineTable.entitySetName, s.cspb_accruallineid);
  await supersedeEarlierAccruals(context, formatIso(period.start));
  const closed = result.closed;
  return {
    done: true,
    patch: {
      cspb_runstatus: Status.Completed,
      cspb_islatest: true,
      cspb_jobprogress: progress,
      cspb_linecount: lines.length,
      cspb_accrued: cut(totalsText(result.accrual.totals), max.cspb_accrued),
      cspb_billed: closed ? cut(totalsText(closed.billed), max.cspb_billed) : null,
      cspb_explainedbylater: closed ? cut(totalsText(closed.explainedByLaterChanges), max.cspb_explainedbylater) : null,
      cspb_unexplained: closed ? cut(totalsText(closed.unexplained), max.cspb_unexplained) : null,
      cspb_notes: notesOf(result) ? cut(notesOf(result)!, max.cspb_notes) : null,
    },
  };
}

/**
 * The accrual chart sums the newest completed accrual of each month: an accrual re-run (a later
 * accrual date, a changed ledger) replaces the earlier ones as the one counted, which stay as history
 * with "Latest accrual of its month" set to No before this one sets its own to Yes.
 */
async function supersedeEarlierAccruals(context: JobContext, periodStart: string): Promise<void> {
  const earlier = await retrieveAll<CspbAccrualRunRow>(context.client, RUNS, {
    filter: `cspb_periodstart eq ${periodStart} and cspb_islatest eq true and cspb_accrualrunid ne ${context.id}`,
    select: ['cspb_accrualrunid'],
  });
  for (const r of earlier) await context.client.update(RUNS, r.cspb_accrualrunid, { cspb_islatest: false });
}

function notesOf(result: ReturnType<typeof runAccrual>): string | undefined {
  const notes = [...result.accrual.notes];
  if (result.closed && Object.keys(result.closed.leftOut).length > 0)
    notes.push(`Azure plan charges of the invoice left out of the closing (usage, not in the ledger): ${totalsText(result.closed.leftOut)}`);
  return notes.length > 0 ? notes.join('\n') : undefined;
}

export const accrualRunJob: Job = {
  kind: 'accrualrun',
  entitySet: RUNS,
  chunk,
  finished: (row) => row['cspb_runstatus'] === Status.Completed || row['cspb_runstatus'] === Status.Failed,
  failed: (reason) => ({ cspb_runstatus: Status.Failed, cspb_error: cut(reason, max.cspb_error ?? 10_000), cspb_jobprogress: 'Failed' }),
};
