import { CalendarDate, periodFromInclusive } from '../calendar';
import { Decimal } from '../money';
import { DecimalReader, ExactSum, ExactSumState, parseDecimalText } from './exact-sum';
import { beyondRange, RangeKind, SAFE_INTEGER_DIGITS } from './ranges';
import { ImportState } from './import-state';
import { RowContext } from './row-context';
import { UsageAggregate } from './types';
import { chargeTypeKey, chargeTypeLabel } from './value-parsers';
import { detach } from './detach';
import { dropUndefined } from '../objects';

/** The fields an aggregate is described by, from its first row (finish()). */
const DESCRIBED_BY = [
  'invoiceNumber',
  'customerId',
  'customerName',
  'customerDomain',
  'resellerMpnId',
  'subscriptionDescription',
  'productId',
  'skuId',
  'productName',
  'skuName',
  'meterName',
  'meterCategory',
  'unit',
] as const;

/** Separates the parts of a bucket's key (a unit separator: no bill text holds one unrefused). */
const KEY_SEPARATOR = '\u001f';

/** A bucket's identity across chunks of a file: subscription, meter, charge period, charge type. */
function keyOf(subscriptionText: string, meterText: string, start: CalendarDate, endInclusive: CalendarDate, chargeTypeKey: string): string {
  return [subscriptionText, meterText, start, endInclusive, chargeTypeKey].join(KEY_SEPARATOR);
}

interface Bucket {
  readonly firstRow: number;
  /** The meter as the key holds it (untrimmed, as the file wrote it). */
  readonly meterText: string;
  readonly values: (string | undefined)[];
  readonly subscriptionId: string;
  readonly meterId: string;
  readonly chargeStart: CalendarDate;
  readonly chargeEndInclusive: CalendarDate;
  readonly chargeTypeText: string;
  readonly chargeTypeKey: string;
  readonly currency: string;
  pricingCurrency: string | undefined;
  rowCount: number;
  firstUsage: CalendarDate;
  lastUsage: CalendarDate;
  readonly quantity: ExactSum;
  readonly amount: ExactSum;
  pricing: ExactSum | null;
}

/** A bucket as plain data, keyed as the aggregator keys it (a chunk of a file, merged by chunks.ts). */
export type BucketState = Readonly<Omit<Bucket, 'values' | 'quantity' | 'amount' | 'pricing'>> & {
  readonly key: string;
  readonly values: readonly (string | undefined)[];
  readonly quantity: ExactSumState;
  readonly amount: ExactSumState;
  readonly pricing: ExactSumState | null;
};

/**
 * Aggregates daily usage rows while streaming, per subscription x meter x charge period x charge
 * type (charge type is part of the key so a refund is never netted silently into a charge). Each
 * bucket keeps exact sums, the row count and the first/last usage date; memory grows with the
 * number of buckets, not rows. This is the hot loop of a million-row file: no Decimal per row,
 * cached date and currency parsing, and each row is validated fully before it touches a sum.
 */
export class UsageAggregator {
  private readonly buckets = new Map<string, Bucket>();
  /**
   * The same buckets by subscription text, for the row loop: a subscription has a few meters and
   * charge types, so a short scan with number and string compares finds a row's bucket without
   * building and hashing a key string per row.
   */
  private readonly bySubscription = new Map<string, Bucket[]>();
  private readonly qty = new DecimalReader();
  private readonly amt = new DecimalReader();
  private readonly prc = new DecimalReader();
  private readonly ctKeys = new Map<string, string>();
  private lastInvoice: string | undefined = undefined;
  /** The slots of the texts an aggregate carries (see finish()). */
  private readonly describedBy: readonly number[];
  /** Rows refused as a bucket's first row for their text (a chunk with any cannot be merged exactly). */
  textRefusals = 0;
  private readonly s;

  constructor(
    private readonly ctx: RowContext,
    private readonly state: ImportState,
    private readonly opts: { readonly defaultCurrency?: string; readonly endExclusive: boolean },
  ) {
    const slot = ctx.resolved.slot;
    this.describedBy = DESCRIBED_BY.map((f) => slot[f]).filter((i) => i >= 0);
    this.s = {
      sub: slot.subscriptionId,
      meter: slot.meterId,
      start: slot.chargeStartDate,
      end: slot.chargeEndDate,
      usage: slot.usageDate,
      qty: slot.quantity,
      amt: slot.subtotal,
      prc: slot.pricingSubtotal,
      cur: slot.currency,
      pcur: slot.pricingCurrency,
      ct: slot.chargeType,
      inv: slot.invoiceNumber,
    };
  }

  /** The slots accept() reads for every row; the others are read only through `fillValues`. */
  hotSlots(): number[] {
    return Object.values(this.s).filter((slot) => slot >= 0);
  }

  /**
   * `duplicateOf` returns the earlier row with identical text, or 0; called only for valid rows.
   * `fillValues` fills the slots other than hotSlots() (a CSV scanner slices them only on demand).
   */
  accept(values: (string | undefined)[], row: number, duplicateOf: () => number, fillValues: () => void): void {
    const st = this.state;
    const s = this.s;
    const ctx = this.ctx;
    st.rowsRead++;
    let bad = false;
    const sub = values[s.sub] ?? '';
    const meter = values[s.meter] ?? '';
    const startText = values[s.start] ?? '';
    const endText = values[s.end] ?? '';
    const usageText = values[s.usage] ?? '';
    const dates = ctx.dates;
    const start = dates.read(startText);
    const endRaw = dates.read(endText);
    const usage = dates.read(usageText);
    const qtyOk = this.qty.read(values[s.qty] ?? '');
    const amtOk = s.amt < 0 || this.amt.read(values[s.amt] ?? '');
    const prcText = s.prc >= 0 ? (values[s.prc] ?? '') : '';
    const prcOk = prcText === '' || this.prc.read(prcText);
    let currency: string | null = null;
    if (s.cur >= 0) currency = ctx.currencies.read(values[s.cur] ?? '');
    else currency = this.opts.defaultCurrency ?? '';
    if (sub === '' || meter === '' || start === null || endRaw === null || usage === null || !qtyOk || !amtOk || !prcOk || currency === null) bad = true;
    // Magnitude first (one compare per value); the exact limit only for values near it.
    else if (
      (this.qty.intDigits > SAFE_INTEGER_DIGITS.decimal && this.beyond(values[s.qty], 'decimal')) ||
      (this.amt.intDigits > SAFE_INTEGER_DIGITS.money && this.beyond(values[s.amt], 'money')) ||
      (prcText !== '' && this.prc.intDigits > SAFE_INTEGER_DIGITS.money && this.beyond(prcText, 'money'))
    )
      bad = true;
    const end = endRaw === null ? null : this.opts.endExclusive ? ((endRaw - 1) as CalendarDate) : endRaw;
    if (!bad && (end as CalendarDate) < (start as CalendarDate)) bad = true;
    if (!bad && currency !== '' && currency !== st.billingCurrency) {
      if (st.billingCurrency === null) {
        st.billingCurrency = currency as string;
        st.noteCurrency(currency as string);
      } else bad = true;
    }
    if (bad) {
      fillValues();
      this.reject(values, row, start, end, usage, qtyOk, amtOk, prcOk, currency);
      return;
    }
    const dup = duplicateOf();
    if (dup > 0) {
      fillValues();
      ctx.start(values, row);
      ctx.issue('duplicate-row', undefined, '', `the same usage row as row ${dup}`);
      this.flush(values);
      return;
    }
    const ctText = s.ct >= 0 ? (values[s.ct] ?? '') : '';
    let ctKey = this.ctKeys.get(ctText);
    if (ctKey === undefined) {
      ctKey = chargeTypeKey(ctText);
      if (this.ctKeys.size < 1000) this.ctKeys.set(detach(ctText), ctKey);
    }
    let b: Bucket | undefined;
    const ofSubscription = this.bySubscription.get(sub);
    if (ofSubscription !== undefined)
      for (let i = 0; i < ofSubscription.length; i++) {
        const c = ofSubscription[i] as Bucket;
        if (c.chargeStart === start && c.chargeEndInclusive === end && c.chargeTypeKey === ctKey && c.meterText === meter) {
          b = c;
          break;
        }
      }
    if (b === undefined) {
      // A new bucket keeps this row's text fields; later rows of the bucket share its key's text.
      fillValues();
      ctx.start(values, row);
      ctx.refuseControlCharacters();
      if (ctx.issues.length > 0) {
        this.textRefusals++;
        this.flush(values);
        return;
      }
      b = {
        firstRow: row,
        meterText: detach(meter),
        values: this.keptValues(values),
        subscriptionId: detach(sub.trim()),
        meterId: detach(meter.trim()),
        chargeStart: start as CalendarDate,
        chargeEndInclusive: end as CalendarDate,
        chargeTypeText: detach(ctText),
        chargeTypeKey: ctKey,
        currency: currency as string,
        pricingCurrency: undefined,
        rowCount: 0,
        firstUsage: usage as CalendarDate,
        lastUsage: usage as CalendarDate,
        quantity: new ExactSum(),
        amount: new ExactSum(),
        pricing: null,
      };
      this.add(keyOf(sub, meter, start as CalendarDate, end as CalendarDate, ctKey), detach(sub), b);
      st.notePeriod(periodFromInclusive(b.chargeStart, b.chargeEndInclusive));
    }
    b.rowCount++;
    if ((usage as number) < b.firstUsage) b.firstUsage = usage as CalendarDate;
    if ((usage as number) > b.lastUsage) b.lastUsage = usage as CalendarDate;
    b.quantity.addRead(this.qty);
    if (s.amt >= 0) b.amount.addRead(this.amt);
    if (prcText !== '') {
      (b.pricing ??= new ExactSum()).addRead(this.prc);
      if (b.pricingCurrency === undefined && s.pcur >= 0) b.pricingCurrency = ctx.currencies.read(values[s.pcur] ?? '') ?? undefined;
    }
    if (s.inv >= 0) {
      const inv = values[s.inv];
      if (inv !== this.lastInvoice) {
        this.lastInvoice = detach(inv);
        st.noteInvoice(inv?.trim());
      }
    }
    st.rowsAccepted++;
  }

  /** Slow path: work out every reason a row failed, for the report. */
  private reject(
    values: (string | undefined)[],
    row: number,
    start: CalendarDate | null,
    end: CalendarDate | null,
    usage: CalendarDate | null,
    qtyOk: boolean,
    amtOk: boolean,
    prcOk: boolean,
    currency: string | null,
  ): void {
    const ctx = this.ctx;
    ctx.start(values, row);
    ctx.requireText('subscriptionId');
    ctx.requireText('meterId');
    if (start === null) ctx.date('chargeStartDate', true);
    if (end === null) ctx.date('chargeEndDate', true);
    if (usage === null) ctx.date('usageDate', true);
    if (start !== null && end !== null && end < start) {
      ctx.issue('bad-date', 'chargeEndDate', ctx.raw('chargeEndDate') ?? '', `${ctx.column('chargeEndDate')} is before ${ctx.column('chargeStartDate')}`);
    }
    if (!qtyOk) ctx.issue('bad-number', 'quantity', ctx.raw('quantity') ?? '', `${ctx.column('quantity')} is not a decimal number`);
    if (!amtOk) ctx.issue('bad-number', 'subtotal', ctx.raw('subtotal') ?? '', `${ctx.column('subtotal')} is not a decimal number`);
    if (!prcOk) ctx.issue('bad-number', 'pricingSubtotal', ctx.raw('pricingSubtotal') ?? '', `${ctx.column('pricingSubtotal')} is not a decimal number`);
    for (const [f, kind] of [
      ['quantity', 'decimal'],
      ['subtotal', 'money'],
      ['pricingSubtotal', 'money'],
    ] as const) {
      const v = ctx.raw(f);
      const d = v === undefined || v.trim() === '' ? null : parseDecimalText(v);
      const why = d === null ? null : beyondRange(d, kind);
      if (why !== null) ctx.issue('bad-number', f, v as string, `${ctx.column(f)} ${why}`);
    }
    if (currency === null) ctx.currency('currency', undefined);
    else if (ctx.issues.length === 0 && currency !== '' && currency !== this.state.billingCurrency) {
      this.state.noteCurrency(currency);
      ctx.issue(
        'mixed-currencies',
        'currency',
        ctx.raw('currency') ?? currency,
        `billing currency ${currency} differs from the file's ${this.state.billingCurrency ?? ''}`,
      );
    }
    if (ctx.issues.length === 0) ctx.issue('missing-value', undefined, '', 'row refused');
    this.flush(values);
  }

  private beyond(text: string | undefined, kind: RangeKind): boolean {
    const d = text === undefined ? null : parseDecimalText(text);
    return d !== null && beyondRange(d, kind) !== null;
  }

  /** Refuses the row with its issues and, when its pre-tax amount reads as a number in range, that money. */
  private flush(values: readonly (string | undefined)[]): void {
    const s = this.s;
    const text = s.amt >= 0 ? values[s.amt] : undefined;
    const parsed = text === undefined || text.trim() === '' ? null : parseDecimalText(text);
    const amount = parsed !== null && beyondRange(parsed, 'money') === null ? parsed : undefined;
    const cur = s.cur >= 0 ? (this.ctx.currencies.read(values[s.cur] ?? '') ?? undefined) : this.opts.defaultCurrency;
    this.state.rejectRow(this.ctx.issues, { amount, currency: cur });
  }

  /**
   * The row's texts an aggregate is described by (finish() reads them), the other slots left
   * empty: a bucket kept all 33 of a usage row's fields, which chunks also copy between threads.
   */
  private keptValues(values: readonly (string | undefined)[]): (string | undefined)[] {
    const kept = new Array<string | undefined>(values.length).fill(undefined);
    for (const slot of this.describedBy) kept[slot] = detach(values[slot]);
    return kept;
  }

  private add(key: string, subscriptionText: string, b: Bucket): void {
    this.buckets.set(key, b);
    const list = this.bySubscription.get(subscriptionText);
    if (list === undefined) this.bySubscription.set(subscriptionText, [b]);
    else list.push(b);
  }

  /**
   * The buckets so far as plain data (what a chunk of a file hands to the merge), one at a time: a
   * caller serializing them holds one at a time.
   */
  eachBucketState(take: (state: BucketState) => void): void {
    for (const [key, b] of this.buckets)
      take({
        ...b,
        key,
        quantity: b.quantity.toState(),
        amount: b.amount.toState(),
        pricing: b.pricing === null ? null : b.pricing.toState(),
      });
  }

  /**
   * Adds the buckets of a later chunk of the same file, its rows numbered from `rowOffset` on: a
   * key already here keeps its first row's text and gains the chunk's rows, sums and usage dates.
   */
  absorbBuckets(states: readonly BucketState[], rowOffset: number): void {
    for (const c of states) {
      const b = this.buckets.get(c.key);
      if (b === undefined) {
        const quantity = new ExactSum();
        quantity.addState(c.quantity);
        const amount = new ExactSum();
        amount.addState(c.amount);
        let pricing: ExactSum | null = null;
        if (c.pricing !== null) (pricing = new ExactSum()).addState(c.pricing);
        this.add(c.key, c.key.slice(0, c.key.indexOf(KEY_SEPARATOR)), {
          firstRow: c.firstRow + rowOffset,
          meterText: c.meterText,
          values: [...c.values],
          subscriptionId: c.subscriptionId,
          meterId: c.meterId,
          chargeStart: c.chargeStart,
          chargeEndInclusive: c.chargeEndInclusive,
          chargeTypeText: c.chargeTypeText,
          chargeTypeKey: c.chargeTypeKey,
          currency: c.currency,
          pricingCurrency: c.pricingCurrency,
          rowCount: c.rowCount,
          firstUsage: c.firstUsage,
          lastUsage: c.lastUsage,
          quantity,
          amount,
          pricing,
        });
        continue;
      }
      b.rowCount += c.rowCount;
      if (c.firstUsage < b.firstUsage) b.firstUsage = c.firstUsage;
      if (c.lastUsage > b.lastUsage) b.lastUsage = c.lastUsage;
      b.quantity.addState(c.quantity);
      b.amount.addState(c.amount);
      if (c.pricing !== null) (b.pricing ??= new ExactSum()).addState(c.pricing);
      b.pricingCurrency ??= c.pricingCurrency;
    }
  }

  /** The aggregates, sorted by first row, with exact Decimal sums. Also fills the header totals. */
  finish(): UsageAggregate[] {
    const slot = this.ctx.resolved.slot;
    const out: UsageAggregate[] = [];
    const text = (b: Bucket, s: number): string | undefined => {
      if (s < 0) return undefined;
      const v = b.values[s]?.trim();
      return v === undefined || v === '' ? undefined : v;
    };
    for (const b of [...this.buckets.values()].sort((x, y) => x.firstRow - y.firstRow)) {
      const quantity = b.quantity.toDecimal();
      const amount: Decimal = b.amount.toDecimal();
      const label = chargeTypeLabel(b.chargeTypeText);
      const optional: Record<string, string | Decimal | undefined> = {};
      for (const f of DESCRIBED_BY) optional[f] = text(b, slot[f]);
      const agg: UsageAggregate = dropUndefined({
        kind: 'usage',
        format: this.ctx.resolved.format.id,
        firstRow: b.firstRow,
        subscriptionId: b.subscriptionId,
        meterId: b.meterId,
        chargeType: label,
        chargeTypeKey: b.chargeTypeKey,
        chargeStart: b.chargeStart,
        chargeEndInclusive: b.chargeEndInclusive,
        period: periodFromInclusive(b.chargeStart, b.chargeEndInclusive),
        currency: b.currency,
        rowCount: b.rowCount,
        firstUsageDate: b.firstUsage,
        lastUsageDate: b.lastUsage,
        quantity,
        amount,
        ...optional,
        pricingAmount: b.pricing?.toDecimal(),
        pricingCurrency: b.pricingCurrency,
      });
      out.push(agg);
      this.state.addTotal(b.chargeTypeKey, label, b.rowCount, amount, quantity);
    }
    return out;
  }
}
