/**
 * The Partner Center subscriptions client against the local fake (tests/support/fake-partner-center.ts):
 * the documented request headers, 429/503 waited out for Retry-After, a 401 answered with one fresh
 * token, pages followed by their continuation token (also when a later page is throttled), and every
 * way it can fail ending in a typed error.
 */
import { PartnerCenterClient, PartnerCenterError, type PartnerCenterToken } from '../../plugins/src/sync/partner-center-client';
import { PartnerCenterParseError } from '../../core/src/sync';
import { pcItem, startFakePartnerCenter, type FakePartnerCenter } from '../support/fake-partner-center';

const CUSTOMER = '6f4ce4d8-f42e-45e0-8661-92ad6ac9d003';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const items = Array.from({ length: 5 }, (_, i) => pcItem({ id: `0000000${i}-aaaa-4bbb-8ccc-000000000000`, customer: CUSTOMER, quantity: 10 + i }));

let fake: FakePartnerCenter;
let sleeps: number[];
let tokensAsked: boolean[];

/** token-1 from the cache; token-2 when a fresh one is asked for. */
const token: PartnerCenterToken = async (fresh) => {
  tokensAsked.push(fresh);
  return fresh ? 'token-2' : 'token-1';
};

function client(over: Partial<ConstructorParameters<typeof PartnerCenterClient>[0]> = {}) {
  return new PartnerCenterClient({ token, baseUrl: fake.baseUrl, sleep: async (ms) => void sleeps.push(ms), ...over });
}

async function failure(promise: Promise<unknown>): Promise<PartnerCenterError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof PartnerCenterError) return e;
    throw e;
  }
  throw new Error('no error');
}

beforeEach(async () => {
  fake = await startFakePartnerCenter({ customers: { [CUSTOMER]: items } });
  sleeps = [];
  tokensAsked = [];
});
afterEach(() => fake.close());

describe('PartnerCenterClient.customerSubscriptions', () => {
  it("reads the customer's subscriptions with the documented headers", async () => {
    const subs = await client().customerSubscriptions(CUSTOMER.toUpperCase());
    expect(subs.map((s) => [s.id, s.quantity])).toEqual(items.map((i) => [i['id'], i['quantity']]));
    expect(fake.requests).toHaveLength(1);
    const [r] = fake.requests;
    expect(r!.path).toBe(`/v1/customers/${CUSTOMER}/subscriptions`);
    expect(r!.headers.authorization).toBe('Bearer token-1');
    expect(r!.headers.accept).toBe('application/json');
    expect(r!.headers['ms-requestid']).toMatch(GUID);
    expect(r!.headers['ms-correlationid']).toMatch(GUID);
    expect(r!.headers['ms-requestid']).not.toBe(r!.headers['ms-correlationid']);
  });

  it('waits the Retry-After seconds of a 429, then asks again as a new request', async () => {
    fake.throttle(2, '3');
    const subs = await client().customerSubscriptions(CUSTOMER);
    expect(subs).toHaveLength(5);
    expect(sleeps).toEqual([3000, 3000]);
    expect(fake.requests.map((r) => r.status)).toEqual([429, 429, 200]);
    // An answer came each time, so each call has its own MS-RequestId and MS-CorrelationId.
    expect(new Set(fake.requests.map((r) => r.headers['ms-requestid'])).size).toBe(3);
    expect(new Set(fake.requests.map((r) => r.headers['ms-correlationid'])).size).toBe(3);
  });

  it('backs off between half and all of a second when a 503 says nothing about when', async () => {
    fake.throttle(1, undefined, 503);
    await client().customerSubscriptions(CUSTOMER);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(500);
    expect(sleeps[0]).toBeLessThanOrEqual(1000);
  });

  it('gives up as throttled after its retries, and at once when Retry-After is longer than it waits', async () => {
    fake.throttle(10, '1');
    const tired = await failure(client({ maxRetries: 2 }).customerSubscriptions(CUSTOMER));
    expect([tired.code, tired.status, sleeps]).toEqual(['throttled', 429, [1000, 1000]]);
    expect(tired.message).toBe(`Partner Center answered 429 3 times for GET ${fake.baseUrl}/customers/${CUSTOMER}/subscriptions.`);

    sleeps = [];
    fake.throttle(1, '3600');
    const long = await failure(client().customerSubscriptions(CUSTOMER));
    expect([long.code, sleeps]).toEqual(['throttled', []]);
    expect(long.message).toContain('asks to wait 3600 s');
  });

  it('after a 401 on an expired token, asks once for a fresh token and goes on with it', async () => {
    fake.expire('token-1');
    const subs = await client().customerSubscriptions(CUSTOMER);
    expect(subs).toHaveLength(5);
    expect(tokensAsked).toEqual([false, true]);
    expect(fake.requests.map((r) => [r.status, r.headers.authorization])).toEqual([
      [401, 'Bearer token-1'],
      [200, 'Bearer token-2'],
    ]);
  });

  it('a second 401 with the fresh token is a refusal, not a loop', async () => {
    fake.expire('token-1');
    fake.expire('token-2');
    const e = await failure(client().customerSubscriptions(CUSTOMER));
    expect([e.code, e.status, tokensAsked]).toEqual(['auth-failed', 401, [false, true]]);
    expect(fake.requests).toHaveLength(2);
  });

  it('follows links.next with its MS-ContinuationToken until the last page', async () => {
    await fake.close();
    fake = await startFakePartnerCenter({ customers: { [CUSTOMER]: items }, pageSize: 2 });
    const subs = await client().customerSubscriptions(CUSTOMER);
    expect(subs.map((s) => s.quantity)).toEqual([10, 11, 12, 13, 14]);
    expect(fake.requests.map((r) => [r.path, r.headers['ms-continuationtoken'] ?? null])).toEqual([
      [`/v1/customers/${CUSTOMER}/subscriptions`, null],
      [`/v1/customers/${CUSTOMER}/subscriptions?seekOperation=Next`, Buffer.from('2').toString('base64')],
      [`/v1/customers/${CUSTOMER}/subscriptions?seekOperation=Next`, Buffer.from('4').toString('base64')],
    ]);
  });

  it('a throttled second page is asked again with the same continuation token', async () => {
    await fake.close();
    fake = await startFakePartnerCenter({ customers: { [CUSTOMER]: items }, pageSize: 3 });
    let calls = 0;
    const throttleAfterFirst: typeof fetch = async (input, init) => {
      if (++calls === 2) fake.throttle(1, '2');
      return fetch(input, init);
    };
    const subs = await client({ fetch: throttleAfterFirst }).customerSubscriptions(CUSTOMER);
    expect(subs).toHaveLength(5);
    expect(sleeps).toEqual([2000]);
    expect(fake.requests.map((r) => [r.status, r.headers['ms-continuationtoken'] ?? null])).toEqual([
      [200, null],
      [429, Buffer.from('3').toString('base64')],
      [200, Buffer.from('3').toString('base64')],
    ]);
  });

  it('names the refusal of a customer the partner has no relationship with', async () => {
    const e = await failure(client().customerSubscriptions('99999999-9999-4999-8999-999999999999'));
    expect([e.code, e.status]).toEqual(['refused', 403]);
    expect(e.message).toContain('answered 403: 20002 The partner id fake has no commerce relationship');
    expect(e.correlationId).toMatch(GUID);
  });

  it('refuses a customer id that is not a GUID before sending anything', async () => {
    const e = await failure(client().customerSubscriptions('../../partners'));
    expect(e.code).toBe('bad-customer-id');
    expect(fake.requests).toHaveLength(0);
  });

  it('a 200 whose items break the documented shape is a bad response carrying the parse problems', async () => {
    await fake.close();
    fake = await startFakePartnerCenter({ customers: { [CUSTOMER]: [{ ...items[0], quantity: -2 }] } });
    const e = await failure(client().customerSubscriptions(CUSTOMER));
    expect(e.code).toBe('bad-response');
    expect(e.cause).toBeInstanceOf(PartnerCenterParseError);
    expect((e.cause as PartnerCenterParseError).problems).toEqual([expect.objectContaining({ index: 0, property: 'quantity', value: -2 })]);
  });

  it('does not carry the token to a next link on another host, nor follow a link that repeats itself', async () => {
    const page = (next: string) =>
      new Response(
        JSON.stringify({ totalCount: 0, items: [], links: { next: { uri: next, method: 'GET', headers: [{ key: 'MS-ContinuationToken', value: 'x' }] } } }),
        {
          status: 200,
        },
      );
    const elsewhere = await failure(client({ fetch: async () => page('https://elsewhere.example/v1/customers') }).customerSubscriptions(CUSTOMER));
    expect([elsewhere.code, elsewhere.message]).toEqual([
      'bad-paging',
      `links.next leads to https://elsewhere.example, not ${new URL(fake.baseUrl).origin}: not followed with the token.`,
    ]);
    const urls: string[] = [];
    const loop = await failure(
      client({
        fetch: async (input) => {
          urls.push(String(input));
          return page('/customers/x/subscriptions?seekOperation=Next');
        },
      }).customerSubscriptions(CUSTOMER),
    );
    expect(loop.code).toBe('bad-paging');
    expect(urls).toEqual([`${fake.baseUrl}/customers/${CUSTOMER}/subscriptions`, `${fake.baseUrl}/customers/x/subscriptions?seekOperation=Next`]);
  });

  it('retries a network failure with the same MS-RequestId, and fails as network after its retries', async () => {
    const seen: string[] = [];
    let calls = 0;
    const flaky: typeof fetch = async (input, init) => {
      seen.push(String((init?.headers as Record<string, string>)['ms-requestid']));
      if (++calls === 1) throw new TypeError('fetch failed');
      return fetch(input, init);
    };
    expect(await client({ fetch: flaky }).customerSubscriptions(CUSTOMER)).toHaveLength(5);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(seen[1]);

    const down = await failure(client({ maxRetries: 1, fetch: async () => Promise.reject(new TypeError('fetch failed')) }).customerSubscriptions(CUSTOMER));
    expect([down.code, down.message]).toEqual(['network', `GET ${fake.baseUrl}/customers/${CUSTOMER}/subscriptions failed 2 times: fetch failed`]);
  });

  it('a token function that throws is an auth failure with its message', async () => {
    const e = await failure(client({ token: async () => Promise.reject(new Error('AADSTS7000215: Invalid client secret')) }).customerSubscriptions(CUSTOMER));
    expect([e.code, e.message]).toEqual(['auth-failed', 'AADSTS7000215: Invalid client secret']);
    expect(fake.requests).toHaveLength(0);
  });
});
