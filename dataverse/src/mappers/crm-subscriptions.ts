import { termEndAt, type CalendarDate, type Term } from '../../../core/src';
import type { SkuCrmSubscription } from '../../../core/src/sync/unassigned-seats';
import { CspbOfferBillingPlan, CspbOfferTermKeys, type CspbOfferRow } from '../../generated/cspb_offer';
import { CspbSubscriptionStatusKeys } from '../../generated/cspb_subscription';
import type { AccountExtensionRow } from '../../generated';
import { choiceMap } from './choice';
import type { ReconRows } from './recon-input';
import { dateFromWebApi, decimalFromWebApi, required } from './values';

const statuses = choiceMap(CspbSubscriptionStatusKeys, 'cspb_status');
const terms = choiceMap(CspbOfferTermKeys, 'cspb_term');

/** The months a customer unit price covers: its offer's billing plan, as invoicing reads it. */
const priceMonthsOf = (offer: CspbOfferRow | undefined): number =>
  offer?.cspb_billingplan === CspbOfferBillingPlan.Annual ? 12 : offer?.cspb_billingplan === CspbOfferBillingPlan.Triennial ? 36 : 1;

/**
 * A customer's CRM subscriptions from a snapshot or the org's rows (`npm run sync`, the price review). A row without a term end (the
 * sample's rows have none) gets the end of its current term from its term start and its offer's term,
 * the way Microsoft counts terms; a row that knows neither has no term end. Each carries its offer's
 * SKU and product ids and the months its price covers, for the unassigned-seat money.
 */
export function crmSubscriptionsOfAccount(
  rows: ReconRows,
  account: AccountExtensionRow,
  asOf: CalendarDate,
): { customer: string; subscriptions: SkuCrmSubscription[] } {
  const customer = account.name ?? account.accountid;
  const offers = new Map(rows.cspb_offer.map((o) => [o.cspb_offerid, o]));
  const subscriptions = rows.cspb_subscription
    .filter((s) => s._cspb_customerid_value === account.accountid)
    .map((s): SkuCrmSubscription => {
      const where = `cspb_subscription ${s.cspb_subscriptionid}`;
      const offer = offers.get(s._cspb_offerid_value ?? '');
      const term = terms.fromWebApi(offer?.cspb_term, `${where} offer's cspb_term`);
      const start = dateFromWebApi(s.cspb_termstartdate, `${where}.cspb_termstartdate`);
      const end = dateFromWebApi(s.cspb_termenddate, `${where}.cspb_termenddate`);
      const derived = start !== undefined && term !== undefined && term !== 'none' ? termEndAt(start, term as Term, asOf) : undefined;
      const customerUnitPrice = decimalFromWebApi(s.cspb_customerunitprice, `${where}.cspb_customerunitprice`);
      const vendorUnitCost = decimalFromWebApi(s.cspb_vendorunitcost, `${where}.cspb_vendorunitcost`);
      return {
        id: s.cspb_subscriptionid,
        vendorSubscriptionId: s.cspb_vendorsubscriptionid,
        name: s.cspb_name,
        customer,
        quantity: s.cspb_quantity,
        status: required(statuses.fromWebApi(s.cspb_status, `${where}.cspb_status`), `${where}.cspb_status`),
        autoRenew: s.cspb_autorenew,
        termEnd: end ?? derived ?? null,
        ...(customerUnitPrice !== undefined ? { customerUnitPrice } : {}),
        ...(vendorUnitCost !== undefined ? { vendorUnitCost } : {}),
        currency: s.cspb_currencycode,
        offerSkuId: offer?.cspb_skuid ?? null,
        offerProductId: offer?.cspb_productid ?? null,
        priceMonths: priceMonthsOf(offer),
      };
    });
  return { customer, subscriptions };
}
