import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookHost, type HostResponse, type WebhookHostOptions } from './host';

/** The webhook host on a plain Node HTTP server (tests, the local workbench, any Node host). */
export interface RunningWebhookServer {
  readonly url: string;
  readonly host: WebhookHost;
  close(): Promise<void>;
}

function headersOf(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

function send(res: ServerResponse, response: HostResponse, close = false): void {
  const body = JSON.stringify(response.body);
  res.writeHead(response.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(body);
}

export function startWebhookServer(options: WebhookHostOptions & { port?: number; hostname?: string }): Promise<RunningWebhookServer> {
  const host = new WebhookHost(options);
  const server: Server = createServer((req, res) => {
    const request = { method: req.method ?? 'GET', url: req.url ?? '/', headers: headersOf(req) };
    const early = host.precheck(request);
    if (early) {
      send(res, early, true);
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > host.bodyLimit) {
        refused = true;
        send(res, { status: 413, body: { ok: false, message: `the body is larger than ${host.bodyLimit} bytes` } }, true);
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      host
        .handle({ ...request, body: Buffer.concat(chunks) })
        .then((response) => send(res, response))
        .catch((error: unknown) => {
          // The details go to the log, the caller gets a correlation id: an error text can name internals.
          const correlationId = randomUUID();
          options.log?.(`request failed (${correlationId}): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
          send(res, { status: 500, body: { ok: false, message: 'the host failed; see its log', correlationId } });
        });
    });
    req.on('error', () => res.destroy());
  });
  // A slow client must not hold a socket: headers within 10 s, the whole request within 30 s
  // (Dataverse itself gives up on a webhook after 60 s).
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.hostname ?? '127.0.0.1', () => {
      const address = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${address.port}`,
        host,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
