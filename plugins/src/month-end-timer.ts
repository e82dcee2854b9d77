/**
 * The month-end timer's work: one month-end run per Microsoft invoice issued in the look-back
 * window that has none yet. The invoice number is the run's alternate key, so two timer firings
 * (or a person who started one by hand) never make a second run; the run's Create queues its job.
 */
import type { DataverseClient } from '../../dataverse/src/client/types';
import { DataverseError } from '../../dataverse/src/client/types';
import { retrieveAll } from '../../dataverse/src/client/retrieve-all';
import { CspbMonthEndRunTable } from '../../dataverse/generated';
import type { IssuedInvoice } from './pull/partner-center-invoices';

/** Days back an invoice may be dated and still start month-end (Partner Center issues monthly). */
export const MONTH_END_LOOKBACK_DAYS = 40;

export async function startMonthEnds(
  client: DataverseClient,
  invoices: readonly IssuedInvoice[],
  today: string,
  lookbackDays = MONTH_END_LOOKBACK_DAYS,
): Promise<{ started: string[]; alreadyStarted: string[] }> {
  const since = new Date(Date.parse(`${today}T00:00:00Z`) - lookbackDays * 86_400_000).toISOString().slice(0, 10);
  const recent = invoices.filter((i) => i.invoiceDate >= since && i.invoiceDate <= today && i.documentType !== 'void_note');
  const started: string[] = [];
  const alreadyStarted: string[] = [];
  for (const invoice of recent) {
    const existing = await retrieveAll(client, CspbMonthEndRunTable.entitySetName, {
      select: ['cspb_invoicenumber'],
      filter: `cspb_invoicenumber eq '${invoice.id.replace(/'/g, "''")}'`,
    });
    if (existing.length > 0) {
      alreadyStarted.push(invoice.id);
      continue;
    }
    try {
      await client.create(CspbMonthEndRunTable.entitySetName, {
        cspb_name: `Microsoft invoice ${invoice.id} (${invoice.invoiceDate})`,
        cspb_invoicenumber: invoice.id,
      });
      started.push(invoice.id);
    } catch (e) {
      // Another firing created it between the read and the create: the key refused the second.
      if (e instanceof DataverseError && (e.status === 412 || e.status === 409)) alreadyStarted.push(invoice.id);
      else throw e;
    }
  }
  return { started, alreadyStarted };
}
