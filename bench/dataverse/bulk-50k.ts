/**
 * Writes 50,000 bill lines to the local org, in process and through the Node adapter over HTTP
 * (clean, then with 10% injected 429/503), and with 100 ms of latency on every request (a
 * Dataverse far away) one chunk at a time and then with the parallelism the server's x-ms-dop-hint
 * allows; prints requests (target: at most 60) and time.
 * Run: npm run bench:bulk
 */
import { writeBulk } from '../../dataverse/src/bulk';
import { LocalOrg } from '../../dataverse/src/local-org';
import { serveLocalOrg } from '../../dataverse/src/local-org/http';
import { NodeDataverseClient } from '../../dataverse/src/node';
import { billLines, seedImport } from '../../tests/dataverse/bulk/bill-lines';

const ROWS = 50_000;

async function inProcess(): Promise<void> {
  const org = new LocalOrg();
  const imp = await seedImport(org);
  const t = performance.now();
  await writeBulk(org, billLines(imp, ROWS), { entitySet: 'cspb_billinglines', keyColumns: ['cspb_linekey'] });
  console.log(`in-process LocalOrg: ${ROWS} rows in ${Math.round(performance.now() - t)} ms, ${org.count('cspb_billinglines')} rows stored`);
}

const MAX_REQUESTS = 60;

async function overHttp(
  label: string,
  faults: { throttleRate?: number; unavailableRate?: number; latencyMs?: number } | undefined,
  parallelism?: number,
): Promise<number> {
  const org = new LocalOrg();
  const server = await serveLocalOrg(org, { dopHint: 4 });
  const imp = await seedImport(org);
  const client = await NodeDataverseClient.connect({ url: server.url, retry: { baseDelayMs: 50 } });
  if (faults) server.faults.configure({ seed: 7, retryAfterSeconds: 1, ...faults });
  server.resetStats();
  const t = performance.now();
  const result = await writeBulk(client, billLines(imp, ROWS), {
    entitySet: 'cspb_billinglines',
    keyColumns: ['cspb_linekey'],
    ...(parallelism === undefined ? {} : { parallelism }),
  });
  const ms = Math.round(performance.now() - t);
  const s = server.stats;
  console.log(
    `${label}: ${result.rowsWritten} rows in ${ms} ms, ${s.requests} HTTP requests (${s.throttled} x 429, ${s.unavailable} x 503; target <= ${MAX_REQUESTS} without faults: ${s.requests <= MAX_REQUESTS ? 'met' : 'NOT met'}), parallelism ${result.parallelism}, ${org.count('cspb_billinglines')} rows stored`,
  );
  await server.close();
  return ms;
}

async function main(): Promise<void> {
  await inProcess();
  await overHttp('HTTP via dynamics-web-api', undefined);
  await overHttp('HTTP, 10% 429/503', { throttleRate: 0.05, unavailableRate: 0.05 });
  const sequential = await overHttp('HTTP, 100 ms latency, one chunk at a time', { latencyMs: 100 }, 1);
  const parallel = await overHttp('HTTP, 100 ms latency, x-ms-dop-hint parallelism', { latencyMs: 100 });
  console.log(
    `100 ms latency: the dop-hint parallelism takes ${((parallel / sequential) * 100).toFixed(0)}% of the sequential time (${sequential} ms -> ${parallel} ms)`,
  );
}

void main();
