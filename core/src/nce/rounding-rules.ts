import { Decimal, roundDown, roundHalfUp } from '../money';

/**
 * How much of a full charge cycle a line bills. `billed / of` is kept as two integers so every
 * amount is computed with a single division at the end: 12 x 31 / 31 is exactly 12, whereas
 * (12 / 31) x 31 at any finite precision is 11.999... and would truncate to 11.99.
 *
 * - full:   the whole cycle (new, renew, cycleCharge): 1/1.
 * - days:   billed days (event date through ChargeEndDate, inclusive) / charge-cycle days.
 * - months: remaining whole months / months in the plan's cycle (billing-plan change mid-term).
 */
export interface Proration {
  readonly basis: 'full' | 'days' | 'months';
  readonly billed: number;
  readonly of: number;
}

export const FULL_CYCLE: Proration = Object.freeze({ basis: 'full', billed: 1, of: 1 });

/**
 * The named rounding rules. Microsoft's own documentation rounds seat changes one way and
 * cancellations/conversions another; each documented behaviour is a rule here, and every charge
 * line records which rule produced its subtotal.
 */
export const RoundingRule = {
  /**
   * ROUNDDOWN(EUP x PCToBCExchangeRate, 2) x BillableQuantity.
   * Microsoft's published licence subtotal formula (new commerce invoice reconciliation file,
   * "Subtotal"); with a rate of 1 it is "EUP truncated to cents, then times quantity", which is
   * what the docs' cancelImmediate, convert and changeBillingPlan examples print.
   */
  EUP_TRUNCATED_THEN_TIMES_QTY: 'EUP_TRUNCATED_THEN_TIMES_QTY',
  /**
   * ROUNDDOWN(UnitPrice / CycleDays x BilledDays x BillableQuantity x PCToBCExchangeRate, 2).
   * What the docs' addQuantity/removeQuantity examples print (3/7/2022: 15 x 12/31 x 29 =
   * 168.387 -> 168.38, not 11.22 x 15 = 168.30).
   */
  TOTAL_TRUNCATED: 'TOTAL_TRUNCATED',
  /**
   * ROUNDDOWN(ROUNDDOWN(EUP x BillableQuantity, 2) x PCToBCExchangeRate, 2).
   * Microsoft's published usage-based subtotal formula (same reconciliation-file page).
   */
  USAGE_TOTAL_TRUNCATED_THEN_RATE: 'USAGE_TOTAL_TRUNCATED_THEN_RATE',
} as const;
export type RoundingRuleName = (typeof RoundingRule)[keyof typeof RoundingRule];

export const ALL_ROUNDING_RULES: readonly RoundingRuleName[] = Object.values(RoundingRule);

/** Each rule in a finance user's words, for reports, the grid and the findings Dynamics stores. */
export const ROUNDING_RULE_LABELS: Readonly<Record<RoundingRuleName, string>> = {
  EUP_TRUNCATED_THEN_TIMES_QTY: 'Unit price cut to cents, times quantity',
  TOTAL_TRUNCATED: 'Prorated total cut to cents',
  USAGE_TOTAL_TRUNCATED_THEN_RATE: 'Usage total cut to cents, then exchange rate',
};

/** Decimal places of a Partner Center subtotal: the published formulas ROUNDDOWN to 2. */
export const SUBTOTAL_PLACES = 2;

/** Full-precision EUP in the pricing currency: sign x unitPrice x billed / of (one division). */
export function effectiveUnitPrice(unitPrice: Decimal, proration: Proration, sign: 1 | -1): Decimal {
  const value = unitPrice.times(proration.billed).div(proration.of);
  return sign < 0 && !value.isZero() ? value.negated() : value;
}

/** The EUP truncated to cents (how the docs print it on EUP-truncated lines: -9.42, 229.16). */
export function effectiveUnitPriceTruncated(eup: Decimal): Decimal {
  return normalizeZero(roundDown(eup, SUBTOTAL_PLACES));
}

/** The EUP rounded half-up to cents (how the docs' seat-change table prints it: 11.23). */
export function effectiveUnitPriceRounded(eup: Decimal): Decimal {
  return normalizeZero(roundHalfUp(eup, SUBTOTAL_PLACES));
}

export interface SubtotalInput {
  readonly unitPrice: Decimal;
  readonly proration: Proration;
  readonly sign: 1 | -1;
  readonly quantity: number;
  readonly exchangeRate: Decimal;
}

/** Subtotal in the billing currency under a named rule. */
export function subtotalUnder(rule: RoundingRuleName, x: SubtotalInput): Decimal {
  const signed = x.sign < 0 ? x.unitPrice.negated() : x.unitPrice;
  const { billed, of } = x.proration;
  switch (rule) {
    case RoundingRule.EUP_TRUNCATED_THEN_TIMES_QTY:
      return normalizeZero(roundDown(signed.times(billed).times(x.exchangeRate).div(of), SUBTOTAL_PLACES).times(x.quantity));
    case RoundingRule.TOTAL_TRUNCATED:
      return normalizeZero(roundDown(signed.times(billed).times(x.quantity).times(x.exchangeRate).div(of), SUBTOTAL_PLACES));
    case RoundingRule.USAGE_TOTAL_TRUNCATED_THEN_RATE: {
      const pricingTotal = roundDown(signed.times(billed).times(x.quantity).div(of), SUBTOTAL_PLACES);
      return normalizeZero(roundDown(pricingTotal.times(x.exchangeRate), SUBTOTAL_PLACES));
    }
  }
}

/** Every rule's answer for one line: what the reconciliation engine tries when a line is off. */
export function subtotalsUnderAllRules(x: SubtotalInput): Record<RoundingRuleName, Decimal> {
  const out = {} as Record<RoundingRuleName, Decimal>;
  for (const rule of ALL_ROUNDING_RULES) out[rule] = subtotalUnder(rule, x);
  return out;
}

/** -0 prints as "0" but toFixed gives "-0.00"; amounts that are zero are plain zero. */
function normalizeZero(x: Decimal): Decimal {
  return x.isZero() ? new Decimal(0) : x;
}
