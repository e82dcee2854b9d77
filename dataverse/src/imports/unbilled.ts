/**
 * Unbilled imports: a preview of a month Microsoft has not invoiced yet (Partner Center's unbilled
 * reconciliation, pulled from Graph or downloaded as a file). Such an import is never summed with
 * the month's billed invoice, and unbilled data changes daily: once a newer version of a month and
 * currency is in, the older ones are marked Superseded, so the month's preview is one import (a run
 * names the newest; an accrual is compared with it line by line).
 */
import {
  CspbBillingImportBillKind as BillKind,
  CspbBillingImportImportStatus as Status,
  CspbBillingImportSource as Source,
  type CspbBillingImportRow,
} from '../../generated';
import { retrieveAll } from '../client/retrieve-all';
import type { DataverseClient } from '../client/types';

type KindColumns = Pick<CspbBillingImportRow, 'cspb_billkind' | 'cspb_source'>;
/** createdon is the platform's column: the generated row types carry only ours. */
type Dated = CspbBillingImportRow & { readonly createdon?: string };

/** Unbilled by its kind, or by its source for imports pulled before the kind existed. */
export const isUnbilledImport = (row: Partial<KindColumns>): boolean =>
  row.cspb_billkind === BillKind.Unbilled || row.cspb_source === Source.GraphUnbilledReconciliation;

const FINISHED: ReadonlySet<number> = new Set([Status.Completed, Status.CompletedWithErrors]);

/**
 * Marks Superseded every finished unbilled import of `newest`'s month and currency created no later
 * than it (a version that finishes after a newer one does not push the newer aside). `finishing`:
 * the newest's columns its finishing write is about to store (its month, its currency). Returns the
 * names of those superseded.
 */
export async function supersedeOlderUnbilled(
  client: DataverseClient,
  newestId: string,
  finishing: { readonly cspb_periodstart?: string | null; readonly cspb_currencycode?: string | null } = {},
): Promise<string[]> {
  const stored = await client.retrieve<Dated>('cspb_billingimports', newestId, {
    select: ['cspb_periodstart', 'cspb_currencycode', 'createdon', 'cspb_billkind', 'cspb_source'],
  });
  const newest = { ...stored, ...Object.fromEntries(Object.entries(finishing).filter(([, v]) => v !== undefined && v !== null)) };
  const month = newest.cspb_periodstart?.slice(0, 7);
  if (!isUnbilledImport(newest) || !month) return [];
  const rows = await retrieveAll<Dated>(client, 'cspb_billingimports', {
    select: ['cspb_name', 'cspb_importstatus', 'cspb_periodstart', 'cspb_currencycode', 'createdon', 'cspb_billkind', 'cspb_source'],
    filter: `cspb_billkind eq ${BillKind.Unbilled} or cspb_source eq ${Source.GraphUnbilledReconciliation}`,
  });
  const superseded: string[] = [];
  for (const r of rows) {
    if (r.cspb_billingimportid === newestId || !FINISHED.has(r.cspb_importstatus)) continue;
    if (r.cspb_periodstart?.slice(0, 7) !== month || (r.cspb_currencycode ?? '').toUpperCase() !== (newest.cspb_currencycode ?? '').toUpperCase()) continue;
    if ((r.createdon ?? '') > (newest.createdon ?? '')) continue;
    await client.update('cspb_billingimports', r.cspb_billingimportid, { cspb_importstatus: Status.Superseded });
    superseded.push(r.cspb_name);
  }
  return superseded;
}
