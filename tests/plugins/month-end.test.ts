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

test("Partner Center's documented invoice collection is read item by item; a bad item is named", () => {
  const invoices = parseInvoices(readFileSync(samplePath('pc-api-docs-json/get-a-collection-of-invoices-ex1-Invoice.json'), 'utf8'));
  expect(invoices.map((i) => [i.id, i.invoiceDate, i.currencyCode])).toEqual([
    ['D02005YFHI', '2017-01-21', 'GBP'],
    ['G000024130', '2018-02-08', 'CHF'],
  ]);
  expect(() => parseInvoices('{"items":[{"id":"G1","invoiceDate":"2026-11-05"},{"id":"G2"}]}')).toThrow(/invoice G2 has no invoiceDate/);
  expect(() => parseInvoices('{"items":[{"id":"G 1; drop","invoiceDate":"2026-11-05"}]}')).toThrow(/item 1 has no usable id/);
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
  const issued = await new PartnerCenterClient({ baseUrl: pc.baseUrl, token: async () => 'pc-token' }).invoices().finally(() => pc.close());
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
  // Replay the Reconcile step as a redelivered message would after the row lost the run's id.
  await org.update('cspb_monthendruns', id, { cspb_step: Step.Reconcile, cspb_runstatus: Status.Running, 'cspb_ReconciliationRunId@odata.bind': null });
  const chunk = Number((await org.retrieve<Record<string, unknown>>('cspb_monthendruns', id))['cspb_jobchunk']);
  await runChunk({ v: 1, job: 'monthendrun', id, chunk, correlationId: 'redelivery' }, org, { today: () => '2026-11-06', delayScale: 0 });
  const runs = (await org.retrieveMultiple<Record<string, unknown>>('cspb_reconciliationruns', {})).value;
  expect(runs).toHaveLength(1);
  expect((await org.retrieve<Record<string, unknown>>('cspb_monthendruns', id))['_cspb_reconciliationrunid_value']).toBe(runs[0]!['cspb_reconciliationrunid']);
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
