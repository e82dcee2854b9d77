import type { LocalOrg } from '../../../dataverse/src/local-org';
import { entitySetNames } from '../../../dataverse/generated';
import { TRANSACTION_CURRENCY } from '../../../dataverse/src/schema';

/**
 * The subset of Xrm.WebApi the form scripts use, over the embedded local org: logical names map to
 * entity sets and OData query strings to DataverseClient options, as Dataverse would parse them.
 */
export function localWebApi(org: LocalOrg) {
  const setOf = (logicalName: string): string => {
    const set = logicalName === TRANSACTION_CURRENCY.logicalName ? TRANSACTION_CURRENCY.entitySetName : (entitySetNames as Record<string, string>)[logicalName];
    if (!set) throw new Error(`unknown table ${logicalName}`);
    return set;
  };
  const parse = (options: string | undefined) => {
    const params = new URLSearchParams((options ?? '').replace(/^\?/, ''));
    const select = params.get('$select');
    const filter = params.get('$filter');
    const orderBy = params.get('$orderby');
    const top = params.get('$top');
    return {
      ...(select ? { select: select.split(',') } : {}),
      ...(filter ? { filter } : {}),
      ...(orderBy ? { orderBy: orderBy.split(',') } : {}),
      ...(top ? { top: Number(top) } : {}),
    };
  };
  return {
    async retrieveRecord(entity: string, id: string, options?: string) {
      const { select } = parse(options);
      return org.retrieve(setOf(entity), id.replace(/[{}]/g, ''), select ? { select } : {});
    },
    async retrieveMultipleRecords(entity: string, options?: string, maxPageSize?: number) {
      // The query of a nextLink (Xrm.WebApi's way to the next page) continues that query.
      const page = /[?&]\$skiptoken=/.test(options ?? '')
        ? await org.retrieveNextPage<Record<string, unknown>>(`${setOf(entity)}${options}`)
        : await org.retrieveMultiple<Record<string, unknown>>(setOf(entity), { ...parse(options), ...(maxPageSize ? { pageSize: maxPageSize } : {}) });
      return { entities: page.value, ...(page.nextLink ? { nextLink: page.nextLink } : {}) };
    },
    async createRecord(entity: string, data: Record<string, unknown>) {
      return { entityType: entity, id: await org.create(setOf(entity), data) };
    },
    async updateRecord(entity: string, id: string, data: Record<string, unknown>) {
      await org.update(setOf(entity), id.replace(/[{}]/g, ''), data);
      return { entityType: entity, id };
    },
  };
}
