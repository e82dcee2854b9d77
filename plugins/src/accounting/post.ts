/**
 * Posting documents, idempotent by our number: each is looked up first, so a repeated post (or a
 * post whose answer was lost) finds what it made and creates nothing; what the system holds must
 * show our totals to the cent, or the document is Failed with both figures (a Business Central draft
 * that disagrees is deleted, so the next post makes it anew). A document the system refuses is
 * Failed with the system's words and the others go on; sign-in, throttling past the retries or the
 * network stop the run, and the next run resumes where it stopped.
 */
import { AccountingError, formatIso, type PostingDocument } from '../../../core/src';
import { AccountingApiError, type AccountingClient, type ExternalDocument } from './types';

export interface PostOutcome {
  readonly number: string;
  readonly outcome: 'posted' | 'already-posted' | 'failed' | 'would-post';
  readonly externalId?: string;
  readonly externalNumber?: string;
  readonly reason?: string;
}

const figures = (ext: ExternalDocument) => `${ext.subtotal.toFixed(2)} + tax ${ext.tax.toFixed(2)} = ${ext.total.toFixed(2)}`;
const ours = (doc: PostingDocument) => `${doc.subtotal.toFixed(2)} + tax ${doc.tax.toFixed(2)} = ${doc.total.toFixed(2)} ${doc.currency}`;
const agrees = (doc: PostingDocument, ext: ExternalDocument) => ext.total.equals(doc.total) && ext.tax.equals(doc.tax);

export async function postDocument(client: AccountingClient, doc: PostingDocument): Promise<PostOutcome> {
  const done = (ext: ExternalDocument, outcome: PostOutcome['outcome']): PostOutcome => ({
    number: doc.number,
    outcome,
    externalId: ext.id,
    externalNumber: ext.number,
  });
  const failed = (reason: string, ext?: ExternalDocument): PostOutcome => ({
    number: doc.number,
    outcome: 'failed',
    reason,
    ...(ext ? { externalId: ext.id, externalNumber: ext.number } : {}),
  });
  try {
    let ext = await client.find(doc);
    if (ext && !agrees(doc, ext)) {
      if (ext.posted) return failed(`already in the books (${ext.number || ext.id}) with ${figures(ext)}; ours is ${ours(doc)}`, ext);
      await client.discard?.(doc, ext);
      ext = undefined;
    }
    if (ext?.posted) return done(ext, 'already-posted');
    const created = ext ?? (await createOrFind(client, doc));
    if (!agrees(doc, created)) {
      if (!created.posted && client.discard) await client.discard(doc, created);
      return failed(`the system computed ${figures(created)}; ours is ${ours(doc)}: check the tax codes mapped`, created.posted ? created : undefined);
    }
    return done(await client.finalize(doc, created), 'posted');
  } catch (e) {
    if (e instanceof AccountingApiError && e.code === 'refused') return failed(e.message);
    // A document the request cannot be written for (a number too long for QuickBooks): this one fails, the others go on.
    if (e instanceof AccountingError) return failed(e.message);
    throw e;
  }
}

/**
 * Creates the document; when the create got no answer (it may have been done), looks for it by our
 * number before anything else: found, it is the one created; not found, the run stops (a later run
 * posts it).
 */
async function createOrFind(client: AccountingClient, doc: PostingDocument): Promise<ExternalDocument> {
  try {
    return await client.create(doc);
  } catch (e) {
    if (!(e instanceof AccountingApiError) || e.code !== 'network') throw e;
    const found = await client.find(doc);
    if (found) return found;
    throw e;
  }
}

/** Posts each document in turn; `onOutcome` records each as it is known (a run stopped half-way has recorded what it did). */
export async function postDocuments(
  client: AccountingClient,
  documents: readonly PostingDocument[],
  onOutcome: (doc: PostingDocument, outcome: PostOutcome) => Promise<void> | void = () => undefined,
): Promise<PostOutcome[]> {
  const outcomes: PostOutcome[] = [];
  for (const doc of documents) {
    const outcome = await postDocument(client, doc);
    outcomes.push(outcome);
    await onOutcome(doc, outcome);
  }
  return outcomes;
}

/** A dry run: what each document would post as, nothing sent. */
export function dryRun(documents: readonly PostingDocument[]): PostOutcome[] {
  return documents.map((doc) => ({
    number: doc.number,
    outcome: 'would-post',
    reason: `${doc.kind === 'invoice' ? 'invoice' : 'credit note'} of ${formatIso(doc.date)} to ${doc.customerName} (${doc.customerRef}), ${doc.lines.length} line${doc.lines.length === 1 ? '' : 's'}, ${ours(doc)}`,
  }));
}
