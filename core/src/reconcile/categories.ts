/**
 * What a reconciliation finds. "Explained" categories are matches; every other category is a
 * discrepancy finance works through. Names are stable: the Dataverse choice maps onto them.
 */
export type ReconCategory =
  | 'exactMatch'
  | 'withinTolerance'
  | 'quantityMismatch'
  | 'priceMismatch'
  | 'dateMismatch'
  | 'unknownInCrm'
  | 'notBilled'
  | 'cancelledButBilled'
  | 'duplicateCharge'
  | 'unexpectedChargeType'
  | 'usageWithoutContract'
  | 'negativeMargin'
  | 'revenueLeakage'
  | 'ambiguousMatch'
  | 'rejectedRow'
  | 'staleCrmCost';

export const CATEGORY_LABELS: Readonly<Record<ReconCategory, string>> = {
  exactMatch: 'Exact match',
  withinTolerance: 'Within tolerance',
  quantityMismatch: 'Quantity mismatch',
  priceMismatch: 'Price or cost mismatch',
  dateMismatch: 'Date or period mismatch',
  unknownInCrm: 'Billed but unknown in CRM',
  notBilled: 'Active in CRM but not billed',
  cancelledButBilled: 'Cancelled in CRM but still billed',
  duplicateCharge: 'Duplicate charge',
  unexpectedChargeType: 'Unexpected charge type',
  usageWithoutContract: 'Usage with no contract to bill it',
  negativeMargin: 'Negative margin',
  revenueLeakage: 'Vendor cost never re-billed',
  ambiguousMatch: 'Ambiguous match',
  rejectedRow: 'Bill row not read (rejected)',
  staleCrmCost: 'Stale CRM cost',
};

export const ALL_CATEGORIES = Object.keys(CATEGORY_LABELS) as ReconCategory[];

/** Categories that explain a bill line completely: nothing for finance to do. */
export function isExplained(category: ReconCategory): boolean {
  return category === 'exactMatch' || category === 'withinTolerance';
}

/** The one empty list of lines a finding without billed, usage or expected lines holds (frozen: shared by every finding). */
export const NONE: readonly never[] = Object.freeze([]);
