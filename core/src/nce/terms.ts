import { NceRuleError } from '../errors';

/** ISO 8601 term durations Partner Center sells for licence-based NCE offers. */
export type Term = 'P1M' | 'P1Y' | 'P3Y';

/** How often Microsoft bills within a term (Partner Center "BillingFrequency"). */
export type BillingPlan = 'monthly' | 'annual' | 'triennial';

export const TERM_MONTHS: Readonly<Record<Term, number>> = { P1M: 1, P1Y: 12, P3Y: 36 };
export const PLAN_MONTHS: Readonly<Record<BillingPlan, number>> = { monthly: 1, annual: 12, triennial: 36 };

export function parseTerm(text: string): Term {
  const t = text.trim().toUpperCase();
  if (t === 'P1M' || t === 'P1Y' || t === 'P3Y') return t;
  throw new NceRuleError(`unknown NCE term "${text}" (expected P1M, P1Y or P3Y)`, text);
}

/** Accepts Partner Center spellings: "Monthly", "Annual", "Triennial" (any case). */
export function parseBillingPlan(text: string): BillingPlan {
  const t = text.trim().toLowerCase();
  if (t === 'monthly' || t === 'annual' || t === 'triennial') return t;
  throw new NceRuleError(`unknown billing plan "${text}" (expected monthly, annual or triennial)`, text);
}

/** A billing plan must fit its term a whole number of times (no annual billing on a P1M term). */
export function checkPlanFitsTerm(term: Term, plan: BillingPlan): void {
  const t = TERM_MONTHS[term];
  const p = PLAN_MONTHS[plan];
  if (p > t || t % p !== 0) {
    throw new NceRuleError(`billing plan ${plan} does not fit term ${term}`, { term, plan });
  }
}
