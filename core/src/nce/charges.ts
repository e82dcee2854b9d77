import { CalendarDate, daysInclusive, formatIso, Period, sharedPeriod } from '../calendar';
import { NceRuleError } from '../errors';
import { SharedValues } from '../objects';
import { LedgerEntry, SubscriptionLedger } from '../ledger';
import { AmountInput, currencyCode, CurrencyCode, Decimal, toDecimal } from '../money';
import { gridEnd, gridStart, monthlyCycleDays, spanCycleDays } from './charge-dates';
import {
  effectiveUnitPrice,
  effectiveUnitPriceRounded,
  effectiveUnitPriceTruncated,
  FULL_CYCLE,
  Proration,
  RoundingRule,
  RoundingRuleName,
  subtotalUnder,
} from './rounding-rules';
import { BillingPlan, checkPlanFitsTerm, PLAN_MONTHS, Term, TERM_MONTHS } from './terms';

/** Partner Center ChargeType values for licence-based new commerce lines. */
export type ChargeType = 'new' | 'renew' | 'cycleCharge' | 'addQuantity' | 'removeQuantity' | 'cancelImmediate' | 'convert' | 'changeBillingPlan';

/** The offer a subscription was bought under. Ledger entries may override price, term and plan. */
export interface NceOffer {
  readonly productId: string;
  readonly productName?: string;
  readonly term: Term;
  readonly billingPlan: BillingPlan;
  /** Price of one seat for one charge cycle of the billing plan, in the pricing currency. */
  readonly unitPrice: AmountInput;
  readonly pricingCurrency: string;
  /** Defaults to the pricing currency. */
  readonly billingCurrency?: string;
  /** Partner Center PCToBCExchangeRate; required when billing and pricing currencies differ. */
  readonly pcToBcExchangeRate?: AmountInput;
}

/** Which rounding rule each charge type follows, per Microsoft's documented examples. */
export const DEFAULT_RULES: Readonly<Record<ChargeType, RoundingRuleName>> = Object.freeze({
  new: RoundingRule.EUP_TRUNCATED_THEN_TIMES_QTY,
  renew: RoundingRule.EUP_TRUNCATED_THEN_TIMES_QTY,
  cycleCharge: RoundingRule.EUP_TRUNCATED_THEN_TIMES_QTY,
  addQuantity: RoundingRule.TOTAL_TRUNCATED,
  removeQuantity: RoundingRule.TOTAL_TRUNCATED,
  cancelImmediate: RoundingRule.EUP_TRUNCATED_THEN_TIMES_QTY,
  convert: RoundingRule.EUP_TRUNCATED_THEN_TIMES_QTY,
  changeBillingPlan: RoundingRule.EUP_TRUNCATED_THEN_TIMES_QTY,
});

export interface ChargeWindow {
  /** First order date to report (inclusive); defaults to the purchase date. */
  readonly from?: CalendarDate;
  /** Order dates before this day are reported (exclusive). */
  readonly to: CalendarDate;
  /** Override the rule of some charge types (e.g. to test a partner's bill against another rule). */
  readonly rules?: Partial<Record<ChargeType, RoundingRuleName>>;
}

/** One line Microsoft is expected to bill, with everything needed to explain it. */
export interface ChargeLine {
  readonly chargeType: ChargeType;
  readonly subscriptionId: string;
  readonly productId: string;
  readonly productName?: string;
  /** Shared by the two lines of a wipe/recreate pair or a conversion; the ledger entry's reference id. */
  readonly referenceId: string;
  /** Partner Center OrderDate: the day of the billing event. */
  readonly orderDate: CalendarDate;
  /** Partner Center ChargeStartDate (inclusive). */
  readonly chargeStart: CalendarDate;
  /** Partner Center ChargeEndDate (inclusive). */
  readonly chargeEndInclusive: CalendarDate;
  /** The same days as the core's half-open period [chargeStart, chargeEnd + 1). */
  readonly period: Period;
  readonly term: Term;
  readonly billingPlan: BillingPlan;
  readonly unitPrice: Decimal;
  readonly pricingCurrency: CurrencyCode;
  readonly proration: Proration;
  /** Signed, full precision, pricing currency. */
  readonly effectiveUnitPrice: Decimal;
  /** ROUNDDOWN(EUP, 2): the form the docs print on EUP-truncated lines. */
  readonly effectiveUnitPriceTruncated: Decimal;
  /** EUP rounded half-up to 2 places: the form the docs' seat-change table prints. */
  readonly effectiveUnitPriceRounded: Decimal;
  readonly billableQuantity: number;
  /** -1 for credits (wipe, cancellation, conversion source), 1 for charges; kept even when the amount is 0. */
  readonly sign: 1 | -1;
  readonly exchangeRate: Decimal;
  /** Signed subtotal in the billing currency, per `rule`. */
  readonly subtotal: Decimal;
  /** Billing currency. */
  readonly currency: CurrencyCode;
  readonly rule: RoundingRuleName;
  /** Which half of a pair: the negative wipe / positive recreate of a seat change, or a conversion's source / target. */
  readonly role?: 'wipe' | 'recreate' | 'source' | 'target';
  /** Ledger entry that caused the line; absent for lines the calendar causes (cycle charges, automatic renewals). */
  readonly ledgerSequence?: number;
}

interface Cycle {
  /** Grid month offsets from the purchase date: [startIdx, endIdx). */
  readonly startIdx: number;
  readonly endIdx: number;
  readonly start: CalendarDate;
  readonly endInclusive: CalendarDate;
  /** Charge-cycle days for daily proration. */
  readonly cycleDays: number;
}

const ONE = new Decimal(1);

/**
 * The lines Microsoft bills for one subscription whose order date falls in [from, to), derived
 * from its ledger with Partner Center's new-commerce arithmetic. Deterministic: the same ledger,
 * offer and window always give the same lines in the same order.
 */
export function expectedCharges(ledger: SubscriptionLedger, offer: NceOffer, window: ChargeWindow): ChargeLine[] {
  return new ChargeRun(ledger, offer, window).run();
}

class ChargeRun {
  private readonly lines: ChargeLine[] = [];
  private readonly entries: readonly LedgerEntry[];
  private readonly subscriptionId: string;
  private readonly from: CalendarDate;
  private readonly to: CalendarDate;
  private readonly rules: Readonly<Record<ChargeType, RoundingRuleName>>;
  private readonly pricingCurrency: CurrencyCode;
  private readonly billingCurrency: CurrencyCode;
  private readonly rate: Decimal;
  private readonly consumed = new Set<number>();

  // Subscription state as the run walks forward in time.
  private anchor = 0 as CalendarDate;
  private status: 'active' | 'suspended' | 'cancelled' | 'ended' = 'active';
  private quantity = 0;
  private unitPrice: Decimal;
  private productId: string;
  private productName: string | undefined;
  private term: Term;
  private pendingTerm: Term | undefined;
  private plan: BillingPlan;
  private autoRenew = true;
  private termStartIdx = 0;
  private planStartIdx = 0;
  private cycle!: Cycle;

  constructor(ledger: SubscriptionLedger, offer: NceOffer, window: ChargeWindow) {
    this.entries = ledger.entries;
    this.subscriptionId = ledger.subscriptionId;
    this.to = window.to;
    this.from = window.from ?? this.entries[0]?.effectiveDate ?? window.to;
    this.rules = { ...DEFAULT_RULES, ...(window.rules ?? {}) };
    this.pricingCurrency = currencyCode(offer.pricingCurrency);
    this.billingCurrency = currencyCode(offer.billingCurrency ?? offer.pricingCurrency);
    if (offer.pcToBcExchangeRate === undefined && this.billingCurrency !== this.pricingCurrency) {
      throw new NceRuleError(
        `offer ${offer.productId} prices in ${this.pricingCurrency} and bills in ${this.billingCurrency}: a PCToBC exchange rate is required`,
        offer,
      );
    }
    this.rate = offer.pcToBcExchangeRate === undefined ? ONE : toDecimal(offer.pcToBcExchangeRate);
    if (this.rate.lte(0)) throw new NceRuleError(`exchange rate must be positive, got ${this.rate.toString()}`, offer.pcToBcExchangeRate);
    this.unitPrice = toDecimal(offer.unitPrice);
    this.productId = offer.productId;
    this.productName = offer.productName;
    this.term = offer.term;
    this.plan = offer.billingPlan;
  }

  run(): ChargeLine[] {
    const first = this.entries[0];
    if (!first) return this.lines;
    this.start(first);
    let i = 1;
    for (;;) {
      if (this.status === 'cancelled' || this.status === 'ended') {
        const stray = this.entries[i];
        if (stray && stray.effectiveDate < this.to) {
          throw new NceRuleError(`entry ${stray.sequence} (${stray.kind}) on ${formatIso(stray.effectiveDate)} follows the end of the subscription`, stray);
        }
        break;
      }
      while (i < this.entries.length && this.consumed.has((this.entries[i] as LedgerEntry).sequence)) i++;
      const next = this.entries[i];
      const boundary = gridStart(this.anchor, this.cycle.endIdx);
      if (next && next.effectiveDate < boundary) {
        if (next.effectiveDate >= this.to) break;
        this.onEntry(next);
        i++;
        continue;
      }
      if (boundary >= this.to) break;
      this.onBoundary(boundary, i);
    }
    return this.lines;
  }

  // -------------------------------------------------------------------------------------------
  // Purchase, cycle boundaries and renewals
  // -------------------------------------------------------------------------------------------

  private start(e: LedgerEntry): void {
    if (e.kind !== 'new') throw new NceRuleError(`the first ledger entry must be "new", got "${e.kind}"`, e);
    this.anchor = e.effectiveDate;
    this.absorb(e);
    this.quantity = e.quantityAfter;
    checkPlanFitsTerm(this.term, this.plan);
    this.termStartIdx = 0;
    this.planStartIdx = 0;
    this.cycle = this.cycleAt(0);
    if (!e.openedByConversion) {
      this.emit('new', e.effectiveDate, this.cycle.start, FULL_CYCLE, 1, this.quantity, e.referenceId, undefined, e.sequence);
    }
  }

  /** Copies what an entry says is in force from now on. */
  private absorb(e: LedgerEntry): void {
    if (e.unitPrice !== undefined) this.unitPrice = e.unitPrice;
    if (e.productId !== undefined) this.productId = e.productId;
    if (e.productName !== undefined) this.productName = e.productName;
    if (e.billingPlan !== undefined) this.plan = e.billingPlan;
    if (e.autoRenew !== undefined) this.autoRenew = e.autoRenew;
    if (e.term !== undefined) {
      if (e.kind === 'new') this.term = e.term;
      else this.pendingTerm = e.term;
    }
  }

  private cycleAt(idx: number): Cycle {
    const pm = PLAN_MONTHS[this.plan];
    const naturalStart = this.termStartIdx + Math.floor((idx - this.termStartIdx) / pm) * pm;
    const naturalEnd = naturalStart + pm;
    const startIdx = Math.max(naturalStart, this.planStartIdx);
    const start = gridStart(this.anchor, startIdx);
    const endInclusive = gridEnd(this.anchor, naturalEnd);
    const cycleDays = this.plan === 'monthly' ? monthlyCycleDays(start) : spanCycleDays(gridStart(this.anchor, naturalStart), endInclusive);
    return { startIdx, endIdx: naturalEnd, start, endInclusive, cycleDays };
  }

  private onBoundary(date: CalendarDate, i: number): void {
    const sameDay: LedgerEntry[] = [];
    for (let j = i; j < this.entries.length; j++) {
      const e = this.entries[j] as LedgerEntry;
      if (e.effectiveDate !== date) break;
      if (e.kind === 'renew' || e.kind === 'price' || e.kind === 'term' || e.kind === 'billingPlan') sameDay.push(e);
    }
    const planBefore = this.plan;
    const isRenewal = this.cycle.endIdx === this.termStartIdx + TERM_MONTHS[this.term];
    let renewEntry: LedgerEntry | undefined;
    let planEntry: LedgerEntry | undefined;
    for (const e of sameDay) {
      this.consumed.add(e.sequence);
      this.absorb(e);
      if (e.kind === 'renew') {
        if (!isRenewal) throw new NceRuleError(`renewal on ${formatIso(date)} is not at the end of the term`, e);
        renewEntry = e;
        this.quantity = e.quantityAfter;
      }
      if (e.kind === 'billingPlan') planEntry = e;
    }
    const boundaryIdx = this.cycle.endIdx;

    if (isRenewal) {
      if (this.pendingTerm !== undefined) {
        this.term = this.pendingTerm;
        this.pendingTerm = undefined;
      }
      if (!renewEntry && !(this.autoRenew && this.status === 'active')) {
        this.status = 'ended';
        return;
      }
      checkPlanFitsTerm(this.term, this.plan);
      this.termStartIdx = boundaryIdx;
      this.planStartIdx = boundaryIdx;
      this.cycle = this.cycleAt(boundaryIdx);
      const planChanged = this.plan !== planBefore;
      const type: ChargeType = planChanged ? 'changeBillingPlan' : 'renew';
      const cause = planChanged ? planEntry : renewEntry;
      this.emit(type, date, date, FULL_CYCLE, 1, this.quantity, cause?.referenceId ?? this.derivedReference(type, date), undefined, cause?.sequence);
      return;
    }

    if (planEntry && this.plan !== planBefore) {
      // Mid-term plan change (e.g. monthly -> annual on an annual term): Microsoft bills the new
      // plan's price for the whole months left in its cycle. Shorter plans only start at renewal.
      if (PLAN_MONTHS[this.plan] < PLAN_MONTHS[planBefore]) {
        throw new NceRuleError(`billing plan can change from ${planBefore} to ${this.plan} only at renewal, not on ${formatIso(date)}`, planEntry);
      }
      checkPlanFitsTerm(this.term, this.plan);
      this.planStartIdx = boundaryIdx;
      this.cycle = this.cycleAt(boundaryIdx);
      const months = this.cycle.endIdx - this.cycle.startIdx;
      const of = PLAN_MONTHS[this.plan];
      const proration: Proration = months === of ? FULL_CYCLE : { basis: 'months', billed: months, of };
      this.emit('changeBillingPlan', date, date, proration, 1, this.quantity, planEntry.referenceId, undefined, planEntry.sequence);
      return;
    }

    this.cycle = this.cycleAt(boundaryIdx);
    this.emit('cycleCharge', date, date, FULL_CYCLE, 1, this.quantity, this.derivedReference('cycleCharge', date), undefined, undefined);
  }

  // -------------------------------------------------------------------------------------------
  // Events inside a cycle
  // -------------------------------------------------------------------------------------------

  private onEntry(e: LedgerEntry): void {
    const date = e.effectiveDate;
    switch (e.kind) {
      case 'add':
      case 'remove': {
        this.absorb(e);
        const type: ChargeType = e.kind === 'add' ? 'addQuantity' : 'removeQuantity';
        const proration = this.daysLeft(date);
        // Microsoft re-bills the rest of the cycle: credit the old seat count, charge the new one.
        this.emit(type, date, date, proration, -1, e.quantityBefore, e.referenceId, 'wipe', e.sequence);
        this.emit(type, date, date, proration, 1, e.quantityAfter, e.referenceId, 'recreate', e.sequence);
        this.quantity = e.quantityAfter;
        return;
      }
      case 'cancel': {
        this.emit('cancelImmediate', date, date, this.daysLeft(date), -1, e.quantityBefore, e.referenceId, undefined, e.sequence);
        this.quantity = 0;
        this.status = 'cancelled';
        return;
      }
      case 'convert': {
        const c = e.conversion;
        if (!c) throw new NceRuleError(`convert entry ${e.sequence} has no conversion`, e);
        const proration = this.daysLeft(date);
        this.emit('convert', date, date, proration, -1, c.convertedQuantity, e.referenceId, 'source', e.sequence);
        const target = {
          productId: c.targetProductId,
          productName: c.targetProductName,
          unitPrice: c.targetUnitPrice,
          subscriptionId: c.targetSubscriptionId ?? this.subscriptionId,
        };
        this.emit('convert', date, date, proration, 1, c.convertedQuantity, e.referenceId, 'target', e.sequence, target);
        if (c.targetSubscriptionId === undefined) {
          this.productId = c.targetProductId;
          this.productName = c.targetProductName;
          this.unitPrice = c.targetUnitPrice;
        }
        this.quantity = e.quantityAfter;
        return;
      }
      case 'price':
      case 'term':
        this.absorb(e);
        return;
      case 'suspend':
        this.status = 'suspended';
        return;
      case 'reactivate':
        this.status = 'active';
        return;
      case 'billingPlan':
        if (e.billingPlan !== undefined && PLAN_MONTHS[e.billingPlan] < PLAN_MONTHS[this.plan]) {
          throw new NceRuleError(`billing plan can change from ${this.plan} to ${e.billingPlan} only at renewal, not on ${formatIso(date)}`, e);
        }
        throw new NceRuleError(`billing plan change on ${formatIso(date)} is not at the start of a billing cycle`, e);
      case 'renew':
        throw new NceRuleError(`renewal on ${formatIso(date)} is not at the end of the term`, e);
      case 'new':
        throw new NceRuleError(`"new" can only be the first entry`, e);
    }
  }

  /** Billed days from the event date through the cycle's ChargeEndDate, over the cycle days. */
  private daysLeft(date: CalendarDate): Proration {
    return { basis: 'days', billed: daysInclusive(date, this.cycle.endInclusive), of: this.cycle.cycleDays };
  }

  private derivedReference(type: ChargeType, date: CalendarDate): string {
    // Joined, not a template: a template's result is a rope of its parts, kept with every line.
    return [this.subscriptionId, type, formatIso(date)].join(':');
  }

  private emit(
    chargeType: ChargeType,
    orderDate: CalendarDate,
    chargeStart: CalendarDate,
    proration: Proration,
    sign: 1 | -1,
    quantity: number,
    referenceId: string,
    role: ChargeLine['role'],
    ledgerSequence: number | undefined,
    product?: { productId: string; productName: string | undefined; unitPrice: Decimal; subscriptionId: string },
  ): void {
    if (quantity <= 0 || orderDate < this.from || orderDate >= this.to) return;
    const unitPrice = product ? product.unitPrice : this.unitPrice;
    const rule = this.rules[chargeType];
    const priceText = unitPrice.toString();
    const [eup, eupTruncated, eupRounded] = effectiveUnitPrices(priceText, unitPrice, proration, sign);
    const productName = product ? product.productName : this.productName;
    const chargeEndInclusive = this.cycle.endInclusive;
    this.lines.push({
      chargeType,
      subscriptionId: product ? product.subscriptionId : this.subscriptionId,
      productId: product ? product.productId : this.productId,
      ...(productName !== undefined ? { productName } : {}),
      referenceId,
      orderDate,
      chargeStart,
      chargeEndInclusive,
      period: sharedPeriod(chargeStart, chargeEndInclusive),
      term: this.term,
      billingPlan: this.plan,
      unitPrice,
      pricingCurrency: this.pricingCurrency,
      proration,
      effectiveUnitPrice: eup,
      effectiveUnitPriceTruncated: eupTruncated,
      effectiveUnitPriceRounded: eupRounded,
      billableQuantity: quantity,
      sign,
      exchangeRate: this.rate,
      subtotal: sharedSubtotal(rule, priceText, { unitPrice, proration, sign, quantity, exchangeRate: this.rate }),
      currency: this.billingCurrency,
      rule,
      ...(role !== undefined ? { role } : {}),
      ...(ledgerSequence !== undefined ? { ledgerSequence } : {}),
    });
  }
}

/**
 * The effective unit price and its two printed forms, computed once per unit price, proration and
 * sign: a partner's subscriptions share a few prices and prorations, and three Decimals per
 * expected line were a third of a reconciliation's memory.
 */
const EUPS = new SharedValues<string, readonly [Decimal, Decimal, Decimal]>(4096);
function effectiveUnitPrices(priceText: string, unitPrice: Decimal, proration: Proration, sign: 1 | -1): readonly [Decimal, Decimal, Decimal] {
  return EUPS.get(`${priceText}|${proration.basis}|${proration.billed}|${proration.of}|${sign}`, () => {
    const eup = effectiveUnitPrice(unitPrice, proration, sign);
    return [eup, effectiveUnitPriceTruncated(eup), effectiveUnitPriceRounded(eup)];
  });
}

/**
 * A line's subtotal, computed once per rule, price, proration, sign, seats and rate: lines repeat
 * them across subscriptions (the same offer, seat count and cycle), and each held its own Decimal.
 */
const SUBTOTALS = new SharedValues<string, Decimal>(16_384);
function sharedSubtotal(rule: RoundingRuleName, priceText: string, x: Parameters<typeof subtotalUnder>[1]): Decimal {
  const key = `${rule}|${priceText}|${x.proration.basis}|${x.proration.billed}|${x.proration.of}|${x.sign}|${x.quantity}|${x.exchangeRate.toString()}`;
  return SUBTOTALS.get(key, () => subtotalUnder(rule, x));
}
