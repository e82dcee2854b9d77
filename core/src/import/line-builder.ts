import { sharedPeriod } from '../calendar';
import { SharedValues } from '../objects';
import { Decimal } from '../money';
import { parseDecimalText } from './exact-sum';

import { beyondRange } from './ranges';

/** Licence quantities are seats: a whole number's range; every other number here is money. */
const QUANTITY_FIELDS: ReadonlySet<FieldName> = new Set<FieldName>(['quantity', 'billableQuantity']);
import { FieldName } from './fields';
import { ImportState } from './import-state';
import { RowContext } from './row-context';
import { BillLine } from './types';
import { chargeTypeKey, chargeTypeLabel } from './value-parsers';
import { detach } from './detach';

/**
 * Turns one row of a one-to-one format (licence lines, legacy monthly usage, distributor lines)
 * into a BillLine, or into errors. Values are validated completely before anything is recorded.
 */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Distinct decimal texts a line builder keeps shared Decimals for. */
const DECIMAL_CACHE_SIZE = 4096;
/** Distinct texts of repeated columns a line builder shares between lines. */
const SHARED_TEXT_CACHE_SIZE = 65_536;

export class LineBuilder {
  readonly lines: BillLine[] = [];
  private readonly seen = new Map<string, number>();
  /**
   * Decimals by their text, shared between lines (Decimals never change): a bill repeats its unit
   * prices, quantities, zero taxes and exchange rates on line after line, and a Decimal costs about
   * 250 bytes. Bounded, so a file of all-different amounts keeps at most DECIMAL_CACHE_SIZE.
   */
  private readonly decimals = new Map<string, Decimal>();
  /**
   * One string per distinct text of the columns lines repeat (customer, product, SKU, invoice,
   * term): 50,000 licence lines held each its own copy, a third of their memory. Bounded like the
   * decimals; order and reference ids, unique per line, are not kept here.
   */
  private readonly texts = new SharedValues<string, string>(SHARED_TEXT_CACHE_SIZE);

  constructor(
    private readonly ctx: RowContext,
    private readonly state: ImportState,
    private readonly opts: { readonly defaultCurrency?: string; readonly endExclusive: boolean; readonly detectDuplicates: boolean },
  ) {}

  accept(values: readonly (string | undefined)[], row: number, rawText: string): void {
    const ctx = this.ctx;
    const st = this.state;
    ctx.start(values, row);
    st.rowsRead++;
    const decimal = (f: FieldName, required: boolean): Decimal | undefined => {
      const v = ctx.raw(f);
      if (v === undefined || v.trim() === '') {
        if (required) ctx.issue('bad-number', f, v ?? '', `${ctx.column(f)} is empty`);
        return undefined;
      }
      const known = this.decimals.get(v);
      if (known !== undefined) return known;
      const d = parseDecimalText(v);
      if (d === null) ctx.issue('bad-number', f, v, `${ctx.column(f)} is not a decimal number`);
      else if (d.abs().gt(0) && beyondRange(d, QUANTITY_FIELDS.has(f) ? 'whole number' : 'money') !== null) {
        ctx.issue('bad-number', f, v, `${ctx.column(f)} ${beyondRange(d, QUANTITY_FIELDS.has(f) ? 'whole number' : 'money') as string}`);
        return undefined;
      } else if (this.decimals.size < DECIMAL_CACHE_SIZE) this.decimals.set(detach(v), d);
      return d ?? undefined;
    };
    const slot = ctx.resolved.slot;
    const chargeTypeText = ctx.raw('chargeType') ?? '';
    const start = ctx.date('chargeStartDate', true);
    const endRaw = ctx.date('chargeEndDate', true);
    const end = endRaw === undefined ? undefined : this.opts.endExclusive ? ((endRaw - 1) as typeof endRaw) : endRaw;
    if (start !== undefined && end !== undefined && end < start) {
      ctx.issue('bad-date', 'chargeEndDate', ctx.raw('chargeEndDate') ?? '', `${ctx.column('chargeEndDate')} is before ${ctx.column('chargeStartDate')}`);
    }
    const orderDate = ctx.date('orderDate', false);
    const subscriptionStart = ctx.date('subscriptionStartDate', false);
    const subscriptionEnd = ctx.date('subscriptionEndDate', false);
    const hasBillable = slot.billableQuantity >= 0 && (ctx.text('billableQuantity') !== undefined || slot.quantity < 0);
    const billable = hasBillable ? decimal('billableQuantity', true) : undefined;
    const ordered = decimal('quantity', !hasBillable);
    const hasSubtotal = slot.subtotal >= 0 && (ctx.text('subtotal') !== undefined || slot.total < 0);
    const subtotal = decimal('subtotal', hasSubtotal);
    const total = decimal('total', !hasSubtotal);
    const tax = decimal('taxTotal', false);
    const unitPrice = decimal('unitPrice', false);
    const effectiveUnitPrice = decimal('effectiveUnitPrice', false);
    const exchangeRate = decimal('exchangeRate', false);
    const currency = ctx.currency('currency', this.opts.defaultCurrency);
    const pricingCurrency = slot.pricingCurrency >= 0 && ctx.text('pricingCurrency') !== undefined ? ctx.currency('pricingCurrency', undefined) : undefined;
    ctx.refuseControlCharacters();
    if (currency !== undefined && ctx.issues.length === 0) {
      st.noteCurrency(currency);
      if (st.billingCurrency === null) st.billingCurrency = currency;
      else if (currency !== st.billingCurrency) {
        ctx.issue(
          'mixed-currencies',
          'currency',
          ctx.raw('currency') ?? currency,
          `billing currency ${currency} differs from the file's ${st.billingCurrency}`,
        );
      }
    }
    if (ctx.issues.length === 0 && this.opts.detectDuplicates) {
      const key = rawText.replace(/[\r\n]+$/, '');
      const first = this.seen.get(key);
      if (first !== undefined) ctx.issue('duplicate-row', undefined, key, `the same line as row ${first}`);
      else this.seen.set(detach(key), row);
    }
    if (ctx.issues.length > 0) {
      st.rejectRow(ctx.issues, { amount: subtotal ?? total, currency: currency ?? this.opts.defaultCurrency });
      return;
    }
    const chargeStart = start as NonNullable<typeof start>;
    const chargeEndInclusive = end as NonNullable<typeof end>;
    const period = sharedPeriod(chargeStart, chargeEndInclusive);
    const quantity = (billable ?? ordered) as Decimal;
    const amount = (subtotal ?? total) as Decimal;
    const key = chargeTypeKey(chargeTypeText);
    const shared = (f: FieldName): string | undefined => {
      const t = ctx.text(f);
      return t === undefined ? undefined : this.texts.get(t, () => t);
    };
    // Built by named stores, in this order, leaving out what is absent: the object dropUndefined
    // makes (objects.ts) is as small, but building its literal and entry lists first took a third
    // longer on 50,000 lines (1.05 s against 0.80 s).
    const line: Mutable<BillLine> = { kind: 'line', format: ctx.resolved.format.id, row } as Mutable<BillLine>;
    let v: unknown;
    if ((v = shared('invoiceNumber')) !== undefined) line.invoiceNumber = v as BillLine['invoiceNumber'];
    if ((v = shared('customerId')) !== undefined) line.customerId = v as BillLine['customerId'];
    if ((v = shared('customerName')) !== undefined) line.customerName = v as BillLine['customerName'];
    if ((v = shared('customerDomain')) !== undefined) line.customerDomain = v as BillLine['customerDomain'];
    if ((v = shared('resellerMpnId')) !== undefined) line.resellerMpnId = v as BillLine['resellerMpnId'];
    line.subscriptionId = shared('subscriptionId') ?? '';
    if ((v = shared('subscriptionDescription')) !== undefined) line.subscriptionDescription = v as BillLine['subscriptionDescription'];
    if ((v = shared('productId')) !== undefined) line.productId = v as BillLine['productId'];
    if ((v = shared('skuId')) !== undefined) line.skuId = v as BillLine['skuId'];
    if ((v = shared('productName')) !== undefined) line.productName = v as BillLine['productName'];
    if ((v = shared('skuName')) !== undefined) line.skuName = v as BillLine['skuName'];
    if ((v = shared('offerId')) !== undefined) line.offerId = v as BillLine['offerId'];
    if ((v = shared('productCategory')) !== undefined) line.productCategory = v as BillLine['productCategory'];
    line.chargeType = chargeTypeLabel(chargeTypeText);
    line.chargeTypeKey = key;
    line.chargeStart = chargeStart;
    line.chargeEndInclusive = chargeEndInclusive;
    line.period = period;
    line.currency = currency as string;
    if ((v = ctx.text('orderId')) !== undefined) line.orderId = v as BillLine['orderId'];
    if ((v = orderDate) !== undefined) line.orderDate = v as BillLine['orderDate'];
    if ((v = subscriptionStart) !== undefined) line.subscriptionStart = v as BillLine['subscriptionStart'];
    if ((v = subscriptionEnd) !== undefined) line.subscriptionEnd = v as BillLine['subscriptionEnd'];
    if ((v = shared('meterId')) !== undefined) line.meterId = v as BillLine['meterId'];
    if ((v = shared('meterName')) !== undefined) line.meterName = v as BillLine['meterName'];
    if ((v = shared('unit')) !== undefined) line.unit = v as BillLine['unit'];
    if ((v = unitPrice) !== undefined) line.unitPrice = v as BillLine['unitPrice'];
    if ((v = effectiveUnitPrice) !== undefined) line.effectiveUnitPrice = v as BillLine['effectiveUnitPrice'];
    line.quantity = quantity;
    if ((v = billable !== undefined ? ordered : undefined) !== undefined) line.orderedQuantity = v as BillLine['orderedQuantity'];
    if ((v = subtotal) !== undefined) line.subtotal = v as BillLine['subtotal'];
    if ((v = tax) !== undefined) line.tax = v as BillLine['tax'];
    if ((v = total) !== undefined) line.total = v as BillLine['total'];
    line.amount = amount;
    if ((v = pricingCurrency) !== undefined) line.pricingCurrency = v as BillLine['pricingCurrency'];
    if ((v = exchangeRate) !== undefined) line.exchangeRate = v as BillLine['exchangeRate'];
    if ((v = ctx.text('referenceId')) !== undefined) line.referenceId = v as BillLine['referenceId'];
    if ((v = shared('termAndBillingCycle')) !== undefined) line.termAndBillingCycle = v as BillLine['termAndBillingCycle'];
    if ((v = shared('billingFrequency')) !== undefined) line.billingFrequency = v as BillLine['billingFrequency'];
    if ((v = shared('productQualifiers')) !== undefined) line.productQualifiers = v as BillLine['productQualifiers'];
    this.lines.push(line);
    st.rowsAccepted++;
    st.noteInvoice(line.invoiceNumber);
    st.notePeriod(period);
    st.addTotal(key, line.chargeType, 1, amount, quantity);
  }
}
