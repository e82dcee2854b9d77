/**
 * The pull from Microsoft Graph end to end, against a local Entra ID + Graph fake built from the
 * documented shapes (scripts/fakes/graph.ts names each page) and Azurite's Blob service with
 * real SAS tokens: MSAL's client-credentials token, export -> 202 + Location -> polling with
 * Retry-After -> manifest -> gzipped JSON Lines blobs -> the core importer -> the import row and its
 * lines in the local org -> a reconciliation run equal, to the cent, to the run over the same bill
 * imported as CSV. Then everything that goes wrong: a second pull, a killed pull, 429, 401, an
 * expired SAS, a truncated gzip, a failed export, an operation link that is gone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { LocalOrg } from '../../dataverse/src/local-org';
import {
  CspbBillingImportImportStatus as ImportStatus,
  CspbBillingImportSource as Source,
  CspbReconciliationRunRunStatus as RunStatus,
} from '../../dataverse/generated';
import { importBillFile, reconcileImport } from '../support/import-bill';
import { IMPORT_CHUNK_LINES, MemoryBillFileSource, registerPlugins, runChunk } from '../../plugins/src';
import { GraphBillingClient, type ExportRequest } from '../../plugins/src/pull/graph-billing';
import { graphClientCredentials } from '../../plugins/src/pull/graph-token';
import { pullBill } from '../../plugins/src/pull/pull';
import { importBytes } from '../../core/src/import';
import { DuplicateImport, writeImport } from '../../dataverse/src/imports/write-import';
import { isTransient, PullError } from '../../plugins/src/pull/errors';
import { startAzuriteBlob, type RunningAzuriteBlob } from '../../scripts/azurite';
import { generateSample } from '../../scripts/sample-data';
import { CLIENT_ID, CLIENT_SECRET, startFakeGraph, TENANT, type FakeGraph } from '../../scripts/fakes/graph';
import { csvToGraphLines } from '../../scripts/sample-data/graph-lines';

jest.setTimeout(120_000);

const sample = generateSample();
const INVOICE = 'G0000012345';
const licenceLines = csvToGraphLines(sample.licenceCsv);
const usageLines = csvToGraphLines(sample.usageCsv);

let azurite: RunningAzuriteBlob;
let graph: FakeGraph;
let stateDir: string;

beforeAll(async () => {
  azurite = await startAzuriteBlob();
  graph = await startFakeGraph({ blobConnectionString: azurite.connectionString });
  graph.setDataset('billed-reconciliation', INVOICE, { lines: licenceLines, blobs: 3 });
  graph.setDataset('billed-usage', INVOICE, { lines: usageLines, blobs: 2 });
});
afterAll(async () => {
  await graph?.close();
  await azurite?.stop();
});
beforeEach(() => (stateDir = mkdtempSync(join(tmpdir(), 'cspb-pull-'))));
afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

async function sampleOrg(): Promise<{ org: LocalOrg; files: MemoryBillFileSource }> {
  const org = new LocalOrg({ now: () => new Date('2026-11-05T12:00:00Z') });
  const files = new MemoryBillFileSource();
  registerPlugins(org, { billFiles: files, today: () => '2026-11-05' });
  await org.importSnapshot(sample.snapshot);
  return { org, files };
}

/** A bill imported by hand: the file attached to a new import, parsed by the import job (the plug-in path). */
async function importFile(org: LocalOrg, files: MemoryBillFileSource, id: string, fileName: string, text: string): Promise<void> {
  await importBillFile(org, files, id, fileName, new Uint8Array(Buffer.from(text, 'utf8')), fileName);
}

const waits: number[] = [];
function graphClient(secret = CLIENT_SECRET): GraphBillingClient {
  return new GraphBillingClient({
    baseUrl: graph.baseUrl,
    token: graphClientCredentials({
      tenantId: TENANT,
      clientId: CLIENT_ID,
      clientSecret: secret,
      authorityMetadata: graph.authorityMetadata,
      cloudDiscoveryMetadata: graph.cloudDiscoveryMetadata,
      networkClient: graph.msalNetwork,
    }),
    sleep: async (ms) => void waits.push(ms),
  });
}

const billed = (kind: 'billed-reconciliation' | 'billed-usage' = 'billed-reconciliation', invoiceId = INVOICE): ExportRequest => ({ kind, invoiceId });

/** Findings of a run, comparable across orgs (no ids). */
async function runOver(org: LocalOrg, importId: string): Promise<{ run: Record<string, unknown>; findings: string[] }> {
  const run = await reconcileImport(org, importId);
  const runId = String(run['cspb_reconciliationrunid']);
  const page = await org.retrieveMultiple<Record<string, unknown>>('cspb_discrepancies', { filter: `_cspb_runid_value eq ${runId}` });
  const findings = page.value
    .map((d) =>
      [d['cspb_category'], d['cspb_vendorsubscriptionid'], d['cspb_chargetype'], d['cspb_billedamount'], d['cspb_expectedamount'], d['cspb_variance']].join(
        '|',
      ),
    )
    .sort();
  return { run, findings };
}

async function importsOf(org: LocalOrg): Promise<Array<Record<string, unknown>>> {
  return (await org.retrieveMultiple<Record<string, unknown>>('cspb_billingimports', { orderBy: ['createdon asc'] })).value;
}

test('pulls October (licences in 3 blobs, usage in 2) and reconciles to the cent as the same bill imported as CSV', async () => {
  // The CSV path: files attached to imports, parsed by the import job.
  const csvOrg = await sampleOrg();
  const csvImports: string[] = [];
  for (const [name, text] of [
    ['nce-invoice-2026-10.csv', sample.licenceCsv],
    ['nce-daily-usage-2026-10.csv', sample.usageCsv],
  ] as const) {
    const id = `0b9a3c0e-0000-4000-8000-00000000010${csvImports.length}`;
    await importFile(csvOrg.org, csvOrg.files, id, name, text);
    csvImports.push(id);
  }

  // The pull path.
  const pulled = await sampleOrg();
  const before = graph.tokensIssued();
  const licences = await pullBill({ request: billed(), graph: graphClient(), client: pulled.org, stateDir });
  const usage = await pullBill({ request: billed('billed-usage'), graph: graphClient(), client: pulled.org, stateDir });
  await pulled.org.asyncIdle();
  expect(graph.tokensIssued()).toBeGreaterThan(before); // MSAL asked the token endpoint
  expect(licences).toMatchObject({ outcome: 'imported', blobsDownloaded: 3, blobsReused: 0, linesAlreadyThere: 0 });
  expect(licences.linesWritten).toBe(licenceLines.length);
  expect(usage).toMatchObject({ outcome: 'imported', blobsDownloaded: 2 });
  // Two polls answered "running" with Retry-After: 0, honoured as a 0 ms wait.
  expect(waits.filter((w) => w === 0).length).toBeGreaterThanOrEqual(2);

  const row = await pulled.org.retrieve<Record<string, unknown>>('cspb_billingimports', licences.importId);
  expect(row).toMatchObject({
    cspb_importstatus: ImportStatus.Completed,
    cspb_source: Source.GraphBilledReconciliation,
    cspb_pullkey: `billed-reconciliation:${INVOICE}`,
    cspb_invoicenumber: INVOICE,
    cspb_rowsread: licenceLines.length,
    cspb_rowsrejected: 0,
    cspb_linecount: licenceLines.length,
  });
  const csvRow = await csvOrg.org.retrieve<Record<string, unknown>>('cspb_billingimports', csvImports[0]!);
  expect(row['cspb_totalbilled']).toBe(csvRow['cspb_totalbilled']);
  expect(row['cspb_periodstart']).toBe(csvRow['cspb_periodstart']);
  const usageRow = await pulled.org.retrieve<Record<string, unknown>>('cspb_billingimports', usage.importId);
  const csvUsageRow = await csvOrg.org.retrieve<Record<string, unknown>>('cspb_billingimports', csvImports[1]!);
  expect(usageRow['cspb_totalbilled']).toBe(csvUsageRow['cspb_totalbilled']);
  expect(usageRow['cspb_linecount']).toBe(csvUsageRow['cspb_linecount']);

  const fromCsv = await runOver(csvOrg.org, csvImports[0]!);
  const fromPull = await runOver(pulled.org, licences.importId);
  expect(fromPull.run['cspb_runstatus']).toBe(RunStatus.Completed);
  for (const column of ['cspb_totalbilled', 'cspb_totalexpected', 'cspb_discrepancycount', 'cspb_leakage'])
    expect([column, fromPull.run[column]]).toEqual([column, fromCsv.run[column]]);
  expect(fromPull.findings.length).toBeGreaterThan(0); // the sample bill has planted findings
  expect(fromPull.findings).toEqual(fromCsv.findings);

  // A second pull of the same invoice asks Graph nothing and writes nothing.
  const requests = graph.log.length;
  const again = await pullBill({ request: billed(), graph: graphClient(), client: pulled.org, stateDir });
  expect(again).toMatchObject({ outcome: 'already-imported', importId: licences.importId, linesWritten: 0 });
  expect(graph.log.length).toBe(requests);
  expect((await importsOf(pulled.org)).length).toBe(2);
});

test('a pull killed after its first blob resumes: the same operation, the finished blob kept, no duplicate line', async () => {
  const { org } = await sampleOrg();
  const exportsBefore = graph.log.filter((l) => l.method === 'POST').length;
  const kill = new Error('killed');
  await expect(
    pullBill({
      request: billed(),
      graph: graphClient(),
      client: org,
      stateDir,
      onProgress: (m) => {
        if (m.startsWith('blob 1 of 3')) throw kill;
      },
    }),
  ).rejects.toBe(kill);
  expect(await importsOf(org)).toEqual([]);
  const resumed = await pullBill({ request: billed(), graph: graphClient(), client: org, stateDir });
  expect(resumed).toMatchObject({ outcome: 'imported', blobsReused: 1, blobsDownloaded: 2, linesWritten: licenceLines.length });
  // One export in all: the resumed pull polled the operation the first one started.
  expect(graph.log.filter((l) => l.method === 'POST').length - exportsBefore).toBe(1);
  const lines = await org.retrieveMultiple('cspb_billinglines', { filter: `_cspb_importid_value eq ${resumed.importId}` });
  expect(lines.value.length).toBe(licenceLines.length);
});

test('429 waits for Retry-After, an expired token is renewed once, an expired SAS asks for the manifest again', async () => {
  const { org } = await sampleOrg();
  waits.length = 0;
  const client = graphClient();
  graph.throttle(2, '7');
  const issued = graph.tokensIssued();
  graph.expireNextSas();
  const operationPolls = () => graph.log.filter((l) => l.path.includes('/operations/')).length;
  const pollsBefore = operationPolls();
  // Expire the token after MSAL cached it: the client must ask for a fresh one (skipCache), not resend the dead one.
  await client.startExport(billed('billed-usage')).then(() => graph.expireTokens());
  const result = await pullBill({ request: billed('billed-usage'), graph: client, client: org, stateDir });
  expect(result.outcome).toBe('imported');
  expect(waits.filter((w) => w === 7000)).toHaveLength(2);
  expect(graph.tokensIssued()).toBeGreaterThan(issued);
  expect(graph.log.some((l) => l.status === 401)).toBe(true);
  // 2 running + success, then the success again for the fresh SAS.
  expect(operationPolls() - pollsBefore).toBe(4);
});

test("a truncated gzip is a typed error and writes nothing; a failed export names Graph's error", async () => {
  const { org } = await sampleOrg();
  graph.setDataset('billed-reconciliation', 'G0000099999', { lines: licenceLines.slice(0, 50), blobs: 2, truncateBlob: 1 });
  const cut = pullBill({ request: billed('billed-reconciliation', 'G0000099999'), graph: graphClient(), client: org, stateDir });
  await expect(cut).rejects.toMatchObject({ name: 'PullError', code: 'truncated-gzip' });
  await expect(cut).rejects.toThrow(/cut short/);
  expect(await importsOf(org)).toEqual([]);

  const none = pullBill({ request: billed('billed-reconciliation', 'G0000000000'), graph: graphClient(), client: org, stateDir });
  await expect(none).rejects.toBeInstanceOf(PullError);
  await expect(none).rejects.toMatchObject({ code: 'export-failed', message: expect.stringContaining('No data available (code 5000)') });
});

test("a wrong client secret is auth-failed with Entra's message, never the secret", async () => {
  const { org } = await sampleOrg();
  const wrong = pullBill({ request: billed('billed-reconciliation', 'G0000000001'), graph: graphClient('not-the-secret'), client: org, stateDir });
  await expect(wrong).rejects.toMatchObject({ code: 'auth-failed' });
  await expect(wrong).rejects.not.toThrow(/not-the-secret/);
});

test('an unbilled pull is keyed by its data version: the same eTag imports nothing, a new eTag is a new import', async () => {
  const { org } = await sampleOrg();
  const request: ExportRequest = { kind: 'unbilled-reconciliation', billingPeriod: 'current', currencyCode: 'USD' };
  graph.setDataset('unbilled-reconciliation', 'current:USD', { lines: licenceLines.slice(0, 40), eTag: 'v1' });
  const first = await pullBill({ request, graph: graphClient(), client: org, stateDir });
  expect(first).toMatchObject({ outcome: 'imported', pullKey: 'unbilled-reconciliation:current:USD:v1' });
  const same = await pullBill({ request, graph: graphClient(), client: org, stateDir });
  expect(same).toMatchObject({ outcome: 'already-imported', importId: first.importId });
  graph.setDataset('unbilled-reconciliation', 'current:USD', { lines: licenceLines.slice(0, 60), eTag: 'v2' });
  // A finished pull leaves no operation behind: Graph's manifest is the snapshot its export took, so
  // the next pull must start a new export to see v2 (the fake would serve v2 on an old one too).
  const exports = graph.log.filter((l) => l.method === 'POST').length;
  const next = await pullBill({ request, graph: graphClient(), client: org, stateDir });
  expect(graph.log.filter((l) => l.method === 'POST').length).toBe(exports + 1);
  expect(next).toMatchObject({ outcome: 'imported', pullKey: 'unbilled-reconciliation:current:USD:v2', linesWritten: 60 });
  const row = await org.retrieve<Record<string, unknown>>('cspb_billingimports', next.importId);
  expect(row).toMatchObject({ cspb_source: Source.GraphUnbilledReconciliation, cspb_importstatus: ImportStatus.Completed });
  // The newer version supersedes the older: the month's preview is one import.
  expect(await org.retrieve<Record<string, unknown>>('cspb_billingimports', first.importId)).toMatchObject({ cspb_importstatus: ImportStatus.Superseded });
});

test('an operation link that is gone starts a new export; a manifest given by navigation link is fetched', async () => {
  const { org } = await sampleOrg();
  const kill = new Error('killed');
  const stop = (m: string): void => {
    if (m.startsWith('blob 1 of 3')) throw kill;
  };
  await expect(pullBill({ request: billed(), graph: graphClient(), client: org, stateDir, onProgress: stop })).rejects.toBe(kill);
  graph.forgetOperations();
  const posts = graph.log.filter((l) => l.method === 'POST').length;
  try {
    const poll = pullBill({ request: billed(), graph: graphClient(), client: org, stateDir });
    // The saved operation answers 404: polling it again cannot help, a new export is started ...
    await expect(poll).rejects.toMatchObject({ code: 'graph-error', status: 404 });
  } finally {
    graph.forgetOperations(false);
  }
  expect(graph.log.filter((l) => l.method === 'POST').length).toBe(posts + 1);
  graph.setManifestAs('link');
  try {
    const resumed = await pullBill({ request: billed(), graph: graphClient(), client: org, stateDir });
    // ... and the same data version (eTag) keeps the blob already downloaded.
    expect(resumed).toMatchObject({ outcome: 'imported', blobsReused: 1, blobsDownloaded: 2, linesWritten: licenceLines.length });
    expect(graph.log.some((l) => l.path.includes('/manifests/'))).toBe(true);
  } finally {
    graph.setManifestAs('inline');
  }
});

test('an invoice already imported from its file is not pulled again (the month would count it twice)', async () => {
  const { org, files } = await sampleOrg();
  const id = '0b9a3c0e-0000-4000-8000-000000000201';
  await importFile(org, files, id, 'nce-invoice-2026-10.csv', sample.licenceCsv);
  const requests = graph.log.length;
  const pulled = await pullBill({ request: billed(), graph: graphClient(), client: org, stateDir });
  expect(pulled).toMatchObject({ outcome: 'already-imported', importId: id, linesWritten: 0 });
  expect(graph.log.length).toBe(requests);
  // Its usage was never imported: that pull goes ahead.
  const usage = await pullBill({ request: billed('billed-usage'), graph: graphClient(), client: org, stateDir });
  expect(usage.outcome).toBe('imported');
});

test('a file import still writing its chunks names its invoice from the first chunk: a pull of that invoice waits on it, not doubles it', async () => {
  // No steps registered: the import job's chunks are run one at a time, as queue messages.
  const org = new LocalOrg({ now: () => new Date('2026-11-05T12:00:00Z') });
  await org.importSnapshot(sample.snapshot);
  const files = new MemoryBillFileSource();
  const [header, ...rows] = sample.licenceCsv.trimEnd().split('\n');
  // More lines than one chunk writes: the sample's lines, over and over (a line printed twice is kept).
  const copies = Math.ceil((IMPORT_CHUNK_LINES + 1) / rows.length);
  const text = [header, ...Array.from({ length: copies }, () => rows).flat()].join('\n') + '\n';
  const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
  const id = '0b9a3c0e-0000-4000-8000-000000000202';
  files.put(id, { fileName: 'nce-invoice-2026-10-big.csv', bytes });
  await org.create('cspb_billingimports', {
    cspb_billingimportid: id,
    cspb_name: 'big',
    cspb_contenthash: createHash('sha256').update(bytes).digest('hex'),
    cspb_currencycode: 'USD',
  });
  const next = await runChunk({ v: 1, job: 'billingimport', id, chunk: 0, correlationId: 'queue' }, org, { billFiles: files });
  expect(next).toMatchObject({ chunk: 1 });
  expect(await org.retrieve<Record<string, unknown>>('cspb_billingimports', id)).toMatchObject({
    cspb_importstatus: ImportStatus.Writing,
    cspb_invoicenumber: INVOICE,
    cspb_periodstart: '2026-10-01',
  });
  const requests = graph.log.length;
  const pulled = await pullBill({ request: billed(), graph: graphClient(), client: org, stateDir });
  expect(pulled).toMatchObject({ outcome: 'already-imported', importId: id, linesWritten: 0 });
  expect(graph.log.length).toBe(requests);
});

test('a file of an invoice already pulled is refused, by the import job and by the import writer the control uses', async () => {
  const { org, files } = await sampleOrg();
  await pullBill({ request: billed(), graph: graphClient(), client: org, stateDir });
  const id = '0b9a3c0e-0000-4000-8000-000000000202';
  await importFile(org, files, id, 'nce-invoice-2026-10.csv', sample.licenceCsv);
  const row = await org.retrieve<Record<string, unknown>>('cspb_billingimports', id);
  expect(row['cspb_importstatus']).toBe(ImportStatus.Failed);
  expect(String(row['cspb_errors'])).toContain(`Invoice ${INVOICE} was already pulled from Microsoft`);
  const parsed = importBytes(new Uint8Array(Buffer.from(sample.licenceCsv, 'utf8')), { fileName: 'nce-invoice-2026-10.csv', detectDuplicates: false });
  await expect(writeImport(org, parsed, null, () => undefined)).rejects.toBeInstanceOf(DuplicateImport);
});

test("an unbilled pull is not summed into the month's reconciliation of the billed invoice, nor the invoice into the pull's", async () => {
  const { org } = await sampleOrg();
  graph.setDataset('unbilled-reconciliation', 'last:USD', { lines: licenceLines.slice(0, 40), eTag: 'october-preview' });
  const preview = await pullBill({
    request: { kind: 'unbilled-reconciliation', billingPeriod: 'last', currencyCode: 'USD' },
    graph: graphClient(),
    client: org,
    stateDir,
  });
  const licences = await pullBill({ request: billed(), graph: graphClient(), client: org, stateDir });
  const billedRow = await org.retrieve<Record<string, unknown>>('cspb_billingimports', licences.importId);
  const { run } = await runOver(org, licences.importId);
  expect(run['cspb_totalbilled']).toBe(billedRow['cspb_totalbilled']);
  // The run named the preview: its 40 lines alone.
  const previewRow = await org.retrieve<Record<string, unknown>>('cspb_billingimports', preview.importId);
  const { run: previewRun } = await runOver(org, preview.importId);
  expect(previewRun['cspb_totalbilled']).toBe(previewRow['cspb_totalbilled']);
  expect(previewRun['cspb_totalbilled']).not.toBe(billedRow['cspb_totalbilled']);
});

test('an interrupted import of other text (a new export orders lines its own way) is replaced, not added to', async () => {
  const { org } = await sampleOrg();
  graph.setDataset('billed-reconciliation', 'G0000077777', { lines: licenceLines.slice(0, 30) });
  const stale = await org.create('cspb_billingimports', {
    cspb_name: 'killed while writing',
    cspb_contenthash: 'a'.repeat(64),
    cspb_currencycode: 'USD',
    cspb_importstatus: ImportStatus.Writing,
    cspb_pullkey: 'billed-reconciliation:G0000077777',
  });
  await org.create('cspb_billinglines', {
    'cspb_ImportId@odata.bind': `/cspb_billingimports(${stale})`,
    cspb_linekey: `${'a'.repeat(32)}-L1`,
    cspb_name: 'old line',
    cspb_currencycode: 'USD',
  });
  const pulled = await pullBill({ request: billed('billed-reconciliation', 'G0000077777'), graph: graphClient(), client: org, stateDir });
  expect(pulled.outcome).toBe('imported');
  const lines = await org.retrieveMultiple('cspb_billinglines', { filter: `_cspb_importid_value eq ${pulled.importId}` });
  expect(lines.value).toHaveLength(30);
  expect((await importsOf(org)).map((i) => i['cspb_billingimportid'])).toEqual([pulled.importId]);
});

test('a SAS refused again with the manifest asked anew forgets the export: the next pull starts a new one', async () => {
  const { org } = await sampleOrg();
  const request = billed('billed-reconciliation', 'G0000066666');
  graph.setDataset('billed-reconciliation', 'G0000066666', { lines: licenceLines.slice(0, 12) });
  // The operation's manifest keeps handing out an expired SAS (both answers a pull asks for).
  graph.expireNextSas(2);
  const error = await pullBill({ request, graph: graphClient(), client: org, stateDir }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PullError);
  expect(error).toMatchObject({ code: 'sas-refused', status: 403 });
  expect((error as PullError).message).toMatch(/the next pull starts a new export/);
  expect(isTransient(error)).toBe(true);
  const exports = graph.log.filter((l) => l.method === 'POST').length;
  const pulled = await pullBill({ request, graph: graphClient(), client: org, stateDir });
  expect(pulled).toMatchObject({ outcome: 'imported', linesWritten: 12 });
  expect(graph.log.filter((l) => l.method === 'POST').length).toBe(exports + 1);
});

test('a failed export is not polled again: the next pull starts a new one', async () => {
  const { org } = await sampleOrg();
  const request = billed('billed-reconciliation', 'G0000088888');
  await expect(pullBill({ request, graph: graphClient(), client: org, stateDir })).rejects.toMatchObject({ code: 'export-failed', graphCode: '5000' });
  graph.setDataset('billed-reconciliation', 'G0000088888', { lines: licenceLines.slice(0, 10) });
  const exports = graph.log.filter((l) => l.method === 'POST').length;
  const pulled = await pullBill({ request, graph: graphClient(), client: org, stateDir });
  expect(pulled).toMatchObject({ outcome: 'imported', linesWritten: 10 });
  expect(graph.log.filter((l) => l.method === 'POST').length).toBe(exports + 1);
});
