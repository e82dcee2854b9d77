import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { CspbSubscriptionChangeChangeType as ChangeType } from '../../dataverse/generated';
import { safeEqual, startWebhookServer, type RunningWebhookServer } from '../../plugins/src';
import { readSettings } from '../../plugins/src/settings';
import { fillTemplate, fixture, ledgerOf, seededOrg, subscriptionBody, type Seeded } from './seed';

const KEY = 'k3y-for-tests-0123456789abcdef';

function post(
  url: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: { ok: boolean; message: string; redelivery?: boolean } }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('webhook host over HTTP (127.0.0.1)', () => {
  let s: Seeded;
  let server: RunningWebhookServer;
  let subscriptionId: string;

  beforeEach(async () => {
    // The org holds the data; its own pipeline is off so only the webhook host writes the ledger.
    s = await seededOrg({ plugins: false });
    subscriptionId = await s.org.create('cspb_subscriptions', subscriptionBody(s, 10));
    await s.org.create('cspb_subscriptionchanges', {
      cspb_name: 'new',
      'cspb_SubscriptionId@odata.bind': `/cspb_subscriptions(${subscriptionId})`,
      cspb_sequence: 1,
      cspb_changetype: ChangeType.New,
      cspb_quantitybefore: 0,
      cspb_quantitydelta: 10,
      cspb_quantityafter: 10,
      cspb_effectivedate: '2026-10-01',
      cspb_productid: 'CFQ7TTC0LH18',
      cspb_currencycode: 'EUR',
      cspb_referenceid: 'r1',
      cspb_unitcost: 12.5,
      cspb_unitprice: 15,
      cspb_changekey: 'seq.1',
    });
    server = await startWebhookServer({ auth: { kind: 'WebhookKey', key: KEY }, client: s.org, deps: { today: () => '2026-11-20' }, maxBodyBytes: 64 * 1024 });
  });
  afterEach(() => server.close());

  const payload = (values: Partial<Record<string, string | number>> = {}) =>
    fillTemplate(fixture('subscription-update-sync.template.json'), {
      correlationId: randomUUID(),
      depth: 1,
      newQuantity: 13,
      oldQuantity: 10,
      effectiveDateMs: Date.UTC(2026, 10, 15),
      subscriptionId,
      messageName: 'Update',
      operationId: randomUUID(),
      offerId: s.offerId,
      requestId: randomUUID(),
      stage: 40,
      mode: 1,
      version: 5948260,
      ...values,
    } as Record<string, string | number>);
  const endpoint = (query = `?code=${KEY}`) => `${server.url}/api/dataverse${query}`;

  test('an async PostOperation Update appends the ledger row from its PostImage; a redelivery writes nothing more', async () => {
    const body = payload();
    const first = await post(endpoint(), body);
    expect(first).toMatchObject({ status: 200, json: { ok: true } });
    const ledger = await ledgerOf(s.org, subscriptionId);
    expect(
      ledger.map((r) => [
        r['cspb_sequence'],
        r['cspb_changetype'],
        r['cspb_quantitybefore'],
        r['cspb_quantityafter'],
        r['cspb_effectivedate'],
        r['cspb_reason'],
      ]),
    ).toEqual([
      [1, ChangeType.New, 0, 10, '2026-10-01', null],
      [2, ChangeType.Add, 10, 13, '2026-11-15', 'Customer hired three people'],
    ]);
    expect(ledger[1]!['cspb_changekey']).toBe('v5948260.1');
    const again = await post(endpoint(), body);
    expect(again).toMatchObject({ status: 200, json: { redelivery: true } });
    expect(await ledgerOf(s.org, subscriptionId)).toHaveLength(2);
  });

  test('a PreValidation decrease outside the NCE window answers 422 (the status fails the save; the text is for the log)', async () => {
    const response = await post(endpoint(), payload({ stage: 10, mode: 0, newQuantity: 7, operationId: '00000000-0000-0000-0000-000000000000' }));
    expect(response.status).toBe(422);
    expect(response.json.message).toMatch(/closed on 2026-10-08/);
    expect(await ledgerOf(s.org, subscriptionId)).toHaveLength(1);
  });

  describe('security: each refused with its status, nothing written', () => {
    const cases: Array<[string, () => Promise<{ status: number; json: { message: string } }>, number, RegExp]> = [
      ['wrong key', () => post(endpoint('?code=k3y-for-tests-0123456789abcdeX'), payload()), 401, /not authenticated/],
      ['missing key', () => post(endpoint(''), payload()), 401, /not authenticated/],
      ['key in a header instead of code', () => post(endpoint(''), payload(), { 'x-functions-key': KEY }), 401, /not authenticated/],
      ['oversized body', () => post(endpoint(), Buffer.alloc(200 * 1024, 0x20)), 413, /larger than 65536/],
      ['malformed JSON', () => post(endpoint(), '{"MessageName": "Update", '), 400, /not JSON/],
      ['an unexpected message', () => post(endpoint(), payload({ messageName: 'Delete' })), 501, /no handler for Delete of cspb_subscription/],
      [
        'a step the suite does not register (PreOperation)',
        () => post(endpoint(), payload({ stage: 20, mode: 0 })),
        501,
        /no handler for Update of cspb_subscription in PreOperation/,
      ],
    ];
    test.each(cases)('%s', async (_, send, status, message) => {
      const before = s.org.exportSnapshot({ exportedOn: '2026-01-01T00:00:00Z' });
      const response = await send();
      expect(response.status).toBe(status);
      expect(response.json.message).toMatch(message);
      expect(s.org.exportSnapshot({ exportedOn: '2026-01-01T00:00:00Z' })).toEqual(before);
    });
  });

  test('HttpHeader and HttpQueryString authentication', async () => {
    const headerServer = await startWebhookServer({
      auth: { kind: 'HttpHeader', values: { 'X-Cspb-Key': KEY } },
      client: s.org,
      deps: { today: () => '2026-11-20' },
    });
    const queryServer = await startWebhookServer({
      auth: { kind: 'HttpQueryString', values: { token: KEY } },
      client: s.org,
      deps: { today: () => '2026-11-20' },
    });
    try {
      expect((await post(`${headerServer.url}/api/dataverse`, payload({ stage: 10, mode: 0 }), { 'x-cspb-key': 'nope' })).status).toBe(401);
      expect((await post(`${headerServer.url}/api/dataverse`, payload({ stage: 10, mode: 0 }), { 'x-cspb-key': KEY })).status).toBe(200);
      expect((await post(`${queryServer.url}/api/dataverse?token=${KEY}x`, payload({ stage: 10, mode: 0 }))).status).toBe(401);
      expect((await post(`${queryServer.url}/api/dataverse?token=${KEY}`, payload({ stage: 10, mode: 0 }))).status).toBe(200);
    } finally {
      await headerServer.close();
      await queryServer.close();
    }
  });

  test('only application/json is a context: none, or json-patch+json, answers 415', async () => {
    expect((await post(endpoint(), payload({ stage: 10, mode: 0 }), { 'content-type': 'application/json-patch+json' })).status).toBe(415);
    expect((await post(endpoint(), payload({ stage: 10, mode: 0 }), { 'content-type': '' })).status).toBe(415);
    expect((await post(endpoint(), payload({ stage: 10, mode: 0 }), { 'content-type': 'application/json; charset=utf-8' })).status).toBe(200);
  });

  test("a host configured with its organizations refuses another org's context with 403", async () => {
    const ours = '4ef5b371-e89e-e711-8122-000d3aa2331c'; // the OrganizationId of the captured context
    const servers = await Promise.all(
      [[ours.toUpperCase()], ['11111111-2222-3333-4444-555555555555']].map((organizationIds) =>
        startWebhookServer({ auth: { kind: 'WebhookKey', key: KEY }, client: s.org, deps: { today: () => '2026-11-20' }, organizationIds }),
      ),
    );
    try {
      expect((await post(`${servers[0]!.url}/api/dataverse?code=${KEY}`, payload({ stage: 10, mode: 0 }))).status).toBe(200);
      const refused = await post(`${servers[1]!.url}/api/dataverse?code=${KEY}`, payload({ stage: 10, mode: 0 }));
      expect([refused.status, refused.json.message]).toEqual([403, 'this host does not serve that organization']);
    } finally {
      await Promise.all(servers.map((x) => x.close()));
    }
  });

  test('settings: organization ids must be GUIDs; given, they are what the host serves', () => {
    const env = { CSPB_WEBHOOK_KEY: KEY, DATAVERSE_URL: 'https://contoso.crm.dynamics.com', CSPB_QUEUE_CONNECTION: 'UseDevelopmentStorage=true' };
    expect(
      readSettings({ ...env, CSPB_ORGANIZATION_IDS: '4EF5B371-E89E-E711-8122-000D3AA2331C, 11111111-2222-3333-4444-555555555555' }).organizationIds,
    ).toEqual(['4ef5b371-e89e-e711-8122-000d3aa2331c', '11111111-2222-3333-4444-555555555555']);
    expect(() => readSettings({ ...env, CSPB_ORGANIZATION_IDS: 'contoso' })).toThrow(/CSPB_ORGANIZATION_IDS must be organization GUIDs/);
    expect(readSettings(env).organizationIds).toBeUndefined();
  });

  test('settings: a part store only when CSPB_PARTS_CONNECTION is given (imports then read large usage files in parts)', () => {
    const env = { CSPB_WEBHOOK_KEY: KEY, DATAVERSE_URL: 'https://contoso.crm.dynamics.com', CSPB_QUEUE_CONNECTION: 'UseDevelopmentStorage=true' };
    expect(readSettings(env).partsConnection).toBeUndefined();
    expect(readSettings({ ...env, CSPB_PARTS_CONNECTION: '  ' }).partsConnection).toBeUndefined();
    expect(readSettings({ ...env, CSPB_PARTS_CONNECTION: ' UseDevelopmentStorage=true ' }).partsConnection).toBe('UseDevelopmentStorage=true');
  });

  test('safeEqual', () => {
    expect(safeEqual(KEY, KEY)).toBe(true);
    expect(safeEqual(`${KEY}x`, KEY)).toBe(false);
    expect(safeEqual(undefined, KEY)).toBe(false);
    expect(safeEqual('', '')).toBe(false);
  });
});
