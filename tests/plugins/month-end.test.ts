/**
 * Month-end on a schedule: the timer's starter makes one run per new Partner Center invoice (the
 * invoice number is the key), and the run's job pulls licences and usage from the Graph fake
 * (Azurite blobs), reconciles, drafts the customers' invoices and writes a summary, each step
 * recorded on the row. Partner Center's invoice list is read as its documented JSON (the shared sample).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalOrg } from '../../dataverse/src/local-org';
import {
  CspbInvoiceRunRunStatus as InvoiceStatus,
  CspbMonthEndRunRunStatus as Status,
  CspbMonthEndRunStep as Step,
  CspbReconciliationRunRunStatus as ReconStatus,
} from '../../dataverse/generated';
import { MemoryBillFileSource, registerPlugins, runChunk } from '../../plugins/src';
import type { JobMessage } from '../../plugins/src/jobs/job';
import { stableGuid } from '../../dataverse/src/codegen/stable-guid';
import type { HandlerDeps } from '../../plugins/src/handlers/types';
import { startMonthEnds } from '../../plugins/src/month-end-timer';
import { GraphBillingClient } from '../../plugins/src/pull/graph-billing';
import { graphClientCredentials } from '../../plugins/src/pull/graph-token';
import { parseInvoices } from '../../plugins/src/pull/partner-center-invoices';
import { PartnerCenterClient } from '../../plugins/src/sync/partner-center-client';
import { startFakePartnerCenter } from '../support/fake-partner-center';
import { startAzuriteBlob, type RunningAzuriteBlob } from '../../scripts/azurite';
import { generateSample } from '../../scripts/sample-data';
import { CLIENT_ID, CLIENT_SECRET, startFakeGraph, TENANT, type FakeGraph } from '../../scripts/fakes/graph';
import { csvToGraphLines } from '../../scripts/sample-data/graph-lines';

jest.setTimeout(120_000);

const SHARED = join(__dirname, '../../../shared/samples');
function samplePath(rel: string): string {
  const full = join(SHARED, rel);
  if (!existsSync(full)) throw new Error(`missing shared sample file: ${full}`);
  return full;
}

const sample = generateSample();
let azurite: RunningAzuriteBlob;
let graph: FakeGraph;
let stateDir: string;

beforeAll(async () => {
  azurite = await startAzuriteBlob();
  graph = await startFakeGraph({ blobConnectionString: azurite.connectionString });
  graph.setDataset('billed-reconciliation', 'G0000012345', { lines: csvToGraphLines(sample.licenceCsv), blobs: 2 });
  graph.setDataset('billed-usage', 'G0000012345', { lines: csvToGraphLines(sample.usageCsv) });
  // An invoice with licences only: its usage export fails with "No data available".
  graph.setDataset('billed-reconciliation', 'G0000054321', { lines: csvToGraphLines(sample.licenceCsv).slice(0, 10) });
  stateDir = mkdtempSync(join(tmpdir(), 'cspb-month-end-'));
});
afterAll(async () => {
  await graph?.close();
  await azurite?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

function pullDeps(): HandlerDeps['pull'] {
  const token = graphClientCredentials({
    tenantId: TENANT,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    authorityMetadata: graph.authorityMetadata,
    cloudDiscoveryMetadata: graph.cloudDiscoveryMetadata,
    networkClient: graph.msalNetwork,
  });
  return { graph: new GraphBillingClient({ baseUrl: graph.baseUrl, token, sleep: async () => undefined }), stateDir };
}

async function sampleOrg(withGraph = true): Promise<LocalOrg> {
  const org = new LocalOrg({ now: () => new Date('2026-11-06T06:00:00Z') });
  const pull = pullDeps();
  registerPlugins(org, { billFiles: new MemoryBillFileSource(), today: () => '2026-11-06', delayScale: 0, ...(withGraph && pull ? { pull } : {}) });
  await org.importSnapshot(sample.snapshot);
  return org;
}

const invoiceList = (items: ReadonlyArray<{ id: string; invoiceDate: string }>): string =>
  JSON.stringify({
    totalCount: items.length,
    items: items.map((i) => ({
      ...i,
      totalCharges: 100,
      currencyCode: 'USD',
      documentType: 'invoice',
      invoiceType: 'Recurring',
      attributes: { objectType: 'Invoice' },
    })),
    attributes: { objectType: 'Collection' },
  });

test("Partner Center's documented invoice collection is read item by item; an odd item is named and the others kept", () => {
  const page = parseInvoices(readFileSync(samplePath('pc-api-docs-json/get-a-collection-of-invoices-ex1-Invoice.json'), 'utf8'));
  expect(page.invoices.map((i) => [i.id, i.invoiceDate, i.currencyCode])).toEqual([
    ['D02005YFHI', '2017-01-21', 'GBP'],
    ['G000024130', '2018-02-08', 'CHF'],
  ]);
  // The documented page links the next one by offset: the client follows it.
  expect(page).toMatchObject({ refused: [], next: { uri: '/invoices?size=2&offset=2', headers: {} } });
  const odd = parseInvoices('{"items":[{"id":"G1","invoiceDate":"2026-11-05"},{"id":"G2"},{"id":"G 1; drop","invoiceDate":"2026-11-05"},null]}');
  expect(odd.invoices.map((i) => i.id)).toEqual(['G1']);
  expect(odd.refused).toEqual([
    expect.stringMatching(/invoice G2 has no invoiceDate/),
    expect.stringMatching(/item 3 has no usable id/),
    expect.stringMatching(/item 4 has no usable id/),
  ]);
  expect(() => parseInvoices('{"value":[]}')).toThrow(/no items collection/);
});

test("the invoice list follows Partner Center's links.next across pages, with the continuation header", async () => {
  const page = (items: ReadonlyArray<{ id: string; invoiceDate: string }>, next?: string): string =>
    JSON.stringify({
      ...(JSON.parse(invoiceList(items)) as object),
      ...(next ? { links: { next: { uri: '/invoices?seekOperation=Next', method: 'GET', headers: [{ key: 'MS-ContinuationToken', value: next }] } } } : {}),
    });
  const pc = await startFakePartnerCenter({
    customers: {},
    invoices: [
      page([{ id: 'G0000000001', invoiceDate: '2026-11-05' }], '1'),
      page([
        { id: 'G0000000002', invoiceDate: '2026-10-05' },
        { id: 'G0000000003', invoiceDate: 'soon' },
      ]),
    ],
  });
  const listed = await new PartnerCenterClient({ baseUrl: pc.baseUrl, token: async () => 'pc-token' }).invoices().finally(() => pc.close());
  expect(listed.invoices.map((i) => i.id)).toEqual(['G0000000001', 'G0000000002']);
  expect(listed.refused).toEqual([expect.stringMatching(/invoice G0000000003 has no invoiceDate \("soon"\)/)]);
});

test('the timer starts one month-end per new invoice, and month-end pulls, reconciles, drafts invoices and sums it up', async () => {
  const org = await sampleOrg();
  // The timer's read: Partner Center's invoice list through the one Partner Center client.
  const pc = await startFakePartnerCenter({
    customers: {},
    invoices: invoiceList([
      { id: 'G0000012345', invoiceDate: '2026-11-05T00:00:00Z' },
      { id: 'G0000000042', invoiceDate: '2026-08-05T00:00:00Z' }, // months ago: not month-end's any more
    ]),
  });
  const { invoices: issued } = await new PartnerCenterClient({ baseUrl: pc.baseUrl, token: async () => 'pc-token' }).invoices().finally(() => pc.close());
  expect(issued.map((i) => i.id)).toEqual(['G0000012345', 'G0000000042']);
  const first = await startMonthEnds(org, issued, '2026-11-06');
  expect(first).toEqual({ started: ['G0000012345'], alreadyStarted: [] });
  const again = await startMonthEnds(org, issued, '2026-11-06');
  expect(again).toEqual({ started: [], alreadyStarted: ['G0000012345'] });
  await org.asyncIdle();
  expect(org.asyncFailures).toEqual([]);

  const runs = (await org.retrieveMultiple<Record<string, unknown>>('cspb_monthendruns', {})).value;
  expect(runs).toHaveLength(1);
  const run = runs[0]!;
  expect(run).toMatchObject({ cspb_runstatus: Status.Completed, cspb_step: Step.Done, cspb_periodstart: '2026-10-01' });
  expect(String(run['cspb_licencepullstatus'])).toMatch(/^Imported: \d+ lines, \$[\d,]+\.\d\d/);
  expect(String(run['cspb_usagepullstatus'])).toMatch(/^Imported: /);

  const recon = await org.retrieve<Record<string, unknown>>('cspb_reconciliationruns', String(run['_cspb_reconciliationrunid_value']));
  expect(recon['cspb_runstatus']).toBe(ReconStatus.Completed);
  expect(recon['_cspb_importid_value']).toBe(run['_cspb_licenceimportid_value']);
  const open = (
    await org.retrieveMultiple<Record<string, unknown>>('cspb_discrepancies', { filter: `_cspb_runid_value eq ${String(recon['cspb_reconciliationrunid'])}` })
  ).value.filter((d) => d['cspb_resolutionstatus'] === 100000000);
  expect(run['cspb_openfindings']).toBe(open.length);
  const billed = Number(recon['cspb_totalbilled']).toLocaleString('en-US', { minimumFractionDigits: 2 });
  expect(String(run['cspb_reconcilestatus'])).toContain(`billed $${billed}`);

  const invoicing = await org.retrieve<Record<string, unknown>>('cspb_invoiceruns', String(run['_cspb_invoicerunid_value']));
  expect(invoicing).toMatchObject({ cspb_runstatus: InvoiceStatus.Completed, cspb_periodstart: '2026-10-01', cspb_periodend: '2026-10-31' });
  const drafted = Number(invoicing['cspb_invoicecount']);
  expect(String(run['cspb_invoicingstatus'])).toBe(
    `Completed: ${drafted} draft invoice${drafted === 1 ? '' : 's'}${invoicing['cspb_warnings'] ? `; warnings: ${String(invoicing['cspb_warnings'])}` : ''}`,
  );
  const summary = String(run['cspb_summary']);
  expect(summary).toContain('Month-end of Microsoft invoice G0000012345 (2026-10):');
  expect(summary).toContain(`- Reconciliation: ${String(run['cspb_reconcilestatus'])}`);
  expect(summary).toMatch(open.length > 0 ? /findings wait for finance/ : /Nothing is open/);
});

test('a delivery after a crash between creating the run and recording it finds that run instead of starting a second', async () => {
  const org = await sampleOrg();
  await org.create('cspb_monthendruns', { cspb_name: 'October', cspb_invoicenumber: 'G0000012345' });
  await org.asyncIdle();
  const [run] = (await org.retrieveMultiple<Record<string, unknown>>('cspb_monthendruns', {})).value;
  const id = String(run!['cspb_monthendrunid']);
  const reconId = String(run!['_cspb_reconciliationrunid_value']);
  // The chunk that created the run: its id derives from the month-end, the step and that chunk.
  const chunk = [...Array(Number(run!['cspb_jobchunk'])).keys()].find((n) => stableGuid(`month-end/${id}/reconcile/${n}`) === reconId);
  expect(chunk).toBeDefined();
  // Redeliver that chunk as a worker would after crashing between the create and the row's update.
  await org.update('cspb_monthendruns', id, {
    cspb_step: Step.Reconcile,
    cspb_runstatus: Status.Running,
    cspb_jobchunk: chunk,
    'cspb_ReconciliationRunId@odata.bind': null,
  });
  await runChunk({ v: 1, job: 'monthendrun', id, chunk: chunk!, correlationId: 'redelivery' }, org, { today: () => '2026-11-06', delayScale: 0 });
  const runs = (await org.retrieveMultiple<Record<string, unknown>>('cspb_reconciliationruns', {})).value;
  expect(runs).toHaveLength(1);
  expect((await org.retrieve<Record<string, unknown>>('cspb_monthendruns', id))['_cspb_reconciliationrunid_value']).toBe(reconId);
});

test('a pull never waits inside a message: one poll per message after Retry-After, a bounded share of lines per message, any instance', async () => {
  // No steps registered: this test is the queue, one message at a time (runChunk), as the Functions app runs them.
  const org = new LocalOrg({ now: () => new Date('2026-11-06T06:00:00Z') });
  await org.importSnapshot(sample.snapshot);
  const pull = { ...pullDeps()!, linesPerMessage: 40 };
  const deps: HandlerDeps = { billFiles: new MemoryBillFileSource(), today: () => '2026-11-06', pull };
  const id = await org.create('cspb_monthendruns', { cspb_name: 'October', cspb_invoicenumber: 'G0000012345' });
  graph.setRetryAfter('30');
  const seen: Array<{ step: unknown; delay: number | undefined; licences: unknown; operation: unknown }> = [];
  try {
    for (let message: JobMessage | undefined = { v: 1, job: 'monthendrun', id, chunk: 0, correlationId: 'queue' }; message; ) {
      message = await runChunk(message, org, deps);
      const row = await org.retrieve<Record<string, unknown>>('cspb_monthendruns', id);
      seen.push({ step: row['cspb_step'], delay: message?.delaySeconds, licences: row['cspb_licencepullstatus'], operation: row['cspb_pulloperation'] });
      // The next message may land on another instance: nothing of this one's staging folder is there.
      rmSync(stateDir, { recursive: true, force: true });
      expect(seen.length).toBeLessThan(200);
    }
  } finally {
    graph.setRetryAfter('0');
  }
  const run = await org.retrieve<Record<string, unknown>>('cspb_monthendruns', id);
  expect(run).toMatchObject({ cspb_runstatus: Status.Completed, cspb_step: Step.Done, cspb_pulloperation: null });
  // The export was polled message by message, each coming back after Graph's Retry-After.
  const exporting = seen.filter((s) => s.licences === 'Microsoft is exporting the data');
  expect(exporting.length).toBeGreaterThanOrEqual(2);
  expect(exporting.every((s) => s.delay === 30 && typeof s.operation === 'string' && s.operation.startsWith(graph.baseUrl))).toBe(true);
  // Then 40 lines a message, the count shown as it goes, the same operation polled by every message.
  const lines = csvToGraphLines(sample.licenceCsv).length;
  const writing = seen.filter((s) => String(s.licences).startsWith('Writing: '));
  expect(writing.map((s) => s.licences)).toEqual(
    Array.from(
      { length: Math.ceil(lines / 40) - 1 },
      (_, i) => `Writing: ${(40 * (i + 1)).toLocaleString('en-US')} lines written, ${(lines - 40 * (i + 1)).toLocaleString('en-US')} left`,
    ),
  );
  expect(new Set([...exporting, ...writing].map((s) => s.operation)).size).toBe(1);
  const licenceImport = String(run['_cspb_licenceimportid_value']);
  const written = await org.retrieveMultiple<Record<string, unknown>>('cspb_billinglines', { filter: `_cspb_importid_value eq ${licenceImport}` });
  expect(written.value).toHaveLength(lines);
  expect(new Set(written.value.map((l) => l['cspb_linekey'])).size).toBe(lines);
  expect(await org.retrieve<Record<string, unknown>>('cspb_billingimports', licenceImport)).toMatchObject({ cspb_linecount: lines });
});

test('a failed run restarts when a user sets Restart: at the step it stopped at, a failed reconciliation replaced by a new run', async () => {
  // Graph not configured: the run fails at its first step and says so.
  const org = new LocalOrg({ now: () => new Date('2026-11-06T06:00:00Z') });
  const undo = registerPlugins(org, { billFiles: new MemoryBillFileSource(), today: () => '2026-11-06', delayScale: 0 });
  await org.importSnapshot(sample.snapshot);
  const id = await org.create('cspb_monthendruns', { cspb_name: 'October', cspb_invoicenumber: 'G0000012345' });
  await org.asyncIdle();
  expect(await org.retrieve<Record<string, unknown>>('cspb_monthendruns', id)).toMatchObject({ cspb_runstatus: Status.Failed, cspb_step: Step.PullLicences });
  // The admin sets the Graph settings (here: the host restarts with them), then finance asks for a restart.
  undo();
  registerPlugins(org, { billFiles: new MemoryBillFileSource(), today: () => '2026-11-06', delayScale: 0, pull: pullDeps() });
  await org.update('cspb_monthendruns', id, { cspb_restart: true });
  await org.asyncIdle();
  expect(org.asyncFailures).toEqual([]);
  const done = await org.retrieve<Record<string, unknown>>('cspb_monthendruns', id);
  expect(done).toMatchObject({ cspb_runstatus: Status.Completed, cspb_step: Step.Done, cspb_restart: false, cspb_error: null });

  // The reconciliation run fails (here: marked so); the month-end stops there, and a restart starts a new run.
  const firstRecon = String(done['_cspb_reconciliationrunid_value']);
  await org.update('cspb_reconciliationruns', firstRecon, { cspb_runstatus: ReconStatus.Failed, cspb_error: 'the org was unavailable' });
  await org.update('cspb_monthendruns', id, { cspb_step: Step.Reconcile, cspb_runstatus: Status.Running });
  const chunk = Number((await org.retrieve<Record<string, unknown>>('cspb_monthendruns', id))['cspb_jobchunk']);
  await runChunk({ v: 1, job: 'monthendrun', id, chunk, correlationId: 'queue' }, org, { today: () => '2026-11-06', delayScale: 0 });
  const stopped = await org.retrieve<Record<string, unknown>>('cspb_monthendruns', id);
  expect(stopped).toMatchObject({ cspb_runstatus: Status.Failed, cspb_error: 'The reconciliation run failed: the org was unavailable' });
  await org.update('cspb_monthendruns', id, { cspb_restart: true });
  await org.asyncIdle();
  expect(org.asyncFailures).toEqual([]);
  const again = await org.retrieve<Record<string, unknown>>('cspb_monthendruns', id);
  expect(again).toMatchObject({ cspb_runstatus: Status.Completed, cspb_step: Step.Done, cspb_restart: false });
  const secondRecon = String(again['_cspb_reconciliationrunid_value']);
  expect(secondRecon).not.toBe(firstRecon);
  expect(await org.retrieve<Record<string, unknown>>('cspb_reconciliationruns', secondRecon)).toMatchObject({ cspb_runstatus: ReconStatus.Completed });
  expect(await org.retrieve<Record<string, unknown>>('cspb_reconciliationruns', firstRecon)).toMatchObject({ cspb_runstatus: ReconStatus.Failed });
  // Restart set back to No (the job's own write) queues nothing.
  const chunkAfter = again['cspb_jobchunk'];
  await org.update('cspb_monthendruns', id, { cspb_restart: false });
  await org.asyncIdle();
  expect((await org.retrieve<Record<string, unknown>>('cspb_monthendruns', id))['cspb_jobchunk']).toBe(chunkAfter);
});

test('an invoice without usage goes on without it; without Graph configured the run fails saying what to set', async () => {
  const org = await sampleOrg();
  await org.create('cspb_monthendruns', { cspb_name: 'Licences only', cspb_invoicenumber: 'G0000054321' });
  await org.asyncIdle();
  const [run] = (await org.retrieveMultiple<Record<string, unknown>>('cspb_monthendruns', {})).value;
  expect(run).toMatchObject({ cspb_runstatus: Status.Completed });
  expect(String(run!['cspb_usagepullstatus'])).toMatch(/^No usage: Microsoft's export failed: No data available \(code 5000\)/);

  const bare = await sampleOrg(false);
  await bare.create('cspb_monthendruns', { cspb_name: 'No Graph', cspb_invoicenumber: 'G0000012345' });
  await bare.asyncIdle();
  const [failed] = (await bare.retrieveMultiple<Record<string, unknown>>('cspb_monthendruns', {})).value;
  expect(failed).toMatchObject({ cspb_runstatus: Status.Failed, cspb_step: Step.PullLicences });
  expect(String(failed!['cspb_error'])).toMatch(/set CSPB_GRAPH_TENANT_ID, CSPB_GRAPH_CLIENT_ID and CSPB_GRAPH_CLIENT_SECRET/);
});
