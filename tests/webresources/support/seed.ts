import { LocalOrg } from '../../../dataverse/src/local-org';
import {
  CspbBillingContractAnchor,
  CspbBillingContractFrequency,
  CspbBillingContractProrationPolicy,
  CspbBillingContractRoundingPolicy,
  CspbBillingContractTiming,
  CspbSubscriptionChangeChangeType as Change,
  CspbSubscriptionChangeSource as Source,
  CspbSubscriptionStatus,
} from '../../../dataverse/generated';

/**
 * A local org with one NCE subscription (monthly cycle anchored on 2022-03-05): bought with 10 seats
 * on 2022-03-05 and 15 added on 2022-03-07, so 25 seats; customer price 15.00, vendor cost 12.00.
 */
export async function seededOrg(): Promise<{ org: LocalOrg; subscriptionId: string; customerId: string }> {
  const org = new LocalOrg();
  const customerId = await org.create('accounts', { name: 'Contoso' });
  const offerId = await org.create('cspb_offers', {
    cspb_name: 'Microsoft 365 E3',
    cspb_vendor: 100000000,
    cspb_term: 100000001,
    cspb_billingplan: 100000000,
    cspb_currencycode: 'USD',
  });
  const subscriptionId = await org.create('cspb_subscriptions', {
    'cspb_OfferId@odata.bind': `/cspb_offers(${offerId})`,
    'cspb_CustomerId@odata.bind': `/accounts(${customerId})`,
    cspb_name: 'Contoso - Microsoft 365 E3',
    cspb_quantity: 25,
    cspb_status: CspbSubscriptionStatus.Active,
    cspb_vendorsubscriptionid: 'a1b2c3d4-0000-0000-0000-000000000001',
    cspb_currencycode: 'USD',
    cspb_customerunitprice: 15,
    cspb_vendorunitcost: 12,
  });
  const row = (sequence: number, type: number, before: number, delta: number, date: string) => ({
    cspb_name: `row ${sequence}`,
    'cspb_SubscriptionId@odata.bind': `/cspb_subscriptions(${subscriptionId})`,
    cspb_sequence: sequence,
    cspb_changetype: type,
    cspb_quantitybefore: before,
    cspb_quantitydelta: delta,
    cspb_quantityafter: before + delta,
    cspb_effectivedate: date,
    cspb_currencycode: 'USD',
    cspb_productid: 'CFQ7TTC0LFLZ',
    cspb_term: 100000001,
    cspb_billingplan: 100000000,
    cspb_source: Source.Form,
    cspb_referenceid: `ref-${sequence}`,
    cspb_changekey: `seq.${sequence}`,
  });
  await org.create('cspb_subscriptionchanges', row(1, Change.New, 0, 10, '2022-03-05'));
  await org.create('cspb_subscriptionchanges', row(2, Change.Add, 10, 15, '2022-03-07'));
  return { org, subscriptionId, customerId };
}

/**
 * Puts the seeded subscription under a monthly USD contract of Contoso: calendar-month periods in
 * advance, net 30, daily proration, half-up rounding. Returns the contract's id.
 */
export async function contractTheSubscription(org: LocalOrg, customerId: string, subscriptionId: string, name = 'Contoso licences'): Promise<string> {
  const contractId = await org.create('cspb_billingcontracts', {
    cspb_name: name,
    'cspb_CustomerId@odata.bind': `/accounts(${customerId})`,
    cspb_currencycode: 'USD',
    cspb_frequency: CspbBillingContractFrequency.Monthly,
    cspb_anchor: CspbBillingContractAnchor.CalendarMonth,
    cspb_timing: CspbBillingContractTiming.InAdvance,
    cspb_paymenttermdays: 30,
    cspb_prorationpolicy: CspbBillingContractProrationPolicy.DailyByDaysInPeriod,
    cspb_roundingpolicy: CspbBillingContractRoundingPolicy.HalfUp,
  });
  await org.update('cspb_subscriptions', subscriptionId, { 'cspb_ContractId@odata.bind': `/cspb_billingcontracts(${contractId})` });
  return contractId;
}
