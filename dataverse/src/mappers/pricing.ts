import { addDays, type Discount, type OneTimeCharge, type PriceList, type PriceSpec, type PriceTier } from '../../../core/src';
import {
  type CspbOneTimeChargeRow,
  type CspbPriceListItemRow,
  type CspbPromotionRow,
  CspbPriceListItemTierModeKeys,
  CspbPromotionDiscountKindKeys,
} from '../../generated';
import { choiceMap, dateFromWebApi, decimalFromWebApi, MappingError, required } from './values';

/**
 * Price lists, promotions and one-time charges as the invoicing engine takes them. Every value is
 * checked here, so a bad row fails its contract naming the row and column, never a silent zero.
 */
const tierModes = choiceMap(CspbPriceListItemTierModeKeys, 'cspb_tiermode');
const discountKinds = choiceMap(CspbPromotionDiscountKindKeys, 'cspb_discountkind');

const DECIMAL_TEXT = /^\d+(\.\d+)?$/;

/** The tiers memo: ascending `upTo` (whole units), the last one open (`null`), prices as decimal text. */
function tiersOf(row: CspbPriceListItemRow, where: string): PriceTier[] {
  const fail = (why: string): never => {
    throw new MappingError(`is not a tier list (${why})`, `${where}.cspb_tiers`, row.cspb_tiers);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(row.cspb_tiers ?? '');
  } catch {
    return fail('not JSON');
  }
  if (!Array.isArray(parsed) || parsed.length === 0) return fail('expected a non-empty list');
  let previous = 0;
  return parsed.map((tier: Record<string, unknown>, i) => {
    const last = i === parsed.length - 1;
    const upTo = tier['upTo'];
    if (last ? upTo !== null : !(Number.isInteger(upTo) && (upTo as number) > previous))
      fail(`tier ${i + 1}: upTo must be ${last ? 'null (open)' : `a whole number above ${previous}`}`);
    if (!last) previous = upTo as number;
    for (const field of ['unitPrice', 'flatFee'] as const) {
      const value = tier[field];
      if ((field === 'unitPrice' || value !== undefined) && !(typeof value === 'string' && DECIMAL_TEXT.test(value)))
        fail(`tier ${i + 1}: ${field} must be a decimal as text`);
    }
    return {
      upTo: upTo as number | null,
      unitPrice: tier['unitPrice'] as string,
      ...(tier['flatFee'] !== undefined ? { flatFee: tier['flatFee'] as string } : {}),
    };
  });
}

/** The items of one price list as the engine's list, by offer id. */
export function priceListFromRows(priceListId: string, items: readonly CspbPriceListItemRow[]): PriceList {
  const prices: Record<string, PriceSpec> = {};
  for (const row of items.filter((i) => i._cspb_pricelistid_value === priceListId)) {
    const where = `cspb_pricelistitem ${row.cspb_pricelistitemid}`;
    const offerId = required(row._cspb_offerid_value ?? undefined, `${where}._cspb_offerid_value`);
    const mode = required(tierModes.fromWebApi(row.cspb_tiermode, `${where}.cspb_tiermode`), `${where}.cspb_tiermode`);
    const base = { currency: row.cspb_currencycode, perMonths: row.cspb_permonths };
    if (mode === 'flat') {
      prices[offerId] = { ...base, unitPrice: required(decimalFromWebApi(row.cspb_unitprice, `${where}.cspb_unitprice`), `${where}.cspb_unitprice`) };
    } else {
      prices[offerId] = { ...base, tiers: { mode, tiers: tiersOf(row, where) } };
    }
  }
  return { id: priceListId, prices };
}

/** A contract's promotions as dated discounts (the row's inclusive end becomes the engine's exclusive one). */
export function promotionsFromRows(contractId: string, rows: readonly CspbPromotionRow[]): Discount[] {
  return rows
    .filter((r) => r._cspb_contractid_value === contractId)
    .map((row) => {
      const where = `cspb_promotion ${row.cspb_promotionid}`;
      const value = required(decimalFromWebApi(row.cspb_value, `${where}.cspb_value`), `${where}.cspb_value`);
      const kind = required(discountKinds.fromWebApi(row.cspb_discountkind, `${where}.cspb_discountkind`), `${where}.cspb_discountkind`);
      if (kind === 'percent' && value.gt(100)) throw new MappingError('is a percent above 100', `${where}.cspb_value`, row.cspb_value);
      const end = dateFromWebApi(row.cspb_enddate, `${where}.cspb_enddate`);
      return {
        id: row.cspb_promotionid,
        kind,
        value,
        start: required(dateFromWebApi(row.cspb_startdate, `${where}.cspb_startdate`), `${where}.cspb_startdate`),
        ...(end !== undefined ? { end: addDays(end, 1) } : {}),
        description: row.cspb_name,
        ...(row._cspb_subscriptionid_value ? { scope: { subscriptionIds: [row._cspb_subscriptionid_value] } } : {}),
      } satisfies Discount;
    });
}

/** A contract's one-time charges. */
export function oneTimeChargesFromRows(contractId: string, rows: readonly CspbOneTimeChargeRow[]): OneTimeCharge[] {
  return rows
    .filter((r) => r._cspb_contractid_value === contractId)
    .map((row) => {
      const where = `cspb_onetimecharge ${row.cspb_onetimechargeid}`;
      const cost = decimalFromWebApi(row.cspb_unitcost, `${where}.cspb_unitcost`);
      return {
        id: row.cspb_onetimechargeid,
        date: required(dateFromWebApi(row.cspb_chargedate, `${where}.cspb_chargedate`), `${where}.cspb_chargedate`),
        description: row.cspb_name,
        ...(row._cspb_subscriptionid_value ? { subscriptionId: row._cspb_subscriptionid_value } : {}),
        quantity: required(decimalFromWebApi(row.cspb_quantity, `${where}.cspb_quantity`), `${where}.cspb_quantity`),
        unitPrice: required(decimalFromWebApi(row.cspb_unitprice, `${where}.cspb_unitprice`), `${where}.cspb_unitprice`),
        currency: row.cspb_currencycode,
        ...(cost !== undefined ? { unitCost: cost, costCurrency: row.cspb_currencycode } : {}),
        taxExempt: row.cspb_taxexempt === true,
      } satisfies OneTimeCharge;
    });
}
