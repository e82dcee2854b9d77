import { entitySetNames } from '../../generated';
import { logicalNamesOf, WebApiClient, type WebApiLike } from './web-api-client';
import type { DataverseClient } from '../client/types';
import { TRANSACTION_CURRENCY } from '../schema/currency';
import { NodeDataverseClient } from '../node/node-client';

/**
 * The Dataverse client of browser code (PCF controls, command libraries): reads and single writes
 * through the host's Web API (context.webAPI, Xrm.WebApi), and what that API lacks (UpsertMultiple,
 * change sets with If-Match) through dynamics-web-api on the org's own URL, where the user's
 * session authenticates it (the library runs in browsers as in Node).
 */
export function browserOrgClient(webApi: WebApiLike, orgUrl: string): DataverseClient {
  return new WebApiClient(webApi, {
    logicalNames: { ...logicalNamesOf(entitySetNames), [TRANSACTION_CURRENCY.entitySetName]: TRANSACTION_CURRENCY.logicalName },
    fallback: new NodeDataverseClient({ url: orgUrl }),
  });
}
