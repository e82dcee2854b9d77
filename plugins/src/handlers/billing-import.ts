import { createHash } from 'node:crypto';
import { importBytes, type ImportOptions, type ImportResult } from '../../../core/src';
import { writeBulk } from '../../../dataverse/src/bulk';
import { type DataverseClient, type EntityRecord } from '../../../dataverse/src/client/types';
import { CspbBillingImportImportStatus as Status, CspbBillingImportTable, type CspbBillingImportRow } from '../../../dataverse/generated';
import { importEncoding, importSummaryColumns, listJson } from '../../../dataverse/src/mappers/import-summary';
import { billLineToRow } from '../../../dataverse/src/mappers/bill-lines';
import { pulledImportOf } from '../../../dataverse/src/imports/write-import';
import { isUnbilledImport, supersedeOlderUnbilled } from '../../../dataverse/src/imports/unbilled';
import { retrieveAll } from './types';
import { chunkOf, JobFailure, type ChunkOutcome, type Job, type JobContext } from '../jobs/job';
import { PassCache } from '../jobs/pass-cache';
import type { PartStore } from '../jobs/part-store';
import {
  markResent,
  mergeParts,
  PART_BYTES,
  PART_WAIT_SECONDS,
  partsProgress,
  planParts,
  readPart,
  readStaged,
  removeStaged,
  stagedFile,
  stageParts,
  type StagedImport,
} from './billing-import-parts';

/**
 * Billing import Create (PostOperation, async, queued): the step queues the import as a job
 * (plugins/src/jobs) and the queue worker runs `billingImportJob` one chunk at a time. The schema
 * has no file column: the bill as received is the import's note attachment (annotation,
 * `notes: true`). The job gets the bytes through a BillFileSource: `DataverseBillFileSource` reads
 * the newest annotation of the import (`annotations?$filter=_objectid_value eq <id> and isdocument
 * eq true`, `documentbody` base64); the embedded local org has no annotation table, so tests and
 * the workbench use `MemoryBillFileSource`.
 *
 * Each chunk parses with the core importer and writes its share of the lines through writeBulk
 * (UpsertMultiple on the cspb_linekey alternate key: a resumed or redelivered chunk writes no
 * duplicate); the last sets the status, detected format, invoice number, period, totals, row counts
 * and errors. The import's content-hash alternate key refuses a second import of the same file.
 */

export interface BillFile {
  readonly fileName: string;
  readonly bytes: Uint8Array;
}

export interface BillFileSource {
  /** The file attached to the import, or undefined when none is. */
  get(importId: string, client: DataverseClient): Promise<BillFile | undefined>;
}

export class DataverseBillFileSource implements BillFileSource {
  async get(importId: string, client: DataverseClient): Promise<BillFile | undefined> {
    const page = await client.retrieveMultiple<{ filename?: string | null; documentbody?: string | null }>('annotations', {
      select: ['filename', 'documentbody', 'createdon'],
      filter: `_objectid_value eq ${importId} and isdocument eq true`,
      orderBy: ['createdon desc'],
      top: 1,
    });
    const note = page.value[0];
    if (!note?.documentbody) return undefined;
    return { fileName: note.filename ?? 'bill', bytes: new Uint8Array(Buffer.from(note.documentbody, 'base64')) };
  }
}

/** Files held in memory by import id (the local org, tests). */
export class MemoryBillFileSource implements BillFileSource {
  private readonly files = new Map<string, BillFile>();
  put(importId: string, file: BillFile): void {
    this.files.set(importId.toLowerCase(), file);
  }
  async get(importId: string): Promise<BillFile | undefined> {
    return this.files.get(importId.toLowerCase());
  }
}

/** Bill lines written per chunk: one queue message's work, well inside a function's time limit. */
export const IMPORT_CHUNK_LINES = 20_000;

const IMPORTS = 'cspb_billingimports';
const FINISHED: ReadonlySet<number> = new Set([Status.Completed, Status.CompletedWithErrors, Status.Failed, Status.Superseded]);
const failedPatch = (errors: readonly unknown[]): EntityRecord => ({
  cspb_importstatus: Status.Failed,
  cspb_errors: listJson(errors, CspbBillingImportTable.maxLengths.cspb_errors),
  cspb_jobprogress: 'Failed',
});

/** How the job reads a bill: the same options for one pass and for each part. */
function importOptions(fileName: string, encoding: ReturnType<typeof importEncoding>): ImportOptions {
  return {
    fileName,
    ...(encoding ? { encoding } : {}),
    // A line printed twice is a charge billed twice: reconciliation reports it as a duplicate charge.
    detectDuplicates: false,
    createHasher: () => {
      const hash = createHash('sha256');
      return { update: (data: Uint8Array) => hash.update(data), digestHex: () => hash.digest('hex') };
    },
  };
}

/** The merged parts of an import, read once per pass by the chunks that write its lines. */
const mergedParts = new PassCache<ImportResult>();

/**
 * One chunk of an import. Read in one pass (the default), chunk n parses the file (the same bytes
 * give the same lines every time) and writes lines [n * IMPORT_CHUNK_LINES, (n + 1) *
 * IMPORT_CHUNK_LINES) by their cspb_linekey alternate key. With a part store (deps.parts), a
 * large daily-usage file is read in parts instead (billing-import-parts.ts): chunk 0 stages it and
 * fans the parts out, chunk 1 waits for them and merges, and chunk n writes slice n - 1.
 */
async function importChunk(context: JobContext, n: number, row: EntityRecord): Promise<ChunkOutcome> {
  const { client, deps, id: importId } = context;
  const current = row as unknown as CspbBillingImportRow;
  const parts = deps.parts;
  // Read in parts, chunk n writes slice n - 1 (chunk 0 staged the file and wrote its hash on the row).
  const staged = parts && n > 0 ? await readStaged(parts.store, importId, current.cspb_contenthash) : undefined;
  if (parts && staged !== undefined && staged !== 'finished') return partedChunk(context, n, current, parts.store, staged);
  const source = deps.billFiles ?? new DataverseBillFileSource();
  const file = await source.get(importId, client);
  if (!file) {
    // An import the BillingImport control created arrives already parsed (status Writing) and the
    // control writes its lines itself: only a Pending import without a file is an error.
    if (current.cspb_importstatus === Status.Pending)
      return {
        patch: failedPatch([{ code: 'no-file', row: 0, reason: 'No bill is attached to the import (add the file as a note attachment).' }]),
        done: true,
      };
    return { patch: { cspb_jobprogress: 'Lines written by the import control' }, done: true };
  }
  const fileName = current.cspb_filename ?? file.fileName;
  const options = importOptions(fileName, importEncoding(current));
  if (parts && n === 0) {
    const plan = planParts(file.bytes, parts.partBytes ?? PART_BYTES, options);
    if (plan) {
      const staging = await stageParts(parts.store, importId, fileName, file.bytes, plan);
      const hashChecked = await checkContentHash(context, current, staging.contentHash);
      if ('patch' in hashChecked) {
        await removeStaged(parts.store, importId, staging.contentHash);
        return hashChecked;
      }
      return {
        done: false,
        parts: plan.ranges.length,
        // The merging chunk looks for the parts after they have had a moment.
        delaySeconds: PART_WAIT_SECONDS,
        patch: { ...hashChecked.hashPatch, cspb_jobprogress: `Reading the file in ${plan.ranges.length} parts` },
      };
    }
  }
  // An import read in parts whose staging is already removed (its last chunk came back) is read again
  // in one pass, and writes the slice its chunk writes in parts.
  const slice = staged === 'finished' ? n - 1 : n;
  return writeChunk(context, current, importBytes(file.bytes, options), fileName, { slice, first: slice === 0 });
}

/** A chunk of an import read in parts: chunk 1 waits for every part; each writes its slice of lines. */
async function partedChunk(context: JobContext, n: number, current: CspbBillingImportRow, store: PartStore, staged: StagedImport): Promise<ChunkOutcome> {
  const count = staged.plan.ranges.length;
  if (n === 1) {
    const progress = await partsProgress(store, context.id, staged, new Date());
    await markResent(store, context.id, staged, progress.lost);
    if (progress.done < count)
      return {
        done: false,
        again: true,
        delaySeconds: PART_WAIT_SECONDS,
        lostParts: progress.lost,
        patch: { cspb_jobprogress: `${progress.done} of ${count} parts read` },
      };
  }
  const options = importOptions(staged.fileName, importEncoding(current));
  const result = await mergedParts.get(`${context.id}|${staged.stagedAt}`, n - 1, async () => {
    const merged = await mergeParts(store, context.id, staged, options);
    if (merged) return merged;
    // Parts that cannot be merged exactly (a quoted line break at a split): the file in one pass.
    const bytes = await stagedFile(store, context.id, staged);
    if (!bytes) throw new Error(`the staged file of import ${context.id} is gone`);
    return importBytes(bytes, options);
  });
  const outcome = await writeChunk(context, current, result, staged.fileName, { slice: n - 1, first: n === 1, hashChecked: true });
  if (outcome.done) await removeStaged(store, context.id, staged.contentHash);
  return outcome;
}

/**
 * Refuses a file another import already has (by content hash), else says whether the row's hash
 * must be written: with the chunk's progress, so the content-hash key refuses it if another
 * import took it meanwhile.
 */
async function checkContentHash(context: JobContext, current: CspbBillingImportRow, contentHash: string): Promise<ChunkOutcome | { hashPatch: EntityRecord }> {
  if (current.cspb_contenthash.toLowerCase() === contentHash) return { hashPatch: {} };
  const other = await retrieveAll<CspbBillingImportRow>(context.client, IMPORTS, { filter: `cspb_contenthash eq '${contentHash}'`, select: ['cspb_name'] });
  const first = other.find((o) => o.cspb_billingimportid !== context.id);
  if (first)
    return {
      patch: failedPatch([
        { code: 'already-imported', row: 0, reason: `This file was already imported as '${first.cspb_name}' (${first.cspb_billingimportid}).` },
      ]),
      done: true,
    };
  return { hashPatch: { cspb_contenthash: contentHash } };
}

/**
 * Writes slice `slice` of the import's lines. The first chunk that has the lines also refuses a
 * file another import already has and an invoice already pulled from Microsoft; every chunk names
 * the format, invoice number and month; the last sets the status, totals, row counts and errors.
 */
async function writeChunk(
  context: JobContext,
  current: CspbBillingImportRow,
  result: ImportResult,
  fileName: string,
  at: { readonly slice: number; readonly first: boolean; readonly hashChecked?: boolean },
): Promise<ChunkOutcome> {
  const { client, id: importId } = context;
  const summary = result.summary;
  const errors = result.errors.map((e) => e.toJSON());
  let hashPatch: EntityRecord = {};
  if (at.first && !at.hashChecked) {
    const checked = await checkContentHash(context, current, summary.contentHash);
    if ('patch' in checked) return checked;
    hashPatch = checked.hashPatch;
  }
  if (at.first && !summary.failed) {
    const pulled = await pulledImportOf(client, result);
    if (pulled && pulled !== importId)
      return {
        patch: failedPatch([
          { code: 'already-imported', row: 0, reason: `Invoice ${summary.invoiceNumbers[0]} was already pulled from Microsoft (billing import ${pulled}).` },
        ]),
        done: true,
      };
  }
  if (summary.failed) return { patch: failedPatch(errors), done: true };
  const lines = [...result.lines, ...result.usage];
  const { slice, last } = chunkOf(lines, at.slice, IMPORT_CHUNK_LINES);
  const records: EntityRecord[] = slice.map((line) => billLineToRow(line, importId, summary.contentHash));
  const written = await writeBulk(client, records, { entitySet: 'cspb_billinglines', keyColumns: ['cspb_linekey'], batchSize: 500 });
  if (written.errors.length > 0) {
    // A line Dataverse refused (a value out of range): retrying cannot help; the import lists it.
    const writeErrors = written.errors.map((e) => ({
      code: 'write-failed',
      row: (records[e.index]?.['cspb_sourcerow'] as number | undefined) ?? 0,
      reason: e.error.message,
    }));
    return { patch: failedPatch([...errors, ...writeErrors]), done: true };
  }
  const done = Math.min((at.slice + 1) * IMPORT_CHUNK_LINES, lines.length);
  const progress = `${done.toLocaleString('en-US')} of ${lines.length.toLocaleString('en-US')} lines written`;
  const columns = importSummaryColumns(result);
  if (!last)
    return {
      // Which invoice and month the import holds, from its first chunk: a pull of the same invoice
      // and a month-end of the month see an import under way, not only a finished one.
      patch: {
        ...hashPatch,
        cspb_importstatus: Status.Writing,
        cspb_format: columns.cspb_format,
        cspb_invoicenumber: columns.cspb_invoicenumber,
        cspb_periodstart: columns.cspb_periodstart,
        cspb_linecount: done,
        cspb_jobprogress: progress,
      },
      done: false,
    };
  // A newer preview of the open month replaces the older ones (the month's preview is one import).
  if (isUnbilledImport(current))
    await supersedeOlderUnbilled(client, importId, { cspb_periodstart: columns.cspb_periodstart, cspb_currencycode: columns.cspb_currencycode });
  return {
    done: true,
    patch: {
      ...hashPatch,
      ...columns,
      cspb_importstatus: errors.length > 0 || summary.rowsRejected > 0 ? Status.CompletedWithErrors : Status.Completed,
      cspb_currencycode: columns.cspb_currencycode ?? current.cspb_currencycode,
      // The attachment's name, so a rejected row's finding names the file it is in.
      cspb_filename: current.cspb_filename ?? fileName.slice(0, CspbBillingImportTable.maxLengths.cspb_filename),
      cspb_linecount: lines.length,
      cspb_jobprogress: progress,
    },
  };
}

/** One part of an import read in parts: its byte range of the staged file (billing-import-parts.ts). */
async function importPart(context: JobContext, _n: number, part: number, row: EntityRecord): Promise<void> {
  const parts = context.deps.parts;
  if (!parts) throw new JobFailure('this worker has no part store (CSPB_PARTS_CONNECTION) for a billing import read in parts');
  const current = row as unknown as CspbBillingImportRow;
  const staged = await readStaged(parts.store, context.id, current.cspb_contenthash);
  // The import ended meanwhile: nothing of this part is needed.
  if (staged === undefined || staged === 'finished') return;
  await readPart(parts.store, context.id, staged, part, importOptions(staged.fileName, importEncoding(current)));
}

export const billingImportJob: Job = {
  kind: 'billingimport',
  entitySet: IMPORTS,
  chunk: importChunk,
  part: importPart,
  finished: (row) => FINISHED.has(row['cspb_importstatus'] as number),
  failed: (reason) => failedPatch([{ code: 'job-failed', row: 0, reason }]),
};
