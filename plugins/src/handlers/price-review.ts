/**
 * Price review Create (PostOperation, async, queued as `priceReviewJob`): the renewals of the 60
 * days after the review's day, priced by their margin rules from the org's Microsoft prices (the
 * CRM cost where it holds none), computed with `reviewRenewalsFromRows` (dataverse/src/runs, the
 * call `npm run renewals` makes). Each chunk recomputes the same lines and writes its share by line
 * key (a redelivered chunk writes no second line); the last removes the lines of earlier reviews, so
 * the *Renewals Below Margin Floor* view lists this review's, and sets the counts.
 */
import { formatIso, parseDate, PriceBookError } from '../../../core/src';
import { writeBulk } from '../../../dataverse/src/bulk';
import type { EntityRecord } from '../../../dataverse/src/client/types';
import { retrieveAll } from '../../../dataverse/src/client/retrieve-all';
import { CspbPriceReviewLineTable, CspbPriceReviewRunStatus as Status, CspbPriceReviewTable, type CspbPriceReviewRow } from '../../../dataverse/generated';
import { MappingError } from '../../../dataverse/src/mappers';
import { loadPriceBook, loadReconRows, priceReviewLineRows, reviewRenewalsFromRows } from '../../../dataverse/src/runs';
import { chunkOf, JobFailure, type ChunkOutcome, type Job, type JobContext } from '../jobs/job';

/** Review lines written per chunk (one queue message's work). */
export const PRICE_REVIEW_CHUNK_LINES = 5_000;
const REVIEWS = CspbPriceReviewTable.entitySetName;
const LINES = CspbPriceReviewLineTable.entitySetName;
const max = CspbPriceReviewTable.maxLengths;
const cut = (text: string, length: number): string => (text.length <= length ? text : `${text.slice(0, length - 1)}…`);

async function chunk(context: JobContext, n: number, row: EntityRecord): Promise<ChunkOutcome> {
  const { client, id } = context;
  const review = row as unknown as CspbPriceReviewRow;
  if (!review.cspb_asof) throw new JobFailure('The price review names no review day.');
  const asOf = parseDate(review.cspb_asof.slice(0, 10));
  const rows = await loadReconRows(client);
  let reviewed;
  let book;
  try {
    book = await loadPriceBook(client, rows);
    reviewed = reviewRenewalsFromRows(rows, asOf, book);
  } catch (e) {
    if (e instanceof PriceBookError) throw new JobFailure(`Microsoft prices: ${e.message}. Keep one market's price list in the org (npm run prices --market).`);
    if (e instanceof MappingError) throw new JobFailure(e.message);
    throw e;
  }
  const lines = priceReviewLineRows(id, reviewed).map((l) => ({ ...l, 'cspb_PriceReviewId@odata.bind': `/${REVIEWS}(${id})` }) as EntityRecord);
  const { slice, last } = chunkOf(lines, n, PRICE_REVIEW_CHUNK_LINES);
  const written = await writeBulk(client, [...slice], { entitySet: LINES, keyColumns: CspbPriceReviewLineTable.keys.cspb_key_pricereviewline, batchSize: 500 });
  if (written.errors.length > 0) throw new JobFailure(`Dataverse refused ${written.errors.length} review line(s): ${written.errors[0]!.error.message}`);
  const done = Math.min((n + 1) * PRICE_REVIEW_CHUNK_LINES, lines.length);
  const progress = `${done.toLocaleString('en-US')} of ${lines.length.toLocaleString('en-US')} renewals written`;
  if (!last) return { done: false, patch: { cspb_runstatus: Status.Running, cspb_jobprogress: progress } };
  // Today's list is this review's: lines of earlier reviews, and any this one no longer computes
  // (the ledger changed between passes), are removed. The reviews themselves stay, with their counts.
  const keep = new Set(lines.map((l) => String(l['cspb_linekey'])));
  const stored = await retrieveAll<{ cspb_pricereviewlineid: string; cspb_linekey: string }>(client, LINES, {
    select: ['cspb_pricereviewlineid', 'cspb_linekey'],
  });
  for (const s of stored) if (!keep.has(s.cspb_linekey)) await client.delete(LINES, s.cspb_pricereviewlineid);
  const below = reviewed.filter((r) => r.review.belowFloor).length;
  const notes = book
    ? "Costs: Microsoft's price on each renewal day, from the org's Microsoft prices (the CRM cost where no price is found)."
    : 'Costs: the CRM cost of each subscription (the org holds no Microsoft prices; npm run prices imports a price list).';
  return {
    done: true,
    patch: {
      cspb_runstatus: Status.Completed,
      cspb_jobprogress: progress,
      cspb_renewalcount: reviewed.length,
      cspb_belowfloorcount: below,
      cspb_notes: cut(`Renewals from ${formatIso(asOf)} to the 60th day after. ${notes}`, max.cspb_notes),
    },
  };
}

export const priceReviewJob: Job = {
  kind: 'pricereview',
  entitySet: REVIEWS,
  chunk,
  finished: (row) => row['cspb_runstatus'] === Status.Completed || row['cspb_runstatus'] === Status.Failed,
  failed: (reason) => ({ cspb_runstatus: Status.Failed, cspb_error: cut(reason, max.cspb_error ?? 10_000), cspb_jobprogress: 'Failed' }),
};
