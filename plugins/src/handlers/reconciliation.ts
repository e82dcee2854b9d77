import { createHash } from 'node:crypto';
import { Decimal, reconcile, isExplained, type FormatId, type ReconCategory, type ReconItem } from '../../../core/src';
import type { DataverseClient, EntityRecord } from '../../../dataverse/src/client/types';
import { reconSubscriptionsFromRows } from '../../../dataverse/src/mappers';
import {
  CspbBillingImportFormat as Format,
  CspbDiscrepancyCategory as Category,
  CspbDiscrepancyResolutionStatus as Resolution,
  CspbReconciliationRunRunStatus as RunStatus,
  type AccountExtensionRow,
  type CspbBillingContractRow,
  type CspbBillingImportRow,
  type CspbBillingLineRow,
  type CspbDiscrepancyRow,
  type CspbOfferRow,
  type CspbReconciliationRunRow,
  type CspbSubscriptionChangeRow,
  type CspbSubscriptionRow,
} from '../../../dataverse/generated';
import { rowToBillLine } from '../../../dataverse/src/mappers/bill-lines';
import { retrieveAll } from './types';
import { chunkOf, JobFailure, type ChunkOutcome, type Job, type JobContext } from '../jobs/job';
import { writeBulk } from '../../../dataverse/src/bulk';
import { MONEY_PLACES, roundedToWebApi } from '../../../dataverse/src/mappers/values';

/**
 * Reconciliation run Create (PostOperation, async, queued as `reconciliationRunJob`): reads the
 * run's import lines and the CRM subscriptions with their ledgers, runs the engine, and writes one
 * cspb_discrepancy per finding that is not an exact match (alternate key run + cspb_discrepancykey,
 * a hash of the finding's whole identity), a chunk of findings per queue message.
 * Running again (a redelivery, or the run re-triggered) upserts the findings, deletes open ones
 * not found again, and never touches the status or note of accepted, resolved or ignored ones.
 */

const CATEGORY: Readonly<Record<ReconCategory, number>> = {
  exactMatch: Category.ExactMatch,
  withinTolerance: Category.WithinTolerance,
  quantityMismatch: Category.QuantityMismatch,
  priceMismatch: Category.PriceMismatch,
  dateMismatch: Category.DateMismatch,
  unknownInCrm: Category.UnknownInCrm,
  notBilled: Category.NotBilled,
  cancelledButBilled: Category.CancelledButBilled,
  duplicateCharge: Category.DuplicateCharge,
  unexpectedChargeType: Category.UnexpectedChargeType,
  usageWithoutContract: Category.UsageWithoutContract,
  negativeMargin: Category.NegativeMargin,
  revenueLeakage: Category.RevenueLeakage,
  ambiguousMatch: Category.AmbiguousMatch,
};

const FORMAT_ID: Readonly<Record<number, FormatId>> = {
  [Format.NceLicense]: 'nce-license',
  [Format.NceDailyUsage]: 'nce-daily-usage',
  [Format.LegacyLicense]: 'legacy-license',
  [Format.LegacyUsage]: 'legacy-usage',
  [Format.PartnerCenterJson]: 'nce-license',
  [Format.DistributorProfile]: 'profile:distributor',
};

/** Money and decimal columns: rounded once to the column's places by the shared boundary helper. */
const money = (d: Decimal | undefined) => roundedToWebApi(d, 'money column', MONEY_PLACES);
const qty = (d: Decimal | undefined) => roundedToWebApi(d, 'decimal column', 10);
const clip = (s: string | undefined, max: number) => (s === undefined || s === '' ? null : s.slice(0, max));

export async function loadReconRows(client: DataverseClient) {
  const [account, cspb_offer, cspb_billingcontract, cspb_subscription, cspb_subscriptionchange] = await Promise.all([
    retrieveAll<AccountExtensionRow>(client, 'accounts', {}),
    retrieveAll<CspbOfferRow>(client, 'cspb_offers', {}),
    retrieveAll<CspbBillingContractRow>(client, 'cspb_billingcontracts', {}),
    retrieveAll<CspbSubscriptionRow>(client, 'cspb_subscriptions', {}),
    retrieveAll<CspbSubscriptionChangeRow>(client, 'cspb_subscriptionchanges', {}),
  ]);
  return { account, cspb_offer, cspb_billingcontract, cspb_subscription, cspb_subscriptionchange };
}

function discrepancyRow(item: ReconItem, key: string, runId: string, currency: string, subscriptionIds: ReadonlySet<string>, accountIds: ReadonlySet<string>): EntityRecord {
  const name = `${item.category} ${item.vendorSubscriptionId ?? item.subscriptionId ?? ''} ${item.chargeType ?? ''}`.trim();
  return {
    cspb_name: name.slice(0, 200),
    'cspb_RunId@odata.bind': `/cspb_reconciliationruns(${runId})`,
    cspb_discrepancykey: key,
    cspb_category: CATEGORY[item.category],
    'cspb_SubscriptionId@odata.bind': item.subscriptionId && subscriptionIds.has(item.subscriptionId) ? `/cspb_subscriptions(${item.subscriptionId})` : null,
    'cspb_CustomerId@odata.bind': item.customerId && accountIds.has(item.customerId) ? `/accounts(${item.customerId})` : null,
    cspb_vendorsubscriptionid: clip(item.vendorSubscriptionId, 100),
    cspb_referenceid: clip(item.referenceId, 100),
    cspb_chargetype: clip(item.chargeType, 50),
    cspb_expectedquantity: qty(item.expectedQuantity),
    cspb_billedquantity: qty(item.billedQuantity),
    cspb_expectedamount: money(item.expectedAmount),
    cspb_billedamount: money(item.billedAmount),
    cspb_variance: money(item.variance),
    cspb_currencycode: currency,
    cspb_explanation: item.explanation.slice(0, 4000),
  };
}

/** Discrepancies written per chunk (one queue message's work). */
export const RECON_CHUNK_ITEMS = 5_000;
const RUNS = 'cspb_reconciliationruns';
const FINISHED: ReadonlySet<number> = new Set([RunStatus.Completed, RunStatus.Failed]);

/**
 * The stored key of a finding: a fixed-length hash of its whole identity. Two findings whose
 * identities differ only at their end (the wipe and recreate lines of one seat change) must not
 * collide, as a key cut to the column's length did.
 */
export function discrepancyKeyOf(item: ReconItem): string {
  return createHash('sha256').update(item.key).digest('hex');
}

type Findings = Awaited<ReturnType<typeof computeFindings>>;

/**
 * The findings of the run this worker did last, kept for the later chunks of the same pass: each
 * chunk would otherwise read every line of the bill again (a 200,000-line bill in 40 chunks read 8
 * million rows). A pass starts afresh at chunk 0 (a re-run after CRM was corrected sees the
 * correction); keyed by the run, the import's row version and the tolerance; another worker, or a
 * restarted one, computes them afresh, and the same rows give the same list.
 */
let lastFindings: { readonly key: string; readonly value: Promise<Findings> } | undefined;

async function findings(client: DataverseClient, run: CspbReconciliationRunRow, chunk: number): Promise<Findings> {
  const importId = run._cspb_importid_value;
  if (!importId) throw new JobFailure('The run names no billing import.');
  const bill = await client.retrieve<CspbBillingImportRow>('cspb_billingimports', importId);
  const key = [run.cspb_reconciliationrunid, importId, (bill as unknown as Record<string, unknown>)['versionnumber'], run.cspb_toleranceperunit].join('|');
  if (chunk === 0 || lastFindings?.key !== key) {
    const value = computeFindings(client, run, bill);
    lastFindings = { key, value };
    value.catch(() => {
      if (lastFindings?.value === value) lastFindings = undefined;
    });
  }
  return lastFindings.value;
}

/** The run's findings: the same rows give the same list, in the same order, every time. */
async function computeFindings(client: DataverseClient, run: CspbReconciliationRunRow, bill: CspbBillingImportRow) {
  const importId = bill.cspb_billingimportid;
  const format = FORMAT_ID[bill.cspb_format ?? Format.NceLicense] ?? 'nce-license';
  const lineRows = await retrieveAll<CspbBillingLineRow>(client, 'cspb_billinglines', { filter: `_cspb_importid_value eq ${importId}`, orderBy: ['cspb_sourcerow', 'cspb_linekey'] });
  const parsed = lineRows.map((r) => rowToBillLine(r, format, bill.cspb_invoicenumber ?? undefined));
  const rows = await loadReconRows(client);
  const result = reconcile({
    lines: parsed.flatMap((l) => (l.kind === 'line' ? [l] : [])),
    usage: parsed.flatMap((l) => (l.kind === 'usage' ? [l] : [])),
    subscriptions: reconSubscriptionsFromRows(rows),
    options: run.cspb_toleranceperunit === null ? {} : { tolerancePerUnit: new Decimal(String(run.cspb_toleranceperunit)) },
  });
  const currency = result.currency ?? bill.cspb_currencycode ?? run.cspb_currencycode;
  const subscriptionIds = new Set(rows.cspb_subscription.map((s) => s.cspb_subscriptionid));
  const accountIds = new Set(rows.account.map((a) => a.accountid));
  const items = result.items
    .filter((item) => !isExplained(item.category))
    .map((item) => ({ key: discrepancyKeyOf(item), item }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { result, currency, subscriptionIds, accountIds, items };
}

/**
 * One chunk of a run: reconciles (deterministic), upserts findings [n * size, (n + 1) * size) by the
 * run + discrepancy key alternate key (an upsert never sends status or note: finance's decision on
 * a finding found again stays; a new one takes the column's default, Open). The last chunk deletes
 * open findings not found again and writes the totals.
 */
async function reconcileChunk(context: JobContext, n: number, row: EntityRecord): Promise<ChunkOutcome> {
  const { client, id: runId } = context;
  const run = row as unknown as CspbReconciliationRunRow;
  const { result, currency, subscriptionIds, accountIds, items } = await findings(client, run, n);
  const { slice, last } = chunkOf(items, n, RECON_CHUNK_ITEMS);
  const records = slice.map(({ item, key }) => discrepancyRow(item, key, runId, currency, subscriptionIds, accountIds));
  const written = await writeBulk(client, records, { entitySet: 'cspb_discrepancies', keyColumns: ['cspb_runid', 'cspb_discrepancykey'], batchSize: 500 });
  if (written.errors.length > 0) throw new JobFailure(`A finding could not be written: ${written.errors[0]?.error.message}`);
  const done = Math.min((n + 1) * RECON_CHUNK_ITEMS, items.length);
  const progress = `${done.toLocaleString('en-US')} of ${items.length.toLocaleString('en-US')} findings written`;
  if (!last) return { patch: { cspb_runstatus: RunStatus.Running, cspb_error: null, cspb_jobprogress: progress }, done: false };
  const found = new Set(items.map((i) => i.key));
  const existing = await retrieveAll<CspbDiscrepancyRow>(client, 'cspb_discrepancies', { filter: `_cspb_runid_value eq ${runId}`, select: ['cspb_discrepancykey', 'cspb_resolutionstatus'] });
  for (const d of existing) {
    if (!found.has(d.cspb_discrepancykey.toLowerCase()) && d.cspb_resolutionstatus === Resolution.Open) await client.delete('cspb_discrepancies', d.cspb_discrepancyid);
  }
  const counts: Record<string, { count: number; amount: string }> = {};
  for (const [category, total] of Object.entries(result.byCategory)) if (total.count > 0) counts[category] = { count: total.count, amount: total.amount.toFixed() };
  return {
    done: true,
    patch: {
      cspb_runstatus: RunStatus.Completed,
      cspb_error: null,
      cspb_currencycode: currency,
      cspb_totalbilled: money(result.totals.billed),
      cspb_totalexpected: money(result.totals.expected),
      cspb_totalvariance: money(result.totals.variance),
      cspb_totalleakage: money(result.totals.leakage),
      cspb_totalmargin: money(result.totals.margin),
      cspb_discrepancycount: items.length,
      cspb_categorycounts: JSON.stringify(counts),
      cspb_jobprogress: progress,
    },
  };
}

export const reconciliationRunJob: Job = {
  kind: 'reconciliationrun',
  entitySet: RUNS,
  chunk: reconcileChunk,
  finished: (row) => FINISHED.has(row['cspb_runstatus'] as number),
  failed: (reason) => ({ cspb_runstatus: RunStatus.Failed, cspb_error: reason.slice(0, 10_000), cspb_jobprogress: 'Failed' }),
};
