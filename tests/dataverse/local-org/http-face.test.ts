import { LocalOrg } from '../../../dataverse/src/local-org';
import { serveLocalOrg, type LocalOrgServer } from '../../../dataverse/src/local-org/http';
import { NodeDataverseClient } from '../../../dataverse/src/node';
import { failure, GUID_RE, importRecord, lineRecord } from '../contract/fixtures';

/**
 * The wire as Dataverse speaks it, checked with plain fetch (no client library in between), and
 * the fault injection and request counter the bulk proofs rely on.
 */
describe('HTTP face', () => {
  let org: LocalOrg;
  let server: LocalOrgServer;
  let api: string;
  beforeEach(async () => {
    org = new LocalOrg();
    server = await serveLocalOrg(org, { dopHint: 6 });
    api = server.apiUrl;
  });
  afterEach(async () => {
    await server.close();
  });

  const send = (path: string, init: RequestInit = {}) =>
    fetch(`${api}${path}`, {
      ...init,
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', ...(init.headers as Record<string, string>) },
    });

  it('listens on 127.0.0.1 and answers WhoAmI with the x-ms-dop-hint header', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await send('WhoAmI');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ms-dop-hint')).toBe('6');
    expect(res.headers.get('odata-version')).toBe('4.0');
    expect(((await res.json()) as Record<string, string>)['UserId']).toMatch(GUID_RE);
  });

  it('POST answers 204 with OData-EntityId, or 201 with the row for Prefer: return=representation', async () => {
    const plain = await send('cspb_billingimports', { method: 'POST', body: JSON.stringify(importRecord('h1')) });
    expect(plain.status).toBe(204);
    expect(plain.headers.get('odata-entityid')).toMatch(new RegExp(`^${api.replace(/[.]/g, '\\.')}cspb_billingimports\\([0-9a-f-]{36}\\)$`));
    const rep = await send('cspb_billingimports?$select=cspb_name', {
      method: 'POST',
      body: JSON.stringify(importRecord('h2')),
      headers: { Prefer: 'return=representation' },
    });
    expect(rep.status).toBe(201);
    const body = (await rep.json()) as Record<string, unknown>;
    expect(body['cspb_name']).toBe('Bill h2');
    expect(body['@odata.etag']).toMatch(/^W\/"\d+"$/);
  });

  it('PATCH upserts: 201 when created and 200 when updated (return=representation); If-None-Match: * refuses an update', async () => {
    const url = `cspb_billingimports(cspb_contenthash='h1')`;
    const created = await send(url, { method: 'PATCH', body: JSON.stringify(importRecord('h1')), headers: { Prefer: 'return=representation' } });
    const updated = await send(url, { method: 'PATCH', body: JSON.stringify({ cspb_filename: 'a.csv' }), headers: { Prefer: 'return=representation' } });
    expect([created.status, updated.status]).toEqual([201, 200]);
    const refused = await send(url, { method: 'PATCH', body: JSON.stringify({ cspb_filename: 'b.csv' }), headers: { 'If-None-Match': '*' } });
    expect(refused.status).toBe(412);
    const missing = await send(`cspb_billingimports(cspb_contenthash='nope')`, {
      method: 'PATCH',
      body: JSON.stringify({ cspb_filename: 'b.csv' }),
      headers: { 'If-Match': '*' },
    });
    expect(missing.status).toBe(404);
    expect(org.count('cspb_billingimports')).toBe(1);
  });

  it('GET with If-None-Match of the current ETag answers 304', async () => {
    const id = await org.create('cspb_billingimports', importRecord('h1'));
    const etag = String((await org.retrieve('cspb_billingimports', id))['@odata.etag']);
    expect((await send(`cspb_billingimports(${id})`, { headers: { 'If-None-Match': etag } })).status).toBe(304);
    await org.update('cspb_billingimports', id, { cspb_filename: 'x' });
    expect((await send(`cspb_billingimports(${id})`, { headers: { 'If-None-Match': etag } })).status).toBe(200);
  });

  it('answers errors with {"error":{"code","message"}}', async () => {
    const res = await send('cspb_nothings');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: '0x80060888', message: "Resource not found for the segment 'cspb_nothings'." } });
  });

  it('CreateMultiple answers {Ids}, UpsertMultiple answers 204 and takes @odata.id alternate-key paths', async () => {
    const imp = await org.create('cspb_billingimports', importRecord('h1'));
    const target = (key: string) => ({ ...lineRecord(imp, key), '@odata.type': 'Microsoft.Dynamics.CRM.cspb_billingline' });
    const created = await send('cspb_billinglines/Microsoft.Dynamics.CRM.CreateMultiple', {
      method: 'POST',
      body: JSON.stringify({ Targets: [target('k1'), target('k2')] }),
    });
    const body = (await created.json()) as { Ids: string[] };
    expect(created.status).toBe(200);
    expect(body.Ids).toHaveLength(2);
    const upserted = await send('cspb_billinglines/Microsoft.Dynamics.CRM.UpsertMultiple', {
      method: 'POST',
      body: JSON.stringify({
        Targets: [
          { ...target('k2'), '@odata.id': "cspb_billinglines(cspb_linekey='k2')", cspb_total: 5 },
          { ...target('k3'), '@odata.id': "cspb_billinglines(cspb_linekey='k3')" },
        ],
      }),
    });
    expect(upserted.status).toBe(204);
    expect(org.count('cspb_billinglines')).toBe(3);
    expect((await org.retrieve('cspb_billinglines', body.Ids[1]!))['cspb_total']).toBe(5);
  });

  it('runs a $batch change set with a Content-ID reference, counted as one request', async () => {
    const boundary = 'batch_test';
    const cs = 'changeset_test';
    const body = [
      `--${boundary}`,
      `Content-Type: multipart/mixed; boundary=${cs}`,
      '',
      `--${cs}`,
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 1',
      '',
      'POST /api/data/v9.2/cspb_billingimports HTTP/1.1',
      'Content-Type: application/json; type=entry',
      '',
      JSON.stringify(importRecord('h1')),
      `--${cs}`,
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 2',
      '',
      'POST /api/data/v9.2/cspb_billinglines HTTP/1.1',
      'Content-Type: application/json; type=entry',
      '',
      JSON.stringify({ cspb_name: 'L', cspb_linekey: 'k', cspb_currencycode: 'USD', 'cspb_ImportId@odata.bind': '$1' }),
      `--${cs}--`,
      '',
      `--${boundary}`,
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      'GET /api/data/v9.2/cspb_billinglines?$select=cspb_linekey HTTP/1.1',
      '',
      '',
      `--${boundary}--`,
      '',
    ].join('\r\n');
    server.resetStats();
    const res = await fetch(`${api}$batch`, { method: 'POST', body, headers: { 'Content-Type': `multipart/mixed; boundary="${boundary}"` } });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(server.stats.requests).toBe(1);
    expect(text.match(/HTTP\/1\.1 204 No Content/g)).toHaveLength(2);
    expect(text).toContain('"cspb_linekey":"k"');
    const line = await org.retrieve('cspb_billinglines', { cspb_linekey: 'k' });
    const imp = await org.retrieve('cspb_billingimports', { cspb_contenthash: 'h1' });
    expect(line['_cspb_importid_value']).toBe(imp['cspb_billingimportid']);
  });

  describe('fault injection', () => {
    const statuses = async (n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await send('WhoAmI')).status);
      return out;
    };

    it('answers a seeded share of requests 429 (with Retry-After) or 503 (without), the same way for the same seed', async () => {
      server.faults.configure({ seed: 42, throttleRate: 0.2, unavailableRate: 0.1, retryAfterSeconds: 3 });
      server.resetStats();
      const first = await statuses(200);
      server.faults.configure({ seed: 42, throttleRate: 0.2, unavailableRate: 0.1, retryAfterSeconds: 3 });
      expect(await statuses(200)).toEqual(first);
      const throttled = first.filter((s) => s === 429).length;
      const unavailable = first.filter((s) => s === 503).length;
      expect(throttled).toBeGreaterThan(20);
      expect(throttled).toBeLessThan(60);
      expect(unavailable).toBeGreaterThan(5);
      expect(unavailable).toBeLessThan(35);
      expect(server.stats.requests).toBe(400);
      expect(server.stats.throttled).toBe(2 * throttled);

      server.faults.configure({ throttleRate: 1, retryAfterSeconds: 3 });
      const res429 = await send('WhoAmI');
      expect(res429.headers.get('retry-after')).toBe('3');
      expect(((await res429.json()) as { error: { code: string } }).error.code).toBe('0x80072322');
      server.faults.configure({ unavailableRate: 1 });
      expect((await send('WhoAmI')).headers.get('retry-after')).toBeNull();
    });

    it('leaves a share of requests unanswered: the client times out (status 0, transient)', async () => {
      server.faults.configure({ timeoutRate: 1 });
      const client = new NodeDataverseClient({ url: server.url, timeoutMs: 200, retry: false });
      const e = await failure(client.retrieveMultiple('accounts'));
      expect(e.status).toBe(0);
      expect(e.transient).toBe(true);
      expect(server.stats.timedOut).toBe(1);
    });

    it('a lost answer (applied, then timed out) retried as an idempotent upsert leaves one row', async () => {
      const imp = await org.create('cspb_billingimports', importRecord('h1'));
      server.faults.configure({ seed: 3, timeoutRate: 0.5, applyBeforeTimeout: true });
      const client = new NodeDataverseClient({ url: server.url, timeoutMs: 200, retry: { baseDelayMs: 1, maxAttempts: 20 } });
      const records = Array.from({ length: 10 }, (_, i) => lineRecord(imp, `k${i}`));
      for (let i = 0; i < 10; i += 2) await client.upsertMultiple('cspb_billinglines', ['cspb_linekey'], records.slice(i, i + 2));
      expect(server.stats.timedOut).toBeGreaterThan(0);
      expect(org.count('cspb_billinglines')).toBe(10);
    });
  });
});
