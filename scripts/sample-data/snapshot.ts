import { Decimal, SubscriptionLedger, toDecimal, type CalendarDate } from '../../core/src';
import {
  CspbBillingContractAnchor,
  CspbBillingContractFrequency,
  CspbBillingContractProrationPolicy,
  CspbBillingContractRoundingPolicy,
  CspbBillingContractTiming,
  CspbOfferBillingPlan,
  CspbOfferTerm,
  CspbOfferVendor,
  CspbSubscriptionStatus,
  type AccountExtensionRow,
  type CspbBillingContractRow,
  type CspbExchangeRateRow,
  type CspbOfferRow,
  type CspbSubscriptionChangeRow,
  type CspbSubscriptionRow,
} from '../../dataverse/generated';
import { dateToWebApi, decimalToWebApi, ledgerEntryToRow, MONEY_PLACES, roundedToWebApi, type ReconRows } from '../../dataverse/src/mappers';
import { CATALOGUE, CONTRACT_RATES, TRIENNIAL_OFFER, type ContractCurrency } from './catalogue';
import type { SamplePartner } from './partner';
import type { Random } from './random';

/** The snapshot format the local org imports and exports (see dataverse/src/local-org/README.md). */
export interface Snapshot {
  readonly format: 'cspb-snapshot';
  readonly version: 1;
  readonly exportedOn: string;
  readonly tables: ReconRows & Readonly<Record<string, readonly object[]>>;
}

const TERMS = { P1M: CspbOfferTerm.P1M, P1Y: CspbOfferTerm.P1Y, P3Y: CspbOfferTerm.P3Y } as const;
const PLANS = {
  monthly: CspbOfferBillingPlan.Monthly,
  annual: CspbOfferBillingPlan.Annual,
  triennial: CspbOfferBillingPlan.Triennial,
  usage: CspbOfferBillingPlan.Usage,
} as const;

/** A written row as the Web API reads it back: each `Schema@odata.bind` becomes `_schema_value`. */
function asRead<T>(write: Record<string, unknown>, idColumn: string, id: string): T {
  const row: Record<string, unknown> = { [idColumn]: id };
  for (const [key, value] of Object.entries(write)) {
    const bind = /^(.+)@odata\.bind$/.exec(key);
    if (bind) row[`_${bind[1]!.toLowerCase()}_value`] = typeof value === 'string' ? (/\(([^)]+)\)/.exec(value)?.[1] ?? null) : null;
    else row[key] = value;
  }
  return row as T;
}

/** A USD customer price in the contract's currency at the sample's rate, rounded to that currency's minor unit. */
function inCurrency(usd: string, currency: ContractCurrency): Decimal {
  if (currency === 'USD') return toDecimal(usd);
  return toDecimal(usd)
    .times(CONTRACT_RATES[currency])
    .toDecimalPlaces(currency === 'JPY' ? 0 : 2, Decimal.ROUND_HALF_UP);
}

export function partnerSnapshot(partner: SamplePartner, rng: Random): Snapshot {
  const offerIds = new Map(CATALOGUE.map((o) => [o.key, rng.guid()]));
  // Not drawn from rng: the variety sample keeps every other id of the default one.
  offerIds.set(TRIENNIAL_OFFER.key, '3e3e3e3e-0000-4000-8000-000000000036');
  const catalogue = partner.subscriptions.some((s) => s.offer === TRIENNIAL_OFFER) ? [...CATALOGUE, TRIENNIAL_OFFER] : CATALOGUE;
  const offers: CspbOfferRow[] = catalogue.map((o) => ({
    cspb_offerid: offerIds.get(o.key)!,
    cspb_name: `${o.name}${o.term ? ` (${o.term}, ${o.billingPlan})` : ''}`,
    cspb_vendor: CspbOfferVendor.Microsoft,
    cspb_productid: o.productId,
    cspb_skuid: o.skuId,
    cspb_availabilityid: null,
    cspb_distributorsku: null,
    cspb_term: o.term ? TERMS[o.term] : CspbOfferTerm.None,
    cspb_billingplan: PLANS[o.billingPlan],
    cspb_unitcost: decimalToWebApi(toDecimal(o.unitCost), 'cspb_unitcost', MONEY_PLACES),
    // List price: cost + 20%, rounded half-up to cents (usage offers have no list price).
    cspb_listprice: toDecimal(o.unitCost).isZero()
      ? null
      : roundedToWebApi(toDecimal(o.unitCost).times('1.2').toDecimalPlaces(2, Decimal.ROUND_HALF_UP), 'cspb_listprice', MONEY_PLACES),
    cspb_currencycode: 'USD',
    cspb_pricetiers: null,
    // No margin rule in the sample: renewals are reviewed only where a partner sets one.
    cspb_marginrule: null,
    cspb_marginpercent: null,
    cspb_marginfixedprice: null,
    cspb_marginfloor: null,
  }));
  const accounts: AccountExtensionRow[] = partner.customers.map((c) => ({
    accountid: c.id,
    name: c.name,
    cspb_tenantid: c.tenantId,
    cspb_primarydomain: c.domain,
  }));
  const contracts: CspbBillingContractRow[] = partner.customers
    .filter((c) => c.contractId)
    .map((c) => ({
      cspb_billingcontractid: c.contractId!,
      cspb_name: `${c.name} - monthly`,
      _cspb_customerid_value: c.id,
      cspb_currencycode: c.currency,
      cspb_frequency: CspbBillingContractFrequency.Monthly,
      cspb_anchor: CspbBillingContractAnchor.CalendarMonth,
      cspb_anchorday: null,
      cspb_timing: CspbBillingContractTiming.InAdvance,
      cspb_paymenttermdays: 30,
      cspb_prorationpolicy: CspbBillingContractProrationPolicy.DailyByDaysInPeriod,
      cspb_roundingpolicy: CspbBillingContractRoundingPolicy.HalfUp,
      cspb_discountpercent: null,
      cspb_usagemarkuppercent: 10,
      cspb_taxprofile: null,
      cspb_exchangeratesource: 'Partner Center PCToBCExchangeRate',
      _cspb_pricelistid_value: null,
      cspb_minimumcommitment: null,
      cspb_marginrule: null,
      cspb_marginpercent: null,
      cspb_marginfloor: null,
    }));
  const subscriptions: CspbSubscriptionRow[] = [];
  const changes: CspbSubscriptionChangeRow[] = [];
  for (const s of partner.subscriptions) {
    const ledger = s.crmEntries.length ? SubscriptionLedger.of(s.vendorSubscriptionId ?? s.id, s.crmEntries) : null;
    const state = ledger?.current;
    const status =
      state?.status === 'cancelled'
        ? CspbSubscriptionStatus.Cancelled
        : state?.status === 'suspended'
          ? CspbSubscriptionStatus.Suspended
          : CspbSubscriptionStatus.Active;
    subscriptions.push({
      cspb_subscriptionid: s.id,
      cspb_name: `${s.offer.name} - ${s.customer.name}`,
      cspb_quantity: state?.quantity ?? 0,
      cspb_status: status,
      cspb_vendorsubscriptionid: s.vendorSubscriptionId,
      cspb_termstartdate: state?.purchaseDate === undefined ? null : dateToWebApi(state.purchaseDate as CalendarDate),
      cspb_termenddate: null,
      cspb_autorenew: true,
      // The customer price is in the contract's currency; the vendor cost stays the offer's (USD).
      cspb_customerunitprice: decimalToWebApi(
        inCurrency(s.customerUnitPrice, s.customer.contractId ? s.customer.currency : 'USD'),
        'cspb_customerunitprice',
        MONEY_PLACES,
      ),
      cspb_vendorunitcost: decimalToWebApi(toDecimal(s.offer.unitCost), 'cspb_vendorunitcost', MONEY_PLACES),
      cspb_currencycode: s.customer.contractId ? s.customer.currency : 'USD',
      cspb_changeeffectivedate: null,
      cspb_changereason: null,
      cspb_changeorigin: null,
      _cspb_customerid_value: s.customer.id,
      _cspb_contractid_value: s.customer.contractId,
      _cspb_offerid_value: offerIds.get(s.offer.key)!,
    });
    for (const entry of ledger?.entries ?? []) {
      changes.push(asRead<CspbSubscriptionChangeRow>(ledgerEntryToRow(entry, s.id, 'USD') as Record<string, unknown>, 'cspb_subscriptionchangeid', rng.guid()));
    }
  }
  return {
    format: 'cspb-snapshot',
    version: 1,
    exportedOn: '2026-11-01T00:00:00Z',
    tables: {
      account: accounts,
      cspb_offer: offers,
      cspb_billingcontract: contracts,
      cspb_subscription: subscriptions,
      cspb_subscriptionchange: changes,
      ...(partner.customers.some((c) => c.currency !== 'USD') ? { cspb_exchangerate: exchangeRates() } : {}),
    },
  };
}

/** The rates the EUR and JPY contracts convert USD costs with, in force all of 2026. */
function exchangeRates(): CspbExchangeRateRow[] {
  return Object.entries(CONTRACT_RATES).map(
    ([to, rate], i) =>
      ({
        cspb_exchangerateid: `e0e0e0e0-0000-4000-8000-00000000000${i + 1}`,
        cspb_name: `USD to ${to} 2026`,
        cspb_fromcurrency: 'USD',
        cspb_tocurrency: to,
        cspb_rate: Number(rate),
        cspb_validfrom: '2026-01-01',
      }) as CspbExchangeRateRow,
  );
}
