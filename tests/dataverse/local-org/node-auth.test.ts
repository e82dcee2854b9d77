import { LocalOrg } from '../../../dataverse/src/local-org';
import { serveLocalOrg } from '../../../dataverse/src/local-org/http';
import { clientCredentialsToken, deviceCodeToken, NodeDataverseClient, staticToken } from '../../../dataverse/src/node';

describe('Node adapter token providers', () => {
  it('client credentials ask MSAL for <org>/.default', async () => {
    const scopes: string[][] = [];
    const provider = clientCredentialsToken(
      { tenantId: 't', clientId: 'c', clientSecret: 's', orgUrl: 'https://contoso.crm4.dynamics.com/' },
      { acquireTokenByClientCredential: async (r) => (scopes.push(r.scopes), { accessToken: `token-${scopes.length}` }) },
    );
    expect(await provider()).toBe('token-1');
    expect(await provider()).toBe('token-2');
    expect(scopes[0]).toEqual(['https://contoso.crm4.dynamics.com/.default']);
  });

  it('device code shows the message once, then signs in silently', async () => {
    const shown: string[] = [];
    let interactive = 0;
    const provider = deviceCodeToken(
      { tenantId: 't', clientId: 'c', orgUrl: 'https://contoso.crm.dynamics.com', onDeviceCode: (m) => shown.push(m) },
      {
        acquireTokenByDeviceCode: async (r) => {
          interactive++;
          expect(r.scopes).toEqual(['https://contoso.crm.dynamics.com/user_impersonation']);
          r.deviceCodeCallback({ message: 'Go to https://microsoft.com/devicelogin and enter ABC' });
          return { accessToken: 'first', account: { username: 'finance@contoso.com' } };
        },
        acquireTokenSilent: async () => ({ accessToken: 'silent' }),
      },
    );
    expect(await provider()).toBe('first');
    expect(await provider()).toBe('silent');
    expect(interactive).toBe(1);
    expect(shown).toEqual(['Go to https://microsoft.com/devicelogin and enter ABC']);
  });

  it('asks the token provider before every request (WhoAmI included)', async () => {
    const org = new LocalOrg();
    const server = await serveLocalOrg(org);
    const seen: string[] = [];
    org.register({ message: 'Create', stage: 'PreValidation', handler: () => void seen.push('create') });
    try {
      let asked = 0;
      const client = await NodeDataverseClient.connect({ url: server.url, token: async () => (asked++, staticToken('abc')()) });
      await client.create('accounts', { name: 'A' });
      await client.retrieveMultiple('accounts');
      expect(asked).toBe(3);
      expect(seen).toEqual(['create']);
    } finally {
      await server.close();
    }
  });
});
