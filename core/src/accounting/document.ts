/**
 * An issued invoice or credit note as an accounting document (one call for `npm run post` and the
 * Dynamics posting run): its non-tax lines with their account or item and tax code from the
 * mapping, each line's share of our tax to the cent, and the totals the accounting system must show.
 * A mapping the documents need and the mapping lacks is listed, never guessed.
 */
import { Decimal, minorUnits } from '../money';
import type { Invoice, InvoiceLine } from '../invoicing/model';
import {
  AccountingError,
  EXEMPT,
  NO_TAX,
  SYSTEM_NAMES,
  type AccountingMapping,
  type LineCategory,
  type MissingMapping,
  type PostingDocument,
  type PostingLine,
  type TaxKey,
} from './types';

const ZERO = new Decimal(0);

export interface PostingPlan {
  readonly documents: readonly PostingDocument[];
  /** Documents that cannot be posted as they are (each is Failed with the reason; the others post). */
  readonly unpostable: ReadonlyArray<{ readonly number: string; readonly reason: string }>;
  /** Every mapping some document lacks, with the documents that need it; nothing posts while one is missing. */
  readonly missing: readonly MissingMapping[];
}

/** The tax key of a document's taxable lines: its tax lines' jurisdictions, `exempt`, or `none` when it charges no tax. */
export function documentTaxKey(invoice: Invoice): TaxKey {
  if (invoice.taxExempt) return EXEMPT;
  const jurisdictions = [...new Set(invoice.lines.filter((l) => l.type === 'tax').map((l) => l.jurisdiction ?? 'tax'))].sort();
  return jurisdictions.length === 0 ? NO_TAX : jurisdictions.join('+');
}

/**
 * Each posted line's share of the document's tax, to the cent. A per-line tax line names its line
 * (`appliesToLineId`); a per-invoice tax line is shared over the lines it was computed on in
 * proportion to their amounts, by largest remainder, so the shares add up to it exactly.
 */
export function lineTaxShares(invoice: Invoice): Map<string, Decimal> {
  const places = minorUnits(invoice.currency);
  const unit = new Decimal(1).div(new Decimal(10).pow(places));
  const shares = new Map<string, Decimal>();
  const add = (id: string, d: Decimal) => shares.set(id, (shares.get(id) ?? ZERO).plus(d));
  const base = invoice.lines.filter((l) => l.type !== 'tax' && l.taxable);
  for (const tax of invoice.lines.filter((l) => l.type === 'tax')) {
    const target = tax.appliesToLineId ? invoice.lines.find((l) => l.id === tax.appliesToLineId || l.key === tax.appliesToLineId) : undefined;
    if (target) {
      add(target.id, tax.amount);
      continue;
    }
    // A zero tax (taxable lines netting to nothing) shares nothing.
    if (tax.amount.isZero()) continue;
    // Shared as if positive, then signed: a credit note's shares mirror its invoice's exactly.
    const sign = tax.amount.isNegative() ? -1 : 1;
    const taxAbs = tax.amount.abs();
    const amounts = base.map((l) => l.amount.times(sign));
    const sum = amounts.reduce((s, a) => s.plus(a), ZERO);
    if (base.length === 0 || sum.isZero())
      throw new AccountingError(
        `invoice ${invoice.invoiceNumber ?? invoice.draftKey}: a tax of ${tax.amount.toFixed()} without taxable lines to share it over`,
        tax,
      );
    // Floor each share in minor units, then hand the cents left to the largest remainders (first line on a tie).
    const exact = amounts.map((a) => taxAbs.times(a).div(sum));
    const floors = exact.map((e) => e.div(unit).floor().times(unit));
    let left = taxAbs
      .minus(floors.reduce((s, f) => s.plus(f), ZERO))
      .div(unit)
      .round()
      .toNumber();
    const order = exact.map((e, i) => ({ i, rest: e.minus(floors[i]!) })).sort((a, b) => b.rest.comparedTo(a.rest) || a.i - b.i);
    for (const { i } of order) {
      if (left <= 0) break;
      floors[i] = floors[i]!.plus(unit);
      left -= 1;
    }
    floors.forEach((f, i) => (floors[i] = f.times(sign)));
    base.forEach((l, i) => add(l.id, floors[i]!));
  }
  return shares;
}

/** Our quantity and unit price when they give the amount exactly (with at most `unitPlaces` decimals), else 1 x the amount. */
function quantityAndPrice(line: InvoiceLine, sign: Decimal, unitPlaces: number): { quantity: Decimal; unitPrice: Decimal } {
  const amount = line.amount.times(sign);
  const q = line.quantity?.times(sign);
  const p = line.unitPrice;
  if (q && p && q.isPositive() && q.decimalPlaces() <= QUANTITY_PLACES && p.decimalPlaces() <= unitPlaces && q.times(p).equals(amount))
    return { quantity: q, unitPrice: p };
  return { quantity: new Decimal(1), unitPrice: amount };
}

/** Quantity decimals every system takes (Xero and Business Central 4; QuickBooks more). */
const QUANTITY_PLACES = 4;

/** Unit-price decimals each system takes: Xero 4 (with unitdp=4), QuickBooks and Business Central more; our prices are kept at 4. */
const UNIT_PLACES = { bc: 4, xero: 4, qbo: 4 } as const;

export function planPosting(invoices: readonly Invoice[], mapping: AccountingMapping): PostingPlan {
  const missing = new Map<string, { kind: MissingMapping['kind']; key: string; label: string; documents: string[] }>();
  const need = (kind: MissingMapping['kind'], key: string, label: string, document: string) => {
    const id = `${kind}|${key}`;
    const m = missing.get(id) ?? { kind, key, label, documents: [] };
    if (!m.documents.includes(document)) m.documents.push(document);
    missing.set(id, m);
  };
  const system = SYSTEM_NAMES[mapping.system];
  const documents: PostingDocument[] = [];
  const unpostable: Array<{ number: string; reason: string }> = [];
  for (const invoice of invoices) {
    if (invoice.status !== 'issued' || !invoice.invoiceNumber)
      throw new AccountingError(`only issued documents post (${invoice.draftKey} is a ${invoice.status})`, invoice.draftKey);
    const number = invoice.invoiceNumber;
    let shares: Map<string, Decimal>;
    try {
      shares = lineTaxShares(invoice);
    } catch (e) {
      if (!(e instanceof AccountingError)) throw e;
      unpostable.push({ number, reason: e.message });
      continue;
    }
    const sign = new Decimal(invoice.kind === 'creditNote' ? -1 : 1);
    const customerRef = mapping.customers[invoice.customerId];
    if (!customerRef) need('customer', invoice.customerId, `customer '${invoice.customerName ?? invoice.customerId}' has no ${system} customer`, number);
    const taxKey = documentTaxKey(invoice);
    const lines: PostingLine[] = [];
    for (const line of invoice.lines.filter((l) => l.type !== 'tax')) {
      const category = line.type as LineCategory;
      const lineTaxKey = line.taxable ? taxKey : NO_TAX;
      const accountRef = mapping.categories[category];
      const taxCode = mapping.taxCodes[lineTaxKey];
      if (!accountRef) need('category', category, `line category '${category}' has no ${system} ${mapping.system === 'qbo' ? 'item' : 'account'}`, number);
      if (!taxCode) need('tax', lineTaxKey, `tax '${lineTaxKey}' has no ${system} tax code`, number);
      const { quantity, unitPrice } = quantityAndPrice(line, sign, UNIT_PLACES[mapping.system]);
      lines.push({
        category,
        description: line.description,
        quantity,
        unitPrice,
        amount: line.amount.times(sign),
        tax: (shares.get(line.id) ?? ZERO).times(sign),
        taxKey: lineTaxKey,
        accountRef: accountRef ?? '',
        taxCode: taxCode ?? '',
      });
    }
    documents.push({
      system: mapping.system,
      kind: invoice.kind,
      number,
      customerId: invoice.customerId,
      customerName: invoice.customerName ?? invoice.customerId,
      customerRef: customerRef ?? '',
      date: invoice.issuedOn ?? invoice.invoiceDate,
      dueDate: invoice.dueDate,
      currency: invoice.currency,
      lines,
      subtotal: invoice.subtotal.times(sign),
      tax: invoice.tax.times(sign),
      total: invoice.total.times(sign),
    });
  }
  return {
    documents,
    unpostable,
    missing: [...missing.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.key.localeCompare(b.key)),
  };
}
