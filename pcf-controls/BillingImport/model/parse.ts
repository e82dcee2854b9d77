/**
 * Parses a bill with the core importer in small slices, yielding to the event loop between them
 * (the main-thread path; the same function runs inside the worker when one can be created).
 */
import { BillImporter, type ImportOptions, type ImportResult } from '../../../core/src/import';
import { BILL_DUPLICATES } from './import-options';

export const SLICE_BYTES = 256 * 1024;

import { ImportCancelled, type CancelToken } from '../../../dataverse/src/imports/write-import';

export { ImportCancelled, type CancelToken };

export async function parseBytes(
  bytes: Uint8Array,
  options: ImportOptions,
  onProgress: (done: number, total: number) => void,
  token: CancelToken = { cancelled: false },
): Promise<ImportResult> {
  const importer = new BillImporter({ ...options, detectDuplicates: BILL_DUPLICATES });
  for (let offset = 0; offset < bytes.length; offset += SLICE_BYTES) {
    if (token.cancelled) throw new ImportCancelled();
    importer.push(bytes.subarray(offset, Math.min(bytes.length, offset + SLICE_BYTES)));
    onProgress(Math.min(bytes.length, offset + SLICE_BYTES), bytes.length);
    await new Promise((r) => setTimeout(r, 0));
  }
  if (token.cancelled) throw new ImportCancelled();
  return importer.finish();
}
