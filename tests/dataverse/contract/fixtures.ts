import type { DataverseClient, EntityRecord } from '../../../dataverse/src/client';
import { DataverseError } from '../../../dataverse/src/client';

/** Rows the contract tests write, built the way the suite's mappers will: Web API write shape. */
export const importRecord = (hash: string, extra: EntityRecord = {}): EntityRecord => ({
  cspb_name: `Bill ${hash}`,
  cspb_contenthash: hash,
  cspb_currencycode: 'USD',
  ...extra,
});

export const lineRecord = (importId: string, key: string, extra: EntityRecord = {}): EntityRecord => ({
  cspb_name: `Line ${key}`,
  cspb_linekey: key,
  cspb_currencycode: 'USD',
  'cspb_ImportId@odata.bind': `cspb_billingimports(${importId})`,
  ...extra,
});

/** What a call rejected with, as a DataverseError (fails the test when it resolved). */
export async function failure(promise: Promise<unknown>): Promise<DataverseError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DataverseError) return error;
    throw new Error(`expected a DataverseError, got ${String(error)}`);
  }
  throw new Error('expected the call to fail, it succeeded');
}

/** Every row of a query, following nextLink page by page. */
export async function allPages<T extends EntityRecord>(
  client: DataverseClient,
  first: { value: T[]; nextLink?: string },
): Promise<{ rows: T[]; pages: number }> {
  const rows = [...first.value];
  let next = first.nextLink;
  let pages = 1;
  while (next) {
    const page = await client.retrieveNextPage<T>(next);
    rows.push(...page.value);
    next = page.nextLink;
    pages++;
  }
  return { rows, pages };
}

export const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
