/** Writing an import through the Web API: content-hash check first, then lines in batches. */
import type { BillLine, ImportResult, UsageAggregate } from '../../../core/src/import';
import { addDays, formatIso } from '../../../core/src/calendar';
import { CspbBillingImportImportStatus, CspbBillingImportTable, type CspbBillingImportWrite } from '../../../dataverse/generated/cspb_billingimport';
import { CspbBillingLineTable, type CspbBillingLineWrite } from '../../../dataverse/generated/cspb_billingline';
import { ImportCancelled, type CancelToken } from './parse';
import { billLineToRow } from '../../../dataverse/src/mappers/bill-lines';
import { MONEY_PLACES, roundedToWebApi } from '../../../dataverse/src/mappers/values';

export interface ImportWebApi {
  createRecord(entityType: string, data: object): Promise<{ id: unknown }>;
  updateRecord(entityType: string, id: string, data: object): Promise<unknown>;
  retrieveMultipleRecords(entityType: string, options?: string): Promise<{ entities: Record<string, unknown>[] }>;
}

export const BATCH_SIZE = 25;

export class DuplicateImport extends Error {
  constructor(readonly existingId: string) {
    super(`This file was already imported (billing import ${existingId}).`);
  }
}

/**
 * The write body of a bill line: the same mapper the import plugin uses, so a line gets the same
 * natural key, column sizes and rounding whichever path imported the file.
 */
export function lineBody(item: BillLine | UsageAggregate, importId: string, hash: string): CspbBillingLineWrite {
  return billLineToRow(item, importId, hash) as CspbBillingLineWrite;
}

/**
 * Refuses a file whose content hash another import already has; writes the summary on the import
 * (creating it when the form's record is new), then the lines in batches of BATCH_SIZE.
 */
export async function writeImport(
  api: ImportWebApi,
  result: ImportResult,
  currentImportId: string | null,
  onProgress: (done: number, total: number) => void,
  token: CancelToken = { cancelled: false },
): Promise<{ importId: string; written: number }> {
  const hash = result.summary.contentHash;
  const existing = await api.retrieveMultipleRecords(CspbBillingImportTable.logicalName, `?$select=cspb_billingimportid&$filter=cspb_contenthash eq '${hash}'`);
  const other = existing.entities.map((e) => String(e['cspb_billingimportid'])).find((id) => id !== currentImportId);
  if (other) throw new DuplicateImport(other);
  const s = result.summary;
  const header: CspbBillingImportWrite = {
    cspb_filename: s.fileName ?? null,
    cspb_contenthash: hash,
    cspb_invoicenumber: s.invoiceNumbers[0] ?? null,
    cspb_periodstart: s.period ? formatIso(s.period.start) : null,
    cspb_periodend: s.period ? formatIso(addDays(s.period.end, -1)) : null,
    cspb_currencycode: s.currencies[0] ?? null,
    cspb_totalbilled: roundedToWebApi(s.total, 'cspb_totalbilled', MONEY_PLACES),
    cspb_rowsread: s.rowsRead,
    cspb_rowsaccepted: s.rowsAccepted,
    cspb_rowsrejected: s.rowsRejected,
    cspb_importstatus: CspbBillingImportImportStatus.Writing,
    cspb_errors: JSON.stringify(result.errors.slice(0, 200).map((e) => ({ row: e.row, column: e.column, value: e.rawValue, reason: e.reason }))),
  };
  let importId = currentImportId;
  if (importId) await api.updateRecord(CspbBillingImportTable.logicalName, importId, header);
  else importId = String((await api.createRecord(CspbBillingImportTable.logicalName, { ...header, cspb_name: s.fileName ?? hash.slice(0, 12) })).id);
  const items = [...result.lines, ...result.usage];
  let written = 0;
  for (let i = 0; i < items.length; i += BATCH_SIZE) {
    if (token.cancelled) throw new ImportCancelled();
    await Promise.all(items.slice(i, i + BATCH_SIZE).map((item) => api.createRecord(CspbBillingLineTable.logicalName, lineBody(item, importId!, hash))));
    written = Math.min(items.length, i + BATCH_SIZE);
    onProgress(written, items.length);
  }
  const status = result.errors.length ? CspbBillingImportImportStatus.CompletedWithErrors : CspbBillingImportImportStatus.Completed;
  await api.updateRecord(CspbBillingImportTable.logicalName, importId, { cspb_importstatus: status, cspb_linecount: written });
  return { importId, written };
}
