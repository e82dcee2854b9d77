/** @jest-environment jsdom */
import './fluent-cjs';
import * as React from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import { ReconciliationGridView } from '../../pcf-controls/ReconciliationGrid/components/ReconciliationGridView';
import { rowSetOf } from '../../pcf-controls/ReconciliationGrid/model/row-set';
import { toRows } from '../../pcf-controls/ReconciliationGrid/model/rows';
import { BATCH, CrmSubscriptions } from '../../pcf-controls/ReconciliationGrid/model/crm-subscriptions';
import type { WebApiLike } from '../../pcf-controls/ReconciliationGrid/model/actions';
import { CspbSubscriptionStatus } from '../../dataverse/generated/cspb_subscription';
import { records, resxStrings } from './support';

const guid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A Web API holding subscriptions 0..199 (odd ones cancelled); it answers the `or` of ids it is given. */
function subscriptionsApi(failing = false): WebApiLike & { queries: string[] } {
  const queries: string[] = [];
  return {
    queries,
    updateRecord: async () => ({}),
    createRecord: async () => ({ id: 'x' }),
    retrieveMultipleRecords: async (entity, options) => {
      queries.push(`${entity}${options ?? ''}`);
      if (failing) throw new Error('503');
      const ids = [...(options ?? '').matchAll(/cspb_subscriptionid eq ([0-9a-f-]{36})/g)].map((m) => m[1]!);
      const known = ids.map((id) => Number(id.slice(-12))).filter((n) => n < 200);
      return {
        entities: known.map((n) => ({
          cspb_subscriptionid: guid(n).toUpperCase(),
          cspb_quantity: n + 1,
          cspb_status: n % 2 ? CspbSubscriptionStatus.Cancelled : CspbSubscriptionStatus.Active,
          cspb_customerunitprice: n === 11 ? 1.005 : 15,
          cspb_currencycode: 'EUR',
        })),
      };
    },
  };
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('CRM subscriptions of the groups on screen', () => {
  it('asks for each id once, at most BATCH a query, and maps quantity, status and price', async () => {
    const api = subscriptionsApi();
    let loaded = 0;
    const crm = new CrmSubscriptions(api, () => loaded++);
    for (let n = 0; n < 120; n++) crm.request(guid(n));
    crm.request(guid(3)); // asked twice: queued once
    crm.request('not-a-guid'); // not a record id: never queried
    await settle();
    await settle();
    expect(api.queries).toHaveLength(3);
    expect(api.queries.map((q) => (q.match(/ eq /g) ?? []).length)).toEqual([BATCH, BATCH, 20]);
    expect(
      api.queries.every((q) =>
        q.startsWith('cspb_subscription?$select=cspb_subscriptionid,cspb_quantity,cspb_status,cspb_customerunitprice,cspb_currencycode&$filter='),
      ),
    ).toBe(true);
    expect(loaded).toBe(3);
    expect(crm.version).toBe(3);
    expect(crm.get(guid(4))).toEqual({ id: guid(4), quantity: 5, status: 'active', customerUnitPrice: { units: 15, scale: 0 }, currency: 'EUR' });
    expect(crm.get(guid(7).toUpperCase())?.status).toBe('cancelled');
    crm.request(guid(4));
    crm.request(guid(250)); // not in CRM: asked once, then known as missing
    await settle();
    await settle();
    expect(api.queries).toHaveLength(4);
    expect(crm.get(guid(250))).toBeNull();
  });

  it('shows nothing of CRM when the query fails', async () => {
    const crm = new CrmSubscriptions(subscriptionsApi(true), () => undefined);
    crm.request(guid(1));
    await settle();
    await settle();
    expect(crm.get(guid(1))).toBeNull();
  });

  it("puts the subscription's CRM quantity, status and price on its group header", async () => {
    const strings = resxStrings('ReconciliationGrid');
    const rows = toRows(
      ['cspb_customerid', 'cspb_vendorsubscriptionid', 'cspb_subscriptionid', 'cspb_chargetype', 'cspb_billedamount', 'cspb_currencycode'],
      records([
        {
          id: 'd1',
          cspb_customerid: 'Contoso',
          cspb_vendorsubscriptionid: 'sub-a',
          cspb_subscriptionid: guid(11),
          cspb_chargetype: 'cycleCharge',
          cspb_billedamount: 10,
          cspb_currencycode: 'EUR',
        },
        {
          id: 'd2',
          cspb_customerid: 'Contoso',
          cspb_vendorsubscriptionid: 'sub-b',
          cspb_chargetype: 'cycleCharge',
          cspb_billedamount: 5,
          cspb_currencycode: 'EUR',
        },
      ]),
    );
    const api = subscriptionsApi();
    let version = 0;
    const view = (): React.ReactElement => (
      <ReconciliationGridView rowSet={rowSetOf(rows)} strings={strings} actions={null} onExport={() => undefined} crm={crm} crmVersion={version} />
    );
    const crm: CrmSubscriptions = new CrmSubscriptions(api, () => {
      version = crm.version;
      result.rerender(view());
    });
    const result = render(view());
    await waitFor(() => expect(screen.getByTestId('crm-subscription').textContent).toBe('CRM: 12 seats, cancelled, customer price EUR\u00a01.005'));
    // One header has a CRM record (sub-b's lines carry none): one bounded query for one id.
    expect(screen.getAllByTestId('crm-subscription')).toHaveLength(1);
    expect(api.queries).toHaveLength(1);
    expect(api.queries[0]).toContain(`cspb_subscriptionid eq ${guid(11)}`);
  });
});
