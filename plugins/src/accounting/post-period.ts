/**
 * The one bulk post: every issued invoice and credit note of a month not yet posted to the system,
 * read from the org, planned (dataverse/src/runs/posting-run.ts), and posted one by one, each
 * outcome written to its invoice row as soon as it is known. `npm run post` and the Dynamics
 * posting run both call it. A mapping missing stops the run before anything is sent; a dry run
 * sends nothing and writes nothing.
 */
import type { AccountingSystem, MissingMapping } from '../../../core/src';
import { retrieveAll } from '../../../dataverse/src/client/retrieve-all';
import type { DataverseClient } from '../../../dataverse/src/client/types';
import {
  CspbInvoiceInvoiceStatus as InvoiceStatus,
  type AccountExtensionRow,
  type CspbBillingContractRow,
  type CspbAccountingMappingRow,
  type CspbInvoiceLineRow,
  type CspbInvoiceRow,
} from '../../../dataverse/generated';
import { exemptContractsOf, planFromRows, postingPatch } from '../../../dataverse/src/runs/posting-run';
import { dryRun, postDocuments, type PostOutcome } from './post';
import type { AccountingClient } from './types';

export interface PeriodPost {
  readonly system: AccountingSystem;
  /** YYYY-MM */
  readonly month: string;
  readonly dataverse: DataverseClient;
  /** Undefined on a dry run. */
  readonly accounting?: AccountingClient;
  readonly now?: () => Date;
  readonly onOutcome?: (outcome: PostOutcome) => void;
}

export interface PeriodResult {
  readonly documents: number;
  readonly missing: readonly MissingMapping[];
  readonly outcomes: readonly PostOutcome[];
}

export async function postPeriod(p: PeriodPost): Promise<PeriodResult> {
  const client = p.dataverse;
  // The month's issued documents only: the org holds every month's.
  const [year, month] = p.month.split('-').map(Number) as [number, number];
  const next = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
  const ofMonth = await retrieveAll<CspbInvoiceRow>(client, 'cspb_invoices', {
    filter: `cspb_invoicestatus eq ${InvoiceStatus.Issued} and cspb_periodstart ge ${p.month}-01 and cspb_periodstart lt ${next}`,
  });
  const lines: CspbInvoiceLineRow[] = [];
  for (const invoice of ofMonth)
    lines.push(...(await retrieveAll<CspbInvoiceLineRow>(client, 'cspb_invoicelines', { filter: `_cspb_invoiceid_value eq ${invoice.cspb_invoiceid}` })));
  const mappings = await retrieveAll<CspbAccountingMappingRow>(client, 'cspb_accountingmappings', {});
  const accounts = await retrieveAll<AccountExtensionRow>(client, 'accounts', { select: ['accountid', 'name'] });
  const contracts = await retrieveAll<CspbBillingContractRow>(client, 'cspb_billingcontracts', { select: ['cspb_billingcontractid', 'cspb_taxprofile'] });
  const plan = planFromRows(p.system, p.month, {
    invoices: ofMonth,
    lines,
    mappings,
    accountNames: new Map(accounts.map((a) => [a.accountid.toLowerCase(), a.name ?? a.accountid])),
    exemptContracts: exemptContractsOf(contracts),
  });
  const documents = plan.documents.length + plan.unpostable.length;
  if (plan.missing.length > 0) return { documents, missing: plan.missing, outcomes: [] };
  const now = p.now ?? (() => new Date());
  const record = async (number: string, outcome: PostOutcome) => {
    const patch = p.accounting ? postingPatch(p.system, outcome, now()) : undefined;
    const id = plan.rowIds.get(number);
    if (patch && id) await client.update('cspb_invoices', id, patch);
    p.onOutcome?.(outcome);
  };
  // Documents that cannot post as they are: Failed with the reason, the others go on.
  const refused: PostOutcome[] = plan.unpostable.map((u) => ({ number: u.number, outcome: 'failed', reason: u.reason }));
  for (const o of refused) await record(o.number, o);
  if (!p.accounting) {
    const outcomes = dryRun(plan.documents);
    outcomes.forEach((o) => p.onOutcome?.(o));
    return { documents, missing: [], outcomes: [...refused, ...outcomes] };
  }
  const outcomes = await postDocuments(p.accounting, plan.documents, (doc, outcome) => record(doc.number, outcome));
  return { documents, missing: [], outcomes: [...refused, ...outcomes] };
}
