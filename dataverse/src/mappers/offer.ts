import type { BillingPlan, NceOffer, Term } from '../../../core/src';
import { CspbOfferBillingPlan as Plan, CspbOfferTerm as TermOption, type CspbOfferRow } from '../../generated';
import { choiceMap, decimalFromWebApi, MappingError, required } from './values';

const terms = choiceMap<Term | 'none', TermOption>(
  [
    ['P1M', TermOption.P1M],
    ['P1Y', TermOption.P1Y],
    ['P3Y', TermOption.P3Y],
    ['none', TermOption.None],
  ],
  'cspb_term',
);
const plans = choiceMap<BillingPlan | 'oneTime' | 'usage', Plan>(
  [
    ['monthly', Plan.Monthly],
    ['annual', Plan.Annual],
    ['triennial', Plan.Triennial],
    ['oneTime', Plan.OneTime],
    ['usage', Plan.Usage],
  ],
  'cspb_billingplan',
);

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
