import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { WebhookHost, type WebhookHostOptions } from './host';

/**
 * The Azure Functions v4 face of the host: one HTTP function, route `dataverse` under the default
 * `api` prefix, i.e. the `/api/dataverse` path the solution's service endpoint calls. Auth level
 * anonymous: the host checks the webhook key itself (constant time), so it works the same under
 * `func start`, in Azure and on the plain Node server.
 */
export function registerAzureFunctions(options: WebhookHostOptions): WebhookHost {
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
  return host;
}
