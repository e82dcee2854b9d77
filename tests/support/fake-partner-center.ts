/**
 * A local fake of Partner Center's "Get a customer's subscriptions" for client and CLI tests, built from
 * Microsoft's documented shapes (node:http on 127.0.0.1, a free port):
 * - GET /v1/customers/{customer-tenant-id}/subscriptions, answering the collection
 *   `{ totalCount, items, links, attributes: { objectType: "Collection" } }`
 *   (learn.microsoft.com/partner-center/developer/get-all-of-a-customer-s-subscriptions) whose items are
 *   the Subscription resource (learn.microsoft.com/partner-center/developer/subscription-resources);
 *   response headers echo MS-RequestId and MS-CorrelationId (the docs' example response).
 * - Paging, when `pageSize` is set: Partner Center's paged APIs' shape, `links.next` with the header
 *   `{ key: "MS-ContinuationToken", value }` sent back on the next request (the invoice line-items
 *   page's example). The real endpoint is not documented as paged; the knob exercises the client.
 * - 429 with `Retry-After` in seconds and the body `{ statusCode, message }`
 *   (learn.microsoft.com/partner-center/developer/api-throttling-guidance).
 * - 401 for a missing token (code 800001 "Partner Token missing in request context") and for an expired
 *   one (undocumented: seen in the field with an empty body, so empty here), each with
 *   `WWW-Authenticate: OAuth realm=…` (learn.microsoft.com/partner-center/developer/error-codes).
 * - 403 code 20002 for a customer the partner has no relationship with (same page).
 * Stricter than documented, as this repo's fakes are: a request without MS-RequestId or
 * MS-CorrelationId GUIDs is refused (400), since the headers page says all operations should send them.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly status: number;
}

export interface FakePartnerCenterOptions {
  /** Subscription items (the documented JSON) by customer tenant id. */
  readonly customers: Readonly<Record<string, readonly object[]>>;
  /** Items per page; unset answers everything at once, as the real endpoint is documented to. */
  readonly pageSize?: number;
  /**
   * GET /v1/invoices answers this text ("Get a collection of invoices"; the shared sample's shape),
   * or page n of these when asked with seekOperation=Next and MS-ContinuationToken n (the pages
   * carry their own links.next).
   */
  readonly invoices?: string | readonly string[];
}

export interface FakePartnerCenter {
  /** What a client takes as its base URL: http://127.0.0.1:<port>/v1 */
  readonly baseUrl: string;
  readonly requests: FakeRequest[];
  /** The next `times` requests answer `status` (429 by default) with this Retry-After (omitted when undefined). */
  throttle(times: number, retryAfter: string | undefined, status?: 429 | 503): void;
  /** Requests bearing this token answer 401 from now on. */
  expire(token: string): void;
  close(): Promise<void>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PATH = /^\/v1\/customers\/([^/]+)\/subscriptions$/;
const REALM = 'OAuth realm=urn:cpsvc:cpid:fake-partner-center';

export async function startFakePartnerCenter(options: FakePartnerCenterOptions): Promise<FakePartnerCenter> {
  const requests: FakeRequest[] = [];
  const expired = new Set<string>();
  let throttled: { times: number; retryAfter: string | undefined; status: 429 | 503 } = { times: 0, retryAfter: undefined, status: 429 };
  const customers = new Map(Object.entries(options.customers).map(([id, items]) => [id.toLowerCase(), items]));

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      requests.push({ method: req.method ?? '', path: `${url.pathname}${url.search}`, headers: req.headers, status });
      const text = body === undefined ? '' : JSON.stringify(body);
      res.writeHead(status, {
        ...(text ? { 'content-type': 'application/json' } : {}),
        ...(typeof req.headers['ms-requestid'] === 'string' ? { 'ms-requestid': req.headers['ms-requestid'] } : {}),
        ...(typeof req.headers['ms-correlationid'] === 'string' ? { 'ms-correlationid': req.headers['ms-correlationid'] } : {}),
        ...headers,
      });
      res.end(text);
    };
    const error = (status: number, code: string, description: string, headers: Record<string, string> = {}) =>
      answer(status, { code, description, data: [], source: 'PartnerFD' }, headers);

    const match = PATH.exec(url.pathname);
    const invoices = req.method === 'GET' && url.pathname === '/v1/invoices' && options.invoices !== undefined;
    // Any other path: 404 (the code is the fake's own; only the status matters to a client).
    if (req.method !== 'GET' || (!match && !invoices)) return error(404, '404', 'The requested resource was not found.');
    if (throttled.times > 0) {
      throttled.times--;
      const seconds = throttled.retryAfter;
      return answer(
        throttled.status,
        { statusCode: throttled.status, message: `Rate limit is exceeded. Try again in ${seconds ?? 'a few'} seconds.` },
        seconds === undefined ? {} : { 'retry-after': seconds },
      );
    }
    const auth = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (!auth) return error(401, '800001', 'Partner Token missing in request context', { 'www-authenticate': REALM });
    if (expired.has(auth[1]!)) return answer(401, undefined, { 'www-authenticate': REALM });
    if (!GUID.test(String(req.headers['ms-requestid'])) || !GUID.test(String(req.headers['ms-correlationid'])))
      return error(400, '400', 'MS-RequestId and MS-CorrelationId must be GUIDs (the fake is stricter than the docs).');
    if (invoices) {
      requests.push({ method: 'GET', path: url.pathname, headers: req.headers, status: 200 });
      const pages = typeof options.invoices === 'string' ? [options.invoices] : options.invoices!;
      const n = url.searchParams.get('seekOperation') === 'Next' ? Number(req.headers['ms-continuationtoken']) : 0;
      const page = pages[n];
      if (page === undefined) return error(400, '400', `Invalid continuation token "${String(req.headers['ms-continuationtoken'])}".`);
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(page);
    }
    const customer = decodeURIComponent(match![1]!).toLowerCase();
    const items = customers.get(customer);
    if (!items) return error(403, '20002', `The partner id fake has no commerce relationship with the customer id ${customer}.`);

    const size = options.pageSize ?? items.length;
    const token = url.searchParams.get('seekOperation') === 'Next' ? String(req.headers['ms-continuationtoken'] ?? '') : '';
    const offset = token === '' ? 0 : Number(Buffer.from(token, 'base64').toString('utf8'));
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > items.length) return error(400, '400', `Invalid continuation token "${token}".`);
    const page = items.slice(offset, offset + Math.max(size, 1));
    const more = offset + page.length < items.length;
    const self = `/customers/${customer}/subscriptions`;
    answer(200, {
      totalCount: page.length,
      items: page,
      links: {
        self: { uri: self, method: 'GET', headers: [] },
        ...(more
          ? {
              next: {
                uri: `${self}?seekOperation=Next`,
                method: 'GET',
                headers: [{ key: 'MS-ContinuationToken', value: Buffer.from(String(offset + page.length)).toString('base64') }],
              },
            }
          : {}),
      },
      attributes: { objectType: 'Collection' },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    throttle: (times, retryAfter, status = 429) => (throttled = { times, retryAfter, status }),
    expire: (token) => expired.add(token),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface PcItemSpec {
  readonly id: string;
  readonly customer: string;
  readonly offerId?: string;
  readonly name?: string;
  readonly quantity?: number;
  readonly status?: string;
  readonly autoRenewEnabled?: boolean;
  /** Inclusive last day of the term (new commerce), YYYY-MM-DD; null: none. */
  readonly commitmentEndDate?: string | null;
  readonly termDuration?: string | null;
  readonly billingCycle?: string;
  readonly billingType?: string;
}

/** A new-commerce subscription item with the properties the subscription-resources page documents. */
export function pcItem(spec: PcItemSpec): Record<string, unknown> {
  const [productId = 'CFQ7TTC0LCHC', skuId = '0002', availabilityId = 'CFQ7TTC0K5DJ'] = (spec.offerId ?? '').split(':').filter(Boolean);
  return {
    id: spec.id,
    offerId: spec.offerId ?? `${productId}:${skuId}:${availabilityId}`,
    offerName: spec.name ?? 'Microsoft 365 Business Premium',
    friendlyName: spec.name ?? 'Microsoft 365 Business Premium',
    productType: { id: 'OnlineServicesNCE', displayName: 'OnlineServicesNCE' },
    quantity: spec.quantity ?? 1,
    unitType: spec.billingType === 'usage' ? 'Usage-based' : 'Licenses',
    hasPurchasableAddons: false,
    creationDate: '2026-09-13T10:11:12.1234567Z',
    effectiveStartDate: '2026-09-13T00:00:00Z',
    commitmentEndDate: spec.commitmentEndDate === null ? null : `${spec.commitmentEndDate ?? '2027-09-12'}T00:00:00Z`,
    status: spec.status ?? 'active',
    autoRenewEnabled: spec.autoRenewEnabled ?? true,
    isTrial: false,
    billingType: spec.billingType ?? 'license',
    billingCycle: spec.billingCycle ?? 'monthly',
    termDuration: spec.termDuration === undefined ? 'P1Y' : spec.termDuration,
    renewalTermDuration: '',
    isMicrosoftProduct: true,
    partnerId: '',
    attentionNeeded: false,
    actionTaken: false,
    contractType: 'subscription',
    links: {
      product: { uri: `/products/${productId}?country=US`, method: 'GET', headers: [] },
      sku: { uri: `/products/${productId}/skus/${skuId}?country=US`, method: 'GET', headers: [] },
      availability: { uri: `/products/${productId}/skus/${skuId}/availabilities/${availabilityId}?country=US`, method: 'GET', headers: [] },
      self: { uri: `/customers/${spec.customer}/subscriptions/${spec.id}`, method: 'GET', headers: [] },
    },
    publisherName: 'Microsoft Corporation',
    orderId: 'a1b2c3d4e5f6',
    attributes: { objectType: 'Subscription' },
  };
}
