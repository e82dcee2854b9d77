import { DataverseError, type DataverseClient, type EntityRecord } from '../../../dataverse/src/client';
import { retryDelay, withRetry, writeBulk } from '../../../dataverse/src/bulk';
import { LocalOrg } from '../../../dataverse/src/local-org';
import { serveLocalOrg } from '../../../dataverse/src/local-org/http';
import { NodeDataverseClient } from '../../../dataverse/src/node';
import { failure, importRecord, lineRecord } from '../contract/fixtures';

const LINES = 'cspb_billinglines';
const noWait = { sleep: async () => undefined };

describe('retry policy', () => {
  it('waits what Retry-After says, else backs off exponentially within the jitter band, capped', () => {
    expect(retryDelay(new DataverseError('slow down', 429, undefined, 7000), 3)).toBe(7000);
    const e = new DataverseError('busy', 503);
    expect(retryDelay(e, 1, { baseDelayMs: 100, jitter: 0.5, random: () => 0 })).toBe(50);
    expect(retryDelay(e, 1, { baseDelayMs: 100, jitter: 0.5, random: () => 0.999999 })).toBe(150);
    expect(retryDelay(e, 4, { baseDelayMs: 100, jitter: 0 })).toBe(800);
    expect(retryDelay(e, 30, { baseDelayMs: 100, maxDelayMs: 5000 })).toBe(5000);
  });

  it('retries transient errors up to maxAttempts, then throws the last one', async () => {
    let calls = 0;
    const waits: number[] = [];
    const e = await failure(
      withRetry(
        async () => {
          calls++;
          throw new DataverseError('busy', 503);
        },
        { maxAttempts: 4, baseDelayMs: 10, jitter: 0, sleep: async (ms) => void waits.push(ms) },
      ),
    );
    expect(e.status).toBe(503);
    expect(calls).toBe(4);
    expect(waits).toEqual([10, 20, 40]);
  });

  it('never retries a refusal (400) or a bug', async () => {
    let calls = 0;
    const refused = await failure(
      withRetry(async () => {
        calls++;
        throw new DataverseError('bad', 400);
      }, noWait),
    );
    expect([refused.status, calls]).toEqual([400, 1]);
    let bugCalls = 0;
    await expect(
      withRetry(async () => {
        bugCalls++;
        throw new TypeError('x is undefined');
      }, noWait),
    ).rejects.toThrow(TypeError);
    expect(bugCalls).toBe(1);
  });
});

describe('writeBulk', () => {
  let org: LocalOrg;
  let imp: string;
  beforeEach(async () => {
    org = new LocalOrg();
    imp = await org.create('cspb_billingimports', importRecord('h1'));
  });
  const lines = (n: number, bad: number[] = []): EntityRecord[] =>
    Array.from({ length: n }, (_, i) => lineRecord(imp, `k${i}`, bad.includes(i) ? { cspb_currencycode: 'TOO LONG' } : {}));

  it('chunks by batchSize and uses UpsertMultiple when a key is given', async () => {
    const calls: number[] = [];
    const client: DataverseClient = Object.create(org) as DataverseClient;
    client.upsertMultiple = (set, keys, records) => {
      calls.push(records.length);
      return org.upsertMultiple(set, keys, records);
    };
    const result = await writeBulk(client, lines(25), { entitySet: LINES, keyColumns: ['cspb_linekey'], batchSize: 10 });
    expect(calls).toEqual([10, 10, 5]);
    expect(result).toMatchObject({ rowsWritten: 25, chunksDone: 3, rowsFailed: 0, parallelism: 1 });
    expect(org.count(LINES)).toBe(25);
  });

  it('falls back to $batch with continue-on-error for a refused chunk: good rows land, bad rows are reported', async () => {
    const result = await writeBulk(org, lines(30, [13, 17]), { entitySet: LINES, keyColumns: ['cspb_linekey'], batchSize: 10, retry: noWait });
    expect(result.fallbackChunks).toBe(1);
    expect(result.rowsWritten).toBe(28);
    expect(result.rowsFailed).toBe(2);
    expect(result.errors.map((e) => [e.index, e.key, e.error.status])).toEqual([
      [13, { cspb_linekey: 'k13' }, 400],
      [17, { cspb_linekey: 'k17' }, 400],
    ]);
    expect(org.count(LINES)).toBe(28);
  });

  it('refuses to run without a key unless duplicates on retry are accepted (then CreateMultiple)', async () => {
    await expect(writeBulk(org, lines(3), { entitySet: LINES })).rejects.toThrow(/acceptDuplicatesOnRetry/);
    const result = await writeBulk(org, lines(3), { entitySet: LINES, acceptDuplicatesOnRetry: true });
    expect(result.rowsWritten).toBe(3);
  });

  it('stops when transient failures outlive their retries (and says why)', async () => {
    const client: DataverseClient = Object.create(org) as DataverseClient;
    client.upsertMultiple = () => Promise.reject(new DataverseError('throttled', 429, '0x80072322', 0));
    const e = await failure(
      writeBulk(client, lines(5), { entitySet: LINES, keyColumns: ['cspb_linekey'], retry: { maxAttempts: 3, sleep: async () => undefined } }),
    );
    expect(e.status).toBe(429);
  });

  it('takes its parallelism from the client hint and keeps that many chunks in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const client = Object.assign(Object.create(org) as DataverseClient, { parallelismHint: 3 });
    client.upsertMultiple = async (set, keys, records) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return org.upsertMultiple(set, keys, records);
    };
    const result = await writeBulk(client, lines(60), { entitySet: LINES, keyColumns: ['cspb_linekey'], batchSize: 5 });
    expect(result.parallelism).toBe(3);
    expect(peak).toBe(3);
    expect(org.count(LINES)).toBe(60);
  });
});

describe('one retry layer', () => {
  it('over the HTTP client a throttled chunk is sent maxAttempts times in all (not maxAttempts squared), and every retry is counted', async () => {
    const org = new LocalOrg();
    const server = await serveLocalOrg(org);
    try {
      const importId = await org.create('cspb_billingimports', importRecord('one-layer'));
      const client = await NodeDataverseClient.connect({ url: server.url, retry: { maxAttempts: 3, sleep: async () => undefined } });
      server.faults.configure({ seed: 1, throttleRate: 1, retryAfterSeconds: 1 });
      server.resetStats();
      const counted: number[] = [];
      const error = await failure(
        writeBulk(client, [lineRecord(importId, 'k1')], {
          entitySet: LINES,
          keyColumns: ['cspb_linekey'],
          retry: { sleep: async () => undefined, onRetry: (r) => counted.push(r.attempt) },
        }),
      );
      expect(error.status).toBe(429);
      expect(server.stats.requests).toBe(3);
      expect(counted).toEqual([1, 2]);
    } finally {
      await server.close();
    }
  });
});
