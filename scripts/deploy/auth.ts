import { ConfidentialClientApplication, PublicClientApplication } from '@azure/msal-node';
import type { DeployOptions } from './options';

/**
 * Microsoft's public client id for Dataverse development tools (the one Microsoft's own samples
 * use for interactive sign-in), used for device-code login when no --client-id is given.
 */
export const DEFAULT_PUBLIC_CLIENT_ID = '51f81489-12ee-4a9e-aaae-a2591f45987d';

export type TokenProvider = () => Promise<string>;

/**
 * msal-node: client credentials when CSPB_CLIENT_SECRET is set (an application user in the
 * environment), otherwise the device-code flow (the admin signs in in a browser).
 */
export function msalTokenProvider(options: DeployOptions, log: (line: string) => void): TokenProvider {
  const scopes = [`${options.url}/.default`];
  const authority = `https://login.microsoftonline.com/${options.tenant ?? 'organizations'}`;
  if (options.clientSecret) {
    if (!options.clientId) throw new Error('client credentials need --client-id and --tenant');
    const app = new ConfidentialClientApplication({ auth: { clientId: options.clientId, authority, clientSecret: options.clientSecret } });
    return async () => {
      const result = await app.acquireTokenByClientCredential({ scopes });
      if (!result?.accessToken) throw new Error('client-credentials login returned no token');
      return result.accessToken;
    };
  }
  const app = new PublicClientApplication({ auth: { clientId: options.clientId ?? DEFAULT_PUBLIC_CLIENT_ID, authority } });
  let cached: { token: string; expires: number } | undefined;
  return async () => {
    if (cached && cached.expires > Date.now() + 60_000) return cached.token;
    const accounts = await app.getTokenCache().getAllAccounts();
    const silent = accounts[0] ? await app.acquireTokenSilent({ account: accounts[0], scopes }).catch(() => null) : null;
    const result = silent ?? (await app.acquireTokenByDeviceCode({ scopes, deviceCodeCallback: (r) => log(r.message) }));
    if (!result?.accessToken) throw new Error('device-code login returned no token');
    cached = { token: result.accessToken, expires: result.expiresOn?.getTime() ?? Date.now() + 300_000 };
    return cached.token;
  };
}
