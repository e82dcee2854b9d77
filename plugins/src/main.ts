/**
 * Entry point of the Azure Functions app (`main` of the function app's package.json, after
 * compiling). Settings come from the app settings (environment) and are checked before anything
 * is registered (plugins/src/settings.ts lists them): a bad setting stops the app with its name.
 */
import { clientCredentialsToken, NodeDataverseClient } from '../../dataverse/src/node';
import { registerAzureFunctions } from './functions';
import { AzureJobQueue } from './queue/job-queue';
import { readSettings } from './settings';

const settings = readSettings(process.env);
const credentials = settings.credentials;
const client = new NodeDataverseClient({
  url: settings.dataverseUrl,
  ...(credentials ? { token: clientCredentialsToken({ ...credentials, orgUrl: settings.dataverseUrl }) } : {}),
});
registerAzureFunctions({
  auth: settings.auth,
  client,
  queue: new AzureJobQueue(settings.queueConnection, settings.queueName),
  queueName: settings.queueName,
  ...(settings.maxBodyBytes !== undefined ? { maxBodyBytes: settings.maxBodyBytes } : {}),
  ...(settings.organizationIds ? { organizationIds: settings.organizationIds } : {}),
});
