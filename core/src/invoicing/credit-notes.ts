import { Decimal } from '../money';
import type { DraftLine } from './lines';
import type { Invoice, InvoiceLine } from './model';
import { ratio } from './proration';

export interface Corrections {
  /** New charges (increases after the invoice was issued): a supplementary invoice. */
  readonly charges: DraftLine[];
  /** Credits (decreases, cancellations, reversals of issued lines): a credit note. */
  readonly credits: DraftLine[];
}

const ZERO = new Decimal(0);

/**
 * The corrections that bring what was issued for a period to what the current ledger says.
 * Issued documents are never edited: every correction is a new line.
 *
 * Lines are compared by key (what they bill: "sub|recurring", "sub|adj|2024-03-16|qty", a usage
 * meter, a one-time charge, a discount of one of those). Issued amounts are netted per key over
 * every issued invoice and credit note of the period. For each key:
 * - current = issued net: nothing;
 * - issued net is zero (never billed, or already reversed): the current line is added;
 * - otherwise the issued net is reversed (a line of minus that amount, linked to the last issued line
 *   with the key) and the current line, if any, is added.
 * A new or reversing line that is negative goes to the credit note as type `credit`, linked
 * (`correctsLineId`) to the issued line it reduces: the reversed line, or for a new decrease the
 * subscription's issued recurring line (else its first issued positive line). Positive lines go to a
 * supplementary invoice with their own type. Discount lines travel with the line they discount.
 * Tax lines are not compared; each correction document computes its own tax.
 */
export function correctionLines(current: readonly DraftLine[], issued: readonly Invoice[]): Corrections {
  const issuedLines: InvoiceLine[] = issued.flatMap((inv) => inv.lines.filter((l) => l.type !== 'tax'));
  const net = new Map<string, { amount: Decimal; cost: Decimal | undefined; last: InvoiceLine }>();
  for (const l of issuedLines) {
    const prev = net.get(l.key);
    const cost = prev ? (prev.cost !== undefined && l.cost !== undefined ? prev.cost.plus(l.cost) : undefined) : l.cost;
    net.set(l.key, { amount: (prev?.amount ?? ZERO).plus(l.amount), cost, last: l });
  }
  const anchorFor = (subscriptionId: string | undefined): string | undefined => {
    if (subscriptionId === undefined) return undefined;
    const mine = issuedLines.filter((l) => l.subscriptionId === subscriptionId);
    return (mine.find((l) => l.type === 'recurring') ?? mine.find((l) => l.amount.isPositive() && !l.amount.isZero()))?.id;
  };

  const currentByKey = new Map(current.map((l) => [l.key, l]));
  const keys = [...new Set([...current.map((l) => l.key), ...issuedLines.map((l) => l.key)])];
  const emitted: DraftLine[] = [];
  for (const key of keys) {
    const want = currentByKey.get(key);
    const have = net.get(key);
    const wantAmount = want?.amount ?? ZERO;
    const haveAmount = have?.amount ?? ZERO;
    if (wantAmount.eq(haveAmount)) continue;
    if (have && !haveAmount.isZero()) {
      const reversed = haveAmount.negated();
      emitted.push({
        key,
        type: reversed.isNegative() ? 'credit' : have.last.type,
        description: `Reversal of ${have.last.description}`,
        servicePeriod: have.last.servicePeriod,
        ...(have.last.subscriptionId !== undefined ? { subscriptionId: have.last.subscriptionId } : {}),
        ...(have.last.offerId !== undefined ? { offerId: have.last.offerId } : {}),
        ...(have.last.quantity !== undefined ? { quantity: have.last.quantity.negated() } : {}),
        exact: ratio(reversed),
        amount: reversed,
        ...(have.cost !== undefined ? { cost: have.cost.isZero() ? ZERO : have.cost.negated() } : {}),
        explanation: `issued ${haveAmount.toFixed()}; the current ledger gives ${wantAmount.toFixed()}: the issued amount is reversed${want && !wantAmount.isZero() ? ' and the current line added' : ''}`,
        taxable: have.last.taxable,
        correctsLineId: have.last.id,
        ...(have.last.discountId !== undefined ? { discountId: have.last.discountId } : {}),
        ...(have.last.appliesToLineId !== undefined ? { appliesToKey: have.last.appliesToLineId.slice(have.last.appliesToLineId.indexOf('#') + 1) } : {}),
      });
    }
    if (want && !wantAmount.isZero()) {
      if (wantAmount.isNegative() && want.type !== 'discount') {
        const anchor = anchorFor(want.subscriptionId);
        emitted.push({
          ...want,
          type: 'credit',
          ...(anchor !== undefined ? { correctsLineId: anchor } : {}),
          explanation: `${want.explanation}; after the period was invoiced`,
        });
      } else {
        emitted.push({ ...want, explanation: `${want.explanation}; after the period was invoiced` });
      }
    }
  }

  // Route: lines by sign; discount lines follow the line they discount when it is routed here.
  const charges: DraftLine[] = [];
  const credits: DraftLine[] = [];
  const routed = new Map<string, 'charges' | 'credits'>();
  for (const l of emitted) {
    if (l.type === 'discount') continue;
    const to = l.amount.isNegative() ? 'credits' : 'charges';
    routed.set(l.key, to);
    (to === 'credits' ? credits : charges).push(l);
  }
  for (const l of emitted) {
    if (l.type !== 'discount') continue;
    const to = (l.appliesToKey !== undefined ? routed.get(l.appliesToKey) : undefined) ?? (l.amount.isNegative() ? 'credits' : 'charges');
    (to === 'credits' ? credits : charges).push(l);
  }
  return { charges, credits };
}
