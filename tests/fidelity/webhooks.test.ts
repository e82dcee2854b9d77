/**
 * How Dataverse calls a webhook, as the local org's webhook mode reproduces it. Each rule names the
 * page it comes from; every test here was seen failing once with its rule switched off.
 *
 * UW = "Use webhooks to create external handlers for server events",
 *      learn.microsoft.com/power-apps/developer/data-platform/use-webhooks
 * DT = "Scalable customization design: database transactions",
 *      learn.microsoft.com/power-apps/developer/data-platform/scalable-customization-design/database-transactions
 * EF = "Event framework", learn.microsoft.com/power-apps/developer/data-platform/event-framework
 */
import { randomUUID } from 'node:crypto';
import { LocalOrg, registerServiceEndpoint, EMPTY_GUID } from '../../dataverse/src/local-org';
import { serveLocalOrg, type LocalOrgServer } from '../../dataverse/src/local-org/http';
import { NodeDataverseClient } from '../../dataverse/src/node';
import type { StepDef } from '../../dataverse/src/schema/steps';
import { eventually, startEndpoint, type TestEndpoint } from '../support/endpoint';

const step = (over: Partial<StepDef>): StepDef => ({
  key: `test-${randomUUID().slice(0, 8)}`,
  message: 'Update',
  table: 'cspb_offer',
  stage: 'PostOperation',
  mode: 'sync',
  description: 'test step',
  images: [],
  work: 'inline',
  ...over,
});

const OFFER = {
  cspb_name: 'M365 BS',
  cspb_vendor: 100000000,
  cspb_productid: 'CFQ7TTC0LH18',
  cspb_skuid: '0001',
  cspb_term: 100000001,
  cspb_billingplan: 100000000,
  cspb_unitcost: 12.5,
  cspb_currencycode: 'USD',
};

describe('webhook calls as Dataverse makes them', () => {
  let org: LocalOrg;
  let api: LocalOrgServer;
  let client: NodeDataverseClient;
  let endpoint: TestEndpoint | undefined;
  let offerId: string;

  beforeEach(async () => {
    org = new LocalOrg();
    api = await serveLocalOrg(org);
    client = await NodeDataverseClient.connect({ url: api.url, retry: false });
    offerId = await org.create('cspb_offers', OFFER);
  });
  afterEach(async () => {
    await org.asyncIdle();
    await endpoint?.close();
    endpoint = undefined;
    await api.close();
  });

  const name = async () => (await org.retrieve<Record<string, unknown>>('cspb_offers', offerId))['cspb_name'];

  test("DT, UW: a synchronous PostOperation step that writes its triggering row through the Web API waits on the save's lock; at the timeout the save fails and rolls back, and the endpoint's own write lands after", async () => {
    endpoint = await startEndpoint(async () => {
      // The endpoint calls back over its own connection: a request the save's transaction is not part of.
      await client.update('cspb_offers', offerId, { cspb_name: 'written by the webhook' });
      return { status: 200 };
    });
    // Filtered on the cost, so the endpoint's own write of the name does not call it again.
    registerServiceEndpoint(org, [step({ filteringAttributes: ['cspb_unitcost'] })], { url: endpoint.url, timeoutMs: 1200 });
    await expect(org.update('cspb_offers', offerId, { cspb_unitcost: 13 })).rejects.toThrow(/Endpoint unavailable: .* did not answer within the timeout/);
    expect((await org.retrieve<Record<string, unknown>>('cspb_offers', offerId))['cspb_unitcost']).toBe(12.5);
    // "the data operation rolls back but the request sent to the configured endpoint can't be recalled" (UW).
    await eventually(async () => (await name()) === 'written by the webhook' || undefined, 10_000, 'the blocked write');
  });

  test('EF: a synchronous PreValidation step runs before the transaction exists: its call back is not blocked', async () => {
    let seen: unknown;
    endpoint = await startEndpoint(async () => {
      seen = (await client.retrieve<Record<string, unknown>>('cspb_offers', offerId))['cspb_unitcost'];
      return { status: 200 };
    });
    registerServiceEndpoint(org, [step({ stage: 'PreValidation' })], { url: endpoint.url, timeoutMs: 1200 });
    await org.update('cspb_offers', offerId, { cspb_unitcost: 13 });
    expect(seen).toBe(12.5); // the row as it was: the save has not happened yet
    expect((await org.retrieve<Record<string, unknown>>('cspb_offers', offerId))['cspb_unitcost']).toBe(13);
  });

  test('UW: "The timeout is 60 seconds" (here shortened): an endpoint slower than the timeout fails the save', async () => {
    // The slow answer's timer is unref'd: the test ends before it fires.
    endpoint = await startEndpoint(() => new Promise((r) => setTimeout(() => r({ status: 200 }), 2500).unref()));
    registerServiceEndpoint(org, [step({ stage: 'PreValidation' })], { url: endpoint.url, timeoutMs: 500 });
    await expect(org.update('cspb_offers', offerId, { cspb_unitcost: 13 })).rejects.toThrow(/did not answer within the timeout/);
    expect((await org.retrieve<Record<string, unknown>>('cspb_offers', offerId))['cspb_unitcost']).toBe(12.5);
  });

  test('UW: "It only looks at the response StatusCode value": the endpoint\'s text never reaches the caller', async () => {
    endpoint = await startEndpoint(() => ({ status: 422, body: JSON.stringify({ ok: false, message: 'secret refusal text' }) }));
    registerServiceEndpoint(org, [step({ stage: 'PreValidation' })], { url: endpoint.url, timeoutMs: 2000 });
    const error = await org.update('cspb_offers', offerId, { cspb_unitcost: 13 }).catch((e: Error) => e);
    expect(String((error as Error).message)).toMatch(/Endpoint unavailable: .* answered HTTP 422/);
    expect(String((error as Error).message)).not.toContain('secret refusal text');
  });

  test("UW: OperationId is the async step's system job, the same on its retry; a synchronous step's is the empty GUID", async () => {
    endpoint = await startEndpoint((_, n) => ({ status: n === 2 ? 503 : 200 }));
    registerServiceEndpoint(org, [step({ stage: 'PreValidation' }), step({ mode: 'async' })], { url: endpoint.url, timeoutMs: 2000 });
    await org.update('cspb_offers', offerId, { cspb_unitcost: 13 });
    await org.asyncIdle();
    const [sync, async1, async2] = endpoint.received.map((r) => r.body);
    expect([sync!['Mode'], sync!['OperationId']]).toEqual([0, EMPTY_GUID]);
    expect(async1!['Mode']).toBe(1);
    expect(async1!['OperationId']).toMatch(/^[0-9a-f-]{36}$/);
    expect(async1!['OperationId']).not.toBe(EMPTY_GUID);
    expect(async2!['OperationId']).toBe(async1!['OperationId']);
    expect(org.asyncFailures).toEqual([]);
  });

  test.each([
    [[503, 200], 2, false],
    [[502, 502], 2, true],
    [[504, 200], 2, false],
    [[500, 200], 1, true],
    [[429, 200], 1, true],
    [[404, 200], 1, true],
  ])(
    'UW: "one more attempt only when these error codes are returned" (502, 503, 504): answers %j -> %d deliveries, failed: %s',
    async (statuses, deliveries, failed) => {
      endpoint = await startEndpoint((_, n) => ({ status: statuses[Math.min(n, statuses.length) - 1]! }));
      registerServiceEndpoint(org, [step({ mode: 'async' })], { url: endpoint.url, timeoutMs: 2000 });
      await org.update('cspb_offers', offerId, { cspb_unitcost: 13 });
      await org.asyncIdle();
      expect(endpoint.received).toHaveLength(deliveries);
      expect(org.asyncFailures.length > 0).toBe(failed);
      // An async step never undoes the save: it has committed.
      expect((await org.retrieve<Record<string, unknown>>('cspb_offers', offerId))['cspb_unitcost']).toBe(13);
    },
  );

  test('UW: over 256 KB, ParentContext, InputParameters and the images are removed and x-ms-dynamics-msg-size-exceeded is sent', async () => {
    endpoint = await startEndpoint(() => ({ status: 200 }));
    const importStep = step({ message: 'Create', table: 'cspb_billingimport', mode: 'async' });
    const updateStep = step({
      table: 'cspb_billingimport',
      mode: 'async',
      images: [{ name: 'PostImage', type: 'post', attributes: ['cspb_name', 'cspb_errors'] }],
    });
    registerServiceEndpoint(org, [importStep, updateStep], { url: endpoint.url, timeoutMs: 2000 });
    const small = await org.create('cspb_billingimports', { cspb_name: 'small', cspb_contenthash: 'h1', cspb_currencycode: 'USD' });
    await org.update('cspb_billingimports', small, { cspb_errors: 'x'.repeat(300 * 1024) });
    await org.asyncIdle();
    const [created, updated] = endpoint.received;
    expect(created!.headers['x-ms-dynamics-msg-size-exceeded']).toBeUndefined();
    expect((created!.body['InputParameters'] as unknown[]).length).toBe(1);
    expect(updated!.headers['x-ms-dynamics-msg-size-exceeded']).toBe('true');
    expect(updated!.body).toMatchObject({
      InputParameters: [],
      PreEntityImages: [],
      PostEntityImages: [],
      ParentContext: null,
      PrimaryEntityId: small,
      MessageName: 'Update',
    });
    expect(JSON.stringify(updated!.body).length).toBeLessThan(256 * 1024);
  });

  test('UW: the documented headers name the organisation, table and message, and carry the correlation id', async () => {
    endpoint = await startEndpoint(() => ({ status: 200 }));
    registerServiceEndpoint(org, [step({ stage: 'PreValidation' })], { url: endpoint.url, timeoutMs: 2000 });
    await org.update('cspb_offers', offerId, { cspb_unitcost: 13 });
    const { headers, body } = endpoint.received[0]!;
    expect(headers['x-ms-dynamics-entity-name']).toBe('cspb_offer');
    expect(headers['x-ms-dynamics-request-name']).toBe('Update');
    expect(headers['x-ms-dynamics-organization']).toBe(new URL(endpoint.url).host);
    expect(headers['x-ms-correlation-request-id']).toBe(body['CorrelationId']);
    expect(body).toMatchObject({
      MessageName: 'Update',
      PrimaryEntityName: 'cspb_offer',
      PrimaryEntityId: offerId,
      Stage: 10,
      Depth: 1,
      IsInTransaction: false,
    });
  });
});
