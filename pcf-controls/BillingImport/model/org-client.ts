import { entitySetNames } from '../../../dataverse/generated';
import { logicalNamesOf, WebApiClient, type WebApiLike } from '../../../dataverse/src/browser/web-api-client';
import type { DataverseClient } from '../../../dataverse/src/client/types';
import { TRANSACTION_CURRENCY } from '../../../dataverse/src/schema/currency';
import { NodeDataverseClient } from '../../../dataverse/src/node/node-client';

/**
 * The control's Dataverse client: reads and single writes through the platform's context.webAPI,
 * and what that API lacks (UpsertMultiple for the lines) through dynamics-web-api on the org's own
 * URL, where the user's session authenticates it (the library runs in browsers as in Node).
 */
export function importClient(webApi: WebApiLike, orgUrl: string): DataverseClient {
  return new WebApiClient(webApi, {
    logicalNames: { ...logicalNamesOf(entitySetNames), [TRANSACTION_CURRENCY.entitySetName]: TRANSACTION_CURRENCY.logicalName },
    fallback: new NodeDataverseClient({ url: orgUrl }),
  });
}
