import { createHash } from 'node:crypto';
import { formatIso, importBytes, addDays, type ImportSummary } from '../../../core/src';
import { writeBulk } from '../../../dataverse/src/bulk';
import { DataverseError, type DataverseClient, type EntityRecord } from '../../../dataverse/src/client/types';
import { CspbBillingImportFormat as Format, CspbBillingImportImportStatus as Status, type CspbBillingImportRow } from '../../../dataverse/generated';
import { billLineToRow } from '../../../dataverse/src/mappers/bill-lines';
import { retrieveAll, type HandlerContext, type HandlerDeps } from './types';
import { MONEY_PLACES, roundedToWebApi } from '../../../dataverse/src/mappers/values';

/**
 * Billing import Create (PostOperation, async). The schema has no file column: the bill as
 * received is the import's note attachment (annotation, `notes: true`). The handler gets the bytes
 * through a BillFileSource: `DataverseBillFileSource` reads the newest annotation of the import
 * (`annotations?$filter=_objectid_value eq <id> and isdocument eq true`, `documentbody` base64);
 * the embedded local org has no annotation table, so tests and the workbench use
 * `MemoryBillFileSource`.
 *
 * Parses with the core importer, writes the lines through writeBulk (UpsertMultiple on the
 * cspb_linekey alternate key: a resumed or redelivered import writes no duplicate), then sets the
 * status, detected format, invoice number, period, totals, row counts and errors. The import's
 * content-hash alternate key refuses a second import of the same file: when the row's hash is not
 * the file's, the handler writes the file's hash, and Dataverse refuses it if another import has it.
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

const FORMAT_CHOICE = (summary: ImportSummary): number | null => {
  if (summary.source === 'json') return Format.PartnerCenterJson;
  switch (summary.format) {
    case null:
      return null;
    case 'nce-license':
      return Format.NceLicense;
    case 'nce-daily-usage':
      return Format.NceDailyUsage;
    case 'legacy-license':
      return Format.LegacyLicense;
    case 'legacy-usage':
    case 'legacy-daily-usage':
      return Format.LegacyUsage;
    default:
      return Format.DistributorProfile;
  }
};

const MAX_ERRORS_TEXT = 1_000_000;

function errorsJson(errors: readonly unknown[]): string {
  let text = JSON.stringify(errors);
  for (let keep = errors.length; text.length > MAX_ERRORS_TEXT && keep > 0; keep = Math.floor(keep / 2)) text = JSON.stringify(errors.slice(0, keep / 2));
  return text;
}

export async function importBillingFile(context: HandlerContext, deps: HandlerDeps): Promise<void> {
  const client = context.client;
  const importId = context.primaryEntityId;
  if (!importId) throw new Error('billing import: the context has no import id');
  const row = await client.retrieve<CspbBillingImportRow>('cspb_billingimports', importId);
  if (row.cspb_importstatus === Status.Completed || row.cspb_importstatus === Status.CompletedWithErrors) return; // done already (redelivery)
  const fail = async (errors: readonly unknown[]) => {
    await client.update('cspb_billingimports', importId, { cspb_importstatus: Status.Failed, cspb_errors: errorsJson(errors) });
  };
  const source = deps.billFiles ?? new DataverseBillFileSource();
  const file = await source.get(importId, client);
  if (!file) {
    // An import the BillingImport control created arrives already parsed (status Writing) and the
    // control writes its lines itself: only a Pending import without a file is an error.
    if (row.cspb_importstatus === Status.Pending) {
      await fail([{ code: 'no-file', row: 0, reason: 'No bill is attached to the import (add the file as a note attachment).' }]);
    }
    return;
  }
  await client.update('cspb_billingimports', importId, { cspb_importstatus: Status.Parsing });
  const result = importBytes(file.bytes, {
    fileName: row.cspb_filename ?? file.fileName,
    // A line printed twice is a charge billed twice: reconciliation reports it as a duplicate charge.
    detectDuplicates: false,
    createHasher: () => {
      const hash = createHash('sha256');
      return { update: (data: Uint8Array) => hash.update(data), digestHex: () => hash.digest('hex') };
    },
  });
  const summary = result.summary;
  const errors = result.errors.map((e) => e.toJSON());
  if (row.cspb_contenthash.toLowerCase() !== summary.contentHash) {
    try {
      await client.update('cspb_billingimports', importId, { cspb_contenthash: summary.contentHash });
    } catch (error) {
      if (error instanceof DataverseError && error.status === 412) {
        const other = await retrieveAll<CspbBillingImportRow>(client, 'cspb_billingimports', { filter: `cspb_contenthash eq '${summary.contentHash}'`, select: ['cspb_name'] });
        await fail([{ code: 'already-imported', row: 0, reason: `This file was already imported${other[0] ? ` as '${other[0].cspb_name}' (${other[0].cspb_billingimportid})` : ''}.` }]);
        return;
      }
      throw error;
    }
  }
  if (summary.failed) {
    await fail(errors);
    return;
  }
  await client.update('cspb_billingimports', importId, { cspb_importstatus: Status.Writing });
  const records: EntityRecord[] = [...result.lines, ...result.usage].map((line) => billLineToRow(line, importId, summary.contentHash));
  const written = await writeBulk(client, records, { entitySet: 'cspb_billinglines', keyColumns: ['cspb_linekey'], batchSize: 500 });
  const writeErrors = written.errors.map((e) => ({ code: 'write-failed', row: (records[e.index]?.['cspb_sourcerow'] as number | undefined) ?? 0, reason: e.error.message }));
  const allErrors = [...errors, ...writeErrors];
  const period = summary.period;
  await client.update('cspb_billingimports', importId, {
    cspb_importstatus: allErrors.length > 0 || summary.rowsRejected > 0 ? Status.CompletedWithErrors : Status.Completed,
    cspb_format: FORMAT_CHOICE(summary),
    cspb_invoicenumber: summary.invoiceNumbers[0]?.slice(0, 50) ?? null,
    cspb_periodstart: period ? formatIso(period.start) : null,
    cspb_periodend: period ? formatIso(addDays(period.end, -1)) : null,
    cspb_currencycode: summary.currencies[0] ?? row.cspb_currencycode,
    cspb_totalbilled: roundedToWebApi(summary.total, 'cspb_totalbilled', MONEY_PLACES),
    cspb_rowsread: summary.rowsRead,
    cspb_rowsaccepted: summary.rowsAccepted,
    cspb_rowsrejected: summary.rowsRejected,
    cspb_linecount: written.rowsWritten,
    cspb_errors: allErrors.length > 0 ? errorsJson(allErrors) : null,
  });
}
