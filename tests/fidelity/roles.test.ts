/**
 * The shipped roles enforced for the calling user, from the built managed zip's <Roles>
 * ("Security roles and privileges", learn.microsoft.com/power-platform/admin/security-roles-privileges:
 * Create, Read, Write, Delete, Append, Append To per table; a missing privilege is the 403
 * "Principal user ... is missing prv... privilege"). Each person's role is checked on what their
 * screens do; the integration role on what the webhook host does; a role without Read on Currency
 * cannot touch a row with amounts.
 */
import { DataverseError, type DataverseClient } from '../../dataverse/src/client/types';
import { LocalOrg } from '../../dataverse/src/local-org';
import { serveLocalOrg } from '../../dataverse/src/local-org/http';
import { NodeDataverseClient } from '../../dataverse/src/node';
import { builtCustomizations } from '../support/dist';

const IDS = {
  sales: '5a1e5000-0000-4000-8000-000000000001',
  finance: 'f1a00000-0000-4000-8000-000000000002',
  admin: 'ad000000-0000-4000-8000-000000000003',
  app: 'a9900000-0000-4000-8000-000000000004',
  none: '00000000-0000-4000-8000-000000000005',
};

async function orgWithUsers(): Promise<{ org: LocalOrg; offerId: string; accountId: string }> {
  const org = new LocalOrg({ customizationsXml: builtCustomizations('CspBilling_managed.zip') });
  org.registerUser({ id: IDS.sales, name: 'Sam Sales', roles: ['CSP Sales'] });
  org.registerUser({ id: IDS.finance, name: 'Fran Finance', roles: ['CSP Finance'] });
  org.registerUser({ id: IDS.admin, name: 'Ada Admin', roles: ['CSP Billing Admin'] });
  org.registerUser({ id: IDS.app, name: 'webhook host', roles: ['CSP Billing Integration'] });
  org.registerUser({ id: IDS.none, name: 'No Role', roles: [] });
  const accountId = await org.create('accounts', { name: 'Contoso' });
  const offerId = await org.create('cspb_offers', {
    cspb_name: 'M365 BS',
    cspb_vendor: 100000000,
    cspb_productid: 'P',
    cspb_skuid: 'S',
    cspb_term: 100000001,
    cspb_billingplan: 100000000,
    cspb_unitcost: 12.5,
    cspb_currencycode: 'USD',
  });
  return { org, offerId, accountId };
}

const subscription = (offerId: string, accountId: string) => ({
  cspb_name: 'Contoso M365',
  cspb_quantity: 5,
  cspb_status: 100000000,
  cspb_currencycode: 'USD',
  cspb_customerunitprice: 15,
  cspb_vendorunitcost: 12.5,
  'cspb_OfferId@odata.bind': `/cspb_offers(${offerId})`,
  'cspb_CustomerId@odata.bind': `/accounts(${accountId})`,
});

const refusal = async (call: Promise<unknown>): Promise<string> => {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DataverseError)) throw new Error('the call was allowed');
  expect([error.status, error.code]).toEqual([403, '0x80040220']);
  return error.message;
};

describe('roles enforced for the calling user', () => {
  it('reads the four roles from the built zip', async () => {
    const { org } = await orgWithUsers();
    expect([...org.roles.keys()].sort()).toEqual(['CSP Billing Admin', 'CSP Billing Integration', 'CSP Finance', 'CSP Sales']);
  });

  it('Sales: creates and changes subscriptions, reads the ledger, cannot write it nor see bills', async () => {
    const { org, offerId, accountId } = await orgWithUsers();
    const sales = org.as(IDS.sales);
    const id = await sales.create('cspb_subscriptions', subscription(offerId, accountId));
    await sales.update('cspb_subscriptions', id, { cspb_quantity: 6 });
    await expect(sales.retrieveMultiple('cspb_subscriptionchanges', {})).resolves.toBeDefined();
    expect(await refusal(sales.create('cspb_subscriptionchanges', { cspb_name: 'x' }))).toMatch(/missing prvCreatecspb_SubscriptionChange privilege/);
    expect(await refusal(sales.retrieveMultiple('cspb_billingimports', {}))).toMatch(/prvReadcspb_BillingImport/);
    expect(await refusal(sales.delete('cspb_subscriptions', id))).toMatch(/prvDeletecspb_Subscription/);
  });

  it('Finance: imports and runs, corrects a subscription, cannot create one, delete, or write the ledger', async () => {
    const { org, offerId, accountId } = await orgWithUsers();
    const subId = await org.create('cspb_subscriptions', subscription(offerId, accountId));
    const finance = org.as(IDS.finance);
    const importId = await finance.create('cspb_billingimports', { cspb_name: 'Oct', cspb_contenthash: 'h', cspb_currencycode: 'USD' });
    await finance.create('cspb_reconciliationruns', {
      cspb_name: 'Oct run',
      'cspb_ImportId@odata.bind': `/cspb_billingimports(${importId})`,
      cspb_currencycode: 'USD',
    });
    await finance.update('cspb_subscriptions', subId, { cspb_quantity: 7, cspb_changereason: 'Billed 7' });
    expect(await refusal(finance.create('cspb_subscriptions', subscription(offerId, accountId)))).toMatch(/prvCreatecspb_Subscription/);
    expect(await refusal(finance.delete('cspb_billingimports', importId))).toMatch(/prvDeletecspb_BillingImport/);
    expect(await refusal(finance.create('cspb_subscriptionchanges', { cspb_name: 'x' }))).toMatch(/prvCreatecspb_SubscriptionChange/);
  });

  it('the integration role (the webhook host) appends the ledger; it cannot delete subscriptions', async () => {
    const { org, offerId, accountId } = await orgWithUsers();
    const subId = await org.create('cspb_subscriptions', subscription(offerId, accountId));
    const app = org.as(IDS.app);
    await app.create('cspb_subscriptionchanges', {
      cspb_name: '+5',
      cspb_changekey: 'v1.1',
      cspb_sequence: 1,
      cspb_changetype: 100000000,
      cspb_effectivedate: '2026-10-01',
      cspb_quantitybefore: 0,
      cspb_quantitydelta: 5,
      cspb_quantityafter: 5,
      cspb_currencycode: 'USD',
      'cspb_SubscriptionId@odata.bind': `/cspb_subscriptions(${subId})`,
    });
    expect(await refusal(app.delete('cspb_subscriptions', subId))).toMatch(/prvDeletecspb_Subscription/);
  });

  it('Append and Append To: binding a lookup takes both, on each side', async () => {
    const { org, offerId, accountId } = await orgWithUsers();
    // Finance may write subscriptions but holds no Append on them: moving one to another offer is refused.
    const subId = await org.create('cspb_subscriptions', subscription(offerId, accountId));
    expect(await refusal(org.as(IDS.finance).update('cspb_subscriptions', subId, { 'cspb_OfferId@odata.bind': `/cspb_offers(${offerId})` }))).toMatch(
      /prvAppendcspb_Subscription/,
    );
  });

  it('a user without roles reads nothing; without Read on Currency no row with amounts', async () => {
    const { org } = await orgWithUsers();
    expect(await refusal(org.as(IDS.none).retrieveMultiple('cspb_offers', {}))).toMatch(/prvReadcspb_Offer/);
    const custom = new LocalOrg({
      customizationsXml: builtCustomizations('CspBilling_managed.zip').replace(/<RolePrivilege name="prvReadTransactionCurrency" level="Global" \/>/g, ''),
    });
    custom.registerUser({ id: IDS.admin, name: 'Ada', roles: ['CSP Billing Admin'] });
    expect(await refusal(custom.as(IDS.admin).retrieveMultiple('cspb_offers', {}))).toMatch(/prvReadTransactionCurrency/);
  });

  it('over HTTP the caller is who MSCRMCallerID names ("Impersonate another user"); an unknown id is refused', async () => {
    const { org } = await orgWithUsers();
    const api = await serveLocalOrg(org);
    try {
      const sales: DataverseClient = await NodeDataverseClient.connect({ url: api.url, callerId: IDS.sales, retry: false });
      expect(await (sales as NodeDataverseClient).whoAmI()).toMatchObject({ UserId: IDS.sales });
      expect(await refusal(sales.retrieveMultiple('cspb_billingimports', {}))).toMatch(/prvReadcspb_BillingImport/);
      const system = await NodeDataverseClient.connect({ url: api.url, retry: false });
      await expect(system.retrieveMultiple('cspb_billingimports', {})).resolves.toBeDefined();
      await expect(NodeDataverseClient.connect({ url: api.url, callerId: '11111111-0000-4000-8000-000000000000', retry: false })).rejects.toMatchObject({
        status: 403,
      });
    } finally {
      await api.close();
    }
  });
});
