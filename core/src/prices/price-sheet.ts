/**
 * Microsoft's new-commerce licence-based price list: the CSV partners download from Partner Center
 * (Pricing and offers) and the file the price sheet API streams (`GET
 * https://api.partner.microsoft.com/v1.0/sales/pricesheets(Market='{market}',PricesheetView='updatedlicensebased')/$value`,
 * "Get a price sheet", learn.microsoft.com/partner-center/developer/get-a-price-sheet). Columns:
 * ProductTitle, ProductId, SkuId, SkuTitle, Publisher, SkuDescription, UnitOfMeasure, TermDuration,
 * BillingPlan, Market, Currency, UnitPrice, PricingTierRangeMin, PricingTierRangeMax,
 * EffectiveStartDate, EffectiveEndDate, Tags, ERP Price, Segment.
 *
 * Read as a stream of text (the caller decodes: core has no I/O), with the same accounting as a
 * bill: every data row is accepted or rejected with its row, column, value and reason; a file that
 * is not a price list (a required column missing) is one file-level error. Prices are kept as the
 * file's text, checked to be exact decimals, and become Decimals only when looked up: 300,000 rows
 * of Decimals would cost memory for rows never asked about.
 */
import { addDays, formatIso, parseDate, type CalendarDate } from '../calendar';
import { Decimal, isKnownCurrency } from '../money';
import { CsvScanner } from '../import/csv-scanner';
import { detach } from '../import/detach';
import type { BillingPlan, Term } from '../nce/terms';

export interface PriceRow {
  /** Spreadsheet row of the file (header = 1). */
  readonly row: number;
  /** The file the row came from: what a finding cites. */
  readonly sheet?: string;
  readonly productId: string;
  readonly skuId: string;
  readonly productTitle: string;
  readonly skuTitle: string;
  readonly term: Term;
  readonly billingPlan: BillingPlan;
  readonly market: string;
  readonly currency: string;
  /** The partner's unit price per seat per billing cycle, exact text in `priceText`'s form ("10.80"). */
  readonly unitPrice: string;
  /** Microsoft's suggested retail (ERP) price, exact text, when the file has one. */
  readonly erpPrice?: string;
  /** Quantity tier: the price holds for quantities from tierMin to tierMax (no max: any above min). */
  readonly tierMin?: number;
  readonly tierMax?: number;
  /** [effectiveStart, effectiveEnd): the file's EffectiveEndDate is the last day the price holds. */
  readonly effectiveStart: CalendarDate;
  readonly effectiveEnd: CalendarDate | null;
  readonly segment?: string;
}

export interface RejectedPriceRow {
  readonly row: number;
  readonly column: string;
  readonly value: string;
  readonly reason: string;
}

export interface PriceSheet {
  readonly fileName: string;
  readonly rows: readonly PriceRow[];
  readonly rejected: readonly RejectedPriceRow[];
  readonly rowsRead: number;
  /** The file itself could not be read as a price list (then rows is empty). */
  readonly failed?: { readonly reason: string; readonly row: number; readonly column?: string };
}

/** Column names as Microsoft writes them; matched without case, spaces or underscores. */
const COLUMNS = {
  productTitle: 'ProductTitle',
  productId: 'ProductId',
  skuId: 'SkuId',
  skuTitle: 'SkuTitle',
  term: 'TermDuration',
  billingPlan: 'BillingPlan',
  market: 'Market',
  currency: 'Currency',
  unitPrice: 'UnitPrice',
  tierMin: 'PricingTierRangeMin',
  tierMax: 'PricingTierRangeMax',
  effectiveStart: 'EffectiveStartDate',
  effectiveEnd: 'EffectiveEndDate',
  erpPrice: 'ERP Price',
  segment: 'Segment',
} as const;
type Field = keyof typeof COLUMNS;
const REQUIRED: readonly Field[] = ['productId', 'skuId', 'term', 'billingPlan', 'market', 'currency', 'unitPrice', 'effectiveStart'];
const FIELDS = Object.keys(COLUMNS) as Field[];
const norm = (s: string): string =>
  s
    .replace(/^\uFEFF/, '')
    .replace(/[\s_]/g, '')
    .toLowerCase();

const TERMS: Readonly<Record<string, Term>> = { p1m: 'P1M', p1y: 'P1Y', p3y: 'P3Y' };
const PLANS: Readonly<Record<string, BillingPlan>> = {
  monthly: 'monthly',
  annual: 'annual',
  triennial: 'triennial',
  p1m: 'monthly',
  p1y: 'annual',
  p3y: 'triennial',
};
const DECIMAL = /^-?\d+(\.\d+)?$/;
/** Microsoft writes "no end" as a far date (9999-12-31) or leaves it empty. */
const NO_END_YEAR = 9999;

export class PriceSheetReader {
  private readonly scanner = new CsvScanner();
  private started = false;
  private header: number[] | null = null;
  private readonly rows: PriceRow[] = [];
  private readonly rejected: RejectedPriceRow[] = [];
  private rowsRead = 0;
  private failed: PriceSheet['failed'];
  private readonly dates = new Map<string, CalendarDate | null>();
  private readonly texts = new Map<string, string>();

  constructor(private readonly fileName: string) {}

  /** The next piece of decoded text (any size; a record split across pieces is rescanned). */
  push(text: string): void {
    if (this.failed) return;
    this.scanner.append(text);
    this.drain(false);
  }

  finish(): PriceSheet {
    if (!this.failed) this.drain(true);
    if (!this.failed && this.header === null) this.failed = { reason: 'the file is empty', row: 1 };
    return {
      fileName: this.fileName,
      rows: this.failed ? [] : this.rows,
      rejected: this.rejected,
      rowsRead: this.rowsRead,
      ...(this.failed ? { failed: this.failed } : {}),
    };
  }

  private drain(final: boolean): void {
    const sc = this.scanner;
    if (!this.started) {
      if (sc.detectLineEnding(final) === 'need-more') return;
      sc.detectDelimiter();
      sc.select(null, 0);
      this.started = true;
    }
    for (;;) {
      const status = sc.next(final);
      if (status !== 'record') return;
      if (sc.unterminatedQuote) {
        this.failed = { reason: `a quoted field that starts at row ${sc.row} never ends`, row: sc.row };
        return;
      }
      if (this.header === null) {
        if (!this.readHeader()) return;
        continue;
      }
      const values = sc.values;
      if (values.every((v) => v === undefined || v.trim() === '')) continue;
      this.rowsRead++;
      this.readRow(sc.row, values);
    }
  }

  private readHeader(): boolean {
    const names = this.scanner.values.map((v) => norm(v ?? ''));
    const at = FIELDS.map((f) => names.indexOf(norm(COLUMNS[f])));
    const missing = REQUIRED.filter((f) => at[FIELDS.indexOf(f)]! < 0);
    if (missing.length > 0) {
      this.failed = {
        reason: `not Microsoft's licence-based price list: ${missing.map((f) => COLUMNS[f]).join(', ')} missing from the header`,
        row: this.scanner.row,
        column: COLUMNS[missing[0]!],
      };
      return false;
    }
    this.header = at;
    return true;
  }

  private readRow(row: number, values: readonly (string | undefined)[]): void {
    const get = (f: Field): string => {
      const i = this.header![FIELDS.indexOf(f)]!;
      return i < 0 ? '' : (values[i] ?? '').trim();
    };
    const reject = (f: Field, reason: string): void => void this.rejected.push({ row, column: COLUMNS[f], value: get(f), reason });
    for (const f of REQUIRED) if (get(f) === '') return reject(f, `${COLUMNS[f]} is empty`);
    const term = TERMS[get('term').toLowerCase()];
    if (!term) return reject('term', 'not a new-commerce term (P1M, P1Y or P3Y)');
    const billingPlan = PLANS[get('billingPlan').toLowerCase()];
    if (!billingPlan) return reject('billingPlan', 'not a billing plan (Monthly, Annual or Triennial)');
    const currency = get('currency').toUpperCase();
    if (!isKnownCurrency(currency)) return reject('currency', 'not an ISO 4217 currency code');
    const unitPrice = get('unitPrice');
    if (!DECIMAL.test(unitPrice)) return reject('unitPrice', 'not a decimal number');
    const erpPrice = get('erpPrice');
    if (erpPrice !== '' && !DECIMAL.test(erpPrice)) return reject('erpPrice', 'not a decimal number');
    const tierMin = get('tierMin');
    const tierMax = get('tierMax');
    if (tierMin !== '' && !/^\d+$/.test(tierMin)) return reject('tierMin', 'not a whole number');
    if (tierMax !== '' && !/^\d+$/.test(tierMax)) return reject('tierMax', 'not a whole number');
    if (tierMin !== '' && tierMax !== '' && Number(tierMax) < Number(tierMin)) return reject('tierMax', `below ${COLUMNS.tierMin} ${tierMin}`);
    const effectiveStart = this.date(get('effectiveStart'));
    if (effectiveStart === null) return reject('effectiveStart', 'not a date');
    const endText = get('effectiveEnd');
    let effectiveEnd: CalendarDate | null = null;
    if (endText !== '') {
      const last = this.date(endText);
      if (last === null) return reject('effectiveEnd', 'not a date');
      if (last < effectiveStart) return reject('effectiveEnd', `before ${COLUMNS.effectiveStart} ${formatIso(effectiveStart)}`);
      effectiveEnd = formatIso(last).startsWith(`${NO_END_YEAR}-`) ? null : addDays(last, 1);
    }
    const segment = get('segment');
    this.rows.push({
      row,
      sheet: this.fileName,
      productId: this.text(get('productId').toUpperCase()),
      skuId: this.text(get('skuId').toUpperCase()),
      productTitle: this.text(get('productTitle')),
      skuTitle: this.text(get('skuTitle')),
      term,
      billingPlan,
      market: this.text(get('market').toUpperCase()),
      currency: this.text(currency),
      unitPrice: this.text(priceText(unitPrice)),
      ...(erpPrice !== '' ? { erpPrice: this.text(priceText(erpPrice)) } : {}),
      ...(tierMin !== '' ? { tierMin: Number(tierMin) } : {}),
      ...(tierMax !== '' ? { tierMax: Number(tierMax) } : {}),
      effectiveStart,
      effectiveEnd,
      ...(segment !== '' ? { segment: this.text(segment) } : {}),
    });
  }

  /** A date as the file writes it (ISO, with or without a time; or M/D/YYYY), each distinct text parsed once. */
  private date(text: string): CalendarDate | null {
    let d = this.dates.get(text);
    if (d !== undefined) return d;
    try {
      d = parseDate(text.replace(/^(\d{4}-\d{2}-\d{2})[T ].*$/, '$1'));
    } catch {
      d = null;
    }
    this.dates.set(text, d);
    return d;
  }

  /** One string per distinct text: 300,000 rows repeat a few thousand products, markets and prices. */
  private text(s: string): string {
    const known = this.texts.get(s);
    if (known !== undefined) return known;
    const own = detach(s);
    this.texts.set(own, own);
    return own;
  }
}

/**
 * A price as text in one form whatever wrote it (the sheet's "10.8", Dataverse's 10.800000): at
 * least two places, no trailing zero beyond them. A finding cites the same text either way.
 */
export function priceText(text: string): string {
  const d = new Decimal(text);
  return d.toFixed(Math.max(2, d.decimalPlaces()));
}

/** A whole text read at once (tests, small files). */
export function readPriceSheet(text: string, fileName = 'price sheet'): PriceSheet {
  const reader = new PriceSheetReader(fileName);
  reader.push(text);
  return reader.finish();
}
