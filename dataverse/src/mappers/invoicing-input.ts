import {
  FixedRateTable,
  type BillingContract,
  type OneTimeCharge,
  type CalendarDate,
  type InvoiceSubscription,
  type ProrationPolicies,
  type TaxProfile,
} from '../../../core/src';
import {
  CspbBillingContractAnchorKeys,
  CspbOfferBillingPlan,
  type CspbBillingContractRow,
  type CspbExchangeRateRow,
  CspbBillingContractFrequencyKeys,
  CspbBillingContractTimingKeys,
  CspbBillingContractRoundingPolicyKeys,
  CspbBillingContractProrationPolicyKeys,
} from '../../generated';
import { ledgerFromRows } from './ledger';
import { oneTimeChargesFromRows, priceListFromRows, promotionsFromRows } from './pricing';
import type { ReconRows } from './recon-input';
import { choiceMap, dateFromWebApi, decimalFromWebApi, MappingError, required } from './values';

const frequencies = choiceMap(CspbBillingContractFrequencyKeys, 'cspb_frequency');
const anchors = choiceMap(CspbBillingContractAnchorKeys, 'cspb_anchor');
const timings = choiceMap(CspbBillingContractTimingKeys, 'cspb_timing');
const roundings = choiceMap(CspbBillingContractRoundingPolicyKeys, 'cspb_roundingpolicy');
const prorations = choiceMap(CspbBillingContractProrationPolicyKeys, 'cspb_prorationpolicy');

function taxProfileOf(row: CspbBillingContractRow): TaxProfile {
  if (!row.cspb_taxprofile) return { rates: [] };
  try {
    const parsed = JSON.parse(row.cspb_taxprofile) as TaxProfile;
    if (!Array.isArray(parsed.rates)) throw new Error('no "rates" list');
    return parsed;
  } catch (error) {
    throw new MappingError(
      `is not a tax profile (${(error as Error).message})`,
      `cspb_billingcontract ${row.cspb_billingcontractid}.cspb_taxprofile`,
      row.cspb_taxprofile,
    );
  }
}

export interface InvoicingContractInput {
  readonly contract: BillingContract;
  readonly subscriptions: InvoiceSubscription[];
  readonly oneTimeCharges: OneTimeCharge[];
}

/**
 * Billing contracts and their subscriptions as the invoicing engine takes them. The contract row
 * has no start date: billing starts with the earliest purchase among its subscriptions (or
 * `fallbackStart` when it has none).
 */
export function invoicingInputsFromRows(rows: ReconRows, fallbackStart: CalendarDate): InvoicingContractInput[] {
  const accounts = new Map(rows.account.map((a) => [a.accountid, a]));
  const offers = new Map(rows.cspb_offer.map((o) => [o.cspb_offerid, o]));
  const changes = new Map<string, (typeof rows.cspb_subscriptionchange)[number][]>();
  for (const c of rows.cspb_subscriptionchange) {
    const owner = c._cspb_subscriptionid_value ?? '';
    changes.set(owner, [...(changes.get(owner) ?? []), c]);
  }
  return rows.cspb_billingcontract.map((row) => {
    const where = `cspb_billingcontract ${row.cspb_billingcontractid}`;
    const subscriptions: InvoiceSubscription[] = rows.cspb_subscription
      .filter((s) => s._cspb_contractid_value === row.cspb_billingcontractid)
      .map((s) => {
        const offer = offers.get(s._cspb_offerid_value ?? '');
        if (!offer)
          throw new MappingError(
            'refers to an offer that is not in the data',
            `cspb_subscription ${s.cspb_subscriptionid}._cspb_offerid_value`,
            s._cspb_offerid_value,
          );
        const ledgerRows = changes.get(s.cspb_subscriptionid) ?? [];
        const perMonths = offer.cspb_billingplan === CspbOfferBillingPlan.Annual ? 12 : offer.cspb_billingplan === CspbOfferBillingPlan.Triennial ? 36 : 1;
        const price = decimalFromWebApi(s.cspb_customerunitprice, `cspb_subscription ${s.cspb_subscriptionid}.cspb_customerunitprice`);
        return {
          id: s.cspb_subscriptionid,
          vendorSubscriptionId: s.cspb_vendorsubscriptionid ?? undefined,
          offerId: offer.cspb_offerid,
          name: s.cspb_name,
          ledger: ledgerRows.length ? ledgerFromRows(s.cspb_vendorsubscriptionid ?? s.cspb_subscriptionid, ledgerRows) : undefined,
          customerPrice: price && !price.isZero() ? { currency: row.cspb_currencycode, unitPrice: price, perMonths } : undefined,
          vendorCost: { currency: offer.cspb_currencycode, perMonths },
        } satisfies InvoiceSubscription;
      });
    const purchases = subscriptions.flatMap((s) => (s.ledger?.entries[0] ? [s.ledger.entries[0].effectiveDate] : []));
    const anchorKind = required(anchors.fromWebApi(row.cspb_anchor, `${where}.cspb_anchor`), `${where}.cspb_anchor`);
    const anchor: BillingContract['anchor'] =
      anchorKind === 'billingDay'
        ? { kind: 'billingDay', day: required(row.cspb_anchorday ?? undefined, `${where}.cspb_anchorday`) }
        : anchorKind === 'coterm'
          ? { kind: 'coterm', subscriptionId: subscriptions[0]?.id }
          : { kind: 'calendarMonth' };
    const proration = required(prorations.fromWebApi(row.cspb_prorationpolicy), `${where}.cspb_prorationpolicy`);
    const discount = decimalFromWebApi(row.cspb_discountpercent, `${where}.cspb_discountpercent`);
    const minimum = decimalFromWebApi(row.cspb_minimumcommitment, `${where}.cspb_minimumcommitment`);
    const account = row._cspb_customerid_value ? accounts.get(row._cspb_customerid_value) : undefined;
    const contract: BillingContract = {
      id: row.cspb_billingcontractid,
      customerId: required(row._cspb_customerid_value ?? undefined, `${where}._cspb_customerid_value`),
      customerName: account?.name ?? undefined,
      currency: row.cspb_currencycode,
      frequency: required(frequencies.fromWebApi(row.cspb_frequency), `${where}.cspb_frequency`),
      anchor,
      timing: required(timings.fromWebApi(row.cspb_timing), `${where}.cspb_timing`),
      startDate: purchases.length ? (purchases.reduce((a, b) => (b < a ? b : a)) as CalendarDate) : fallbackStart,
      paymentTerms: { kind: 'net', days: row.cspb_paymenttermdays },
      proration: { increase: proration, decrease: proration } satisfies ProrationPolicies,
      rounding: required(roundings.fromWebApi(row.cspb_roundingpolicy), `${where}.cspb_roundingpolicy`),
      ...(row._cspb_pricelistid_value ? { priceList: priceListFromRows(row._cspb_pricelistid_value, rows.cspb_pricelistitem ?? []) } : {}),
      discounts: [
        ...(discount && !discount.isZero()
          ? [{ id: `${row.cspb_billingcontractid}|standing`, kind: 'percent' as const, value: discount, description: 'Contract discount' }]
          : []),
        ...promotionsFromRows(row.cspb_billingcontractid, rows.cspb_promotion ?? []),
      ],
      tax: taxProfileOf(row),
      usageMarkupPercent: decimalFromWebApi(row.cspb_usagemarkuppercent, `${where}.cspb_usagemarkuppercent`),
      ...(minimum && minimum.isPositive() && !minimum.isZero() ? { minimumCommitment: { amount: minimum } } : {}),
    };
    return { contract, subscriptions, oneTimeCharges: oneTimeChargesFromRows(row.cspb_billingcontractid, rows.cspb_onetimecharge ?? []) };
  });
}

/**
 * The exchange-rate rows as the engine's explicit rate source: each pair in the direction given,
 * the latest rate on or before the date asked. No rows: only same-currency amounts can be invoiced.
 */
export function exchangeRatesFromRows(rows: readonly CspbExchangeRateRow[]): FixedRateTable {
  const rates = rows.map((row) => {
    const where = `cspb_exchangerate ${row.cspb_exchangerateid}`;
    const rate = required(decimalFromWebApi(row.cspb_rate, `${where}.cspb_rate`), `${where}.cspb_rate`);
    if (!rate.isPositive() || rate.isZero()) throw new MappingError('must be a positive rate', `${where}.cspb_rate`, row.cspb_rate);
    for (const column of ['cspb_fromcurrency', 'cspb_tocurrency'] as const) {
      if (!/^[A-Z]{3}$/.test(row[column] ?? '')) throw new MappingError('is not an ISO 4217 currency code', `${where}.${column}`, row[column]);
    }
    return {
      from: row.cspb_fromcurrency,
      to: row.cspb_tocurrency,
      rate,
      validFrom: required(dateFromWebApi(row.cspb_validfrom, `${where}.cspb_validfrom`), `${where}.cspb_validfrom`),
    };
  });
  return new FixedRateTable('exchange rates (cspb_exchangerate)', rates);
}
