/**
 * A local fake of Microsoft Graph's "List subscribedSkus" (learn.microsoft.com/graph/api/subscribedsku-list)
 * for client and CLI tests (node:http on 127.0.0.1, a free port), built from Microsoft's documented shapes:
 * - GET /v1.0/subscribedSkus answers `{ "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#subscribedSkus",
 *   "value": [...] }`, the page's example response shape, with the SKUs of the tenant the bearer token
 *   belongs to (each token is issued by one tenant; the tests map tokens to tenants). The items are the
 *   subscribedSku resource (learn.microsoft.com/graph/api/resources/subscribedsku).
 * - `$select` is honoured (the only query option the page lists); `$filter` is refused with 400, as the
 *   page says it "does not support `$filter`". Any other path is 404.
 * - Graph's response headers: `request-id` (a GUID per answer) and `client-request-id` echoed.
 * - Errors in Graph's envelope `{ error: { code, message, innerError: { date, request-id, client-request-id } } }`:
 *   401 InvalidAuthenticationToken without a token ("Access token is empty.") and for an expired one
 *   ("Lifetime validation failed, the token is expired."), each with `WWW-Authenticate: Bearer …`;
 *   403 Authorization_RequestDenied "Insufficient privileges to complete the operation." for a tenant
 *   where the app holds no Organization.Read.All (`deny`).
 * - Throttling (learn.microsoft.com/graph/throttling): 429 (or 503) with `Retry-After` in seconds and
 *   the body `{ error: { code: "TooManyRequests", message: "Please retry again later.", innerError } }`.
 * - Paging, when `pageSize` is set: `@odata.nextLink` (OData's continuation, which Graph uses for paged
 *   collections; not documented for this call, so only the knob turns it on).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeGraphSkusRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly status: number;
}

export interface FakeGraphSkusOptions {
  /** subscribedSku items (the documented JSON) by tenant id. */
  readonly tenants: Readonly<Record<string, readonly object[]>>;
  /** Bearer token -> the tenant that issued it. */
  readonly tokens: Readonly<Record<string, string>>;
  /** Items per page; unset answers everything at once. */
  readonly pageSize?: number;
}

export interface FakeGraphSkus {
  /** What a client takes as its base URL: http://127.0.0.1:<port>/v1.0 */
  readonly baseUrl: string;
  readonly requests: FakeGraphSkusRequest[];
  /** The next `times` requests answer `status` (429 by default) with this Retry-After (omitted when undefined). */
  throttle(times: number, retryAfter: string | undefined, status?: 429 | 503): void;
  /** Requests bearing this token answer 401 from now on. */
  expire(token: string): void;
  /** The app holds no permission in this tenant: 403. */
  deny(tenant: string): void;
  close(): Promise<void>;
}

const CONTEXT = 'https://graph.microsoft.com/v1.0/$metadata#subscribedSkus';
const WWW_AUTHENTICATE =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';

export async function startFakeGraphSkus(options: FakeGraphSkusOptions): Promise<FakeGraphSkus> {
  const requests: FakeGraphSkusRequest[] = [];
  const expired = new Set<string>();
  const denied = new Set<string>();
  let throttled: { times: number; retryAfter: string | undefined; status: 429 | 503 } = { times: 0, retryAfter: undefined, status: 429 };
  const tenants = new Map(Object.entries(options.tenants).map(([id, items]) => [id.toLowerCase(), items]));

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const requestId = randomUUID();
    const clientRequestId = typeof req.headers['client-request-id'] === 'string' ? req.headers['client-request-id'] : undefined;
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      requests.push({ path: `${url.pathname}${url.search}`, headers: req.headers, status });
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8',
        'request-id': requestId,
        ...(clientRequestId ? { 'client-request-id': clientRequestId } : {}),
        ...headers,
      });
      res.end(text);
    };
    const error = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
      answer(
        status,
        {
          error: {
            code,
            message,
            innerError: { date: new Date().toISOString(), 'request-id': requestId, ...(clientRequestId ? { 'client-request-id': clientRequestId } : {}) },
          },
        },
        headers,
      );

    if (req.method !== 'GET' || url.pathname !== '/v1.0/subscribedSkus')
      return error(404, 'Request_ResourceNotFound', `Resource '${url.pathname}' does not exist.`);
    if (throttled.times > 0) {
      throttled.times--;
      const seconds = throttled.retryAfter;
      return error(
        throttled.status,
        throttled.status === 429 ? 'TooManyRequests' : 'ServiceUnavailable',
        'Please retry again later.',
        seconds === undefined ? {} : { 'retry-after': seconds },
      );
    }
    const auth = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (!auth) return error(401, 'InvalidAuthenticationToken', 'Access token is empty.', { 'www-authenticate': WWW_AUTHENTICATE });
    const tenant = options.tokens[auth[1]!]?.toLowerCase();
    if (tenant === undefined) return error(401, 'InvalidAuthenticationToken', 'IDX14100: JWT is not well formed.', { 'www-authenticate': WWW_AUTHENTICATE });
    if (expired.has(auth[1]!))
      return error(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.', { 'www-authenticate': WWW_AUTHENTICATE });
    if (url.searchParams.has('$filter')) return error(400, 'Request_UnsupportedQuery', 'Unsupported query.');
    if (denied.has(tenant)) return error(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    const items = tenants.get(tenant) ?? [];

    const select = url.searchParams.get('$select');
    const projected = select ? items.map((i) => Object.fromEntries(Object.entries(i).filter(([k]) => k === 'id' || select.split(',').includes(k)))) : items;
    const size = options.pageSize ?? Math.max(projected.length, 1);
    const skip = Number(url.searchParams.get('$skiptoken') ?? '0');
    if (!Number.isSafeInteger(skip) || skip < 0 || skip > projected.length) return error(400, 'BadRequest', 'Invalid skip token.');
    const page = projected.slice(skip, skip + size);
    const next =
      skip + page.length < projected.length ? new URL(`${url.pathname}?$skiptoken=${skip + page.length}`, `http://${req.headers.host}`).href : undefined;
    answer(200, { '@odata.context': CONTEXT, ...(next ? { '@odata.nextLink': next } : {}), value: page });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1.0`,
    requests,
    throttle: (times, retryAfter, status = 429) => (throttled = { times, retryAfter, status }),
    expire: (token) => expired.add(token),
    deny: (tenant) => denied.add(tenant.toLowerCase()),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface SkuSpec {
  readonly tenant: string;
  readonly skuId: string;
  readonly skuPartNumber: string;
  readonly enabled: number;
  readonly consumed: number;
  readonly status?: string;
  readonly appliesTo?: string;
  readonly subscriptionIds?: readonly string[];
  readonly suspended?: number;
  readonly warning?: number;
}

/** A subscribedSku item in the documented shape (id "<tenant>_<skuId>", as the example writes it). */
export function skuItem(spec: SkuSpec): Record<string, unknown> {
  return {
    accountName: 'Fake account',
    accountId: '00000000-0000-4000-8000-0000000000ac',
    appliesTo: spec.appliesTo ?? 'User',
    capabilityStatus: spec.status ?? 'Enabled',
    consumedUnits: spec.consumed,
    id: `${spec.tenant}_${spec.skuId}`,
    prepaidUnits: { enabled: spec.enabled, lockedOut: 0, suspended: spec.suspended ?? 0, warning: spec.warning ?? 0 },
    servicePlans: [],
    skuId: spec.skuId,
    skuPartNumber: spec.skuPartNumber,
    subscriptionIds: [...(spec.subscriptionIds ?? [])],
  };
}
