/**
 * A billing contract's or an offer's margin rule columns -> core MarginRule: the one reading the
 * renewal review (npm run renewals) makes. A rule chosen without the number it needs is a
 * MappingError naming the row and column, never a rule that prices at zero.
 */
import type { MarginRule } from '../../../core/src';
import { CspbBillingContractMarginRuleKeys, type CspbBillingContractRow } from '../../generated/cspb_billingcontract';
import { CspbOfferMarginRuleKeys, type CspbOfferRow } from '../../generated/cspb_offer';
import { choiceMap, MappingError } from './choice';
import { decimalFromWebApi } from './values';

const contractKinds = choiceMap(CspbBillingContractMarginRuleKeys, 'cspb_marginrule');
const offerKinds = choiceMap(CspbOfferMarginRuleKeys, 'cspb_marginrule');

function ruleOf(
  kind: 'percentOnCost' | 'discountOffErp' | 'fixedPrice' | undefined,
  row: { cspb_marginpercent: number | null; cspb_marginfloor: number | null; cspb_marginfixedprice?: number | null },
  where: string,
): MarginRule | undefined {
  if (kind === undefined) return undefined;
  const floor = decimalFromWebApi(row.cspb_marginfloor, `${where}.cspb_marginfloor`);
  const withFloor = floor === undefined ? {} : { floorPercent: floor };
  if (kind === 'fixedPrice') {
    const price = decimalFromWebApi(row.cspb_marginfixedprice, `${where}.cspb_marginfixedprice`);
    if (price === undefined) throw new MappingError('a fixed-price margin rule needs its price', `${where}.cspb_marginfixedprice`, null);
    return { kind, price, ...withFloor };
  }
  const percent = decimalFromWebApi(row.cspb_marginpercent, `${where}.cspb_marginpercent`);
  if (percent === undefined)
    throw new MappingError(
      `a ${kind === 'percentOnCost' ? 'percent-on-cost' : 'discount-off-ERP'} margin rule needs its percent`,
      `${where}.cspb_marginpercent`,
      null,
    );
  return { kind, percent, ...withFloor };
}

export function contractMarginRule(row: CspbBillingContractRow): MarginRule | undefined {
  const where = `cspb_billingcontract ${row.cspb_billingcontractid}`;
  return ruleOf(contractKinds.fromWebApi(row.cspb_marginrule, `${where}.cspb_marginrule`), row, where);
}

export function offerMarginRule(row: CspbOfferRow): MarginRule | undefined {
  const where = `cspb_offer ${row.cspb_offerid}`;
  return ruleOf(offerKinds.fromWebApi(row.cspb_marginrule, `${where}.cspb_marginrule`), row, where);
}
