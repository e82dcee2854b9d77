import { checkCompleteness, Decimal, PriceBookError, type BillLine, type InvoiceTotal, type PriceSheetInput, type UsageAggregate } from '../../../core/src';
import type { DataverseClient, EntityRecord } from '../../../dataverse/src/client/types';
import {
  CspbBillingImportImportStatus as ImportStatus,
  CspbDiscrepancyResolutionStatus as Resolution,
  CspbReconciliationRunRunStatus as RunStatus,
  type CspbBillingImportRow,
  type CspbDiscrepancyRow,
  type CspbReconciliationRunRow,
} from '../../../dataverse/generated';
import {
  discrepancyRow,
  loadImportLines,
  loadIssuedRevenue,
  loadPriceBook,
  loadReconRows,
  runReconciliation,
  storedFindings,
} from '../../../dataverse/src/runs';
import { isUnbilledImport } from '../../../dataverse/src/imports/unbilled';
import { retrieveAll } from './types';
import { rejectedRowsFromImport } from '../../../dataverse/src/mappers/import-summary';
import { choiceLabel } from '../../../dataverse/src/mappers/choice';
import { discrepancy } from '../../../dataverse/src/schema/tables/reconciliation';
import { PassCache } from '../jobs/pass-cache';
import { chunkOf, JobFailure, type ChunkOutcome, type Job, type JobContext } from '../jobs/job';
import { writeBulk } from '../../../dataverse/src/bulk';
import { decimalFromWebApi, MONEY_PLACES, roundedToWebApi } from '../../../dataverse/src/mappers/values';

/**
 * Reconciliation run Create (PostOperation, async, queued as `reconciliationRunJob`): reads the
 * lines of every import of the run's billing month, the CRM subscriptions with their ledgers and
 * the lines of the issued invoices (revenue leakage: Microsoft cost no customer line carries),
 * reconciles them with `runReconciliation` (dataverse/src/runs, the call `npm run reconcile` makes),
 * and writes one
 * cspb_discrepancy per finding that is not an exact match (alternate key run + cspb_discrepancykey,
 * a hash of the finding's whole identity), a chunk of findings per queue message.
 * Running again (a redelivery, or the run re-triggered) upserts the findings, deletes open ones
 * not found again, and never touches the status or note of accepted, resolved or ignored ones.
 */

/** Money columns: rounded once to the column's places by the shared boundary helper. */
const money = (d: Decimal | undefined) => roundedToWebApi(d, 'money column', MONEY_PLACES);

/** Discrepancies written per chunk (one queue message's work). */
export const RECON_CHUNK_ITEMS = 5_000;
const RUNS = 'cspb_reconciliationruns';
const FINISHED: ReadonlySet<number> = new Set([RunStatus.Completed, RunStatus.Failed]);

type Findings = Awaited<ReturnType<typeof computeFindings>>;

/** The findings of the run this worker did last, for the later chunks of the same pass (keyed by the run, each import's row version and the tolerance). */
const lastFindings = new PassCache<Findings>();

async function findings(client: DataverseClient, run: CspbReconciliationRunRow, chunk: number): Promise<Findings> {
  const importId = run._cspb_importid_value;
  if (!importId) throw new JobFailure('The run names no billing import.');
  const named = await client.retrieve<CspbBillingImportRow>('cspb_billingimports', importId);
  const bills = await importsOfPeriod(client, named);
  const versions = bills.map((b) => `${b.cspb_billingimportid}@${String((b as unknown as Record<string, unknown>)['versionnumber'])}`);
  const key = [run.cspb_reconciliationrunid, ...versions, run.cspb_toleranceperunit].join('|');
  return lastFindings.get(key, chunk, () => computeFindings(client, run, named, bills));
}

const READY: ReadonlySet<number> = new Set([ImportStatus.Completed, ImportStatus.CompletedWithErrors]);
const UNFINISHED: ReadonlySet<number> = new Set([ImportStatus.Pending, ImportStatus.Parsing, ImportStatus.Writing]);

/**
 * The bills a run reconciles: the import it names and every other completed import of the same
 * billing month (the licence and the usage files of a month, as `npm run reconcile` takes them
 * together), in a fixed order. An import of the month still being read ends the run with that
 * said, rather than reconciling without its lines (they would show as "not billed"); a failed
 * import is left out, its errors are on it; so is an unbilled pull the run does not name.
 */
async function importsOfPeriod(client: DataverseClient, named: CspbBillingImportRow): Promise<CspbBillingImportRow[]> {
  const month = named.cspb_periodstart?.slice(0, 7);
  const all = month ? await retrieveAll<CspbBillingImportRow>(client, 'cspb_billingimports', { orderBy: ['cspb_billingimportid'] }) : [named];
  // An unbilled pull is a preview of the month's bill, not a second bill: it is in a run only when
  // the run names it (summed with the billed invoice it would count every charge twice).
  // A run of an unbilled pull previews the month on its own: the billed invoice is not added to it either.
  const preview = isUnbilledImport(named);
  const ofMonth = all.filter(
    (b) => b.cspb_billingimportid === named.cspb_billingimportid || (!preview && b.cspb_periodstart?.slice(0, 7) === month && !isUnbilledImport(b)),
  );
  const unfinished = ofMonth.filter((b) => UNFINISHED.has(b.cspb_importstatus));
  if (unfinished.length > 0)
    throw new JobFailure(
      `Import ${unfinished.map((b) => `'${b.cspb_name}'`).join(', ')} of ${month ?? 'this period'} is still being imported; run the reconciliation again once it has completed.`,
    );
  const bills = ofMonth.filter((b) => b.cspb_billingimportid === named.cspb_billingimportid || READY.has(b.cspb_importstatus));
  // Rows the importer refused are money no line carries: finance says it has dealt with them first.
  const unaccounted = bills.filter((b) => (b.cspb_rowsrejected ?? 0) > 0 && b.cspb_rejectedacknowledged !== true);
  if (unaccounted.length > 0)
    throw new JobFailure(
      `${unaccounted
        .map(
          (b) =>
            `Import '${b.cspb_name}' has ${b.cspb_rowsrejected} rejected row${b.cspb_rowsrejected === 1 ? '' : 's'}${
              b.cspb_rejectedamount !== null
                ? ` (${new Decimal(String(b.cspb_rejectedamount)).toFixed(2)} ${b.cspb_currencycode ?? ''} readable)`.replace(' )', ')')
                : ''
            }`,
        )
        .join(
          '; ',
        )} that no bill line carries. Review them on the import (Rejected rows), set "Rejected rows accounted for" to Yes, and run the reconciliation again: they are then listed among its findings.`,
    );
  return bills;
}

/**
 * The same completeness check `npm run reconcile --invoice-total` makes (core checkCompleteness):
 * each import's invoice total (typed in, or from Partner Center's invoice JSON) against the lines of
 * that invoice, and the invoice file's Azure plan charges against the daily usage. Run only when an
 * import of the run states its invoice total; a difference stops the run, listed largest first.
 */
function checkBillIsWhole(run: CspbReconciliationRunRow, bills: readonly CspbBillingImportRow[], parsed: ReadonlyArray<BillLine | UsageAggregate>): string[] {
  const invoiceTotals: InvoiceTotal[] = bills.flatMap((b) =>
    b.cspb_invoicetotal === null || b.cspb_invoicetotal === undefined || !b.cspb_invoicenumber
      ? []
      : [
          {
            invoiceId: b.cspb_invoicenumber,
            total: decimalFromWebApi(b.cspb_invoicetotal, 'cspb_invoicetotal')!,
            ...(b.cspb_currencycode ? { currency: b.cspb_currencycode } : {}),
            source: `the import '${b.cspb_name}'`,
          },
        ],
  );
  if (invoiceTotals.length === 0) return [];
  const tolerance = decimalFromWebApi(run.cspb_completenesstolerance, 'cspb_completenesstolerance');
  const report = checkCompleteness({
    lines: parsed.flatMap((l) => (l.kind === 'line' ? [l] : [])),
    usage: parsed.flatMap((l) => (l.kind === 'usage' ? [l] : [])),
    invoiceTotals,
    ...(tolerance ? { tolerance } : {}),
  });
  if (!report.ok)
    throw new JobFailure(
      `The bill is not complete; nothing was reconciled. ${report.differences
        .map((d) => `${d.difference.isNegative() ? '' : '+'}${d.difference.toFixed(2)}: ${d.explanation}`)
        .join(' | ')}. Import what is missing (or correct the invoice total on the import), then run the reconciliation again.`,
    );
  // What could not be compared (an invoice in another currency than its lines) is said on the run.
  return report.notes.map((n) => `completeness: ${n}`);
}

/**
 * Microsoft's prices of the products the CRM sells, when the org holds a price list (npm run prices
 * imports one market's): each term's CRM cost is checked against them, as `npm run reconcile
 * --price-sheet` checks it against the file. Several markets in the table cannot be told apart: the
 * run stops and says so.
 */
async function pricesOf(client: DataverseClient, rows: Awaited<ReturnType<typeof loadReconRows>>): Promise<PriceSheetInput | undefined> {
  try {
    const book = await loadPriceBook(client, rows);
    return book ? { book } : undefined;
  } catch (e) {
    if (e instanceof PriceBookError) throw new JobFailure(`Microsoft prices: ${e.message}. Keep one market's price list in the org (npm run prices --market).`);
    throw e;
  }
}

/** The run's findings: the same rows give the same list, in the same order, every time. */
async function computeFindings(client: DataverseClient, run: CspbReconciliationRunRow, named: CspbBillingImportRow, bills: readonly CspbBillingImportRow[]) {
  const parsed = (await Promise.all(bills.map((b) => loadImportLines(client, b)))).flat();
  const completenessNotes = checkBillIsWhole(run, bills, parsed);
  const rows = await loadReconRows(client);
  const revenue = await loadIssuedRevenue(client);
  const prices = await pricesOf(client, rows);
  const reconciled = runReconciliation({
    rows,
    ...(prices ? { prices } : {}),
    ...(revenue ? { revenue } : {}),
    lines: parsed.flatMap((l) => (l.kind === 'line' ? [l] : [])),
    usage: parsed.flatMap((l) => (l.kind === 'usage' ? [l] : [])),
    rejected: bills.flatMap(rejectedRowsFromImport),
    ...(run.cspb_toleranceperunit === null ? {} : { tolerancePerUnit: new Decimal(String(run.cspb_toleranceperunit)) }),
  });
  const result = completenessNotes.length > 0 ? { ...reconciled, warnings: [...reconciled.warnings, ...completenessNotes] } : reconciled;
  const currency = result.currency ?? named.cspb_currencycode ?? run.cspb_currencycode;
  const subscriptionIds = new Set(rows.cspb_subscription.map((s) => s.cspb_subscriptionid));
  const accountIds = new Set(rows.account.map((a) => a.accountid));
  return {
    result,
    currency,
    periodStart: named.cspb_periodstart ? `${named.cspb_periodstart.slice(0, 7)}-01` : null,
    subscriptionIds,
    accountIds,
    items: storedFindings(result),
    decided: await earlierDecisions(client, run.cspb_reconciliationrunid),
  };
}

interface EarlierDecision {
  readonly status: number;
  readonly note: string | null;
  readonly from: string;
}

/**
 * What finance decided on findings of earlier runs, by discrepancy key (the hash of what a finding
 * is about: category, subscription, charge type, period, reference), the newest decision first: a
 * re-run or the next run that finds the same thing starts from that decision, saying where it came
 * from, instead of from Open.
 */
async function earlierDecisions(client: DataverseClient, runId: string): Promise<Map<string, EarlierDecision>> {
  const rows = await retrieveAll<CspbDiscrepancyRow>(client, 'cspb_discrepancies', {
    filter: `_cspb_runid_value ne ${runId} and cspb_resolutionstatus ne ${Resolution.Open}`,
    select: ['cspb_discrepancykey', 'cspb_resolutionstatus', 'cspb_resolutionnote', 'modifiedon', '_cspb_runid_value'],
    orderBy: ['modifiedon desc'],
  });
  if (rows.length === 0) return new Map();
  const runs = await retrieveAll<CspbReconciliationRunRow>(client, RUNS, { select: ['cspb_reconciliationrunid', 'cspb_name'] });
  const runName = new Map(runs.map((r) => [r.cspb_reconciliationrunid.toLowerCase(), r.cspb_name]));
  const out = new Map<string, EarlierDecision>();
  for (const d of rows) {
    const key = d.cspb_discrepancykey.toLowerCase();
    if (out.has(key) || d.cspb_resolutionstatus === null) continue;
    const when = String((d as unknown as Record<string, unknown>)['modifiedon'] ?? '').slice(0, 10);
    const name = runName.get(String(d._cspb_runid_value).toLowerCase()) ?? 'an earlier run';
    out.set(key, {
      status: d.cspb_resolutionstatus,
      note: d.cspb_resolutionnote,
      from: `${choiceLabel(discrepancy, 'cspb_resolutionstatus', d.cspb_resolutionstatus) ?? 'Decided'} in run '${name}'${when ? ` on ${when}` : ''}`.slice(
        0,
        200,
      ),
    });
  }
  return out;
}

/**
 * One chunk of a run: reconciles (deterministic), upserts findings [n * size, (n + 1) * size) by the
 * run + discrepancy key alternate key (an upsert never sends status or note for a finding this run
 * already has: finance's decision on it stays; a new one starts from an earlier run's decision on
 * the same finding when there is one, saying where it came from, else Open). The last chunk deletes
 * open findings not found again and writes the totals.
 */
async function reconcileChunk(context: JobContext, n: number, row: EntityRecord): Promise<ChunkOutcome> {
  const { client, id: runId } = context;
  const run = row as unknown as CspbReconciliationRunRow;
  const { result, currency, periodStart, subscriptionIds, accountIds, items, decided } = await findings(client, run, n);
  const { slice, last } = chunkOf(items, n, RECON_CHUNK_ITEMS);
  // Findings this run already has keep their own status; a new one found decided in an earlier run starts from that decision.
  const here =
    decided.size === 0
      ? new Set<string>()
      : new Set(
          (
            await retrieveAll<CspbDiscrepancyRow>(client, 'cspb_discrepancies', { filter: `_cspb_runid_value eq ${runId}`, select: ['cspb_discrepancykey'] })
          ).map((d) => d.cspb_discrepancykey.toLowerCase()),
        );
  const records = slice.map(({ item, key }) => {
    const body = discrepancyRow(item, key, { runId, currency, subscriptionIds, accountIds });
    const earlier = here.has(key) ? undefined : decided.get(key);
    return earlier ? { ...body, cspb_resolutionstatus: earlier.status, cspb_resolutionnote: earlier.note, cspb_decisionfrom: earlier.from } : body;
  });
  const written = await writeBulk(client, records, { entitySet: 'cspb_discrepancies', keyColumns: ['cspb_runid', 'cspb_discrepancykey'], batchSize: 500 });
  if (written.errors.length > 0) throw new JobFailure(`A finding could not be written: ${written.errors[0]?.error.message}`);
  const done = Math.min((n + 1) * RECON_CHUNK_ITEMS, items.length);
  const progress = `${done.toLocaleString('en-US')} of ${items.length.toLocaleString('en-US')} findings written`;
  if (!last) return { patch: { cspb_runstatus: RunStatus.Running, cspb_error: null, cspb_jobprogress: progress }, done: false };
  const found = new Set(items.map((i) => i.key));
  const existing = await retrieveAll<CspbDiscrepancyRow>(client, 'cspb_discrepancies', {
    filter: `_cspb_runid_value eq ${runId}`,
    select: ['cspb_discrepancykey', 'cspb_resolutionstatus'],
  });
  for (const d of existing) {
    if (!found.has(d.cspb_discrepancykey.toLowerCase()) && d.cspb_resolutionstatus === Resolution.Open)
      await client.delete('cspb_discrepancies', d.cspb_discrepancyid);
  }
  await supersedeEarlierRuns(client, runId, periodStart);
  const counts: Record<string, { count: number; amount: string }> = {};
  for (const [category, total] of Object.entries(result.byCategory))
    if (total.count > 0) counts[category] = { count: total.count, amount: total.amount.toFixed() };
  return {
    done: true,
    patch: {
      cspb_runstatus: RunStatus.Completed,
      cspb_error: null,
      cspb_warnings: result.warnings.length ? result.warnings.join('\n') : null,
      cspb_currencycode: currency,
      cspb_periodstart: periodStart,
      cspb_islatest: true,
      cspb_totalbilled: money(result.totals.billed),
      cspb_totalexpected: money(result.totals.expected),
      cspb_totalvariance: money(result.totals.variance),
      cspb_totalleakage: money(result.totals.leakage),
      cspb_totalmargin: money(result.totals.margin),
      cspb_totalrejected: money(result.totals.rejected),
      cspb_discrepancycount: items.length,
      cspb_categorycounts: JSON.stringify(counts),
      cspb_jobprogress: progress,
    },
  };
}

/**
 * A run of a billing month replaces the earlier runs of that month as the one the dashboards sum:
 * each reconciles every completed import of the month, so adding two runs of October would count
 * October twice. The earlier runs stay (their findings and decisions are history) with "Latest run
 * of its period" set to No before this run sets its own to Yes.
 */
async function supersedeEarlierRuns(client: DataverseClient, runId: string, periodStart: string | null): Promise<void> {
  if (!periodStart) return;
  const earlier = await retrieveAll<CspbReconciliationRunRow>(client, RUNS, {
    filter: `cspb_periodstart eq ${periodStart} and cspb_islatest eq true and cspb_reconciliationrunid ne ${runId}`,
    select: ['cspb_reconciliationrunid'],
  });
  for (const r of earlier) await client.update(RUNS, r.cspb_reconciliationrunid, { cspb_islatest: false });
}

export const reconciliationRunJob: Job = {
  kind: 'reconciliationrun',
  entitySet: RUNS,
  chunk: reconcileChunk,
  finished: (row) => FINISHED.has(row['cspb_runstatus'] as number),
  failed: (reason) => ({ cspb_runstatus: RunStatus.Failed, cspb_error: reason.slice(0, 10_000), cspb_jobprogress: 'Failed' }),
};
