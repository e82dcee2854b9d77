/**
 * Entry point of the Azure Functions app (`main` of the function app's package.json, after
 * compiling): settings come from the app settings (environment):
 *   CSPB_WEBHOOK_KEY             the key the service endpoint sends (WebhookKey, `code` query parameter)
 *   DATAVERSE_URL                https://<org>.crm.dynamics.com (or a local org's URL)
 *   DATAVERSE_TENANT_ID, DATAVERSE_CLIENT_ID, DATAVERSE_CLIENT_SECRET   application user (client credentials)
 *   CSPB_MAX_BODY_BYTES, CSPB_MAX_DEPTH   optional limits
 */
import { clientCredentialsToken, NodeDataverseClient } from '../../dataverse/src/node';
import { registerAzureFunctions } from './functions';

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`app setting ${name} is missing`);
  return value;
}

const url = setting('DATAVERSE_URL');
const tenantId = process.env['DATAVERSE_TENANT_ID'];
const client = new NodeDataverseClient({
  url,
  ...(tenantId ? { token: clientCredentialsToken({ tenantId, clientId: setting('DATAVERSE_CLIENT_ID'), clientSecret: setting('DATAVERSE_CLIENT_SECRET'), orgUrl: url }) } : {}),
});
registerAzureFunctions({
  auth: { kind: 'WebhookKey', key: setting('CSPB_WEBHOOK_KEY') },
  client,
  ...(process.env['CSPB_MAX_BODY_BYTES'] ? { maxBodyBytes: Number(process.env['CSPB_MAX_BODY_BYTES']) } : {}),
  ...(process.env['CSPB_MAX_DEPTH'] ? { maxDepth: Number(process.env['CSPB_MAX_DEPTH']) } : {}),
});
