import { dropUndefined } from '../objects';
import { periodFromInclusive } from '../calendar';
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
/** Distinct decimal texts a line builder keeps shared Decimals for. */
const DECIMAL_CACHE_SIZE = 4096;

export class LineBuilder {
  readonly lines: BillLine[] = [];
  private readonly seen = new Map<string, number>();
  /**
   * Decimals by their text, shared between lines (Decimals never change): a bill repeats its unit
   * prices, quantities, zero taxes and exchange rates on line after line, and a Decimal costs about
   * 250 bytes. Bounded, so a file of all-different amounts keeps at most DECIMAL_CACHE_SIZE.
   */
  private readonly decimals = new Map<string, Decimal>();

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
    const period = periodFromInclusive(chargeStart, chargeEndInclusive);
    const quantity = (billable ?? ordered) as Decimal;
    const amount = (subtotal ?? total) as Decimal;
    const key = chargeTypeKey(chargeTypeText);
    const line: BillLine = dropUndefined({
      kind: 'line',
      format: ctx.resolved.format.id,
      row,
      invoiceNumber: ctx.text('invoiceNumber'),
      customerId: ctx.text('customerId'),
      customerName: ctx.text('customerName'),
      customerDomain: ctx.text('customerDomain'),
      resellerMpnId: ctx.text('resellerMpnId'),
      subscriptionId: ctx.text('subscriptionId') ?? '',
      subscriptionDescription: ctx.text('subscriptionDescription'),
      productId: ctx.text('productId'),
      skuId: ctx.text('skuId'),
      productName: ctx.text('productName'),
      skuName: ctx.text('skuName'),
      offerId: ctx.text('offerId'),
      productCategory: ctx.text('productCategory'),
      chargeType: chargeTypeLabel(chargeTypeText),
      chargeTypeKey: key,
      chargeStart,
      chargeEndInclusive,
      period,
      currency: currency as string,
      orderId: ctx.text('orderId'),
      orderDate,
      subscriptionStart,
      subscriptionEnd,
      meterId: ctx.text('meterId'),
      meterName: ctx.text('meterName'),
      unit: ctx.text('unit'),
      unitPrice,
      effectiveUnitPrice,
      quantity,
      orderedQuantity: billable !== undefined ? ordered : undefined,
      subtotal,
      tax,
      total,
      amount,
      pricingCurrency,
      exchangeRate,
      referenceId: ctx.text('referenceId'),
      termAndBillingCycle: ctx.text('termAndBillingCycle'),
      billingFrequency: ctx.text('billingFrequency'),
      productQualifiers: ctx.text('productQualifiers'),
    });
    this.lines.push(line);
    st.rowsAccepted++;
    st.noteInvoice(line.invoiceNumber);
    st.notePeriod(period);
    st.addTotal(key, line.chargeType, 1, amount, quantity);
  }
}
