/**
 * Entry point of the Azure Functions app (`main` of the function app's package.json, after
 * compiling). Settings come from the app settings (environment) and are checked before anything
 * is registered (plugins/src/settings.ts lists them): a bad setting stops the app with its name.
 */
import { clientCredentialsToken, NodeDataverseClient } from '../../dataverse/src/node';
import { registerAzureFunctions } from './functions';
import { AzureJobQueue } from './queue/job-queue';
import { BlobPartStore } from './jobs/part-store';
import { readSettings } from './settings';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphBillingClient } from './pull/graph-billing';
import { graphClientCredentials } from './pull/graph-token';
import { PARTNER_CENTER_SCOPE, PartnerCenterClient } from './sync/partner-center-client';

const settings = readSettings(process.env);
const credentials = settings.credentials;
const client = new NodeDataverseClient({
  url: settings.dataverseUrl,
  ...(credentials ? { token: clientCredentialsToken({ ...credentials, orgUrl: settings.dataverseUrl }) } : {}),
});
const graph = settings.graph;
registerAzureFunctions({
  auth: settings.auth,
  deps: {
    ...(graph
      ? { pull: { graph: new GraphBillingClient({ token: graphClientCredentials(graph) }), stateDir: settings.pullStateDir ?? join(tmpdir(), 'cspb-pull') } }
      : {}),
    ...(settings.partsConnection ? { parts: { store: new BlobPartStore(settings.partsConnection) } } : {}),
  },
  ...(graph
    ? {
        monthEnd: {
          schedule: settings.monthEndSchedule,
          listInvoices: () => new PartnerCenterClient({ token: graphClientCredentials(graph, PARTNER_CENTER_SCOPE) }).invoices(),
        },
      }
    : {}),
  client,
  queue: new AzureJobQueue(settings.queueConnection, settings.queueName),
  queueName: settings.queueName,
  ...(settings.maxBodyBytes !== undefined ? { maxBodyBytes: settings.maxBodyBytes } : {}),
  ...(settings.organizationIds ? { organizationIds: settings.organizationIds } : {}),
});
