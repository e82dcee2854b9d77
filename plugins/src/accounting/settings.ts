/**
 * An accounting client from settings only (the CLI's environment, the webhook host's app settings):
 * secrets are read here and handed to the token providers, never logged nor put in an error (a
 * missing setting is named, its value never). Base URLs default to each system's production API and
 * may be pointed elsewhere (a sandbox, the tests' local fakes).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { INetworkModule } from '@azure/msal-node';
import type { AccountingSystem } from '../../../core/src';
import { businessCentralClient } from './business-central';
import type { HttpOptions } from './http';
import { oauthToken } from './oauth';
import { quickBooksClient } from './quickbooks';
import { AccountingApiError, type AccountingClient } from './types';
import { xeroClient } from './xero';

export const SETTINGS: Readonly<Record<AccountingSystem, readonly string[]>> = {
  bc: ['CSPB_BC_TENANT_ID', 'CSPB_BC_CLIENT_ID', 'CSPB_BC_CLIENT_SECRET', 'CSPB_BC_ENVIRONMENT', 'CSPB_BC_COMPANY_ID'],
  xero: ['CSPB_XERO_CLIENT_ID', 'CSPB_XERO_CLIENT_SECRET', 'CSPB_XERO_TENANT_ID'],
  qbo: ['CSPB_QBO_CLIENT_ID', 'CSPB_QBO_CLIENT_SECRET', 'CSPB_QBO_REALM_ID', 'CSPB_QBO_REFRESH_TOKEN_FILE'],
};

/** What tests and sovereign clouds give besides settings: MSAL's metadata and network, the HTTP's sleep. */
export interface ClientExtras {
  readonly msal?: { readonly authorityMetadata: string; readonly cloudDiscoveryMetadata: string; readonly networkClient: INetworkModule };
  readonly http?: Omit<HttpOptions, 'system' | 'token' | 'headers'>;
}

export function accountingClientFromSettings(system: AccountingSystem, env: NodeJS.ProcessEnv, extras: ClientExtras = {}): AccountingClient {
  const missing = SETTINGS[system].filter((name) => !env[name]?.trim());
  if (missing.length > 0) throw new AccountingApiError(system, 'auth-failed', `set ${missing.join(', ')} (docs/ADMIN.md, "Posting to the accounting system")`);
  const get = (name: string) => env[name]!.trim();
  const http = extras.http ?? {};
  if (system === 'bc') {
    const tenant = get('CSPB_BC_TENANT_ID');
    return businessCentralClient({
      apiUrl: env['CSPB_BC_API_URL']?.trim() || `https://api.businesscentral.dynamics.com/v2.0/${tenant}/${get('CSPB_BC_ENVIRONMENT')}/api/v2.0`,
      companyId: get('CSPB_BC_COMPANY_ID'),
      ...(env['CSPB_BC_LOCAL_CURRENCY'] ? { localCurrency: env['CSPB_BC_LOCAL_CURRENCY'].trim() } : {}),
      credentials: {
        tenantId: tenant,
        clientId: get('CSPB_BC_CLIENT_ID'),
        clientSecret: get('CSPB_BC_CLIENT_SECRET'),
        ...(env['CSPB_BC_AUTHORITY_HOST'] ? { authorityHost: env['CSPB_BC_AUTHORITY_HOST'].trim() } : {}),
        ...(extras.msal ?? {}),
      },
      http,
    });
  }
  if (system === 'xero')
    return xeroClient({
      apiUrl: env['CSPB_XERO_API_URL']?.trim() || 'https://api.xero.com/api.xro/2.0',
      tenantId: get('CSPB_XERO_TENANT_ID'),
      // A custom connection: client credentials, the organisation fixed by the connection.
      token: oauthToken({
        system,
        tokenUrl: env['CSPB_XERO_TOKEN_URL']?.trim() || 'https://identity.xero.com/connect/token',
        clientId: get('CSPB_XERO_CLIENT_ID'),
        clientSecret: get('CSPB_XERO_CLIENT_SECRET'),
        grant: { kind: 'client_credentials' },
      }),
      http,
    });
  // QuickBooks: the refresh token lives in a file the post keeps current (it rotates on use).
  const file = get('CSPB_QBO_REFRESH_TOKEN_FILE');
  const read = () => {
    if (!existsSync(file))
      throw new AccountingApiError(
        system,
        'auth-failed',
        `CSPB_QBO_REFRESH_TOKEN_FILE names ${file}, which does not exist: put the refresh token of the app's authorisation in it`,
      );
    return readFileSync(file, 'utf8').trim();
  };
  const realm = get('CSPB_QBO_REALM_ID');
  return quickBooksClient({
    apiUrl: env['CSPB_QBO_API_URL']?.trim() || `https://quickbooks.api.intuit.com/v3/company/${realm}`,
    token: oauthToken({
      system,
      tokenUrl: env['CSPB_QBO_TOKEN_URL']?.trim() || 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer',
      clientId: get('CSPB_QBO_CLIENT_ID'),
      clientSecret: get('CSPB_QBO_CLIENT_SECRET'),
      grant: { kind: 'refresh_token', refreshToken: read, onRotated: (token) => writeFileSync(file, `${token}\n`, { mode: 0o600 }) },
    }),
    http,
  });
}
