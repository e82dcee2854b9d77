import type { ReconSubscription } from '../../../core/src/reconcile';
import {
  CspbOfferBillingPlan,
  type AccountExtensionRow,
  type CspbBillingContractRow,
  type CspbExchangeRateRow,
  type CspbOneTimeChargeRow,
  type CspbPriceListItemRow,
  type CspbPromotionRow,
  type CspbInvoiceLineRow,
  type CspbInvoiceRow,
  type CspbOfferRow,
  type CspbSubscriptionChangeRow,
  type CspbSubscriptionRow,
  CspbSubscriptionStatusKeys,
  CspbOfferVendorKeys,
} from '../../generated';
import { ledgerFromRows } from './ledger';
import { offerRowToNceOffer } from './offer';
import { choiceMap, decimalFromWebApi, MappingError, required } from './values';

/** The CRM rows reconciliation reads (a snapshot's tables, or a query's results). */
export interface ReconRows {
  readonly account: readonly AccountExtensionRow[];
  readonly cspb_offer: readonly CspbOfferRow[];
  readonly cspb_billingcontract: readonly CspbBillingContractRow[];
  readonly cspb_subscription: readonly CspbSubscriptionRow[];
  readonly cspb_subscriptionchange: readonly CspbSubscriptionChangeRow[];
  /** Invoices and credit notes with their lines (optional: a snapshot without them has issued nothing). */
  readonly cspb_invoice?: readonly CspbInvoiceRow[];
  readonly cspb_invoiceline?: readonly CspbInvoiceLineRow[];
  /** The rates invoices convert foreign-currency costs and prices with (optional: none, same currency only). */
  readonly cspb_exchangerate?: readonly CspbExchangeRateRow[];
  /** Price list items, promotions and one-time charges (optional: none when absent). */
  readonly cspb_pricelistitem?: readonly CspbPriceListItemRow[];
  readonly cspb_promotion?: readonly CspbPromotionRow[];
  readonly cspb_onetimecharge?: readonly CspbOneTimeChargeRow[];
}

const statuses = choiceMap(CspbSubscriptionStatusKeys, 'cspb_status');
const vendors = choiceMap(CspbOfferVendorKeys, 'cspb_vendor');

function byId<T>(rows: readonly T[], id: (row: T) => string): Map<string, T> {
  return new Map(rows.map((r) => [id(r), r]));
}

/**
 * CRM subscriptions as the reconciliation engine sees them: each with its customer's tenant, its
 * offer, its contract's re-billing terms and its ledger rebuilt (and re-validated) from the rows.
 */
export function reconSubscriptionsFromRows(rows: ReconRows): ReconSubscription[] {
  const accounts = byId(rows.account, (r) => r.accountid);
  const offers = byId(rows.cspb_offer, (r) => r.cspb_offerid);
  const contracts = byId(rows.cspb_billingcontract, (r) => r.cspb_billingcontractid);
  const changes = new Map<string, CspbSubscriptionChangeRow[]>();
  for (const change of rows.cspb_subscriptionchange) {
    const owner = required(change._cspb_subscriptionid_value ?? undefined, 'cspb_subscriptionchange._cspb_subscriptionid_value');
    const list = changes.get(owner) ?? [];
    list.push(change);
    changes.set(owner, list);
  }

  return rows.cspb_subscription.map((s) => {
    const where = `cspb_subscription ${s.cspb_subscriptionid}`;
    const offer = offers.get(required(s._cspb_offerid_value ?? undefined, `${where}._cspb_offerid_value`));
    if (!offer) throw new MappingError('refers to an offer that is not in the data', `${where}._cspb_offerid_value`, s._cspb_offerid_value);
    const account = s._cspb_customerid_value ? accounts.get(s._cspb_customerid_value) : undefined;
    const contract = s._cspb_contractid_value ? contracts.get(s._cspb_contractid_value) : undefined;
    const isUsage = offer.cspb_billingplan === CspbOfferBillingPlan.Usage;
    const ledgerRows = changes.get(s.cspb_subscriptionid) ?? [];
    const ledgerId = s.cspb_vendorsubscriptionid ?? s.cspb_subscriptionid;
    return {
      id: s.cspb_subscriptionid,
      vendorSubscriptionId: s.cspb_vendorsubscriptionid ?? undefined,
      customerId: s._cspb_customerid_value ?? undefined,
      customerName: account?.name ?? undefined,
      customerTenantId: account?.cspb_tenantid ?? undefined,
      productId: offer.cspb_productid ?? undefined,
      skuId: offer.cspb_skuid ?? undefined,
      vendor: vendors.fromWebApi(offer.cspb_vendor) ?? 'Microsoft',
      kind: isUsage ? 'usage' : 'licence',
      offer: isUsage ? undefined : offerRowToNceOffer(offer),
      ledger: isUsage || ledgerRows.length === 0 ? undefined : ledgerFromRows(ledgerId, ledgerRows),
      status: statuses.fromWebApi(s.cspb_status) ?? 'active',
      contractId: contract?.cspb_billingcontractid,
      customerUnitPrice: decimalFromWebApi(s.cspb_customerunitprice, `${where}.cspb_customerunitprice`),
      customerCurrency: contract?.cspb_currencycode ?? s.cspb_currencycode,
      usageMarkupPercent: contract ? decimalFromWebApi(contract.cspb_usagemarkuppercent, `${where} contract.cspb_usagemarkuppercent`) : undefined,
    } satisfies ReconSubscription;
  });
}
