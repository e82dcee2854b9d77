import type { NceOffer } from '../../../core/src';
import { type CspbOfferRow, CspbOfferTermKeys, CspbOfferBillingPlanKeys } from '../../generated';
import { choiceMap, decimalFromWebApi, MappingError, required } from './values';

const terms = choiceMap(CspbOfferTermKeys, 'cspb_term');
const plans = choiceMap(CspbOfferBillingPlanKeys, 'cspb_billingplan');

/**
 * A licence offer row as the NCE offer the charge arithmetic takes. The vendor unit cost is the
 * Microsoft price; usage and one-time offers have no NCE licence arithmetic and are refused.
 */
export function offerRowToNceOffer(row: CspbOfferRow): NceOffer {
  const term = required(terms.fromWebApi(row.cspb_term), 'cspb_term');
  const plan = required(plans.fromWebApi(row.cspb_billingplan), 'cspb_billingplan');
  if (term === 'none' || plan === 'oneTime' || plan === 'usage') {
    throw new MappingError('is not a licence-based NCE offer (term and billing plan needed)', 'cspb_billingplan', row.cspb_billingplan);
  }
  return {
    productId: required(row.cspb_productid ?? undefined, 'cspb_productid'),
    productName: row.cspb_name,
    term,
    billingPlan: plan,
    unitPrice: required(decimalFromWebApi(row.cspb_unitcost, 'cspb_unitcost'), 'cspb_unitcost'),
    pricingCurrency: row.cspb_currencycode,
  };
}
