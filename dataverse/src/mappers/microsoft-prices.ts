/**
 * Microsoft's price rows (core PriceRow) <-> the cspb_microsoftprice table: the one mapper
 * `npm run prices` writes through and the reconciliation run reads through, so a stale-cost finding
 * cites the same row and price from the CLI's file as from the org's table.
 */
import { addDays, Decimal, formatIso, parseDate, priceText, type CalendarDate, type PriceRow } from '../../../core/src';
import {
  CspbMicrosoftPriceBillingPlanKeys,
  CspbMicrosoftPriceTable,
  CspbMicrosoftPriceTermKeys,
  type CspbMicrosoftPriceRow,
  type CspbMicrosoftPriceWrite,
} from '../../generated/cspb_microsoftprice';
import { choiceMap } from './choice';
import { decimalToWebApi, required } from './values';

const terms = choiceMap(CspbMicrosoftPriceTermKeys, 'cspb_term');
const plans = choiceMap(CspbMicrosoftPriceBillingPlanKeys, 'cspb_billingplan');
const MAX = CspbMicrosoftPriceTable.maxLengths;
/** The table keeps 6 places (the schema's precision): a price with more is refused, never rounded. */
const PLACES = 6;

/** The row's identity: one price per product, SKU, term, plan, market, currency, start and tier. */
export function priceKeyOf(r: PriceRow): string {
  return [r.productId, r.skuId, r.term, r.billingPlan, r.market, r.currency, formatIso(r.effectiveStart), r.tierMin ?? ''].join('|');
}

const clip = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** The sheet's exact text through the one Web API number writer (more places than the column keeps are refused). */
const priceNumber = (text: string, column: string): number => decimalToWebApi(new Decimal(text), column, PLACES)!;

export function priceRowToRecord(r: PriceRow): CspbMicrosoftPriceWrite {
  const until = r.effectiveEnd === null ? null : formatIso(addDays(r.effectiveEnd, -1));
  return {
    cspb_name: clip(
      `${r.productTitle || r.productId} ${r.skuTitle ? `(${r.skuTitle}) ` : ''}${r.term} ${r.billingPlan} ${r.market} from ${formatIso(r.effectiveStart)}`,
      MAX.cspb_name,
    ),
    cspb_productid: r.productId,
    cspb_skuid: r.skuId,
    cspb_skutitle: r.skuTitle ? clip(r.skuTitle, MAX.cspb_skutitle) : null,
    cspb_term: terms.toWebApi(r.term)!,
    cspb_billingplan: plans.toWebApi(r.billingPlan)!,
    cspb_market: r.market,
    cspb_currency: r.currency,
    cspb_unitprice: priceNumber(r.unitPrice, 'cspb_unitprice'),
    cspb_erpprice: r.erpPrice === undefined ? null : priceNumber(r.erpPrice, 'cspb_erpprice'),
    cspb_tiermin: r.tierMin ?? null,
    cspb_tiermax: r.tierMax ?? null,
    cspb_effectivestart: formatIso(r.effectiveStart),
    cspb_effectiveend: until,
    cspb_segment: r.segment ? clip(r.segment, MAX.cspb_segment) : null,
    cspb_sheetname: r.sheet ? clip(r.sheet, MAX.cspb_sheetname) : null,
    cspb_sheetrow: r.row,
    cspb_pricekey: clip(priceKeyOf(r), MAX.cspb_pricekey),
  };
}

export function priceRowFromRecord(row: CspbMicrosoftPriceRow): PriceRow {
  const where = `cspb_microsoftprice ${row.cspb_microsoftpriceid}`;
  // A JSON number's text is the decimal Dataverse stored (6 places at most): exact.
  const text = (v: number | null): string | undefined => (v === null || v === undefined ? undefined : priceText(String(v)));
  const start = parseDate(required(row.cspb_effectivestart, `${where}.cspb_effectivestart`).slice(0, 10));
  const end: CalendarDate | null = row.cspb_effectiveend ? addDays(parseDate(row.cspb_effectiveend.slice(0, 10)), 1) : null;
  const erpPrice = text(row.cspb_erpprice);
  return {
    row: row.cspb_sheetrow ?? 0,
    ...(row.cspb_sheetname ? { sheet: row.cspb_sheetname } : {}),
    productId: row.cspb_productid.toUpperCase(),
    skuId: row.cspb_skuid.toUpperCase(),
    productTitle: '',
    skuTitle: row.cspb_skutitle ?? '',
    term: required(terms.fromWebApi(row.cspb_term, `${where}.cspb_term`), `${where}.cspb_term`),
    billingPlan: required(plans.fromWebApi(row.cspb_billingplan, `${where}.cspb_billingplan`), `${where}.cspb_billingplan`),
    market: row.cspb_market.toUpperCase(),
    currency: row.cspb_currency.toUpperCase(),
    unitPrice: required(text(row.cspb_unitprice), `${where}.cspb_unitprice`),
    ...(erpPrice !== undefined ? { erpPrice } : {}),
    ...(row.cspb_tiermin !== null ? { tierMin: row.cspb_tiermin } : {}),
    ...(row.cspb_tiermax !== null ? { tierMax: row.cspb_tiermax } : {}),
    effectiveStart: start,
    effectiveEnd: end,
    ...(row.cspb_segment ? { segment: row.cspb_segment } : {}),
  };
}
