import type { DataverseClient } from './types';

/** Every page of a query, following @odata.nextLink. */
export async function retrieveAll<T extends object>(
  client: DataverseClient,
  entitySet: string,
  options: Parameters<DataverseClient['retrieveMultiple']>[1],
): Promise<T[]> {
  const out: T[] = [];
  let page = await client.retrieveMultiple<T>(entitySet, options);
  out.push(...page.value);
  while (page.nextLink) {
    page = await client.retrieveNextPage<T>(page.nextLink);
    out.push(...page.value);
  }
  return out;
}
