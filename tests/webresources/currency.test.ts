import { XrmMockGenerator } from 'xrm-mock';
import { CURRENCY_NOTE } from '../../webresources/src/currency';
import { onLoad as onCurrencyFormLoad } from '../../webresources/src/currency.form';
import { onLoad as onSubscriptionLoad } from '../../webresources/src/subscription.form';
import { currencyIdOf } from '../../dataverse/src/local-org/currency';
import { CspbBillingContractAnchor, CspbBillingContractFrequency, CspbBillingContractTiming, CspbSubscriptionStatus } from '../../dataverse/generated';
import { localWebApi } from './support/local-webapi';
import { useLanguage } from './support/resx';
import { seededOrg } from './support/seed';

/**
 * A row saved without a Currency gets the saving user's currency
 * (learn.microsoft.com/power-apps/developer/data-platform/transaction-currency-currency-entity), so the
 * forms bind it from the ISO code. These run the form scripts over the local org (USD base, EUR and
 * GBP enabled) and save what the form holds, as the platform would.
 */
async function form(options: { formType: 1 | 2; code?: string | null; contractCode?: string }) {
  const { org, subscriptionId, customerId } = await seededOrg();
  const contractId = await org.create('cspb_billingcontracts', {
    cspb_name: 'Contoso EUR',
    'cspb_CustomerId@odata.bind': `/accounts(${customerId})`,
    cspb_currencycode: options.contractCode ?? 'EUR',
    cspb_frequency: CspbBillingContractFrequency.Monthly,
    cspb_anchor: CspbBillingContractAnchor.CalendarMonth,
    cspb_timing: CspbBillingContractTiming.InAdvance,
    cspb_paymenttermdays: 30,
    cspb_prorationpolicy: 100000000,
    cspb_roundingpolicy: 100000000,
  });
  XrmMockGenerator.initialise({ entity: { id: options.formType === 1 ? '' : `{${subscriptionId.toUpperCase()}}`, entityName: 'cspb_subscription' } } as never);
  (Xrm as unknown as { WebApi: unknown }).WebApi = localWebApi(org);
  useLanguage(1033);
  const code = XrmMockGenerator.Attribute.createString({ name: 'cspb_currencycode', value: options.code ?? null } as never, { name: 'cspb_currencycode' });
  const currency = XrmMockGenerator.Attribute.createLookup(
    {
      name: 'transactioncurrencyid',
      value: options.formType === 2 ? [{ id: currencyIdOf('USD'), name: 'US Dollar', entityType: 'transactioncurrency' }] : null,
    } as never,
    { name: 'transactioncurrencyid' },
  );
  const contract = XrmMockGenerator.Attribute.createLookup(
    { name: 'cspb_contractid', value: options.formType === 1 ? [{ id: contractId, name: 'Contoso EUR', entityType: 'cspb_billingcontract' }] : null } as never,
    { name: 'cspb_contractid' },
  );
  XrmMockGenerator.Attribute.createNumber({ name: 'cspb_quantity', value: 25 }, { name: 'cspb_quantity' });
  const context = XrmMockGenerator.getEventContext();
  context.getFormContext().ui.getFormType = () => options.formType;
  const controlNote = () =>
    (
      context.getFormContext().getControl('cspb_currencycode') as unknown as { notifications?: Array<{ uniqueId: string; messages: string[] }> }
    ).notifications?.find((n) => n.uniqueId === CURRENCY_NOTE)?.messages[0];
  return { org, context, code, currency, contract, controlNote, subscriptionId };
}

const idOf = (lookup: { getValue(): Xrm.LookupValue[] | null }): string | undefined => lookup.getValue()?.[0]?.id.replace(/[{}]/g, '').toLowerCase();

describe('Currency lookup on forms', () => {
  it("a new subscription takes its contract's currency, and a save stores EUR with its rate", async () => {
    const { org, context, code, currency, subscriptionId } = await form({ formType: 1 });
    await onSubscriptionLoad(context);
    expect(code.getValue()).toBe('EUR');
    expect(idOf(currency)).toBe(currencyIdOf('EUR'));
    // What the form would send: the bound lookup as the platform's client sends it.
    const seeded = await org.retrieve<Record<string, unknown>>('cspb_subscriptions', subscriptionId, {
      select: ['_cspb_customerid_value', '_cspb_offerid_value'],
    });
    const id = await org.create('cspb_subscriptions', {
      cspb_name: 'new',
      cspb_quantity: 5,
      cspb_status: CspbSubscriptionStatus.Active,
      'cspb_CustomerId@odata.bind': `/accounts(${String(seeded['_cspb_customerid_value'])})`,
      'cspb_OfferId@odata.bind': `/cspb_offers(${String(seeded['_cspb_offerid_value'])})`,
      cspb_currencycode: code.getValue(),
      cspb_customerunitprice: 18.4,
      'transactioncurrencyid@odata.bind': `/transactioncurrencies(${String(idOf(currency))})`,
    });
    const row = await org.retrieve<Record<string, unknown>>('cspb_subscriptions', id, {
      select: ['_transactioncurrencyid_value', 'exchangerate', 'cspb_customerunitprice_base'],
    });
    expect(row['_transactioncurrencyid_value']).toBe(currencyIdOf('EUR'));
    expect(row['exchangerate']).toBe(0.92);
    expect(row['cspb_customerunitprice_base']).toBe(20); // 18.40 / 0.92
  });

  it('changing the code moves the lookup; lower case is normalised', async () => {
    const { context, code, currency } = await form({ formType: 2, code: 'USD' });
    await onSubscriptionLoad(context);
    expect(idOf(currency)).toBe(currencyIdOf('USD'));
    code.setValue('gbp');
    code.fireOnChange();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(code.getValue()).toBe('GBP');
    expect(idOf(currency)).toBe(currencyIdOf('GBP'));
  });

  // "Setting an error notification on a control will block the form from saving"
  // (learn.microsoft.com/power-apps/developer/model-driven-apps/clientapi/reference/controls/setnotification).
  it('a code the org has not enabled puts a notification on the code (the platform then refuses the save)', async () => {
    const { context, code, currency, controlNote } = await form({ formType: 2, code: 'USD' });
    await onCurrencyFormLoad(context);
    code.setValue('JPY');
    code.fireOnChange();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(controlNote()).toContain('JPY is not enabled');
    expect(idOf(currency)).toBe(currencyIdOf('USD'));
    code.setValue('EUR');
    code.fireOnChange();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(controlNote()).toBeUndefined();
    expect(idOf(currency)).toBe(currencyIdOf('EUR'));
  });

  it('an existing row whose lookup already matches is not made dirty', async () => {
    const { context, currency } = await form({ formType: 2, code: 'USD' });
    const before = currency.getValue();
    await onCurrencyFormLoad(context);
    expect(currency.getValue()).toBe(before);
  });
});
