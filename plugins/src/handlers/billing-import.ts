import { createHash } from 'node:crypto';
import { importBytes } from '../../../core/src';
import { writeBulk } from '../../../dataverse/src/bulk';
import { type DataverseClient, type EntityRecord } from '../../../dataverse/src/client/types';
import { CspbBillingImportImportStatus as Status, CspbBillingImportTable, type CspbBillingImportRow } from '../../../dataverse/generated';
import { importEncoding, importSummaryColumns, listJson } from '../../../dataverse/src/mappers/import-summary';
import { billLineToRow } from '../../../dataverse/src/mappers/bill-lines';
import { pulledImportOf } from '../../../dataverse/src/imports/write-import';
import { isUnbilledImport, supersedeOlderUnbilled } from '../../../dataverse/src/imports/unbilled';
import { retrieveAll } from './types';
import { chunkOf, type ChunkOutcome, type Job, type JobContext } from '../jobs/job';

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

function parse(file: BillFile, fileName: string, encoding: ReturnType<typeof importEncoding>) {
  return importBytes(file.bytes, {
    fileName,
    ...(encoding ? { encoding } : {}),
    // A line printed twice is a charge billed twice: reconciliation reports it as a duplicate charge.
    detectDuplicates: false,
    createHasher: () => {
      const hash = createHash('sha256');
      return { update: (data: Uint8Array) => hash.update(data), digestHex: () => hash.digest('hex') };
    },
  });
}

/**
 * One chunk of an import: parses the file (the same bytes give the same lines every time), and
 * writes lines [n * IMPORT_CHUNK_LINES, (n + 1) * IMPORT_CHUNK_LINES) by their cspb_linekey
 * alternate key. Chunk 0 also refuses a file another import already has; every chunk names the
 * format, invoice number and month; the last sets the status, totals, row counts and errors.
 */
async function importChunk(context: JobContext, n: number, row: EntityRecord): Promise<ChunkOutcome> {
  const { client, deps, id: importId } = context;
  const current = row as unknown as CspbBillingImportRow;
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
  const result = parse(file, current.cspb_filename ?? file.fileName, importEncoding(current));
  const summary = result.summary;
  const errors = result.errors.map((e) => e.toJSON());
  const hashPatch: EntityRecord = {};
  if (n === 0 && current.cspb_contenthash.toLowerCase() !== summary.contentHash) {
    const other = await retrieveAll<CspbBillingImportRow>(client, IMPORTS, { filter: `cspb_contenthash eq '${summary.contentHash}'`, select: ['cspb_name'] });
    const first = other.find((o) => o.cspb_billingimportid !== importId);
    if (first)
      return {
        patch: failedPatch([
          { code: 'already-imported', row: 0, reason: `This file was already imported as '${first.cspb_name}' (${first.cspb_billingimportid}).` },
        ]),
        done: true,
      };
    // Written with the chunk's progress: the content-hash key refuses it if another import took it meanwhile.
    hashPatch['cspb_contenthash'] = summary.contentHash;
  }
  if (n === 0 && !summary.failed) {
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
  const { slice, last } = chunkOf(lines, n, IMPORT_CHUNK_LINES);
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
  const done = Math.min((n + 1) * IMPORT_CHUNK_LINES, lines.length);
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
      cspb_filename: current.cspb_filename ?? file.fileName.slice(0, CspbBillingImportTable.maxLengths.cspb_filename),
      cspb_linecount: lines.length,
      cspb_jobprogress: progress,
    },
  };
}

export const billingImportJob: Job = {
  kind: 'billingimport',
  entitySet: IMPORTS,
  chunk: importChunk,
  finished: (row) => FINISHED.has(row['cspb_importstatus'] as number),
  failed: (reason) => failedPatch([{ code: 'job-failed', row: 0, reason }]),
};
