import { createHash } from 'node:crypto';
import type { LocalOrg } from '../../dataverse/src/local-org';
import type { MemoryBillFileSource } from '../../plugins/src';

/**
 * A bill imported as a person does it: the file attached to a new billing import (its content hash
 * the import's key), read and written by the queued import job (the plug-in path), run to its end.
 */
export async function importBillFile(
  org: LocalOrg,
  files: MemoryBillFileSource,
  importId: string,
  fileName: string,
  bytes: Uint8Array,
  name = 'October',
): Promise<void> {
  files.put(importId, { fileName, bytes });
  await org.create('cspb_billingimports', {
    cspb_billingimportid: importId,
    cspb_name: name,
    cspb_contenthash: createHash('sha256').update(bytes).digest('hex'),
    cspb_currencycode: 'USD',
  });
  await org.asyncIdle();
}

/** A reconciliation run over an import, as a person creates one; the run row once its job has run. */
export async function reconcileImport(org: LocalOrg, importId: string): Promise<Record<string, unknown>> {
  const runId = await org.create('cspb_reconciliationruns', {
    cspb_name: 'October',
    'cspb_ImportId@odata.bind': `/cspb_billingimports(${importId})`,
    cspb_currencycode: 'USD',
  });
  await org.asyncIdle();
  if (org.asyncFailures.length > 0) throw new Error(`the run's job failed: ${JSON.stringify(org.asyncFailures)}`);
  return org.retrieve<Record<string, unknown>>('cspb_reconciliationruns', runId);
}
