/**
 * The suite as it runs against a real org, with the embedded local org in Dataverse's place: the
 * org's Web API on loopback, the webhook host as a separate HTTP server that calls back through
 * that Web API (its own connection, as the Functions app does), the steps of the one step table
 * registered on the org as webhook calls with Dataverse's rules (timeout, status codes, retries,
 * payload trimming, transactions), and Azurite's queue with a queue worker for the long work.
 */
import { randomBytes } from 'node:crypto';
import type { LocalOrg } from '../dataverse/src/local-org';
import { serveLocalOrg, type LocalOrgServer } from '../dataverse/src/local-org/http';
import { registerServiceEndpoint, type Delivery } from '../dataverse/src/local-org/webhook/service-endpoint';
import { NodeDataverseClient } from '../dataverse/src/node';
import { STEPS } from '../dataverse/src/schema/steps';
import { AzureJobQueue, QueueWorker, startWebhookServer, type HandlerDeps, type RunningWebhookServer } from '../plugins/src';
import { startAzurite, type RunningAzurite } from './azurite';

export interface WebhookModeOptions {
  readonly deps?: HandlerDeps;
  /** The webhook timeout (default Microsoft's 60 s). */
  readonly timeoutMs?: number;
  /** An Azurite already running (else one is started and stopped with the rest). */
  readonly azurite?: RunningAzurite;
  /** Start the queue worker (default true; tests that kill workers start their own). */
  readonly worker?: boolean;
  readonly queueName?: string;
  readonly onDelivery?: (delivery: Delivery) => void;
  readonly log?: (line: string) => void;
  /** The application user the host and worker act as (MSCRMCallerID); the system when absent. */
  readonly callerId?: string;
  /** Where a started Azurite keeps its queues (memory when absent). */
  readonly azuriteLocation?: string | undefined;
}

export interface WebhookMode {
  readonly api: LocalOrgServer;
  readonly host: RunningWebhookServer;
  readonly azurite: RunningAzurite;
  readonly queue: AzureJobQueue;
  /** The host's own client: the org over HTTP. */
  readonly client: NodeDataverseClient;
  readonly worker: QueueWorker | undefined;
  close(): Promise<void>;
}

export async function startWebhookMode(org: LocalOrg, options: WebhookModeOptions = {}): Promise<WebhookMode> {
  const api = await serveLocalOrg(org);
  const client = await NodeDataverseClient.connect({ url: api.url, ...(options.callerId ? { callerId: options.callerId } : {}) });
  const ownAzurite = options.azurite === undefined;
  const azurite = options.azurite ?? (await startAzurite(options.azuriteLocation ? { location: options.azuriteLocation } : {}));
  const queue = new AzureJobQueue(azurite.connectionString, options.queueName);
  await queue.ensure();
  const key = randomBytes(24).toString('base64url');
  const deps = options.deps ?? {};
  const host = await startWebhookServer({ auth: { kind: 'WebhookKey', key }, client, queue, deps, ...(options.log ? { log: options.log } : {}) });
  const unregister = registerServiceEndpoint(org, STEPS, {
    url: `${host.url}/api/dataverse?code=${key}`,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.onDelivery ? { onDelivery: options.onDelivery } : {}),
  });
  const worker = options.worker === false ? undefined : new QueueWorker({ queue, client, deps, ...(options.log ? { log: options.log } : {}) });
  worker?.start();
  return {
    api,
    host,
    azurite,
    queue,
    client,
    worker,
    close: async () => {
      await worker?.stop();
      unregister();
      await host.close();
      await api.close();
      if (ownAzurite) await azurite.stop();
    },
  };
}
