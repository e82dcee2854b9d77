/**
 * The grid's row model and its adapter from a data set. Pure: no React, no PCF types, so it is
 * unit-tested on its own. Two sources feed it: the discrepancy data set (logical names, raw choice
 * values and numbers) and the harness's CSV-fed data set (header names, text values). Amounts are
 * exact fixed-point values (model/exact.ts) read from the number's or the text's digits, never
 * float arithmetic and no Decimal per row; a Decimal is made where one is shown or written.
 */
import { formatIso, localDateOf } from '../../../core/src/calendar';
import { CATEGORY_LABELS, type ReconCategory } from '../../../core/src/reconcile/categories';
import { FIXED_ZERO, fixedOfNumber, fixedOfText, subtractFixed, type Fixed } from './exact';
import { CspbDiscrepancyCategoryKeys, CspbDiscrepancyResolutionStatusKeys } from '../../../dataverse/generated/cspb_discrepancy';

export type ResolutionStatus = 'open' | 'accepted' | 'resolved' | 'ignored';
export const STATUSES: readonly ResolutionStatus[] = ['open', 'accepted', 'resolved', 'ignored'];

export interface ReconRow {
  /** The row is its own grid item (no wrapper object per line: 100,000 fewer allocations per view). */
  readonly kind: 'line';
  readonly id: string;
  /** Primary name of the record (discrepancy name), when the data set has one. */
  readonly name: string;
  readonly customer: string;
  /** Vendor (Partner Center) subscription id, as billed or in CRM. */
  readonly subscription: string;
  /** The customer + subscription group, one object shared by the group's rows (see GroupKeys). */
  readonly group: GroupKey;
  /** CRM subscription record id (lookup), for opening its form and correcting its ledger. */
  readonly subscriptionRecordId: string | null;
  readonly product: string;
  readonly chargeType: string;
  readonly chargeStart: string;
  readonly chargeEnd: string;
  readonly referenceId: string;
  readonly billedQuantity: Fixed | null;
  readonly expectedQuantity: Fixed | null;
  /** Effective unit price as billed. */
  readonly eup: Fixed | null;
  readonly billed: Fixed;
  readonly expected: Fixed;
  readonly variance: Fixed;
  /** Customer revenue minus vendor cost, on margin findings; null elsewhere. */
  readonly margin: Fixed | null;
  /** Microsoft's rounding rule the expected amount followed, in words (empty when none). */
  readonly rule: string;
  /** Where the status came from when an earlier run decided the same finding (empty otherwise). */
  readonly decisionFrom: string;
  /** Core category key, or null when the text names no known category. */
  readonly category: ReconCategory | null;
  /** What the source said (label or key), shown when the category is unknown. */
  readonly categoryText: string;
  readonly status: ResolutionStatus;
  readonly note: string;
  readonly currency: string;
  readonly explanation: string;
  /** Lower-case text the search box matches against (computed once). */
  readonly haystack: string;
}

/** A customer + subscription group; `key` is unique across customers. */
export interface GroupKey {
  readonly customer: string;
  readonly subscription: string;
  readonly key: string;
}

/**
 * Interns group keys, and their texts, across the pages of a data set: the rows of a subscription
 * share one key object, so grouping 100,000 rows costs an identity look-up per row rather than two
 * string look-ups, and a customer's name is held once rather than once per row.
 */
export class GroupKeys {
  private readonly byCustomer = new Map<string, Map<string, GroupKey>>();

  of(customer: string, subscription: string): GroupKey {
    let subscriptions = this.byCustomer.get(customer);
    if (subscriptions === undefined) this.byCustomer.set(customer, (subscriptions = new Map()));
    let group = subscriptions.get(subscription);
    if (group === undefined) subscriptions.set(subscription, (group = { customer, subscription, key: `${customer}\u0001${subscription}` }));
    return group;
  }
}

/** One cell as the platform gives it: the raw value and the formatted text. */
export interface CellValue {
  readonly raw: unknown;
  readonly formatted: string;
}

/** A data-set record seen through column names (logical names or the harness's CSV headers). */
export interface SourceRecord {
  readonly id: string;
  get(column: string): CellValue;
}

type Field =
  | 'name'
  | 'customer'
  | 'subscription'
  | 'subscriptionRecord'
  | 'product'
  | 'chargeType'
  | 'chargeStart'
  | 'chargeEnd'
  | 'referenceId'
  | 'billedQuantity'
  | 'expectedQuantity'
  | 'eup'
  | 'billed'
  | 'expected'
  | 'variance'
  | 'margin'
  | 'rule'
  | 'decisionFrom'
  | 'customerName'
  | 'category'
  | 'status'
  | 'note'
  | 'currency'
  | 'explanation';

/** Candidate column names per field, preferred first; compared case- and punctuation-insensitively. */
const ALIASES: Readonly<Record<Field, readonly string[]>> = {
  name: ['cspb_name', 'name'],
  customer: ['cspb_customerid', '_cspb_customerid_value', 'customer', 'customername', 'cspb_customername'],
  subscription: ['cspb_vendorsubscriptionid', 'subscription', 'subscriptionid', 'vendorsubscriptionid'],
  subscriptionRecord: ['cspb_subscriptionid', '_cspb_subscriptionid_value'],
  product: ['cspb_productname', 'product', 'productname'],
  chargeType: ['cspb_chargetype', 'chargetype'],
  chargeStart: ['cspb_chargestartdate', 'chargestart', 'chargestartdate', 'start'],
  chargeEnd: ['cspb_chargeenddate', 'chargeend', 'chargeenddate', 'end'],
  referenceId: ['cspb_referenceid', 'referenceid', 'reference'],
  billedQuantity: ['cspb_billedquantity', 'billedquantity', 'quantity', 'billablequantity', 'cspb_quantity'],
  expectedQuantity: ['cspb_expectedquantity', 'expectedquantity'],
  eup: ['cspb_effectiveunitprice', 'eup', 'effectiveunitprice'],
  billed: ['cspb_billedamount', 'billed', 'billedamount', 'subtotal', 'cspb_subtotal'],
  expected: ['cspb_expectedamount', 'expected', 'expectedamount'],
  variance: ['cspb_variance', 'variance'],
  margin: ['cspb_margin', 'margin'],
  rule: ['cspb_rule', 'rule'],
  decisionFrom: ['cspb_decisionfrom', 'decisionfrom'],
  customerName: ['cspb_customername', 'billcustomer', 'billedcustomer'],
  category: ['cspb_category', 'category'],
  status: ['cspb_resolutionstatus', 'status', 'resolutionstatus'],
  note: ['cspb_resolutionnote', 'note', 'resolutionnote'],
  currency: ['cspb_currencycode', 'currency', 'currencycode'],
  explanation: ['cspb_explanation', 'explanation'],
};

const norm = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Field -> the data set's column that supplies it (first alias present). */
export type ColumnMap = Readonly<Partial<Record<Field, string>>>;

export function mapColumns(columnNames: readonly string[]): ColumnMap {
  const byNorm = new Map<string, string>();
  for (const name of columnNames) if (!byNorm.has(norm(name))) byNorm.set(norm(name), name);
  const map: Partial<Record<Field, string>> = {};
  for (const field of Object.keys(ALIASES) as Field[]) {
    for (const alias of ALIASES[field]) {
      const found = byNorm.get(norm(alias));
      if (found !== undefined) {
        map[field] = found;
        break;
      }
    }
  }
  return map;
}

// Option value -> core name, from the schema's core keys (never derived from the enum's spelling).
const CATEGORY_BY_VALUE = new Map<number, ReconCategory>(CspbDiscrepancyCategoryKeys.map(([core, value]) => [value, core]));
const CATEGORY_BY_TEXT = new Map<string, ReconCategory>();
for (const [key, label] of Object.entries(CATEGORY_LABELS) as [ReconCategory, string][]) {
  CATEGORY_BY_TEXT.set(norm(key), key);
  CATEGORY_BY_TEXT.set(norm(label), key);
}
const STATUS_BY_VALUE = new Map<number, ResolutionStatus>(CspbDiscrepancyResolutionStatusKeys.map(([core, value]) => [value, core]));

export function categoryOf(cell: CellValue): ReconCategory | null {
  const n = typeof cell.raw === 'number' ? cell.raw : typeof cell.raw === 'string' && /^\d+$/.test(cell.raw) ? Number(cell.raw) : NaN;
  if (CATEGORY_BY_VALUE.has(n)) return CATEGORY_BY_VALUE.get(n)!;
  return CATEGORY_BY_TEXT.get(norm(cell.formatted || text(cell.raw))) ?? null;
}

export function statusOf(cell: CellValue): ResolutionStatus {
  const n = typeof cell.raw === 'number' ? cell.raw : typeof cell.raw === 'string' && /^\d+$/.test(cell.raw) ? Number(cell.raw) : NaN;
  if (STATUS_BY_VALUE.has(n)) return STATUS_BY_VALUE.get(n)!;
  const t = norm(cell.formatted || text(cell.raw));
  return (STATUSES as readonly string[]).includes(t) ? (t as ResolutionStatus) : 'open';
}

function text(raw: unknown): string {
  if (raw === null || raw === undefined) return '';
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  if (raw instanceof Date) return formatIso(localDateOf(raw)); // a date-only value: the date its user sees
  if (Array.isArray(raw)) return raw.map((r) => (r && typeof r === 'object' && 'name' in r ? String((r as { name: unknown }).name) : text(r))).join(', ');
  if (typeof raw === 'object' && 'name' in raw) return String((raw as { name: unknown }).name);
  return '';
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A money or quantity cell as an exact fixed-point value. Raw numbers are read through their
 * shortest decimal text (what Dataverse sent); formatted text is read with thousands separators,
 * currency symbols and accounting parentheses removed. Empty or unreadable: null.
 */
export function amountOf(cell: CellValue): Fixed | null {
  if (typeof cell.raw === 'number') return fixedOfNumber(cell.raw);
  if (typeof cell.raw === 'string' && PLAIN_NUMBER.test(cell.raw.trim())) return fixedOfText(cell.raw.trim());
  const source = cell.formatted || (typeof cell.raw === 'string' ? cell.raw : '');
  if (!source.trim()) return null;
  const negative = /\(.*\)/.test(source) || source.includes('-') || source.includes('\u2212');
  const digits = source.replace(/[^\d.]/g, '');
  if (!PLAIN_NUMBER.test(digits)) return null;
  return fixedOfText(negative ? `-${digits}` : digits);
}

/**
 * Builds the rows of a data set; missing amounts are zero, a missing variance is billed - expected.
 * Pages of one data set pass the same GroupKeys.
 */
export function toRows(columnNames: readonly string[], records: readonly SourceRecord[], groups: GroupKeys = new GroupKeys()): ReconRow[] {
  const map = mapColumns(columnNames);
  const empty: CellValue = { raw: null, formatted: '' };
  const rows: ReconRow[] = new Array(records.length);
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    const cell = (f: Field): CellValue => (map[f] ? record.get(map[f]!) : empty);
    const str = (f: Field): string => {
      const c = cell(f);
      return (c.formatted || text(c.raw)).trim();
    };
    const billed = amountOf(cell('billed')) ?? FIXED_ZERO;
    const expected = amountOf(cell('expected')) ?? FIXED_ZERO;
    const variance = amountOf(cell('variance')) ?? subtractFixed(billed, expected);
    const category = categoryOf(cell('category'));
    const subRaw = cell('subscriptionRecord').raw;
    const subscriptionRecordId =
      typeof subRaw === 'string' && subRaw
        ? subRaw
        : Array.isArray(subRaw) && subRaw[0] && typeof subRaw[0] === 'object' && 'id' in subRaw[0]
          ? idOf((subRaw[0] as { id: unknown }).id)
          : subRaw && typeof subRaw === 'object' && 'id' in subRaw
            ? idOf((subRaw as { id: unknown }).id)
            : null;
    // Grouped by customer, then subscription name: the CRM lookups' names when they are set, else
    // what the bill says (a customer CRM does not know), never a record id.
    const customerCell = cell('customer');
    const customerName = (customerCell.formatted || (typeof customerCell.raw === 'string' && !GUID.test(customerCell.raw) ? customerCell.raw : '')).trim();
    const subscriptionName = cell('subscriptionRecord').formatted.trim();
    const group = groups.of(customerName || str('customerName'), subscriptionName || str('subscription'));
    const row: ReconRow = {
      kind: 'line',
      id: record.id,
      name: str('name'),
      customer: group.customer,
      subscription: group.subscription,
      group,
      subscriptionRecordId,
      product: str('product'),
      chargeType: str('chargeType'),
      chargeStart: str('chargeStart'),
      chargeEnd: str('chargeEnd'),
      referenceId: str('referenceId'),
      billedQuantity: amountOf(cell('billedQuantity')),
      expectedQuantity: amountOf(cell('expectedQuantity')),
      eup: amountOf(cell('eup')),
      billed,
      expected,
      variance,
      margin: amountOf(cell('margin')),
      rule: str('rule'),
      decisionFrom: str('decisionFrom'),
      category,
      categoryText: str('category'),
      status: statusOf(cell('status')),
      note: str('note'),
      currency: str('currency'),
      explanation: str('explanation'),
      haystack: '',
    };
    (row as { haystack: string }).haystack = [
      row.customer,
      row.subscription,
      // The vendor's subscription id, also when the group shows the CRM name: finance searches by it.
      str('subscription'),
      row.product,
      row.chargeType,
      row.referenceId,
      row.name,
      category ? CATEGORY_LABELS[category] : row.categoryText,
    ]
      .join('\u0001')
      .toLowerCase();
    rows[i] = row;
  }
  return rows;
}

function idOf(id: unknown): string | null {
  if (typeof id === 'string') return id;
  if (id && typeof id === 'object' && 'guid' in id) return String((id as { guid: unknown }).guid);
  return null;
}

export function categoryLabel(row: Pick<ReconRow, 'category' | 'categoryText'>): string {
  return row.category ? CATEGORY_LABELS[row.category] : row.categoryText;
}
