/**
 * The one posting plan: `npm run post` and the Dynamics posting run read the org's issued invoices
 * of a month and its accounting mappings, and turn them into posting documents with the same call
 * (core planPosting on issuedInvoicesFromRows), and record each outcome on its invoice row with
 * `postingPatch`.
 */
import { planPosting, type AccountingMapping, type AccountingSystem, type LineCategory, type PostingPlan } from '../../../core/src';
import {
  CspbAccountingMappingKindKeys,
  CspbAccountingMappingLineCategoryKeys,
  CspbAccountingMappingSystemKeys,
  CspbInvoiceInvoiceStatus as InvoiceStatus,
  CspbInvoicePostingStatus as PostingStatus,
  CspbInvoicePostedToKeys,
  CspbInvoiceTable,
  type CspbAccountingMappingRow,
  type CspbInvoiceLineRow,
  type CspbInvoiceRow,
} from '../../generated';
import { choiceMap, issuedInvoicesFromRows, MappingError } from '../mappers';

export const systems = choiceMap(CspbAccountingMappingSystemKeys, 'cspb_system');
const kinds = choiceMap(CspbAccountingMappingKindKeys, 'cspb_kind');
const categories = choiceMap(CspbAccountingMappingLineCategoryKeys, 'cspb_linecategory');
const postedTo = choiceMap(CspbInvoicePostedToKeys, 'cspb_postedto');

export interface PostingRows {
  readonly invoices: readonly CspbInvoiceRow[];
  readonly lines: readonly CspbInvoiceLineRow[];
  readonly mappings: readonly CspbAccountingMappingRow[];
  /** Customer names for the messages (account id -> name). */
  readonly accountNames?: ReadonlyMap<string, string>;
  /** The contracts whose tax profile makes the customer exempt: their documents post with the `exempt` tax key. */
  readonly exemptContracts?: ReadonlySet<string>;
}

/** Billing contract ids whose tax profile (JSON) says the customer is exempt. */
export function exemptContractsOf(
  contracts: ReadonlyArray<{ readonly cspb_billingcontractid: string; readonly cspb_taxprofile?: string | null }>,
): Set<string> {
  const out = new Set<string>();
  for (const c of contracts) {
    if (!c.cspb_taxprofile) continue;
    try {
      if ((JSON.parse(c.cspb_taxprofile) as { exempt?: unknown }).exempt === true) out.add(c.cspb_billingcontractid.toLowerCase());
    } catch {
      // An unreadable profile: the invoice run refused it already; the document posts as its tax lines say.
    }
  }
  return out;
}

/** The system's mappings from the table's rows; two rows for one key are refused, naming both. */
export function accountingMappingFromRows(system: AccountingSystem, rows: readonly CspbAccountingMappingRow[]): AccountingMapping {
  const customers: Record<string, string> = {};
  const byCategory: Partial<Record<LineCategory, string>> = {};
  const taxCodes: Record<string, string> = {};
  const seen = new Map<string, string>();
  for (const row of rows) {
    if (systems.fromWebApi(row.cspb_system, 'cspb_system') !== system) continue;
    const where = `cspb_accountingmapping ${row.cspb_accountingmappingid} ('${row.cspb_name}')`;
    const kind = kinds.fromWebApi(row.cspb_kind, `${where}.cspb_kind`);
    const value = row.cspb_externalvalue?.trim();
    if (!value) throw new MappingError('has no value in the accounting system', `${where}.cspb_externalvalue`, row.cspb_externalvalue);
    let key: string | undefined;
    if (kind === 'customer') key = row._cspb_accountid_value?.toLowerCase();
    else if (kind === 'category') key = categories.fromWebApi(row.cspb_linecategory, `${where}.cspb_linecategory`);
    else key = row.cspb_taxkey?.trim();
    if (!key)
      throw new MappingError(`a ${kind} mapping names no ${kind === 'customer' ? 'customer' : kind === 'category' ? 'line category' : 'tax key'}`, where, null);
    const id = `${kind}|${key}`;
    if (seen.has(id)) throw new MappingError(`maps the same ${kind} as '${seen.get(id)}'`, where, key);
    seen.set(id, row.cspb_name);
    if (kind === 'customer') customers[key] = value;
    else if (kind === 'category') byCategory[key as LineCategory] = value;
    else taxCodes[key] = value;
  }
  return { system, customers, categories: byCategory, taxCodes };
}

/**
 * The issued documents of the month (by service period start) not yet posted to `system`, planned
 * with its mappings. A document Failed before is tried again; one Posted to another system is left.
 */
export function planFromRows(system: AccountingSystem, month: string, rows: PostingRows): PostingPlan & { readonly rowIds: ReadonlyMap<string, string> } {
  const wanted = rows.invoices.filter(
    (r) => r.cspb_invoicestatus === InvoiceStatus.Issued && r.cspb_periodstart?.slice(0, 7) === month && r.cspb_postingstatus !== PostingStatus.Posted,
  );
  const issued = issuedInvoicesFromRows(wanted, rows.lines);
  // Customers by account id, as the mapping's lookup holds them.
  const documents = issued.issued.map((i) => {
    const customerId = i.customerId.toLowerCase();
    const name = rows.accountNames?.get(customerId);
    // The invoice row keeps no exemption: the contract's profile says it (the engine wrote no tax line for it).
    const exempt = rows.exemptContracts?.has(i.contractId.toLowerCase()) === true && !i.lines.some((l) => l.type === 'tax');
    return { ...i, customerId, ...(name ? { customerName: name } : {}), ...(exempt ? { taxExempt: true } : {}) };
  });
  const plan = planPosting(documents, accountingMappingFromRows(system, rows.mappings));
  const rowIds = new Map(wanted.map((r) => [r.cspb_name, r.cspb_invoiceid]));
  return { ...plan, rowIds };
}

const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);
const MAX = CspbInvoiceTable.maxLengths;

/** What an invoice row records of its post. */
export function postingPatch(
  system: AccountingSystem,
  outcome: {
    readonly outcome: 'posted' | 'already-posted' | 'failed' | 'would-post';
    readonly externalId?: string;
    readonly externalNumber?: string;
    readonly reason?: string;
  },
  at: Date,
): Record<string, unknown> | undefined {
  if (outcome.outcome === 'would-post') return undefined;
  const ok = outcome.outcome !== 'failed';
  return {
    cspb_postingstatus: ok ? PostingStatus.Posted : PostingStatus.Failed,
    cspb_postedto: postedTo.toWebApi(system),
    cspb_externalid: outcome.externalId ? clip(outcome.externalId, MAX.cspb_externalid) : null,
    cspb_externalnumber: outcome.externalNumber ? clip(outcome.externalNumber, MAX.cspb_externalnumber) : null,
    cspb_postedat: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    cspb_postingerror: ok ? null : clip(outcome.reason ?? 'refused', MAX.cspb_postingerror),
  };
}
