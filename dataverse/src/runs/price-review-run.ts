/**
 * The one price review of coming renewals: `npm run renewals` (a snapshot, a price-list file) and
 * the Dynamics *Price review* (the org's rows and its Microsoft prices) both call
 * `reviewRenewalsFromRows` and store or print what it gives, so the same org and day give the same
 * renewal prices and margins. Every active subscription whose term renews in the 60 days after the
 * day is priced by its margin rule (the contract's, else the offer's) from Microsoft's price on the
 * renewal day (the price book's, else the CRM cost), those below their floor first.
 */
import {
  formatIso,
  renewalInputs,
  renewalsDue,
  reviewRenewals,
  RENEWAL_BUCKETS,
  type CalendarDate,
  type Decimal,
  type PriceBook,
  type RenewalReview,
  type ReviewSubject,
  type Term,
} from '../../../core/src';
import { CspbOfferBillingPlan, type CspbSubscriptionRow } from '../../generated';
import { CspbPriceReviewLineTable, type CspbPriceReviewLineWrite } from '../../generated/cspb_pricereviewline';
import { contractMarginRule, crmSubscriptionsOfAccount, offerMarginRule, type ReconRows } from '../mappers';
import { MONEY_PLACES, roundedToWebApi } from '../mappers/values';

const TERMS: Readonly<Record<number, Term>> = { 100000000: 'P1M', 100000001: 'P1Y', 100000002: 'P3Y' };
const PLANS = { [CspbOfferBillingPlan.Monthly]: 'monthly', [CspbOfferBillingPlan.Annual]: 'annual', [CspbOfferBillingPlan.Triennial]: 'triennial' } as const;

export interface ReviewedRenewal {
  readonly review: RenewalReview;
  /** The CRM subscription renewing (its row id), when the review found it. */
  readonly subscription?: CspbSubscriptionRow;
}

/** Throws MappingError on a row it cannot read (the caller names where the rows came from). */
export function reviewRenewalsFromRows(rows: ReconRows, asOf: CalendarDate, prices?: PriceBook): ReviewedRenewal[] {
  const offers = new Map(rows.cspb_offer.map((o) => [o.cspb_offerid, o]));
  const contracts = new Map(rows.cspb_billingcontract.map((c) => [c.cspb_billingcontractid, c]));
  const byId = new Map(
    rows.cspb_subscription.flatMap((s) => [
      [s.cspb_subscriptionid.toLowerCase(), s] as const,
      ...(s.cspb_vendorsubscriptionid ? [[s.cspb_vendorsubscriptionid.toLowerCase(), s] as const] : []),
    ]),
  );
  const subjects: ReviewSubject[] = [];
  for (const account of rows.account) {
    const crm = crmSubscriptionsOfAccount(rows, account, asOf);
    if (crm.subscriptions.length === 0) continue;
    const due = renewalsDue(renewalInputs([], crm.subscriptions), asOf);
    for (const renewal of RENEWAL_BUCKETS.flatMap((b) => due.buckets[b])) {
      const row = byId.get(renewal.vendorSubscriptionId.toLowerCase());
      const offer = row?._cspb_offerid_value ? offers.get(row._cspb_offerid_value) : undefined;
      const contract = row?._cspb_contractid_value ? contracts.get(row._cspb_contractid_value) : undefined;
      const fromContract = contract ? contractMarginRule(contract) : undefined;
      const fromOffer = offer ? offerMarginRule(offer) : undefined;
      const rule = fromContract
        ? { rule: fromContract, source: `contract '${contract!.cspb_name}'` }
        : fromOffer
          ? { rule: fromOffer, source: `offer '${offer!.cspb_name}'` }
          : undefined;
      subjects.push({
        renewal,
        ...(offer?.cspb_productid ? { productId: offer.cspb_productid } : {}),
        ...(offer?.cspb_skuid ? { skuId: offer.cspb_skuid } : {}),
        ...(offer && TERMS[offer.cspb_term] ? { term: TERMS[offer.cspb_term] } : {}),
        ...(offer && offer.cspb_billingplan in PLANS ? { billingPlan: PLANS[offer.cspb_billingplan as keyof typeof PLANS] } : {}),
        ...(rule ? { rule } : {}),
      });
    }
  }
  return reviewRenewals(subjects, prices).map((review) => {
    const subscription = byId.get(review.renewal.vendorSubscriptionId.toLowerCase());
    return subscription ? { review, subscription } : { review };
  });
}

const MAX = CspbPriceReviewLineTable.maxLengths;
const clip = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);
const money = (d: Decimal | undefined) => roundedToWebApi(d, 'money column', MONEY_PLACES);
const percent = (d: Decimal | undefined) => roundedToWebApi(d, 'percent column', 2);

/** The stored lines of a review (without the review binding, which the caller adds), keyed by review and subscription. */
export function priceReviewLineRows(runKey: string, reviewed: readonly ReviewedRenewal[]): CspbPriceReviewLineWrite[] {
  return reviewed.map(({ review: r, subscription }) => ({
    cspb_name: clip(`${r.renewal.customer} ${r.renewal.name}`.replace(/\s+/g, ' ').trim(), MAX.cspb_name),
    cspb_customername: clip(r.renewal.customer, MAX.cspb_customername),
    cspb_vendorsubscriptionid: clip(r.renewal.vendorSubscriptionId, MAX.cspb_vendorsubscriptionid),
    ...(subscription ? { 'cspb_SubscriptionId@odata.bind': `/cspb_subscriptions(${subscription.cspb_subscriptionid})` } : {}),
    cspb_renewson: formatIso(r.renewal.renewsOn),
    cspb_quantity: r.renewal.quantity,
    cspb_currencycode: r.renewal.currency ?? null,
    cspb_currentprice: money(r.renewal.customerUnitPrice),
    cspb_costatrenewal: money(r.costAtRenewal),
    cspb_costsource: clip(r.costSource, MAX.cspb_costsource),
    cspb_renewalprice: money(r.renewalPrice),
    cspb_margin: money(r.margin),
    cspb_marginpercent: percent(r.marginPercent),
    cspb_floorpercent: percent(r.floorPercent),
    cspb_belowfloor: r.belowFloor,
    cspb_rule: clip(r.how, MAX.cspb_rule),
    cspb_linekey: clip(`${runKey}|${r.renewal.vendorSubscriptionId.trim().toLowerCase()}`, MAX.cspb_linekey),
  }));
}
