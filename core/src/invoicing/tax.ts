import type { Period } from '../calendar';
import { Decimal, RoundingMode, toDecimal } from '../money';
import type { DraftLine } from './lines';
import type { TaxProfile } from './model';
import { InvoicingError } from './model';
import { ratio, roundLine } from './proration';

export interface TaxOutcome {
  readonly lines: DraftLine[];
  readonly exempt: boolean;
  readonly note?: string;
}

/** Lines tax is charged on: taxable lines; discount lines only when tax is on the discounted amount. */
export function taxBaseLines(lines: readonly DraftLine[], profile: TaxProfile): DraftLine[] {
  const discounted = profile.taxOnDiscountedAmount !== false;
  return lines.filter((l) => l.type !== 'tax' && l.taxable && (l.type !== 'discount' || discounted));
}

/**
 * Tax lines for a document's lines, after every other line is rounded (tax is on rounded amounts):
 * - exempt: none (the invoice carries the exemption reference);
 * - perInvoice (default): per jurisdiction, round(rate% x sum of the taxable lines) — one line each;
 * - perLine: per taxable line and jurisdiction, round(rate% x line) — one line each, linked to its line.
 * The tax base includes discount lines when `taxOnDiscountedAmount` (default true), otherwise
 * tax is on the price before discounts.
 */
export function taxLines(lines: readonly DraftLine[], profile: TaxProfile, currency: string, mode: RoundingMode, period: Period): TaxOutcome {
  if (profile.exempt) {
    return { lines: [], exempt: true, note: `tax exempt${profile.exemptionReference ? `: ${profile.exemptionReference}` : ''}` };
  }
  const seen = new Set<string>();
  for (const r of profile.rates) {
    if (seen.has(r.jurisdiction)) throw new InvoicingError(`tax jurisdiction ${r.jurisdiction} is listed twice`, profile);
    seen.add(r.jurisdiction);
  }
  const base = taxBaseLines(lines, profile);
  const out: DraftLine[] = [];
  const onDiscounted = profile.taxOnDiscountedAmount !== false ? 'on the discounted amount' : 'on the amount before discounts';
  for (const r of profile.rates) {
    const rate = toDecimal(r.ratePercent);
    const label = `${r.name ?? 'Tax'} ${r.jurisdiction} ${rate.toString()}%`;
    if (profile.calculation === 'perLine') {
      for (const l of base) {
        const exact = { num: l.amount.times(rate), den: new Decimal(100) };
        out.push({
          key: `${l.key}|tax|${r.jurisdiction}`,
          type: 'tax',
          description: `${label} on ${l.description}`,
          servicePeriod: l.servicePeriod,
          exact,
          amount: roundLine(exact, mode, currency),
          explanation: `${rate.toString()}% x ${l.amount.toFixed()} = ${exact.num.div(100).toString()}, rounded ${mode} per line (${onDiscounted})`,
          taxable: false,
          appliesToKey: l.key,
          jurisdiction: r.jurisdiction,
          ...(l.subscriptionId !== undefined ? { subscriptionId: l.subscriptionId } : {}),
        });
      }
    } else {
      const sum = base.reduce((s, l) => s.plus(l.amount), new Decimal(0));
      if (base.length === 0) continue;
      const exact = ratio(sum.times(rate), 100);
      out.push({
        key: `tax|${r.jurisdiction}`,
        type: 'tax',
        description: label,
        servicePeriod: period,
        exact,
        amount: roundLine(exact, mode, currency),
        explanation: `${rate.toString()}% x ${sum.toFixed()} (${base.length} taxable lines, ${onDiscounted}) = ${exact.num.div(100).toString()}, rounded ${mode} once per invoice`,
        taxable: false,
        jurisdiction: r.jurisdiction,
      });
    }
  }
  return { lines: out, exempt: false };
}
