/**
 * The app's token for Microsoft Graph: client credentials through MSAL (`@azure/msal-node`), scope
 * `https://graph.microsoft.com/.default`, an app registration granted PartnerBilling.Read.All
 * (application permission; "Use the Microsoft Graph API to export partner billing data",
 * learn.microsoft.com/graph/api/resources/partners-billing-api-overview). MSAL caches the token;
 * `fresh` skips its cache, which the client asks for once after a 401 (a token revoked or expired
 * early): the second 401 is a real refusal.
 */
import { ConfidentialClientApplication, type INetworkModule } from '@azure/msal-node';
import { PullError } from './errors';

export type GraphToken = (fresh: boolean) => Promise<string>;

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

export interface GraphCredentials {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Default https://login.microsoftonline.com */
  readonly authorityHost?: string;
  /**
   * MSAL's own options for a tenant it cannot discover (sovereign clouds, and the tests' local
   * Entra ID: its OpenID configuration given here, its HTTP through `networkClient`).
   */
  readonly authorityMetadata?: string;
  readonly cloudDiscoveryMetadata?: string;
  readonly networkClient?: INetworkModule;
}

export function graphClientCredentials(credentials: GraphCredentials, scope = GRAPH_SCOPE): GraphToken {
  let app: ConfidentialClientApplication | undefined;
  return async (fresh) => {
    app ??= new ConfidentialClientApplication({
      auth: {
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
        authority: `${(credentials.authorityHost ?? 'https://login.microsoftonline.com').replace(/\/$/, '')}/${credentials.tenantId}`,
        ...(credentials.authorityMetadata ? { authorityMetadata: credentials.authorityMetadata } : {}),
        ...(credentials.cloudDiscoveryMetadata ? { cloudDiscoveryMetadata: credentials.cloudDiscoveryMetadata } : {}),
      },
      ...(credentials.networkClient ? { system: { networkClient: credentials.networkClient } } : {}),
    });
    try {
      const result = await app.acquireTokenByClientCredential({ scopes: [scope], skipCache: fresh });
      if (!result?.accessToken) throw new Error('no access token in the answer');
      return result.accessToken;
    } catch (e) {
      // MSAL's message names the Entra error (AADSTS7000215 invalid secret, ...); never the secret.
      throw new PullError('auth-failed', `No token for ${scope} (client ${credentials.clientId}, tenant ${credentials.tenantId}): ${(e as Error).message}`);
    }
  };
}
