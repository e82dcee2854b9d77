/**
 * The Graph subscribedSkus client against the local fake (tests/support/fake-graph-skus.ts): the
 * documented request, the customer tenant's token deciding whose SKUs come back, 429/503 waited out
 * for Retry-After, a 401 answered with one fresh token, pages followed, and every way it can fail
 * ending in a typed error that names the status, Graph's code and the request ids.
 */
import { GraphSkusError, GraphSubscribedSkusClient, type CustomerGraphToken } from '../../plugins/src/sync/graph-subscribed-skus';
import { skuItem, startFakeGraphSkus, type FakeGraphSkus } from '../support/fake-graph-skus';

const CUSTOMER = '6f4ce4d8-f42e-45e0-8661-92ad6ac9d003';
const OTHER = '0b7c3d55-1d1e-4b8a-9d51-1a2b3c4d5e6f';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// The two SKUs of the "List subscribedSkus" example (learn.microsoft.com/graph/api/subscribedsku-list).
const docs = [
  skuItem({ tenant: CUSTOMER, skuId: 'c7df2760-2c81-4ef7-b578-5b5392b571df', skuPartNumber: 'ENTERPRISEPREMIUM', enabled: 25, consumed: 14 }),
  skuItem({
    tenant: CUSTOMER,
    skuId: 'd17b27af-3f49-4822-99f9-56a661538792',
    skuPartNumber: 'CRMSTANDARD',
    enabled: 0,
    suspended: 25,
    consumed: 14,
    status: 'Suspended',
  }),
];
const others = [skuItem({ tenant: OTHER, skuId: '3b555118-da6a-4418-894f-7df1e2096870', skuPartNumber: 'O365_BUSINESS_ESSENTIALS', enabled: 5, consumed: 5 })];

let fake: FakeGraphSkus;
let sleeps: number[];
let tokensAsked: boolean[];

/** The customer's token-1 from the cache; token-2 when a fresh one is asked for. */
const token: CustomerGraphToken = async (fresh) => {
  tokensAsked.push(fresh);
  return fresh ? 'token-2' : 'token-1';
};

function client(over: Partial<ConstructorParameters<typeof GraphSubscribedSkusClient>[0]> = {}) {
  return new GraphSubscribedSkusClient({ token, baseUrl: fake.baseUrl, sleep: async (ms) => void sleeps.push(ms), ...over });
}

async function failure(promise: Promise<unknown>): Promise<GraphSkusError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof GraphSkusError) return e;
    throw e;
  }
  throw new Error('no error');
}

beforeEach(async () => {
  fake = await startFakeGraphSkus({
    tenants: { [CUSTOMER]: docs, [OTHER]: others },
    tokens: { 'token-1': CUSTOMER, 'token-2': CUSTOMER, 'token-other': OTHER },
  });
  sleeps = [];
  tokensAsked = [];
});
afterEach(() => fake.close());

describe('GraphSubscribedSkusClient.subscribedSkus', () => {
  it('reads the SKUs of the tenant that issued the token, with the documented request', async () => {
    const skus = await client().subscribedSkus();
    expect(skus.map((s) => [s.skuPartNumber, s.prepaidUnits.enabled, s.consumedUnits])).toEqual([
      ['ENTERPRISEPREMIUM', 25, 14],
      ['CRMSTANDARD', 0, 14],
    ]);
    expect(fake.requests).toHaveLength(1);
    const [r] = fake.requests;
    expect(r!.path).toBe('/v1.0/subscribedSkus');
    expect(r!.headers.authorization).toBe('Bearer token-1');
    expect(r!.headers['client-request-id']).toMatch(GUID);
    expect(tokensAsked).toEqual([false]);

    const other = await client({ token: async () => 'token-other' }).subscribedSkus();
    expect(other.map((s) => s.skuPartNumber)).toEqual(['O365_BUSINESS_ESSENTIALS']);
  });

  it('waits the Retry-After seconds of a 429, then asks again', async () => {
    fake.throttle(2, '7');
    expect(await client().subscribedSkus()).toHaveLength(2);
    expect(fake.requests.map((r) => r.status)).toEqual([429, 429, 200]);
    expect(sleeps).toEqual([7000, 7000]);
    const ids = fake.requests.map((r) => r.headers['client-request-id']);
    expect(new Set(ids).size).toBe(3); // a new client-request-id per request
  });

  it('a 503 with Retry-After is waited out too; without Retry-After it backs off', async () => {
    fake.throttle(1, '2', 503);
    await client().subscribedSkus();
    fake.throttle(1, undefined);
    await client().subscribedSkus();
    expect(sleeps[0]).toBe(2000);
    expect(sleeps[1]).toBeGreaterThanOrEqual(500);
    expect(sleeps[1]).toBeLessThanOrEqual(1000);
  });

  it('throttled past the retries, or asked to wait too long: a typed error', async () => {
    fake.throttle(10, '1');
    const e = await failure(client({ maxRetries: 2 }).subscribedSkus());
    expect([e.code, e.status]).toEqual(['throttled', 429]);
    expect(e.message).toBe(`Graph answered 429 3 times for GET ${fake.baseUrl}/subscribedSkus.`);
    fake.throttle(1, '3600');
    const long = await failure(client().subscribedSkus());
    expect([long.code, long.message]).toEqual(['throttled', 'Graph asks to wait 3600 s (Retry-After), longer than 120 s: try later.']);
  });

  it('an expired token: one fresh token, then the SKUs', async () => {
    fake.expire('token-1');
    expect(await client().subscribedSkus()).toHaveLength(2);
    expect(tokensAsked).toEqual([false, true]);
    expect(fake.requests.map((r) => [r.status, r.headers.authorization])).toEqual([
      [401, 'Bearer token-1'],
      [200, 'Bearer token-2'],
    ]);
  });

  it("the fresh token refused too: auth-failed with Graph's code and message and both request ids", async () => {
    fake.expire('token-1');
    fake.expire('token-2');
    const e = await failure(client().subscribedSkus());
    expect([e.code, e.status]).toEqual(['auth-failed', 401]);
    expect(e.message).toMatch(/answered 401: InvalidAuthenticationToken Lifetime validation failed, the token is expired\. \(a fresh token was refused too/);
    expect(e.clientRequestId).toMatch(GUID);
    expect(e.requestId).toMatch(GUID);
    expect(e.message).toContain(`client-request-id ${e.clientRequestId}, request-id ${e.requestId}`);
    expect(tokensAsked).toEqual([false, true]);
  });

  it('no permission in the customer tenant: refused, saying what the token needs', async () => {
    fake.deny(CUSTOMER);
    const e = await failure(client().subscribedSkus());
    expect([e.code, e.status]).toEqual(['refused', 403]);
    expect(e.message).toContain(
      'answered 403: Authorization_RequestDenied Insufficient privileges to complete the operation. (the token needs Organization.Read.All',
    );
  });

  it('a token function that fails is auth-failed with its message', async () => {
    const e = await failure(
      client({
        token: async () => {
          throw new Error('AADSTS700016: application not found in the directory of the customer');
        },
      }).subscribedSkus(),
    );
    expect([e.code, e.message]).toEqual(['auth-failed', 'AADSTS700016: application not found in the directory of the customer']);
  });

  it('follows @odata.nextLink page by page', async () => {
    await fake.close();
    const many = Array.from({ length: 5 }, (_, i) =>
      skuItem({ tenant: CUSTOMER, skuId: `0000000${i}-1111-4111-8111-111111111111`, skuPartNumber: `SKU_${i}`, enabled: 10, consumed: i }),
    );
    fake = await startFakeGraphSkus({ tenants: { [CUSTOMER]: many }, tokens: { 'token-1': CUSTOMER }, pageSize: 2 });
    const skus = await client().subscribedSkus();
    expect(skus.map((s) => s.skuPartNumber)).toEqual(['SKU_0', 'SKU_1', 'SKU_2', 'SKU_3', 'SKU_4']);
    expect(fake.requests.map((r) => r.path)).toEqual(['/v1.0/subscribedSkus', '/v1.0/subscribedSkus?$skiptoken=2', '/v1.0/subscribedSkus?$skiptoken=4']);
  });

  it.each([
    ['another origin', 'https://evil.example/v1.0/subscribedSkus?$skiptoken=1', /leads to https:\/\/evil\.example, not http:\/\/127\.0\.0\.1/],
    ['itself', 'SELF', /repeats .*: the pages would never end/],
  ])('a next link to %s is not followed', async (_what, link, message) => {
    const page = (url: string) => JSON.stringify({ value: [], '@odata.nextLink': link === 'SELF' ? url : link });
    const fetchFn: typeof fetch = async (input) => new Response(page(String(input)), { status: 200 });
    const e = await failure(client({ fetch: fetchFn }).subscribedSkus());
    expect(e.code).toBe('bad-paging');
    expect(e.message).toMatch(message);
  });

  it('a 200 that is not the documented collection: bad-response naming the problem', async () => {
    const fetchFn: typeof fetch = async () => new Response('{"value": [{"skuId": "nope"}]}', { status: 200, headers: { 'request-id': 'r-1' } });
    const e = await failure(client({ fetch: fetchFn }).subscribedSkus());
    expect([e.code, e.requestId]).toEqual(['bad-response', 'r-1']);
    expect(e.message).toContain('value[0].skuId "nope": is not a GUID');
  });

  it('the network failing on every try: network, after backing off', async () => {
    const fetchFn: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    const e = await failure(client({ fetch: fetchFn, maxRetries: 2 }).subscribedSkus());
    expect([e.code, e.message]).toEqual(['network', `GET ${fake.baseUrl}/subscribedSkus failed 3 times: fetch failed`]);
    expect(sleeps).toHaveLength(2);
  });
});
