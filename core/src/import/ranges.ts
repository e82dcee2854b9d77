import { Decimal } from '../money';

/**
 * The largest values a bill row may carry, from Dataverse's column limits ("Column data types",
 * learn.microsoft.com/power-apps/maker/data-platform/types-of-fields): money is
 * -922,337,203,685,477 to 922,337,203,685,477; a whole number -2,147,483,648 to 2,147,483,647; a
 * decimal -100,000,000,000 to 100,000,000,000. A row beyond them is refused, never stored cut.
 */
export const MAX_MONEY = new Decimal('922337203685477');
/** Licence quantities (seats) are whole numbers. */
export const MAX_WHOLE = new Decimal('2147483647');
/** Summed usage quantities are stored in a decimal column. */
export const MAX_DECIMAL = new Decimal('100000000000');

export type RangeKind = 'money' | 'whole number' | 'decimal';

const LIMIT: Readonly<Record<RangeKind, Decimal>> = { money: MAX_MONEY, 'whole number': MAX_WHOLE, decimal: MAX_DECIMAL };
/** Integer digits of each limit: a value with fewer is always within it (the hot loop checks only this). */
export const SAFE_INTEGER_DIGITS: Readonly<Record<RangeKind, number>> = { money: 14, 'whole number': 9, decimal: 11 };

/** Why a value is beyond its column's range, or null when it fits. */
export function beyondRange(value: Decimal, kind: RangeKind): string | null {
  const limit = LIMIT[kind];
  const label = kind === 'money' ? 'money' : `a ${kind}`;
  return value.abs().gt(limit) ? `is beyond what Dataverse stores (${label}: at most ±${limit.toFixed()})` : null;
}
