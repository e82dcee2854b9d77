import { writeBulk } from '../../../dataverse/src/bulk';
import type { RetryInfo } from '../../../dataverse/src/bulk';
import { LocalOrg } from '../../../dataverse/src/local-org';
import { serveLocalOrg, type LocalOrgServer } from '../../../dataverse/src/local-org/http';
import { NodeDataverseClient } from '../../../dataverse/src/node';
import { billLines, lineKey, linesInOrg, seedImport } from './bill-lines';

/**
 * The proofs, through the real path: the bulk writer -> the Node adapter (dynamics-web-api)
 * -> HTTP -> the local org. Requests are counted by the server, rows checked on the org itself.
 */
const ROWS = 50_000;
const LINES = 'cspb_billinglines';

describe('writing 50,000 bill lines through the Node adapter', () => {
  let org: LocalOrg;
  let server: LocalOrgServer;
  let importId: string;

  beforeEach(async () => {
    org = new LocalOrg();
    server = await serveLocalOrg(org, { dopHint: 4 });
    importId = await seedImport(org);
  });
  afterEach(async () => {
    await server.close();
  });

  const expectExactlyAllLines = () => {
    const byKey = linesInOrg(org);
    expect(org.count(LINES)).toBe(ROWS);
    expect(byKey.size).toBe(ROWS);
    for (let i = 0; i < ROWS; i += 997) expect(byKey.get(lineKey(i))).toHaveLength(1);
    expect([...byKey.values()].every((ids) => ids.length === 1)).toBe(true);
  };

  it('costs at most 50 HTTP requests (UpsertMultiple, 1,000 rows each) and writes every row', async () => {
    const client = await NodeDataverseClient.connect({ url: server.url });
    expect(client.parallelismHint).toBe(4);
    server.resetStats();
    const result = await writeBulk(client, billLines(importId, ROWS), { entitySet: LINES, keyColumns: ['cspb_linekey'] });
    expect(server.stats.requests).toBeLessThanOrEqual(50);
    expect(server.stats.byRoute.get('POST cspb_billinglines/Microsoft.Dynamics.CRM.UpsertMultiple')).toBe(50);
    expect(result).toMatchObject({ rowsWritten: ROWS, rowsFailed: 0, chunksDone: 50, parallelism: 4, aborted: false });
    expectExactlyAllLines();
    const sample = await org.retrieve(LINES, { cspb_linekey: lineKey(12_345) });
    expect(sample).toMatchObject({ cspb_quantity: 46, cspb_subtotal: 46.5, cspb_chargeenddate: '2024-01-31', _cspb_importid_value: importId });
  });

  it('with 10% of requests answered 429 (Retry-After) or 503 ends with exactly 50,000 rows, no duplicates', async () => {
    const retries: RetryInfo[] = [];
    const client = await NodeDataverseClient.connect({ url: server.url, retry: { baseDelayMs: 20, maxAttempts: 8, onRetry: (r) => retries.push(r) } });
    server.faults.configure({ seed: 7, throttleRate: 0.05, unavailableRate: 0.05, retryAfterSeconds: 1 });
    server.resetStats();
    const result = await writeBulk(client, billLines(importId, ROWS), { entitySet: LINES, keyColumns: ['cspb_linekey'] });
    const faults = server.stats.throttled + server.stats.unavailable;
    expect(server.stats.throttled).toBeGreaterThan(0);
    expect(server.stats.unavailable).toBeGreaterThan(0);
    // Every fault cost exactly one repeated request, no more.
    expect(server.stats.requests).toBe(50 + faults);
    expect(retries).toHaveLength(faults);
    // One retry layer, and the writer's count is the truth: each repeated request once.
    expect(result.retries).toBe(faults);
    // Retry-After was honoured for 429s; 503s (no header) backed off exponentially from 20 ms.
    for (const r of retries) {
      if (r.error.status === 429) expect(r.delayMs).toBe(1000);
      else expect(r.delayMs).toBeLessThan(1000);
    }
    expect(result.rowsWritten).toBe(ROWS);
    expectExactlyAllLines();
  });

  it('killed half way and run again, creates exactly the missing rows', async () => {
    const first = await NodeDataverseClient.connect({ url: server.url });
    const stop = new AbortController();
    const partial = await writeBulk(first, billLines(importId, ROWS), {
      entitySet: LINES,
      keyColumns: ['cspb_linekey'],
      signal: stop.signal,
      onProgress: (p) => {
        if (p.chunksDone >= 20) stop.abort();
      },
    });
    expect(partial.aborted).toBe(true);
    const before = linesInOrg(org);
    expect(before.size).toBeGreaterThanOrEqual(20_000);
    expect(before.size).toBeLessThan(ROWS);

    // A new process: a new client, the whole input again.
    const second = await NodeDataverseClient.connect({ url: server.url });
    let created = 0;
    const unregister = org.register({ message: 'Create', table: 'cspb_billingline', stage: 'PostOperation', handler: () => void created++ });
    await writeBulk(second, billLines(importId, ROWS), { entitySet: LINES, keyColumns: ['cspb_linekey'] });
    unregister();
    expect(created).toBe(ROWS - before.size);
    expectExactlyAllLines();
    // The rows of the first run are the same rows (updated in place, not re-created).
    const after = linesInOrg(org);
    for (const [key, ids] of before) expect(after.get(key)).toEqual(ids);
  });
});
