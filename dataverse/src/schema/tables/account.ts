import { text } from '../columns';
import type { TableExtension } from '../types';

/** Dataverse's own account table, extended with the customer's Microsoft identity. */
export const account: TableExtension = {
  logicalName: 'account',
  schemaName: 'Account',
  displayName: 'Account',
  entitySetName: 'accounts',
  primaryId: 'accountid',
  primaryName: 'name',
  columns: [
    text('cspb_TenantId', {
      display: 'Microsoft tenant id',
      description: "The customer's Microsoft Entra tenant id (CustomerId on Partner Center bills).",
      maxLength: 36,
    }),
    text('cspb_PrimaryDomain', {
      display: 'Primary domain',
      description: "The customer's primary domain (CustomerDomainName on Partner Center bills).",
      maxLength: 255,
    }),
  ],
};
