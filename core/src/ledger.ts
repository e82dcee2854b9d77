import { CalendarDate, formatIso, Period } from './calendar';
import { LedgerError } from './errors';
import { AmountInput, Decimal, toDecimal } from './money';
import { BillingPlan, Term } from './nce/terms';

/** Kinds of change a subscription can go through (cspb_subscriptionchange.type). */
export type LedgerEntryKind = 'new' | 'add' | 'remove' | 'cancel' | 'renew' | 'convert' | 'price' | 'term' | 'billingPlan' | 'suspend' | 'reactivate';

export type ChangeSource = 'form' | 'api' | 'import' | 'sync';

export type SubscriptionStatus = 'active' | 'suspended' | 'cancelled';

/** An upgrade/conversion to another product: all seats (full) or some of them into another subscription (partial). */
export interface Conversion {
  readonly targetProductId: string;
  readonly targetProductName?: string;
  /** Unit price of the target product in the pricing currency. */
  readonly targetUnitPrice: Decimal;
  readonly convertedQuantity: number;
  /** Set for a partial conversion: the seats move into this (new) subscription. */
  readonly targetSubscriptionId?: string;
}

export interface ConversionInput {
  readonly targetProductId: string;
  readonly targetProductName?: string;
  readonly targetUnitPrice: AmountInput;
  readonly convertedQuantity: number;
  readonly targetSubscriptionId?: string;
}

/** What a caller appends; the ledger fills in quantity before/after and the sequence. */
export interface LedgerEntryInput {
  readonly kind: LedgerEntryKind;
  readonly effectiveDate: CalendarDate;
  readonly referenceId: string;
  /** Change in seats; give this or quantityAfter (not needed for kinds that never change seats). */
  readonly quantityDelta?: number;
  readonly quantityAfter?: number;
  /** Optional check: the caller's view of the quantity before this change. */
  readonly quantityBefore?: number;
  /** Vendor (Microsoft) unit price in force from this entry on, in the pricing currency. */
  readonly unitPrice?: AmountInput;
  /** Customer unit price in force from this entry on (for invoicing). */
  readonly customerUnitPrice?: AmountInput;
  readonly productId?: string;
  readonly productName?: string;
  readonly term?: Term;
  readonly billingPlan?: BillingPlan;
  readonly autoRenew?: boolean;
  readonly conversion?: ConversionInput;
  /** A subscription opened by another subscription's partial conversion: the source ledger bills it. */
  readonly openedByConversion?: boolean;
  readonly source?: ChangeSource;
  readonly reason?: string;
}

export interface LedgerEntry {
  readonly sequence: number;
  readonly kind: LedgerEntryKind;
  readonly effectiveDate: CalendarDate;
  readonly referenceId: string;
  readonly quantityBefore: number;
  readonly quantityDelta: number;
  readonly quantityAfter: number;
  readonly unitPrice?: Decimal;
  readonly customerUnitPrice?: Decimal;
  readonly productId?: string;
  readonly productName?: string;
  readonly term?: Term;
  readonly billingPlan?: BillingPlan;
  readonly autoRenew?: boolean;
  readonly conversion?: Conversion;
  readonly openedByConversion?: boolean;
  readonly source?: ChangeSource;
  readonly reason?: string;
}

/** The subscription as the ledger says it is after a prefix of entries. */
export interface LedgerState {
  readonly status: SubscriptionStatus | 'none';
  readonly quantity: number;
  readonly unitPrice?: Decimal;
  readonly customerUnitPrice?: Decimal;
  readonly productId?: string;
  readonly productName?: string;
  readonly term?: Term;
  readonly billingPlan?: BillingPlan;
  readonly autoRenew: boolean;
  readonly purchaseDate?: CalendarDate;
}

export const EMPTY_STATE: LedgerState = Object.freeze({ status: 'none', quantity: 0, autoRenew: true });

const SEAT_KINDS: ReadonlySet<LedgerEntryKind> = new Set(['new', 'add', 'remove', 'cancel', 'renew', 'convert']);

function fail(message: string, value: unknown): never {
  throw new LedgerError(message, value);
}

/**
 * Validates one entry against the state before it and returns the checked entry. This is the only
 * place ledger invariants live, so appending and replaying can never disagree.
 */
function checkEntry(subscriptionId: string, state: LedgerState, previous: LedgerEntry | undefined, input: LedgerEntryInput, sequence: number): LedgerEntry {
  const where = {
    subscriptionId,
    sequence,
    kind: input.kind,
    effectiveDate: Number.isInteger(input.effectiveDate) ? formatIso(input.effectiveDate) : input.effectiveDate,
    referenceId: input.referenceId,
  };
  if (!Number.isInteger(input.effectiveDate)) fail(`entry ${sequence}: effectiveDate is not a calendar date`, where);
  if (typeof input.referenceId !== 'string' || input.referenceId.trim() === '') fail(`entry ${sequence}: referenceId is required`, where);
  if (previous && input.effectiveDate < previous.effectiveDate) {
    fail(
      `entry ${sequence} (${input.kind}) is dated ${formatIso(input.effectiveDate)}, before the previous entry (${formatIso(previous.effectiveDate)}); the ledger is append-only in date order`,
      where,
    );
  }
  if (state.status === 'none' && input.kind !== 'new') fail(`entry ${sequence}: the first entry must be "new", got "${input.kind}"`, where);
  if (state.status !== 'none' && input.kind === 'new') fail(`entry ${sequence}: "new" can only be the first entry`, where);
  if (state.status === 'cancelled') fail(`entry ${sequence}: subscription was cancelled; no change can follow`, where);

  const before = state.quantity;
  if (input.quantityBefore !== undefined && input.quantityBefore !== before) {
    fail(`entry ${sequence}: quantity before is ${before}, the entry says ${input.quantityBefore}`, {
      ...where,
      expected: before,
      given: input.quantityBefore,
    });
  }

  let conversion: Conversion | undefined;
  let delta: number;
  if (input.kind === 'convert') {
    const c = input.conversion ?? fail(`entry ${sequence}: a convert entry needs its conversion`, where);
    if (!Number.isSafeInteger(c.convertedQuantity) || c.convertedQuantity <= 0 || c.convertedQuantity > before) {
      fail(`entry ${sequence}: converted quantity ${c.convertedQuantity} must be 1..${before}`, where);
    }
    const partial = c.targetSubscriptionId !== undefined && c.targetSubscriptionId !== subscriptionId;
    if (!partial && c.convertedQuantity !== before) {
      fail(`entry ${sequence}: converting ${c.convertedQuantity} of ${before} seats needs a target subscription id`, where);
    }
    conversion = {
      targetProductId: c.targetProductId,
      ...(c.targetProductName !== undefined ? { targetProductName: c.targetProductName } : {}),
      targetUnitPrice: toDecimal(c.targetUnitPrice),
      convertedQuantity: c.convertedQuantity,
      ...(partial ? { targetSubscriptionId: c.targetSubscriptionId as string } : {}),
    };
    const expected = partial ? -c.convertedQuantity : 0;
    delta = input.quantityDelta ?? (input.quantityAfter !== undefined ? input.quantityAfter - before : expected);
    if (delta !== expected) fail(`entry ${sequence}: a ${partial ? 'partial' : 'full'} conversion changes seats by ${expected}, not ${delta}`, where);
  } else if (input.kind === 'cancel') {
    delta = input.quantityDelta ?? (input.quantityAfter !== undefined ? input.quantityAfter - before : -before);
    if (before + delta !== 0) fail(`entry ${sequence}: cancel must leave 0 seats, not ${before + delta}`, where);
  } else if (SEAT_KINDS.has(input.kind)) {
    if (input.quantityDelta !== undefined && input.quantityAfter !== undefined && before + input.quantityDelta !== input.quantityAfter) {
      fail(`entry ${sequence}: ${before} + ${input.quantityDelta} is not ${input.quantityAfter}`, where);
    }
    delta = input.quantityDelta ?? (input.quantityAfter !== undefined ? input.quantityAfter - before : 0);
  } else {
    delta = input.quantityDelta ?? (input.quantityAfter !== undefined ? input.quantityAfter - before : 0);
    if (delta !== 0) fail(`entry ${sequence}: a "${input.kind}" entry does not change seats (delta ${delta})`, where);
  }
  if (!Number.isSafeInteger(delta)) fail(`entry ${sequence}: quantity change must be an integer, got ${delta}`, where);
  const after = before + delta;
  if (after < 0) fail(`entry ${sequence}: quantity would become ${after}; quantity is never negative`, { ...where, before, delta });
  if (input.kind === 'new' && delta <= 0) fail(`entry ${sequence}: a new subscription needs at least one seat`, where);
  if (input.kind === 'add' && delta <= 0) fail(`entry ${sequence}: "add" must increase seats (delta ${delta})`, where);
  if (input.kind === 'remove' && delta >= 0) fail(`entry ${sequence}: "remove" must decrease seats (delta ${delta})`, where);
  if (input.kind === 'suspend' && state.status !== 'active')
    fail(`entry ${sequence}: only an active subscription can be suspended (status ${state.status})`, where);
  if (input.kind === 'reactivate' && state.status !== 'suspended')
    fail(`entry ${sequence}: only a suspended subscription can be reactivated (status ${state.status})`, where);
  if (input.kind === 'new' && input.productId === undefined) fail(`entry ${sequence}: a new subscription needs its productId`, where);
  if (input.kind === 'billingPlan' && input.billingPlan === undefined) fail(`entry ${sequence}: a billingPlan entry needs the new billing plan`, where);
  if (input.kind === 'term' && input.term === undefined) fail(`entry ${sequence}: a term entry needs the new term`, where);
  if (input.kind === 'price' && input.unitPrice === undefined && input.customerUnitPrice === undefined) {
    fail(`entry ${sequence}: a price entry needs a unit price`, where);
  }

  const entry: LedgerEntry = {
    sequence,
    kind: input.kind,
    effectiveDate: input.effectiveDate,
    referenceId: input.referenceId,
    quantityBefore: before,
    quantityDelta: delta,
    quantityAfter: after,
    ...(input.unitPrice !== undefined ? { unitPrice: toDecimal(input.unitPrice) } : {}),
    ...(input.customerUnitPrice !== undefined ? { customerUnitPrice: toDecimal(input.customerUnitPrice) } : {}),
    ...(input.productId !== undefined ? { productId: input.productId } : {}),
    ...(input.productName !== undefined ? { productName: input.productName } : {}),
    ...(input.term !== undefined ? { term: input.term } : {}),
    ...(input.billingPlan !== undefined ? { billingPlan: input.billingPlan } : {}),
    ...(input.autoRenew !== undefined ? { autoRenew: input.autoRenew } : {}),
    ...(conversion !== undefined ? { conversion } : {}),
    ...(input.openedByConversion ? { openedByConversion: true } : {}),
    ...(input.source !== undefined ? { source: input.source } : {}),
    ...(input.reason !== undefined ? { reason: input.reason } : {}),
  };
  return Object.freeze(entry);
}

/** The state after applying one (already checked) entry. Pure: same inputs, same state. */
export function applyEntry(state: LedgerState, e: LedgerEntry): LedgerState {
  let status: LedgerState['status'] = state.status;
  if (e.kind === 'new') status = 'active';
  else if (e.kind === 'cancel') status = 'cancelled';
  else if (e.kind === 'suspend') status = 'suspended';
  else if (e.kind === 'reactivate') status = 'active';
  const fullConversion = e.kind === 'convert' && e.conversion !== undefined && e.conversion.targetSubscriptionId === undefined;
  const unitPrice = fullConversion ? e.conversion!.targetUnitPrice : (e.unitPrice ?? state.unitPrice);
  const customerUnitPrice = e.customerUnitPrice ?? state.customerUnitPrice;
  const productId = fullConversion ? e.conversion!.targetProductId : (e.productId ?? state.productId);
  const productName = fullConversion ? e.conversion!.targetProductName : (e.productName ?? state.productName);
  const term = e.term ?? state.term;
  const billingPlan = e.billingPlan ?? state.billingPlan;
  const purchaseDate = e.kind === 'new' ? e.effectiveDate : state.purchaseDate;
  return {
    status,
    quantity: e.quantityAfter,
    autoRenew: e.autoRenew ?? state.autoRenew,
    ...(unitPrice !== undefined ? { unitPrice } : {}),
    ...(customerUnitPrice !== undefined ? { customerUnitPrice } : {}),
    ...(productId !== undefined ? { productId } : {}),
    ...(productName !== undefined ? { productName } : {}),
    ...(term !== undefined ? { term } : {}),
    ...(billingPlan !== undefined ? { billingPlan } : {}),
    ...(purchaseDate !== undefined ? { purchaseDate } : {}),
  };
}

/** A stretch of days with one quantity, one price and one status. */
export interface LedgerSegment {
  readonly period: Period;
  readonly quantity: number;
  readonly unitPrice?: Decimal;
  readonly status: LedgerState['status'];
}

/**
 * The append-only change ledger of one subscription. Invariants, checked on every append and
 * on replay: the first entry is "new"; entries are in effective-date order; quantity before of
 * each entry equals quantity after of the one before; quantity is never negative; nothing follows
 * a cancellation. Hence quantity at any date = 0 + the deltas of all entries effective by then.
 */
export class SubscriptionLedger {
  readonly subscriptionId: string;
  private readonly list: LedgerEntry[] = [];
  private readonly states: LedgerState[] = [];

  constructor(subscriptionId: string) {
    if (typeof subscriptionId !== 'string' || subscriptionId.trim() === '') {
      throw new LedgerError('a ledger needs a subscription id', subscriptionId);
    }
    this.subscriptionId = subscriptionId;
  }

  /** Builds a ledger from inputs, checking each as it is appended. */
  static of(subscriptionId: string, inputs: readonly LedgerEntryInput[]): SubscriptionLedger {
    const ledger = new SubscriptionLedger(subscriptionId);
    for (const input of inputs) ledger.append(input);
    return ledger;
  }

  /**
   * Rebuilds a ledger from stored entries (e.g. read back from Dataverse) and re-checks every
   * invariant, including that the stored quantity before/after agree with the replay.
   */
  static replay(subscriptionId: string, stored: readonly LedgerEntry[]): SubscriptionLedger {
    const ledger = new SubscriptionLedger(subscriptionId);
    const sorted = [...stored].sort((a, b) => a.sequence - b.sequence);
    for (const e of sorted) {
      const appended = ledger.append({ ...e, conversion: e.conversion, quantityBefore: e.quantityBefore, quantityDelta: e.quantityDelta });
      if (appended.quantityAfter !== e.quantityAfter) {
        throw new LedgerError(`stored entry ${e.sequence} says quantity after ${e.quantityAfter}, replay gives ${appended.quantityAfter}`, e);
      }
    }
    return ledger;
  }

  append(input: LedgerEntryInput): LedgerEntry {
    const sequence = this.list.length + 1;
    const entry = checkEntry(this.subscriptionId, this.current, this.list[this.list.length - 1], input, sequence);
    this.list.push(entry);
    this.states.push(applyEntry(this.current, entry));
    return entry;
  }

  get entries(): readonly LedgerEntry[] {
    return this.list;
  }

  get current(): LedgerState {
    return this.states[this.states.length - 1] ?? EMPTY_STATE;
  }

  /** Index of the last entry effective on or before the date, or -1. Binary search: entries are date-ordered. */
  private lastIndexAt(date: CalendarDate): number {
    let lo = 0;
    let hi = this.list.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.list[mid] as LedgerEntry).effectiveDate <= date) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** State at the end of a day: every entry effective on or before it applied. */
  stateAt(date: CalendarDate): LedgerState {
    const i = this.lastIndexAt(date);
    return i < 0 ? EMPTY_STATE : (this.states[i] as LedgerState);
  }

  quantityAt(date: CalendarDate): number {
    return this.stateAt(date).quantity;
  }

  /** Segments of constant quantity, price and status covering the period, in order. */
  segments(p: Period): LedgerSegment[] {
    const out: LedgerSegment[] = [];
    if (p.end <= p.start) return out;
    let cursor = p.start;
    let state = this.stateAt(p.start);
    let i = this.lastIndexAt(p.start) + 1;
    while (cursor < p.end) {
      while (i < this.list.length && (this.list[i] as LedgerEntry).effectiveDate <= cursor) i++;
      const next = i < this.list.length ? Math.min((this.list[i] as LedgerEntry).effectiveDate, p.end) : p.end;
      const last = out[out.length - 1];
      if (last && last.quantity === state.quantity && last.status === state.status && sameDecimal(last.unitPrice, state.unitPrice)) {
        out[out.length - 1] = { ...last, period: { start: last.period.start, end: next as CalendarDate } };
      } else {
        out.push({
          period: { start: cursor, end: next as CalendarDate },
          quantity: state.quantity,
          status: state.status,
          ...(state.unitPrice !== undefined ? { unitPrice: state.unitPrice } : {}),
        });
      }
      cursor = next as CalendarDate;
      if (cursor < p.end) state = this.stateAt(cursor);
    }
    return out;
  }
}

function sameDecimal(a: Decimal | undefined, b: Decimal | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.eq(b);
}
