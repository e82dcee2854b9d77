/**
 * The Entra ID side of the local fakes: the client-credentials token endpoint's answers ("Microsoft
 * identity platform and the OAuth 2.0 client credentials flow",
 * learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow) and what MSAL needs
 * to reach a fake instead of login.microsoftonline.com: the tenant's OpenID configuration
 * (`authorityMetadata`), the cloud discovery (`cloudDiscoveryMetadata`) and its documented
 * INetworkModule (`msalNetwork`) sending to the fake's origin. Shared by the Graph and Business
 * Central fakes.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

export const TENANT = '0e195b37-4574-4539-bc42-0e539b9684c0';
export const CLIENT_ID = '5f0c1c27-6c2a-4a2c-9d0a-1d7c6b3c6a11';
export const CLIENT_SECRET = 'local-test-secret';
export const LOGIN = 'https://login.microsoftonline.com';
export const TOKEN_PATH = `/${TENANT}/oauth2/v2.0/token`;

export interface MsalToFake {
  readonly authorityMetadata: string;
  readonly cloudDiscoveryMetadata: string;
  readonly msalNetwork: INetworkModule;
}

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/**
 * Answers a token request (the form body) for `scope`: a new token, added to `valid`, or Entra's
 * error for a wrong secret or scope. `prefix` names the API in the token, for the logs.
 */
export function answerTokenRequest(res: ServerResponse, body: string, scope: string, valid: Set<string>, prefix: string): boolean {
  const form = new URLSearchParams(body);
  if (form.get('grant_type') !== 'client_credentials' || form.get('client_id') !== CLIENT_ID || form.get('client_secret') !== CLIENT_SECRET) {
    json(res, 401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.', error_codes: [7000215] });
    return false;
  }
  if (!(form.get('scope') ?? '').split(' ').includes(scope)) {
    json(res, 400, { error: 'invalid_scope', error_description: 'AADSTS70011: The provided value for scope is not valid.' });
    return false;
  }
  const accessToken = `${prefix}-${valid.size + 1}-${randomUUID()}`;
  valid.add(accessToken);
  json(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken });
  return true;
}

/** What MSAL is given to sign in at the fake listening on `origin`. */
export function msalToFake(origin: string): MsalToFake {
  /** MSAL's HTTP, sent to the fake instead of login.microsoftonline.com. */
  const send = async <T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
    const local = url.startsWith(LOGIN) ? origin + url.slice(LOGIN.length) : url;
    if (!local.startsWith(origin)) throw new Error(`the test's MSAL tried to reach ${url}`);
    const response = await fetch(local, { method, headers: options?.headers ?? {}, ...(options?.body ? { body: options.body } : {}) });
    const headers: Record<string, string> = {};
    response.headers.forEach((v, k) => (headers[k] = v));
    return { status: response.status, headers, body: (await response.json()) as T };
  };

  return {
    authorityMetadata: JSON.stringify({
      token_endpoint: `${LOGIN}/${TENANT}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${LOGIN}/${TENANT}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${LOGIN}/${TENANT}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
      authorization_endpoint: `${LOGIN}/${TENANT}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${LOGIN}/${TENANT}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${LOGIN}/${TENANT}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'tid'],
      kerberos_endpoint: `${LOGIN}/${TENANT}/kerberos`,
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
      rbac_url: 'https://pas.windows.net',
    }),
    cloudDiscoveryMetadata: JSON.stringify({
      tenant_discovery_endpoint: `${LOGIN}/${TENANT}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [
        {
          preferred_network: 'login.microsoftonline.com',
          preferred_cache: 'login.windows.net',
          aliases: ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'],
        },
      ],
    }),
    msalNetwork: {
      sendGetRequestAsync: (url, options) => send('GET', url, options),
      sendPostRequestAsync: (url, options) => send('POST', url, options),
    },
  };
}
