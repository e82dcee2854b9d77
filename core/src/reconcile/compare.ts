import { formatIso } from '../calendar';
import type { BillLine } from '../import/types';
import { Decimal } from '../money';
import type { ChargeLine } from '../nce/charges';
import { detach } from '../import/detach';
import { SharedValues } from '../objects';
import { ALL_ROUNDING_RULES, subtotalUnder, type RoundingRuleName } from '../nce/rounding-rules';
import { NONE, type ReconCategory } from './categories';
import type { ReconItem, ReconSubscription } from './model';

/** The charge types the NCE arithmetic produces; anything else on a licence bill is unexpected. */
const KNOWN_CHARGE_TYPES = new Set(['new', 'renew', 'cyclecharge', 'addquantity', 'removequantity', 'cancelimmediate', 'convert', 'changebillingplan']);

const ZERO = new Decimal(0);

function billedSign(line: BillLine): 1 | -1 | 0 {
  if (line.amount.isZero()) return 0;
  return line.amount.isNegative() ? -1 : 1;
}

function signsAgree(billed: BillLine, expected: ChargeLine): boolean {
  const sign = billedSign(billed);
  return sign === 0 || expected.subtotal.isZero() || sign === expected.sign;
}

const sameType = (b: BillLine, e: ChargeLine) => b.chargeTypeKey === e.chargeType.toLowerCase();
const sameStart = (b: BillLine, e: ChargeLine) => b.chargeStart === e.chargeStart;
const sameDates = (b: BillLine, e: ChargeLine) => sameStart(b, e) && b.chargeEndInclusive === e.chargeEndInclusive;
const sameQuantity = (b: BillLine, e: ChargeLine) => b.quantity.abs().eq(e.billableQuantity);

/** Pairing passes, strictest first: a line pairs with the best counterpart still free. */
const PASSES: ReadonlyArray<(b: BillLine, e: ChargeLine) => boolean> = [
  (b, e) => sameType(b, e) && sameDates(b, e) && sameQuantity(b, e) && signsAgree(b, e),
  (b, e) => sameType(b, e) && sameStart(b, e) && signsAgree(b, e),
  (b, e) => sameType(b, e) && sameQuantity(b, e) && signsAgree(b, e) && Math.abs(b.chargeStart - e.chargeStart) <= 31,
  (b, e) => sameDates(b, e) && sameQuantity(b, e) && signsAgree(b, e),
];

/** How a rule would have computed this line's subtotal (the engine tries each named rule). */
function subtotalsByRule(e: ChargeLine): Array<[RoundingRuleName, Decimal]> {
  const input = { unitPrice: e.unitPrice, proration: e.proration, sign: e.sign, quantity: e.billableQuantity, exchangeRate: e.exchangeRate };
  return ALL_ROUNDING_RULES.map((rule) => [rule, subtotalUnder(rule, input)]);
}

/** Prices with at least the two places a bill prints (6.60, not 6.6), and all the places they have. */
function price(d: Decimal): string {
  return d.decimalPlaces() < 2 ? d.toFixed(2) : d.toFixed();
}

function describe(e: ChargeLine, rule: RoundingRuleName): string {
  const days = e.proration.basis === 'full' ? 'full cycle' : `${e.proration.billed}/${e.proration.of} ${e.proration.basis}`;
  const rate = e.exchangeRate.eq(1) ? '' : ` x rate ${e.exchangeRate.toFixed()}`;
  return `${e.chargeType} ${formatIso(e.chargeStart)}..${formatIso(e.chargeEndInclusive)}: ${e.sign < 0 ? '-' : ''}${price(e.unitPrice)} x ${days} x ${e.billableQuantity}${rate} = ${(rule === e.rule ? e.subtotal : subtotalUnder(rule, { unitPrice: e.unitPrice, proration: e.proration, sign: e.sign, quantity: e.billableQuantity, exchangeRate: e.exchangeRate })).toFixed(2)} (${rule})`;
}

export interface CompareContext {
  readonly subscription: ReconSubscription;
  readonly tolerancePerUnit: Decimal;
  /** CRM status at a date, from the ledger when there is one. */
  readonly cancelledOn: (date: number) => boolean;
  /**
   * One string per distinct explanation of the run (shared by its subscriptions' contexts): the
   * same charge, dates and seats explain line after line, and each held its own copy.
   */
  readonly explanations?: SharedValues<string, string>;
}

type Draft = Omit<ReconItem, 'key'>;

type ItemFields = Omit<Draft, 'subscriptionId' | 'vendorSubscriptionId' | 'customerId' | 'customerName'>;

/**
 * An item of the context's subscription. Every field is written out, never spread: spreading an
 * object into a literal and adding fields after it built each item field by field into a hash
 * table (V8's dictionary mode), which took a third of a 50,000-line reconciliation.
 */
function item(ctx: CompareContext, f: ItemFields): Draft {
  const s = ctx.subscription;
  return {
    subscriptionId: s.id,
    vendorSubscriptionId: s.vendorSubscriptionId,
    customerId: s.customerId,
    customerName: s.customerName,
    category: f.category,
    productName: f.productName,
    chargeType: f.chargeType,
    referenceId: f.referenceId,
    chargeStart: f.chargeStart,
    chargeEndInclusive: f.chargeEndInclusive,
    billedLines: f.billedLines,
    billedUsage: f.billedUsage,
    expectedLines: f.expectedLines,
    billedQuantity: f.billedQuantity,
    expectedQuantity: f.expectedQuantity,
    billedAmount: f.billedAmount,
    expectedAmount: f.expectedAmount,
    variance: f.variance,
    rule: f.rule,
    explanation: sharedExplanation(ctx, f.explanation),
  };
}

/** Seat counts as Decimals, one per count (a bill repeats its counts). */
const QUANTITIES = new SharedValues<number, Decimal>(10_000);
const quantityOf = (n: number): Decimal => QUANTITIES.get(n, () => new Decimal(n));

/** Flat (a template's result is a rope of its parts, four times the memory of the text) and shared. */
function sharedExplanation(ctx: CompareContext, text: string): string {
  return ctx.explanations === undefined ? detach(text) : ctx.explanations.get(text, () => detach(text));
}

function pairItem(ctx: CompareContext, b: BillLine, e: ChargeLine): Draft {
  const difference = b.amount.minus(e.subtotal);
  const variance = difference.isZero() ? ZERO : difference;
  let category: ReconCategory;
  let rule: RoundingRuleName | undefined = e.rule;
  let explanation = describe(e, e.rule);
  if (!sameType(b, e)) {
    category = 'unexpectedChargeType';
    explanation = `billed as ${b.chargeType}, the ledger gives ${e.chargeType}: ${explanation}`;
  } else if (!sameDates(b, e)) {
    category = 'dateMismatch';
    explanation = `billed ${formatIso(b.chargeStart)}..${formatIso(b.chargeEndInclusive)}, the ledger gives ${formatIso(e.chargeStart)}..${formatIso(e.chargeEndInclusive)}`;
  } else if (!sameQuantity(b, e)) {
    category = 'quantityMismatch';
    explanation = `billed ${b.quantity.toFixed()} units, the ledger has ${e.billableQuantity}: ${explanation}`;
  } else if (variance.isZero()) {
    category = 'exactMatch';
  } else {
    const other = subtotalsByRule(e).find(([, amount]) => amount.eq(b.amount));
    if (other) {
      category = 'exactMatch';
      rule = other[0];
      explanation = describe(e, other[0]);
    } else if (b.unitPrice && !b.unitPrice.eq(e.unitPrice)) {
      category = 'priceMismatch';
      explanation = `billed unit price ${price(b.unitPrice)}, the ledger has ${price(e.unitPrice)}: ${explanation}`;
    } else if (variance.abs().lte(ctx.tolerancePerUnit.times(e.billableQuantity || 1))) {
      category = 'withinTolerance';
    } else {
      category = 'priceMismatch';
      explanation = `billed ${b.amount.toFixed(2)}, the ledger gives ${e.subtotal.toFixed(2)}: ${explanation}`;
    }
  }
  return item(ctx, {
    category,
    productName: b.productName ?? e.productName,
    chargeType: b.chargeType,
    referenceId: b.referenceId ?? e.referenceId,
    chargeStart: b.chargeStart,
    chargeEndInclusive: b.chargeEndInclusive,
    billedLines: [b],
    billedUsage: NONE,
    expectedLines: [e],
    billedQuantity: b.quantity,
    expectedQuantity: quantityOf(e.billableQuantity),
    billedAmount: b.amount,
    expectedAmount: e.subtotal,
    variance,
    rule,
    explanation,
  });
}

function billedOnlyItem(ctx: CompareContext, b: BillLine, category: ReconCategory, explanation: string): Draft {
  return item(ctx, {
    category,
    productName: b.productName,
    chargeType: b.chargeType,
    referenceId: b.referenceId,
    chargeStart: b.chargeStart,
    chargeEndInclusive: b.chargeEndInclusive,
    billedLines: [b],
    billedUsage: NONE,
    expectedLines: NONE,
    billedQuantity: b.quantity,
    expectedQuantity: ZERO,
    billedAmount: b.amount,
    expectedAmount: ZERO,
    variance: b.amount,
    explanation,
  });
}

function expectedOnlyItem(ctx: CompareContext, e: ChargeLine): Draft {
  return item(ctx, {
    category: 'notBilled',
    productName: e.productName,
    chargeType: e.chargeType,
    referenceId: e.referenceId,
    chargeStart: e.chargeStart,
    chargeEndInclusive: e.chargeEndInclusive,
    billedLines: NONE,
    billedUsage: NONE,
    expectedLines: [e],
    billedQuantity: ZERO,
    expectedQuantity: quantityOf(e.billableQuantity),
    billedAmount: ZERO,
    expectedAmount: e.subtotal,
    variance: e.subtotal.negated(),
    rule: e.rule,
    explanation: `the ledger expects ${describe(e, e.rule)}; the bill has no such line`,
  });
}

/** Identity of a bill line for duplicate detection: everything that makes two charges the same charge. */
function chargeSignature(b: BillLine): string {
  return [b.chargeTypeKey, b.chargeStart, b.chargeEndInclusive, b.quantity.toFixed(), b.amount.toFixed(), b.referenceId ?? '', b.orderId ?? ''].join('|');
}

/** Pairs one subscription's billed lines with the ledger's expected lines and names each difference. */
export function compareSubscription(ctx: CompareContext, billed: readonly BillLine[], expected: readonly ChargeLine[]): Draft[] {
  const drafts: Draft[] = [];
  const seen = new Set<string>();
  const candidates: BillLine[] = [];
  for (const b of billed) {
    const signature = chargeSignature(b);
    if (seen.has(signature))
      drafts.push(
        billedOnlyItem(
          ctx,
          b,
          'duplicateCharge',
          `same charge as an earlier line of this bill (${b.chargeType} ${formatIso(b.chargeStart)}, ${b.amount.toFixed(2)})`,
        ),
      );
    else {
      seen.add(signature);
      candidates.push(b);
    }
  }

  const freeExpected = new Set(expected);
  const paired = new Map<BillLine, ChargeLine>();
  for (const pass of PASSES) {
    for (const b of candidates) {
      if (paired.has(b)) continue;
      const e = [...freeExpected].find((x) => pass(b, x));
      if (!e) continue;
      paired.set(b, e);
      freeExpected.delete(e);
    }
  }

  for (const b of candidates) {
    const e = paired.get(b);
    if (e) {
      drafts.push(pairItem(ctx, b, e));
    } else if (billedSign(b) > 0 && ctx.cancelledOn(b.chargeStart)) {
      drafts.push(billedOnlyItem(ctx, b, 'cancelledButBilled', `charged from ${formatIso(b.chargeStart)} but the subscription is cancelled in CRM`));
    } else if (!KNOWN_CHARGE_TYPES.has(b.chargeTypeKey)) {
      drafts.push(billedOnlyItem(ctx, b, 'unexpectedChargeType', `charge type "${b.chargeType}" is not one the subscription's ledger can cause`));
    } else {
      drafts.push(
        billedOnlyItem(
          ctx,
          b,
          'quantityMismatch',
          `billed ${b.chargeType} of ${b.quantity.toFixed()} units on ${formatIso(b.chargeStart)}: no change in the ledger explains it`,
        ),
      );
    }
  }
  for (const e of expected) if (freeExpected.has(e)) drafts.push(expectedOnlyItem(ctx, e));
  return drafts;
}
