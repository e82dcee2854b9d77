import { entitySetNames } from '../../dataverse/generated';
import { logicalNamesOf, WebApiClient, type WebApiLike } from '../../dataverse/src/browser/web-api-client';
import type { DataverseClient } from '../../dataverse/src/client/types';

/**
 * The form scripts' and commands' Dataverse client: Xrm.WebApi behind the suite's one client
 * interface, so every read pages through `retrieveAll` (a nextLink is followed as the next
 * request, never passed back as query options) and a query is written once.
 */
export function formClient(): DataverseClient {
  return new WebApiClient(Xrm.WebApi as unknown as WebApiLike, { logicalNames: logicalNamesOf(entitySetNames) });
}
