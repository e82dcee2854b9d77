import { entitySetNames, CspbOfferBillingPlan, CspbOfferTerm, CspbOfferVendor } from '../../../dataverse/generated';
import { logicalNamesOf, WebApiClient, type WebApiLike } from '../../../dataverse/src/browser';
import { DataverseError, type QueryOptions } from '../../../dataverse/src/client';
import { LocalOrg } from '../../../dataverse/src/local-org';

/**
 * A stand-in for Xrm.WebApi / context.webAPI: logical names and `?$select=...` strings in, the
 * local org behind, its pages returned as full nextLink URLs the way Dataverse returns them.
 */
function webApiOver(org: LocalOrg, calls: string[]): WebApiLike {
  const sets = entitySetNames as Record<string, string>;
  const options = (text?: string): QueryOptions => {
    const p = new URLSearchParams((text ?? '').replace(/^\?/, ''));
    return {
      select: p.get('$select')?.split(','),
      filter: p.get('$filter') ?? undefined,
      orderBy: p.get('$orderby')?.split(','),
      top: p.has('$top') ? Number(p.get('$top')) : undefined,
    };
  };
  const page = (set: string, result: { value: object[]; nextLink?: string }) => ({
    entities: result.value,
    nextLink: result.nextLink ? `https://org.invalid/api/data/v9.2/${set}?localNext=${encodeURIComponent(result.nextLink)}` : undefined,
  });
  return {
    createRecord: async (logical, data) => {
      calls.push(`create ${logical}`);
      return { id: await org.create(sets[logical]!, data as Record<string, unknown>) };
    },
    updateRecord: async (logical, id, data) => {
      calls.push(`update ${logical}`);
      await org.update(sets[logical]!, id, data as Record<string, unknown>);
      return { id };
    },
    deleteRecord: async (logical, id) => {
      calls.push(`delete ${logical}`);
      await org.delete(sets[logical]!, id);
      return { id };
    },
    retrieveRecord: (logical, id, text) => org.retrieve(sets[logical]!, id, options(text)),
    retrieveMultipleRecords: async (logical, text, maxPageSize) => {
      const next = new URLSearchParams((text ?? '').replace(/^\?/, '')).get('localNext');
      if (next) return page(sets[logical]!, await org.retrieveNextPage(next));
      return page(sets[logical]!, await org.retrieveMultiple(sets[logical]!, { ...options(text), pageSize: maxPageSize }));
    },
  };
}

const offer = (i: number) => ({
  cspb_name: `Offer ${String(i).padStart(2, '0')}`,
  cspb_vendor: CspbOfferVendor.Microsoft,
  cspb_term: CspbOfferTerm.P1M,
  cspb_billingplan: CspbOfferBillingPlan.Monthly,
  cspb_currencycode: 'USD',
  cspb_unitcost: 10 + i,
});

describe('WebApiClient over Xrm.WebApi / context.webAPI', () => {
  it('creates, reads, pages, updates and deletes through the host API with logical names', async () => {
    const org = new LocalOrg();
    const calls: string[] = [];
    const client = new WebApiClient(webApiOver(org, calls), { logicalNames: logicalNamesOf(entitySetNames) });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await client.create('cspb_offers', offer(i)));
    expect(calls.filter((c) => c === 'create cspb_offer')).toHaveLength(5);

    const first = await client.retrieveMultiple<{ cspb_name: string }>('cspb_offers', { select: ['cspb_name'], orderBy: ['cspb_name'], pageSize: 2 });
    expect(first.value.map((r) => r.cspb_name)).toEqual(['Offer 00', 'Offer 01']);
    const second = await client.retrieveNextPage<{ cspb_name: string }>(first.nextLink!);
    expect(second.value.map((r) => r.cspb_name)).toEqual(['Offer 02', 'Offer 03']);

    await client.update('cspb_offers', ids[0]!, { cspb_unitcost: 12.5 });
    expect((await client.retrieve<{ cspb_unitcost: number }>('cspb_offers', ids[0]!, { select: ['cspb_unitcost'] })).cspb_unitcost).toBe(12.5);
    await client.delete('cspb_offers', ids[4]!);
    expect(await org.count('cspb_offers')).toBe(4);
  });

  it('sends operations the host API lacks to the fallback, and refuses them clearly without one', async () => {
    const org = new LocalOrg();
    const without = new WebApiClient(webApiOver(org, []), { logicalNames: logicalNamesOf(entitySetNames) });
    await expect(without.createMultiple('cspb_offers', [offer(1)])).rejects.toThrow(/CreateMultiple is not available/);
    await expect(without.update('cspb_offers', 'x', {}, { ifMatch: 'W/"1"' })).rejects.toBeInstanceOf(DataverseError);

    const withFallback = new WebApiClient(webApiOver(org, []), { logicalNames: logicalNamesOf(entitySetNames), fallback: org });
    const ids = await withFallback.createMultiple('cspb_offers', [offer(1), offer(2)]);
    expect(ids).toHaveLength(2);
    const row = await org.retrieve<{ '@odata.etag': string }>('cspb_offers', ids[0]!);
    await withFallback.update('cspb_offers', ids[0]!, { cspb_unitcost: 99 }, { ifMatch: row['@odata.etag'] });
    await expect(withFallback.update('cspb_offers', ids[0]!, { cspb_unitcost: 98 }, { ifMatch: row['@odata.etag'] })).rejects.toMatchObject({ status: 412 });
  });

  it('turns host errors into DataverseError with status', async () => {
    const org = new LocalOrg();
    const client = new WebApiClient(webApiOver(org, []), { logicalNames: logicalNamesOf(entitySetNames) });
    await expect(client.retrieve('cspb_offers', '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ status: 404 });
    await expect(client.retrieve('no_such_sets', 'x')).rejects.toMatchObject({ status: 404 });
  });
});
