/**
 * What the three accounting fakes share: a local HTTP server that reads JSON bodies, logs every
 * request (method, path, status) without its headers (tokens never reach a log), answers throttled
 * requests while a count lasts, and can drop the answer to the next create after doing it (the
 * document exists, the client never hears: a repeated post must find it, not make a second).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Decimal } from '../../../core/src/money';

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly body?: unknown;
}

export interface FakeRequest {
  readonly req: IncomingMessage;
  readonly method: string;
  readonly url: URL;
  readonly path: string;
  readonly raw: string;
  readonly body: unknown;
}

export type Route = (r: FakeRequest, res: ServerResponse) => void | Promise<void>;

export interface FakeServer {
  readonly origin: string;
  readonly log: LoggedRequest[];
  /** The next `n` API requests are answered by `answer` (a 429 of the API's shape). */
  throttle(n: number): void;
  /** The next create is done and its answer never sent (the connection is cut). */
  dropNextCreate(): void;
  /** The next `n` creates fail with a 500 before doing anything. */
  failNextCreates(n: number): void;
  close(): Promise<void>;
}

export const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
};

export interface FakeServerOptions {
  readonly route: Route;
  /** Token requests are not throttled nor logged with their bodies. */
  readonly isTokenRequest: (r: FakeRequest) => boolean;
  /** Is this request a create (the target of dropNextCreate / failNextCreates)? */
  readonly isCreate: (r: FakeRequest) => boolean;
  readonly throttled: (res: ServerResponse) => void;
  readonly serverError: (res: ServerResponse) => void;
}

export async function startFakeServer(options: FakeServerOptions): Promise<FakeServer> {
  const log: LoggedRequest[] = [];
  let throttled = 0;
  let drop = false;
  let failing = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = raw && (req.headers['content-type'] ?? '').includes('json') ? JSON.parse(raw) : undefined;
      } catch {
        body = undefined;
      }
      const r: FakeRequest = { req, method: req.method ?? 'GET', url, path: decodeURIComponent(url.pathname), raw, body };
      const token = options.isTokenRequest(r);
      const end = res.end.bind(res);
      res.end = ((...args: Parameters<typeof res.end>) => {
        log.push({ method: r.method, path: r.path + url.search, status: res.statusCode, ...(token ? {} : { body }) });
        return end(...args);
      }) as typeof res.end;
      if (!token && throttled > 0) {
        throttled--;
        return options.throttled(res);
      }
      const create = !token && options.isCreate(r);
      if (create && failing > 0) {
        failing--;
        return options.serverError(res);
      }
      if (create && drop) {
        drop = false;
        // Do the create, then cut the connection instead of answering.
        res.writeHead = (() => res) as unknown as typeof res.writeHead;
        res.end = (() => {
          log.push({ method: r.method, path: r.path + url.search, status: 0, body });
          req.socket.destroy();
          return res;
        }) as typeof res.end;
      }
      Promise.resolve(options.route(r, res)).catch((e: Error) => sendJson(res, 500, { error: e.message }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    throttle: (n) => void (throttled = n),
    dropNextCreate: () => void (drop = true),
    failNextCreates: (n) => void (failing = n),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A JSON number as an exact decimal, rounded half up to cents: the fakes' arithmetic, never in floats. */
export const dec = (x: unknown): Decimal => new Decimal(String(x ?? 0));
export const cents = (d: Decimal): Decimal => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
export const out = (d: Decimal): number => Number(d.toFixed());

/** Basic client authentication (RFC 6749 section 2.3.1): the client id and secret, or undefined. */
export function basicAuth(req: IncomingMessage): { id: string; secret: string } | undefined {
  const m = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
  if (!m) return undefined;
  const [id, ...rest] = Buffer.from(m[1]!, 'base64').toString('utf8').split(':');
  return { id: id!, secret: rest.join(':') };
}
