/**
 * `npm run pull` as a user runs it, in its own process, against the local Graph fake (Azurite blobs
 * with real SAS tokens) and a local org file: the invoice becomes a billing import with its lines;
 * the second run imports nothing and says so; a Graph error is printed, exit 2, no stack trace.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalOrg } from '../../dataverse/src/local-org';
import { startAzuriteBlob, type RunningAzuriteBlob } from '../../scripts/azurite';
import { generateSample } from '../../scripts/sample-data';
import { runScript } from '../support/cli';
import { builtCustomizations } from '../support/dist';
import { startFakeGraph, type FakeGraph } from '../../scripts/fakes/graph';
import { csvToGraphLines } from '../../scripts/sample-data/graph-lines';

jest.setTimeout(180_000);

const sample = generateSample();
let azurite: RunningAzuriteBlob;
let graph: FakeGraph;
let dir: string;
let orgFile: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  azurite = await startAzuriteBlob();
  graph = await startFakeGraph({ blobConnectionString: azurite.connectionString });
  graph.setDataset('billed-reconciliation', 'G0000012345', { lines: csvToGraphLines(sample.licenceCsv), blobs: 2 });
  dir = mkdtempSync(join(tmpdir(), 'cspb-pull-cli-'));
  orgFile = join(dir, 'org.json');
  const org = await LocalOrg.open(orgFile, { customizationsXml: builtCustomizations() });
  await org.importSnapshot(sample.snapshot);
  await org.close();
  // A token the way an admin gets one elsewhere (CSPB_GRAPH_TOKEN): from the token endpoint, client credentials.
  env = { ...process.env, CSPB_GRAPH_TOKEN: await graph.accessToken() };
});
afterAll(async () => {
  await graph?.close();
  await azurite?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const args = (invoice: string): string[] => ['--invoice', invoice, '--local-org', orgFile, '--graph-url', graph.baseUrl, '--state-dir', join(dir, 'state')];

test('pulls an invoice into the local org, then finds it already imported', async () => {
  const first = await runScript('pull.ts', args('G0000012345'), env);
  expect(first.stderr).toBe('');
  expect(first.status).toBe(0);
  const lines = csvToGraphLines(sample.licenceCsv).length;
  expect(first.stdout).toMatch(new RegExp(`2 blob\\(s\\) downloaded, 0 reused; ${lines} rows read, ${lines} accepted, 0 rejected; ${lines} lines written`));
  expect(first.stdout).toContain('export running');

  const org = await LocalOrg.open(orgFile, { customizationsXml: builtCustomizations() });
  const imports = (await org.retrieveMultiple<Record<string, unknown>>('cspb_billingimports', {})).value;
  const pulled = imports.filter((i) => i['cspb_pullkey'] === 'billed-reconciliation:G0000012345');
  expect(pulled).toHaveLength(1);
  const written = await org.retrieveMultiple('cspb_billinglines', { filter: `_cspb_importid_value eq ${String(pulled[0]!['cspb_billingimportid'])}` });
  expect(written.value).toHaveLength(lines);
  await org.close();

  const second = await runScript('pull.ts', args('G0000012345'), env);
  expect(second.status).toBe(0);
  expect(second.stdout).toMatch(/already imported .*: 0 new lines/);
});

test("an invoice Microsoft has no data for: the export's error, exit 2, no stack trace", async () => {
  const run = await runScript('pull.ts', args('G0000000000'), env);
  expect(run.status).toBe(2);
  expect(run.stderr).toMatch(/^error: Microsoft's export failed: No data available \(code 5000\)/m);
  expect(run.stderr).not.toMatch(/\n\s+at /);
});
