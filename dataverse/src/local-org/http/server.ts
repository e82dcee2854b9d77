import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DataverseError } from '../../client/types';
import { ErrorCodes } from '../errors';
import type { LocalOrg } from '../local-org';
import { emptyStats, FaultInjector, type FaultOptions, type RequestStats } from './faults';
import { errorResponse, Router, type ApiResponse } from './router';

export interface ServeOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Always loopback unless told otherwise: the local org has no authentication. */
  readonly host?: string;
  /** Value of the x-ms-dop-hint header on every response (Dataverse's recommended parallelism). Default 4. */
  readonly dopHint?: number;
  readonly faults?: FaultOptions;
  /** Bodies above this are refused with 413 (Dataverse's limit is about 128 MB; default 256 MB). */
  readonly maxBodyBytes?: number;
}

export interface LocalOrgServer {
  /** `http://127.0.0.1:<port>`: the "organization URL" clients are given. */
  readonly url: string;
  /** `<url>/api/data/v9.2/` */
  readonly apiUrl: string;
  readonly stats: RequestStats;
  readonly faults: FaultInjector;
  resetStats(): void;
  close(): Promise<void>;
}

const API = '/api/data/v9.2/';

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new DataverseError(`Request body larger than ${limit} bytes.`, 413));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Serves the org's Web API on 127.0.0.1 so dynamics-web-api and browser code talk to it as to Dataverse. */
export async function serveLocalOrg(org: LocalOrg, options: ServeOptions = {}): Promise<LocalOrgServer> {
  const host = options.host ?? '127.0.0.1';
  const dopHint = options.dopHint ?? 4;
  const limit = options.maxBodyBytes ?? 256 * 1024 * 1024;
  const faults = new FaultInjector(options.faults);
  const hung = new Set<Socket>();
  let stats = emptyStats();
  let apiUrl = '';
  const router = new Router(org, () => apiUrl);

  const send = (res: ServerResponse, reply: ApiResponse) => {
    res.writeHead(reply.status, { 'OData-Version': '4.0', 'x-ms-dop-hint': String(dopHint), 'x-ms-service-request-id': randomUUID(), ...reply.headers });
    res.end(reply.body);
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = req.url ?? '/';
      if (!url.startsWith(API)) {
        send(res, errorResponse(new DataverseError(`Not found: ${url.split('?')[0]} (the Web API is at ${API}).`, 404, ErrorCodes.badRequest)));
        return;
      }
      stats.requests++;
      const rest = url.slice(API.length);
      const q = rest.indexOf('?');
      const path = q < 0 ? rest : rest.slice(0, q);
      const route = `${req.method ?? ''} ${path.replace(/\(.*\)/, '()')}`;
      stats.byRoute.set(route, (stats.byRoute.get(route) ?? 0) + 1);
      let body: string;
      try {
        body = await readBody(req, limit);
      } catch (error) {
        send(res, errorResponse(error as DataverseError));
        return;
      }
      const latency = faults.settings.latencyMs ?? 0;
      if (latency > 0) await new Promise((r) => setTimeout(r, latency));
      const fault = faults.next();
      if (fault === 'throttle') {
        stats.throttled++;
        const seconds = faults.settings.retryAfterSeconds ?? 1;
        send(
          res,
          errorResponse(
            new DataverseError('Number of requests exceeded the limit of 6000 over time window of 300 seconds.', 429, ErrorCodes.throttled, seconds * 1000),
          ),
        );
        return;
      }
      if (fault === 'unavailable') {
        stats.unavailable++;
        send(res, errorResponse(new DataverseError('The service is temporarily unavailable. Please retry.', 503, ErrorCodes.unavailable)));
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
      const apiRequest = { method: req.method ?? 'GET', path, query: q < 0 ? '' : rest.slice(q + 1), headers, body };
      if (fault === 'timeout') {
        stats.timedOut++;
        // The answer never comes; optionally the work was done (the response was "lost").
        if (faults.settings.applyBeforeTimeout) await router.handle(apiRequest);
        hung.add(req.socket);
        req.socket.once('close', () => hung.delete(req.socket));
        return;
      }
      send(res, await router.handle(apiRequest));
    })().catch((error: unknown) => {
      if (!res.headersSent) send(res, errorResponse(new DataverseError(error instanceof Error ? error.message : String(error), 500)));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  apiUrl = `${url}${API}`;

  return {
    url,
    apiUrl,
    get stats() {
      return stats;
    },
    faults,
    resetStats() {
      stats = emptyStats();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of hung) socket.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
