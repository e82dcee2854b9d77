/** Writing an import through the Web API: content-hash check first, then lines in batches. */
import type { BillLine, ImportResult, UsageAggregate } from '../../../core/src/import';
import { addDays, formatIso } from '../../../core/src/calendar';
import { CspbBillingImportImportStatus, CspbBillingImportTable, type CspbBillingImportWrite } from '../../../dataverse/generated/cspb_billingimport';
import { CspbBillingLineTable, type CspbBillingLineWrite } from '../../../dataverse/generated/cspb_billingline';
import { ImportCancelled, type CancelToken } from './parse';
import { billLineToRow } from '../../../dataverse/src/mappers/bill-lines';
import { MONEY_PLACES, roundedToWebApi } from '../../../dataverse/src/mappers/values';
import { nextPageRequest } from '../../../dataverse/src/browser/web-api-client';

export interface ImportWebApi {
  createRecord(entityType: string, data: object): Promise<{ id: unknown }>;
  updateRecord(entityType: string, id: string, data: object): Promise<unknown>;
  /** context.webAPI's: a nextLink comes back when more than maxPageSize records match. */
  retrieveMultipleRecords(entityType: string, options?: string, maxPageSize?: number): Promise<{ entities: Record<string, unknown>[]; nextLink?: string }>;
}

export const BATCH_SIZE = 25;
/** Page size when reading the keys of lines an interrupted import already wrote. */
export const KEY_PAGE_SIZE = 5000;

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
 * The natural keys of the lines an import already has (an earlier attempt that was cancelled or
 * failed part-way), every page followed (nextPageRequest: what the host's nextLink asks for).
 */
export async function existingLineKeys(api: ImportWebApi, importId: string): Promise<Set<string>> {
  const keys = new Set<string>();
  let options: string | undefined = `?$select=cspb_linekey&$filter=_cspb_importid_value eq ${importId}`;
  while (options !== undefined) {
    const page: { entities: Record<string, unknown>[]; nextLink?: string } = await api.retrieveMultipleRecords(CspbBillingLineTable.logicalName, options, KEY_PAGE_SIZE);
    for (const e of page.entities) if (typeof e['cspb_linekey'] === 'string') keys.add(e['cspb_linekey']);
    options = page.nextLink ? nextPageRequest(page.nextLink).options : undefined;
  }
  return keys;
}

/**
 * Refuses a file whose content hash another import already has; writes the summary on the import
 * (creating it when the form's record is new), then the lines in batches of BATCH_SIZE. On an
 * import record that already has lines of this file (an attempt cancelled or failed part-way),
 * only the missing lines are created: a resumed import never duplicates a line.
 */
export async function writeImport(
  api: ImportWebApi,
  result: ImportResult,
  currentImportId: string | null,
  onProgress: (done: number, total: number) => void,
  token: CancelToken = { cancelled: false },
  /** Told the import's id as soon as it exists (a new form's record is created here): a retry passes it back as currentImportId. */
  onImportId: (id: string) => void = () => undefined,
): Promise<{ importId: string; written: number; alreadyThere: number }> {
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
  onImportId(importId);
  const keysThere = currentImportId ? await existingLineKeys(api, importId) : new Set<string>();
  const bodies = [...result.lines, ...result.usage].map((item) => lineBody(item, importId!, hash));
  const missing = keysThere.size === 0 ? bodies : bodies.filter((b) => !keysThere.has(b.cspb_linekey as string));
  const alreadyThere = bodies.length - missing.length;
  let written = 0;
  onProgress(alreadyThere, bodies.length);
  for (let i = 0; i < missing.length; i += BATCH_SIZE) {
    if (token.cancelled) throw new ImportCancelled();
    await Promise.all(missing.slice(i, i + BATCH_SIZE).map((body) => api.createRecord(CspbBillingLineTable.logicalName, body)));
    written = Math.min(missing.length, i + BATCH_SIZE);
    onProgress(alreadyThere + written, bodies.length);
  }
  const status = result.errors.length ? CspbBillingImportImportStatus.CompletedWithErrors : CspbBillingImportImportStatus.Completed;
  await api.updateRecord(CspbBillingImportTable.logicalName, importId, { cspb_importstatus: status, cspb_linecount: alreadyThere + written });
  return { importId, written, alreadyThere };
}
