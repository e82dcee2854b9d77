import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { parseJobMessage } from './jobs/job';
import { runMessage } from './jobs/runner';
import { WebhookHost, type WebhookHostOptions } from './host';
import { poisonQueueOf, type AzureJobQueue } from './queue/job-queue';
import { markPoisoned } from './queue/worker';
import { startMonthEnds } from './month-end-timer';
import type { IssuedInvoice } from './pull/partner-center-invoices';

/**
 * The Azure Functions v4 face of the host:
 * - `dataverse`: one HTTP function, route `dataverse` under the default `api` prefix, i.e. the
 *   `/api/dataverse` path the solution's service endpoint calls. Auth level anonymous: the host
 *   checks the webhook key itself (constant time), the same under `func start`, in Azure and on
 *   the plain Node server.
 * - `jobs`: the queue trigger on the job queue (connection app setting CSPB_QUEUE_CONNECTION): one
 *   chunk (or one part of a chunk) per message, then the next chunk's message and the parts a
 *   chunk fans out, which the runtime hands to as many instances as it scales to. The runtime retries a failed message and
 *   moves it to `<queue>-poison` after host.json's maxDequeueCount (5).
 * - `jobs-poison`: marks the job's row failed with a readable reason.
 * - `monthEnd` (when Graph is configured): a timer (NCRONTAB schedule, "Timer trigger for Azure
 *   Functions") that lists Partner Center's invoices and starts a month-end run for each new one.
 */
export interface FunctionsOptions extends WebhookHostOptions {
  readonly queue: AzureJobQueue;
  readonly queueName: string;
  readonly monthEnd?: { readonly schedule: string; readonly listInvoices: () => Promise<{ invoices: IssuedInvoice[]; refused: string[] }> };
}

const QUEUE_CONNECTION_SETTING = 'CSPB_QUEUE_CONNECTION';

/** The queue trigger hands over the decoded message: parsed JSON, or text. */
const messageText = (message: unknown): string => (typeof message === 'string' ? message : JSON.stringify(message));

export function registerAzureFunctions(options: FunctionsOptions): WebhookHost {
  const host = new WebhookHost({ ...options, path: '/api/dataverse' });
  app.http('dataverse', {
    route: 'dataverse',
    methods: ['POST'],
    authLevel: 'anonymous',
    handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
      const url = new URL(request.url);
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => {
        headers[name.toLowerCase()] = value;
      });
      const head = { method: request.method, url: `${url.pathname}${url.search}`, headers };
      const early = host.precheck(head);
      const response = early ?? (await host.handle({ ...head, body: new Uint8Array(await request.arrayBuffer()) }));
      if (response.status >= 400) context.warn(`${response.status} ${response.body.message}`);
      return { status: response.status, jsonBody: response.body };
    },
  });
  app.storageQueue('jobs', {
    queueName: options.queueName,
    connection: QUEUE_CONNECTION_SETTING,
    handler: async (message: unknown, context: InvocationContext): Promise<void> => {
      const job = parseJobMessage(messageText(message));
      const next = await runMessage(job, options.client, options.deps ?? {});
      for (const m of next) await options.queue.send(m);
      const what = `chunk ${job.chunk}${job.part === undefined ? '' : ` part ${job.part}`}`;
      context.log(`job ${job.job} ${job.id} ${what} done${next.length > 0 ? `; ${next.length} message(s) queued` : ''}`);
    },
  });
  app.storageQueue('jobs-poison', {
    queueName: poisonQueueOf(options.queueName),
    connection: QUEUE_CONNECTION_SETTING,
    handler: async (message: unknown, context: InvocationContext): Promise<void> => {
      await markPoisoned(messageText(message), 'every delivery of a chunk failed (see the function log)', options.client, (line) => context.warn(line));
    },
  });
  const monthEnd = options.monthEnd;
  if (monthEnd)
    app.timer('monthEnd', {
      schedule: monthEnd.schedule,
      handler: async (_timer: unknown, context: InvocationContext): Promise<void> => {
        const today = new Date().toISOString().slice(0, 10);
        const listed = await monthEnd.listInvoices();
        for (const reason of listed.refused) context.warn(`month-end: an invoice Partner Center listed was not read: ${reason}`);
        const { started, alreadyStarted } = await startMonthEnds(options.client, listed.invoices, today);
        context.log(`month-end: started ${started.length} run(s) (${started.join(', ') || 'none'}); ${alreadyStarted.length} invoice(s) already had one`);
      },
    });
  return host;
}
