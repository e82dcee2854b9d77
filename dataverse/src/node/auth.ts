/**
 * Access tokens for the Node adapter. Dataverse takes an Entra ID token whose audience is the
 * organization URL: `<org>/.default` for an application (client credentials), `<org>/user_impersonation`
 * for a person (device code). MSAL caches and refreshes them; each provider returns a valid token
 * per call. The local org needs none (pass no provider, or `staticToken` to exercise the header).
 */
export type TokenProvider = () => Promise<string>;

export interface ClientCredentialsOptions {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** e.g. https://contoso.crm.dynamics.com */
  readonly orgUrl: string;
  /** Default https://login.microsoftonline.com */
  readonly authorityHost?: string;
}

export interface DeviceCodeOptions {
  readonly tenantId: string;
  /** A public client application registered with the Dataverse user_impersonation permission. */
  readonly clientId: string;
  readonly orgUrl: string;
  readonly authorityHost?: string;
  /** Shows the person the code and the URL (default: printed to stderr). */
  readonly onDeviceCode?: (message: string) => void;
}

/** Minimal shapes of the MSAL applications used, so tests can stand in for Entra ID. */
export interface ConfidentialApp {
  acquireTokenByClientCredential(request: { scopes: string[] }): Promise<{ accessToken: string } | null>;
}
export interface PublicApp {
  acquireTokenByDeviceCode(request: {
    scopes: string[];
    deviceCodeCallback: (response: { message: string }) => void;
  }): Promise<{ accessToken: string; account?: unknown } | null>;
  acquireTokenSilent(request: { scopes: string[]; account: never }): Promise<{ accessToken: string } | null>;
}

function orgScope(orgUrl: string, permission: string): string {
  return `${new URL(orgUrl).origin}/${permission}`;
}

function authority(host: string | undefined, tenantId: string): string {
  return `${(host ?? 'https://login.microsoftonline.com').replace(/\/$/, '')}/${tenantId}`;
}

export function staticToken(token: string): TokenProvider {
  return async () => token;
}

/** An application signing in as itself (a Dataverse application user). */
export function clientCredentialsToken(options: ClientCredentialsOptions, app?: ConfidentialApp): TokenProvider {
  let client: Promise<ConfidentialApp> | undefined = app ? Promise.resolve(app) : undefined;
  const scopes = [orgScope(options.orgUrl, '.default')];
  return async () => {
    client ??= import('@azure/msal-node').then(
      (msal) =>
        new msal.ConfidentialClientApplication({
          auth: { clientId: options.clientId, clientSecret: options.clientSecret, authority: authority(options.authorityHost, options.tenantId) },
        }) as unknown as ConfidentialApp,
    );
    const result = await (await client).acquireTokenByClientCredential({ scopes });
    if (!result?.accessToken) throw new Error(`No token for ${scopes[0]} (client credentials, client ${options.clientId}).`);
    return result.accessToken;
  };
}

/** A person signing in on another device; later calls are silent until the refresh token expires. */
export function deviceCodeToken(options: DeviceCodeOptions, app?: PublicApp): TokenProvider {
  let client: Promise<PublicApp> | undefined = app ? Promise.resolve(app) : undefined;
  let account: unknown;
  const scopes = [orgScope(options.orgUrl, 'user_impersonation')];
  const show = options.onDeviceCode ?? ((message: string) => process.stderr.write(`${message}\n`));
  return async () => {
    client ??= import('@azure/msal-node').then(
      (msal) =>
        new msal.PublicClientApplication({
          auth: { clientId: options.clientId, authority: authority(options.authorityHost, options.tenantId) },
        }) as unknown as PublicApp,
    );
    const app = await client;
    if (account) {
      const silent = await app.acquireTokenSilent({ scopes, account: account as never }).catch(() => null);
      if (silent?.accessToken) return silent.accessToken;
    }
    const result = await app.acquireTokenByDeviceCode({ scopes, deviceCodeCallback: (r) => show(r.message) });
    if (!result?.accessToken) throw new Error(`No token for ${scopes[0]} (device code, client ${options.clientId}).`);
    account = result.account;
    return result.accessToken;
  };
}
