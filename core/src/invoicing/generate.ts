import { addDays, CalendarDate, formatIso, formatPeriod, intersectPeriods, Period, periodDays } from '../calendar';
import type { UsageAggregate } from '../import/types';
import type { LedgerState } from '../ledger';
import { currencyCode, CurrencyCode, Decimal, minorUnits, RoundingMode, toDecimal } from '../money';
import { correctionLines } from './credit-notes';
import type { DraftLine } from './lines';
import type {
  BillingContract,
  Discount,
  ExchangeRateUsed,
  GenerateInput,
  GenerateResult,
  Invoice,
  InvoiceLine,
  InvoiceLineType,
  InvoiceSubscription,
  OneTimeCharge,
} from './model';
import { InvoicingError } from './model';
import { formatPeriodText } from '../format';
import { billingPeriodAt, dueDate, periodMonths, planMonths, previousBillingPeriod } from './periods';
import { describePrice, priceAmount, resolvePrice, ResolvedPrice, samePrice } from './pricing';
import { addRatio, neg, normalizeZero, prorated, ProrationFactor, prorationFactor, Ratio, ratio, ratioText, roundLine } from './proration';
import { taxLines } from './tax';

const ZERO = new Decimal(0);

interface Ctx {
  readonly contract: BillingContract;
  readonly currency: CurrencyCode;
  readonly mode: RoundingMode;
  readonly period: Period;
  readonly periodDays: number;
  /** Months per billing period, null for one-time contracts (prices then apply once). */
  readonly months: number | null;
  readonly rateDate: CalendarDate;
  readonly input: GenerateInput;
  readonly ratesUsed: Map<string, ExchangeRateUsed>;
}

function rateTo(ctx: Ctx, from: CurrencyCode): Decimal {
  if (from === ctx.currency) return new Decimal(1);
  const source = ctx.input.rates;
  if (!source) throw new InvoicingError(`a ${from} amount needs an exchange-rate source to bill in ${ctx.currency}`, { from, to: ctx.currency });
  const rate = source.rate(from, ctx.currency, ctx.rateDate);
  const key = `${from}>${ctx.currency}`;
  if (!ctx.ratesUsed.has(key)) ctx.ratesUsed.set(key, { from, to: ctx.currency, date: ctx.rateDate, rate, source: source.name });
  return rate;
}

function round(ctx: Ctx, r: Ratio): Decimal {
  return roundLine(r, ctx.mode, ctx.currency);
}

/** Price (quantity at `price`) for `f` of the billing period, in the invoice currency, exact. */
function amountFor(ctx: Ctx, price: ResolvedPrice, periodPrice: Decimal, f: ProrationFactor): Ratio {
  return prorated(periodPrice, ctx.months ?? 1, ctx.months === null ? 1 : price.perMonths, f, rateTo(ctx, price.currency));
}

/** Vendor cost of `quantity` units in a ledger state for `f` of the period, exact; undefined when unknown. */
function costFor(ctx: Ctx, sub: InvoiceSubscription, state: LedgerState, quantity: number, f: ProrationFactor): Ratio | undefined {
  const vc = sub.vendorCost;
  if (!vc) return undefined;
  const unit = vc.unitCost !== undefined ? toDecimal(vc.unitCost) : state.unitPrice;
  if (unit === undefined) return undefined;
  const per = vc.perMonths ?? (vc.unitCost !== undefined ? 1 : planMonths(state.billingPlan));
  return prorated(unit.times(quantity), ctx.months ?? 1, ctx.months === null ? 1 : per, f, rateTo(ctx, currencyCode(vc.currency)));
}

function costOfDiff(after: Ratio | undefined, before: Ratio | undefined): Ratio | undefined {
  if (after === undefined && before === undefined) return undefined;
  if (after === undefined || before === undefined) return undefined;
  return addRatio(after, neg(before));
}

function unitPriceFor(ctx: Ctx, price: ResolvedPrice): Decimal | undefined {
  if (price.unitPrice === undefined) return undefined;
  const factor = ctx.months === null ? new Decimal(1) : new Decimal(ctx.months).div(price.perMonths);
  return price.unitPrice.times(factor).times(rateTo(ctx, price.currency));
}

function rateText(ctx: Ctx, currency: CurrencyCode): string {
  return currency === ctx.currency ? '' : ` x ${rateTo(ctx, currency).toString()} ${currency}->${ctx.currency}`;
}

function monthsText(ctx: Ctx, price: ResolvedPrice): string {
  if (ctx.months === null) return ' (once for the contract term)';
  return ctx.months === price.perMonths ? '' : ` x ${ctx.months}/${price.perMonths} months`;
}

function line(ctx: Ctx, base: Omit<DraftLine, 'amount' | 'cost'>, cost: Ratio | undefined): DraftLine {
  const amount = round(ctx, base.exact);
  return {
    ...base,
    amount,
    ...(cost !== undefined ? { cost: round(ctx, cost) } : {}),
    explanation: `${base.explanation} = ${ratioText(base.exact)} -> ${amount.toFixed(minorUnits(ctx.currency))} (${ctx.mode}, ${ctx.currency})`,
  };
}

// ---------------------------------------------------------------------------------------------
// Licence lines: recurring at the period start, prorated adjustments for changes inside it
// ---------------------------------------------------------------------------------------------

function licenceLines(ctx: Ctx, sub: InvoiceSubscription): DraftLine[] {
  const ledger = sub.ledger;
  if (!ledger) return [];
  const { contract, period: P, periodDays: days } = ctx;
  const out: DraftLine[] = [];
  const full: ProrationFactor = { billed: days, of: days };
  const startState = ledger.stateAt(P.start);
  const ids = { subscriptionId: sub.id, offerId: sub.offerId };
  const name = sub.name ?? sub.offerId;

  if (startState.quantity > 0) {
    const price = resolvePrice(contract, sub, startState);
    const q = startState.quantity;
    const unitPrice = unitPriceFor(ctx, price);
    out.push(
      line(
        ctx,
        {
          key: `${sub.id}|recurring`,
          type: 'recurring',
          ...ids,
          description: `${name} ${formatPeriodText(P, 'en-US')}`,
          servicePeriod: P,
          quantity: new Decimal(q),
          ...(unitPrice !== undefined ? { unitPrice } : {}),
          exact: amountFor(ctx, price, priceAmount(price, q), full),
          explanation: `${q} x ${describePrice(price)} (${price.source} price)${monthsText(ctx, price)}${rateText(ctx, price.currency)}, full period`,
          taxable: true,
        },
        costFor(ctx, sub, startState, q, full),
      ),
    );
  }

  // One adjustment per change date inside the period (all entries of that day applied together).
  const dates: CalendarDate[] = [];
  const lastSeq = new Map<number, number>();
  for (const e of ledger.entries) {
    if (e.effectiveDate <= P.start || e.effectiveDate >= P.end) continue;
    if (!lastSeq.has(e.effectiveDate)) dates.push(e.effectiveDate);
    lastSeq.set(e.effectiveDate, e.sequence);
  }
  for (const d of dates) {
    const before = ledger.stateAt(addDays(d, -1));
    const after = ledger.stateAt(d);
    const qb = before.quantity;
    const qa = after.quantity;
    const pb = qb > 0 ? resolvePrice(contract, sub, before) : undefined;
    const pa = qa > 0 ? resolvePrice(contract, sub, after) : undefined;
    if (!pb && !pa) continue;
    const remaining = P.end - d;
    const span: Period = { start: d, end: P.end };
    const seq = lastSeq.get(d) as number;
    const when = formatIso(d);
    if (pb && pa && !samePrice(pb, pa)) {
      // Price change: credit the rest of the period at the old price, charge it at the new one.
      const oldFull = amountFor(ctx, pb, priceAmount(pb, qb), full);
      const newFull = amountFor(ctx, pa, priceAmount(pa, qa), full);
      const diff = newFull.num.times(oldFull.den).minus(oldFull.num.times(newFull.den));
      if (diff.isZero()) continue;
      const f = prorationFactor(diff.isPositive() ? contract.proration.increase : contract.proration.decrease, remaining, days);
      if (!f) continue;
      const fText = `${f.billed}/${f.of} days`;
      out.push(
        line(
          ctx,
          {
            key: `${sub.id}|adj|${when}|old`,
            type: 'prorated',
            ...ids,
            description: `${name}: unused time at the old price from ${when}`,
            servicePeriod: span,
            quantity: new Decimal(-qb),
            exact: neg(amountFor(ctx, pb, priceAmount(pb, qb), f)),
            explanation: `-(${qb} x ${describePrice(pb)}${monthsText(ctx, pb)}${rateText(ctx, pb.currency)} x ${fText})`,
            taxable: true,
            ledgerSequence: seq,
          },
          (() => {
            const c = costFor(ctx, sub, before, qb, f);
            return c && neg(c);
          })(),
        ),
      );
      const unitPrice = unitPriceFor(ctx, pa);
      out.push(
        line(
          ctx,
          {
            key: `${sub.id}|adj|${when}|new`,
            type: 'prorated',
            ...ids,
            description: `${name}: remaining time at the new price from ${when}`,
            servicePeriod: span,
            quantity: new Decimal(qa),
            ...(unitPrice !== undefined ? { unitPrice } : {}),
            exact: amountFor(ctx, pa, priceAmount(pa, qa), f),
            explanation: `${qa} x ${describePrice(pa)}${monthsText(ctx, pa)}${rateText(ctx, pa.currency)} x ${fText}`,
            taxable: true,
            ledgerSequence: seq,
          },
          costFor(ctx, sub, after, qa, f),
        ),
      );
      continue;
    }
    const price = (pa ?? pb) as ResolvedPrice;
    const delta = priceAmount(price, qa).minus(priceAmount(price, qb));
    if (delta.isZero()) continue;
    const f = prorationFactor(delta.isPositive() ? contract.proration.increase : contract.proration.decrease, remaining, days);
    if (!f) continue;
    const what = qb === 0 ? 'new subscription' : qa === 0 ? 'cancelled' : qa > qb ? 'seats added' : 'seats removed';
    const tiersText = price.tiers ? ` (${price.tiers.mode} tiers: ${priceAmount(price, qa).toString()} - ${priceAmount(price, qb).toString()})` : '';
    const unitPrice = unitPriceFor(ctx, price);
    out.push(
      line(
        ctx,
        {
          key: `${sub.id}|adj|${when}|qty`,
          type: 'prorated',
          ...ids,
          description: `${name}: ${what} ${qb} -> ${qa} from ${when}`,
          servicePeriod: span,
          quantity: new Decimal(qa - qb),
          ...(unitPrice !== undefined ? { unitPrice } : {}),
          exact: amountFor(ctx, price, delta, f),
          explanation: `(${qa} - ${qb}) at ${describePrice(price)}${tiersText}${monthsText(ctx, price)}${rateText(ctx, price.currency)} x ${f.billed}/${f.of} days`,
          taxable: true,
          ledgerSequence: seq,
        },
        costOfDiff(costFor(ctx, sub, after, qa, f), costFor(ctx, sub, before, qb, f)),
      ),
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Usage (arrears, cost + markup) and one-time charges
// ---------------------------------------------------------------------------------------------

function usageWindow(ctx: Ctx): Period | null {
  if (ctx.contract.timing === 'arrears' || ctx.months === null) return ctx.period;
  return previousBillingPeriod(ctx.contract, ctx.period, ctx.input.subscriptions);
}

function usageLines(ctx: Ctx, subs: readonly InvoiceSubscription[]): DraftLine[] {
  const usage: readonly UsageAggregate[] = ctx.input.usage ?? [];
  const window = usageWindow(ctx);
  if (!window || usage.length === 0) return [];
  const byVendorId = new Map<string, InvoiceSubscription>();
  for (const s of subs) byVendorId.set((s.vendorSubscriptionId ?? s.id).trim().toLowerCase(), s);
  const groups = new Map<string, { sub: InvoiceSubscription; rows: UsageAggregate[] }>();
  for (const u of usage) {
    if (u.period.start < window.start || u.period.start >= window.end) continue;
    const sub = byVendorId.get(u.subscriptionId.trim().toLowerCase());
    if (!sub) continue;
    const key = `${sub.id}|usage|${u.meterId}|${formatIso(u.period.start)}|${formatIso(u.period.end)}|${u.chargeTypeKey}|${u.currency}`;
    const g = groups.get(key) ?? { sub, rows: [] };
    g.rows.push(u);
    groups.set(key, g);
  }
  const markup = toDecimal(ctx.contract.usageMarkupPercent ?? 0);
  const out: DraftLine[] = [];
  for (const key of [...groups.keys()].sort()) {
    const { sub, rows } = groups.get(key) as { sub: InvoiceSubscription; rows: UsageAggregate[] };
    const first = rows[0] as UsageAggregate;
    const cost = rows.reduce((s, u) => s.plus(u.amount), ZERO);
    const quantity = rows.reduce((s, u) => s.plus(u.quantity), ZERO);
    const rate = rateTo(ctx, first.currency);
    out.push(
      line(
        ctx,
        {
          key,
          type: 'usage',
          subscriptionId: sub.id,
          offerId: sub.offerId,
          description: `${first.meterName ?? first.meterId} ${formatPeriodText(first.period, 'en-US')}`,
          servicePeriod: first.period,
          quantity,
          exact: ratio(cost.times(markup.plus(100)).times(rate), 100),
          explanation: `vendor cost ${cost.toString()} ${first.currency} x (100 + ${markup.toString()}% markup) / 100${rateText(ctx, first.currency)}`,
          taxable: true,
          sourceCurrency: first.currency,
          exchangeRate: rate,
        },
        ratio(cost.times(rate)),
      ),
    );
  }
  return out;
}

function oneTimeLines(ctx: Ctx): DraftLine[] {
  const charges = [...(ctx.input.oneTimeCharges ?? [])]
    .filter((c) => c.date >= ctx.period.start && c.date < ctx.period.end)
    .sort((a, b) => a.date - b.date || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return charges.map((c: OneTimeCharge) => {
    const currency = currencyCode(c.currency);
    const rate = rateTo(ctx, currency);
    const qty = toDecimal(c.quantity);
    const cost = c.unitCost !== undefined ? ratio(qty.times(toDecimal(c.unitCost)).times(rateTo(ctx, currencyCode(c.costCurrency ?? c.currency)))) : undefined;
    return line(
      ctx,
      {
        key: `oneTime|${c.id}`,
        type: 'oneTime',
        ...(c.subscriptionId !== undefined ? { subscriptionId: c.subscriptionId } : {}),
        description: c.description,
        servicePeriod: { start: c.date, end: addDays(c.date, 1) },
        quantity: qty,
        unitPrice: toDecimal(c.unitPrice).times(rate),
        exact: ratio(qty.times(toDecimal(c.unitPrice)).times(rate)),
        explanation: `${qty.toString()} x ${toDecimal(c.unitPrice).toString()} ${currency}${rateText(ctx, currency)}`,
        taxable: !c.taxExempt,
        sourceCurrency: currency,
        exchangeRate: rate,
      },
      cost,
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Discounts
// ---------------------------------------------------------------------------------------------

function discountWindow(d: Discount): Period {
  return { start: (d.start ?? -1e9) as CalendarDate, end: (d.end ?? 1e9) as CalendarDate };
}

function inScope(d: Discount, l: DraftLine): boolean {
  const types = d.scope?.lineTypes ?? ['recurring', 'prorated'];
  if (!(types as readonly string[]).includes(l.type)) return false;
  if (d.scope?.subscriptionIds && (l.subscriptionId === undefined || !d.scope.subscriptionIds.includes(l.subscriptionId))) return false;
  if (d.scope?.offerIds && (l.offerId === undefined || !d.scope.offerIds.includes(l.offerId))) return false;
  return true;
}

/**
 * Percent discounts: -(exact line amount x percent x shared days / (100 x line days)), one line per
 * discounted line, rounded once; several percent discounts each apply to the undiscounted line.
 * Fixed discounts: -(value x days of the period the promotion covers / period days), at most the
 * scoped lines' amount after percent discounts; one line.
 */
function discountLines(ctx: Ctx, lines: readonly DraftLine[]): DraftLine[] {
  const out: DraftLine[] = [];
  const taxable = ctx.contract.tax.taxOnDiscountedAmount !== false;
  for (const d of ctx.contract.discounts ?? []) {
    const value = toDecimal(d.value);
    const win = discountWindow(d);
    const label = d.description ?? d.id;
    if (d.kind === 'percent') {
      for (const l of lines) {
        if (!inScope(d, l)) continue;
        const shared = intersectPeriods(l.servicePeriod, win);
        if (!shared) continue;
        const sharedDays = periodDays(shared);
        const lineDays = periodDays(l.servicePeriod);
        const exact: Ratio = { num: l.exact.num.times(value).times(sharedDays).negated(), den: l.exact.den.times(100).times(lineDays) };
        if (exact.num.isZero()) continue;
        out.push(
          line(
            ctx,
            {
              key: `${l.key}|discount|${d.id}`,
              type: 'discount',
              ...(l.subscriptionId !== undefined ? { subscriptionId: l.subscriptionId } : {}),
              ...(l.offerId !== undefined ? { offerId: l.offerId } : {}),
              description: `${label}: ${value.toString()}% off ${l.description}`,
              servicePeriod: shared,
              exact,
              explanation: `-(${l.exact.num.div(l.exact.den).toString()} x ${value.toString()}% x ${sharedDays}/${lineDays} days)`,
              taxable,
              appliesToKey: l.key,
              discountId: d.id,
            },
            ratio(0),
          ),
        );
      }
    } else {
      const shared = intersectPeriods(ctx.period, win);
      if (!shared) continue;
      const scoped = lines.filter((l) => inScope(d, l));
      const scopedKeys = new Set(scoped.map((l) => l.key));
      const available = [...scoped, ...out.filter((o) => o.appliesToKey !== undefined && scopedKeys.has(o.appliesToKey))].reduce(
        (s, l) => s.plus(l.amount),
        ZERO,
      );
      if (!available.isPositive() || available.isZero()) continue;
      const exact: Ratio = { num: value.times(periodDays(shared)).negated(), den: new Decimal(ctx.periodDays) };
      const rounded = round(ctx, exact);
      const capped = rounded.negated().gt(available);
      const amount = capped ? available.negated() : rounded;
      out.push({
        key: `discount|${d.id}`,
        type: 'discount',
        description: `${label}: ${value.toString()} ${ctx.currency} off`,
        servicePeriod: shared,
        exact: capped ? ratio(amount) : exact,
        amount,
        cost: ZERO,
        explanation: `-(${value.toString()} x ${periodDays(shared)}/${ctx.periodDays} days) = ${ratioText(exact)} -> ${rounded.toFixed(minorUnits(ctx.currency))}${capped ? `, capped at the ${available.toFixed(minorUnits(ctx.currency))} it applies to` : ''} (${ctx.mode}, ${ctx.currency})`,
        taxable,
        discountId: d.id,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------

/** `${contract}|${start}|${end}|${kind}|${revision}`. */
export function draftKeyOf(contractId: string, period: Period, kind: Invoice['kind'], revision: number): string {
  return `${contractId}|${formatIso(period.start)}|${formatIso(period.end)}|${kind}|${revision}`;
}

function coverageOf(subs: readonly InvoiceSubscription[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of subs) if (s.ledger) out[s.id] = s.ledger.entries.length;
  return out;
}

function commitmentLine(ctx: Ctx, lines: readonly DraftLine[]): DraftLine | undefined {
  const mc = ctx.contract.minimumCommitment;
  if (!mc) return undefined;
  const types: readonly InvoiceLineType[] | undefined = mc.lineTypes;
  const counted = lines.filter((l) => l.type !== 'tax' && (types === undefined || types.includes(l.type)));
  const sum = counted.reduce((s, l) => s.plus(l.amount), ZERO);
  const minimum = toDecimal(mc.amount);
  if (sum.gte(minimum)) return undefined;
  const exact = ratio(minimum.minus(sum));
  return line(
    ctx,
    {
      key: 'commitment',
      type: 'commitment',
      description: `Minimum commitment ${minimum.toString()} ${ctx.currency}`,
      servicePeriod: ctx.period,
      exact,
      explanation: `minimum ${minimum.toString()} - billed ${sum.toFixed()}`,
      taxable: true,
    },
    ratio(0),
  );
}

function assemble(
  ctx: Ctx,
  kind: Invoice['kind'],
  revision: number,
  body: DraftLine[],
  invoiceDate: CalendarDate,
  coverage: Record<string, number>,
  corrects?: readonly string[],
): Invoice {
  const { contract } = ctx;
  const draftKey = draftKeyOf(contract.id, ctx.period, kind, revision);
  const tax = taxLines(body, contract.tax, ctx.currency, ctx.mode, ctx.period);
  const all = [...body, ...tax.lines];
  const keys = new Set<string>();
  for (const l of all) {
    if (keys.has(l.key)) throw new InvoicingError(`two lines bill the same thing (${l.key}); ids of one-time charges and discounts must be unique`, l.key);
    keys.add(l.key);
  }
  const lines: InvoiceLine[] = all.map((l) => {
    const margin = l.type === 'tax' || l.cost === undefined ? undefined : l.amount.minus(l.cost);
    const out: InvoiceLine = {
      id: `${draftKey}#${l.key}`,
      key: l.key,
      type: l.type,
      ...(l.subscriptionId !== undefined ? { subscriptionId: l.subscriptionId } : {}),
      ...(l.offerId !== undefined ? { offerId: l.offerId } : {}),
      description: l.description,
      servicePeriod: l.servicePeriod,
      ...(l.quantity !== undefined ? { quantity: l.quantity } : {}),
      ...(l.unitPrice !== undefined ? { unitPrice: l.unitPrice } : {}),
      amount: l.amount,
      ...(l.cost !== undefined && l.type !== 'tax' ? { cost: l.cost } : {}),
      ...(margin !== undefined ? { margin: normalizeZero(margin) } : {}),
      explanation: l.explanation,
      ...(l.correctsLineId !== undefined ? { correctsLineId: l.correctsLineId } : {}),
      ...(l.appliesToKey !== undefined && keys.has(l.appliesToKey) ? { appliesToLineId: `${draftKey}#${l.appliesToKey}` } : {}),
      ...(l.discountId !== undefined ? { discountId: l.discountId } : {}),
      ...(l.jurisdiction !== undefined ? { jurisdiction: l.jurisdiction } : {}),
      ...(l.ledgerSequence !== undefined ? { ledgerSequence: l.ledgerSequence } : {}),
      taxable: l.taxable,
      ...(l.sourceCurrency !== undefined ? { sourceCurrency: l.sourceCurrency } : {}),
      ...(l.exchangeRate !== undefined ? { exchangeRate: l.exchangeRate } : {}),
    };
    return Object.freeze(out);
  });
  const nonTax = lines.filter((l) => l.type !== 'tax');
  const subtotal = nonTax.reduce((s, l) => s.plus(l.amount), ZERO);
  const taxTotal = lines.filter((l) => l.type === 'tax').reduce((s, l) => s.plus(l.amount), ZERO);
  const total = lines.reduce((s, l) => s.plus(l.amount), ZERO);
  const cost = nonTax.reduce((s, l) => (l.cost !== undefined ? s.plus(l.cost) : s), ZERO);
  const margin = nonTax.reduce((s, l) => (l.margin !== undefined ? s.plus(l.margin) : s), ZERO);
  const invoice: Invoice = {
    draftKey,
    contractId: contract.id,
    customerId: contract.customerId,
    ...(contract.customerName !== undefined ? { customerName: contract.customerName } : {}),
    period: ctx.period,
    kind,
    revision,
    status: 'draft',
    invoiceDate,
    dueDate: dueDate(contract.paymentTerms, invoiceDate),
    currency: ctx.currency,
    lines: Object.freeze(lines),
    subtotal: normalizeZero(subtotal),
    tax: normalizeZero(taxTotal),
    total: normalizeZero(total),
    cost: normalizeZero(cost),
    margin: normalizeZero(margin),
    costComplete: nonTax.every((l) => l.cost !== undefined),
    taxExempt: tax.exempt,
    ...(tax.note !== undefined ? { taxNote: tax.note } : {}),
    ledgerCoverage: Object.freeze({ ...coverage }),
    exchangeRates: Object.freeze([...ctx.ratesUsed.values()].sort((a, b) => (a.from < b.from ? -1 : 1))),
    ...(corrects !== undefined ? { correctsInvoiceKeys: corrects } : {}),
  };
  return Object.freeze(invoice);
}

function checkPeriod(input: GenerateInput): void {
  const { contract, period } = input;
  const expected = billingPeriodAt(contract, period.start, input.subscriptions);
  if (expected.start !== period.start || expected.end !== period.end) {
    throw new InvoicingError(
      `${formatPeriod(period)} is not a billing period of contract ${contract.id}; the period starting there is ${formatPeriod(expected)}`,
      formatPeriod(period),
    );
  }
}

/** Every billed line of the period from the current ledger, usage and charges, discounts included (no tax, no commitment). */
function periodLines(ctx: Ctx): DraftLine[] {
  const subs = [...ctx.input.subscriptions].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const base = [...subs.flatMap((s) => licenceLines(ctx, s)), ...usageLines(ctx, subs), ...oneTimeLines(ctx)];
  return [...base, ...discountLines(ctx, base)];
}

/**
 * Generates the draft documents of one contract and billing period. Pure and deterministic: the
 * same input gives identical drafts; issued invoices in the input are never changed.
 *
 * - Nothing issued for the period yet: one draft invoice (revision 0) with recurring lines at the
 *   period start, prorated adjustments for changes inside the period, usage of the usage window
 *   (previous period for in-advance contracts, this period in arrears), one-time charges dated in
 *   the period, discounts, the minimum-commitment top-up and tax.
 * - Already issued: the corrections (see `correctionLines`) as a supplementary invoice (charges) and
 *   a credit note (credits), each of the next revision and linked to the issued documents; none when
 *   the issued documents already match the ledger. Rates are taken on the issued invoice's date so a
 *   rate change alone never creates corrections.
 */
export function generateInvoices(input: GenerateInput): GenerateResult {
  const { contract, period } = input;
  checkPeriod(input);
  const currency = currencyCode(contract.currency);
  const timingDate = contract.timing === 'arrears' ? period.end : period.start;
  const invoiceDate = input.invoiceDate ?? timingDate;
  const issued = (input.issued ?? []).filter(
    (i) => i.status === 'issued' && i.contractId === contract.id && i.period.start === period.start && i.period.end === period.end,
  );
  const primary = issued.find((i) => i.revision === 0 && i.kind === 'invoice');
  const ctx: Ctx = {
    contract,
    currency,
    mode: contract.rounding,
    period,
    periodDays: periodDays(period),
    months: periodMonths(contract.frequency),
    rateDate: primary?.invoiceDate ?? invoiceDate,
    input,
    ratesUsed: new Map(),
  };
  if (ctx.periodDays <= 0) throw new InvoicingError('a billing period needs at least one day', formatPeriod(period));
  const lines = periodLines(ctx);
  const coverage = coverageOf(input.subscriptions);
  if (issued.length === 0) {
    const commitment = commitmentLine(ctx, lines);
    return { drafts: [assemble(ctx, 'invoice', 0, commitment ? [...lines, commitment] : lines, invoiceDate, coverage)] };
  }
  // Usage is known only from a usage bill: without one for the usage window, the issued usage lines
  // stand (no bill is not zero usage; comparing would credit the customer everything they used).
  const window = usageWindow(ctx);
  const usageKnown = window !== null && (input.usage ?? []).some((u) => u.period.start >= window.start && u.period.start < window.end);
  const comparable = usageKnown ? issued : issued.map(withoutUsage);
  const kept =
    usageKnown || window === null ? [] : [`no usage bill among the inputs for ${formatPeriodText(window, 'en-US')}: its issued usage lines stand as issued`];
  const { charges, credits } = correctionLines(lines, comparable);
  const revision = Math.max(...issued.map((i) => i.revision)) + 1;
  const corrects = issued.map((i) => i.draftKey).sort();
  const drafts: Invoice[] = [];
  if (charges.length > 0) drafts.push(assemble(ctx, 'invoice', revision, charges, invoiceDate, coverage, corrects));
  if (credits.length > 0) drafts.push(assemble(ctx, 'creditNote', revision, credits, invoiceDate, coverage, corrects));
  const warnings = kept.length > 0 && issued.some((i) => i.lines.some((l) => l.type === 'usage')) ? { warnings: kept } : {};
  return drafts.length > 0
    ? { drafts, ...warnings }
    : { drafts, note: `the issued documents of ${formatPeriodText(period, 'en-US')} already match the ledger`, ...warnings };
}

/** An issued document without its usage lines and the discounts applied to them (left out of a comparison). */
function withoutUsage(invoice: Invoice): Invoice {
  const usage = new Set(invoice.lines.filter((l) => l.type === 'usage').map((l) => l.id));
  if (usage.size === 0) return invoice;
  return { ...invoice, lines: invoice.lines.filter((l) => !usage.has(l.id) && !(l.appliesToLineId !== undefined && usage.has(l.appliesToLineId))) };
}

/** The period's first invoice. Throws when the period was already invoiced (use `generateInvoices` for corrections). */
export function generateInvoice(input: GenerateInput): Invoice {
  const issued = (input.issued ?? []).some(
    (i) => i.status === 'issued' && i.contractId === input.contract.id && i.period.start === input.period.start && i.period.end === input.period.end,
  );
  if (issued)
    throw new InvoicingError(
      `${formatPeriod(input.period)} of contract ${input.contract.id} is already invoiced; corrections come from generateInvoices`,
      input.contract.id,
    );
  return generateInvoices(input).drafts[0] as Invoice;
}

/** Issues a draft: a new frozen invoice with status `issued` (the draft object is not changed). */
export function issueInvoice(draft: Invoice, issuedOn: CalendarDate, invoiceNumber?: string): Invoice {
  if (draft.status !== 'draft') throw new InvoicingError(`${draft.draftKey} is already issued`, draft.draftKey);
  return Object.freeze({ ...draft, status: 'issued' as const, issuedOn, ...(invoiceNumber !== undefined ? { invoiceNumber } : {}) });
}
