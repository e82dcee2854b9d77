/**
 * Month-end in the workbench as a real org runs it: the org calls the webhook host over HTTP, the
 * month-end job goes through Azurite's queue to the queue worker, pulls the sample's October bill
 * from the locally played Graph (MSAL, export, blobs on Azurite), and drives the reconciliation and
 * invoice runs it starts, which the same queue also works on. Nothing waits inside a queue message
 * for another: the run completes, with each step's status, and what it reports equals the rows.
 */
import { Decimal } from '../../core/src';
import { parseCsv } from '../../scripts/sample-data/csv-records';
import { csvToGraphLines } from '../../scripts/sample-data/graph-lines';
import { startWorkbench, type Workbench } from '../../scripts/workbench/server';

jest.setTimeout(180_000);

let wb: Workbench | undefined;
afterAll(async () => {
  await wb?.close();
});

test('a month-end run for the sample invoice completes through the webhook host and the queue', async () => {
  wb = await startWorkbench({ serverSide: 'webhook' });
  const invoice = wb.graphDemo!.invoice;
  expect(invoice).toBe('G0000012345');
  const id = await wb.org.create('cspb_monthendruns', { cspb_name: 'October', cspb_invoicenumber: invoice });
  let run: Record<string, unknown> = {};
  for (let i = 0; i < 150; i++) {
    run = await wb.org.retrieve<Record<string, unknown>>('cspb_monthendruns', id);
    if (run['cspb_runstatus'] === 100000002 || run['cspb_runstatus'] === 100000003) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  expect(run['cspb_error']).toBeNull();
  expect(run).toMatchObject({ cspb_runstatus: 100000002, cspb_periodstart: '2026-10-01' });
  const licences = await wb.org.retrieve<Record<string, unknown>>('cspb_billingimports', String(run['_cspb_licenceimportid_value']));
  expect(licences).toMatchObject({ cspb_invoicenumber: invoice, cspb_rowsrejected: 0, cspb_pullkey: `billed-reconciliation:${invoice}` });
  // The licence total: the sample file's Subtotal column summed here, apart from the importer.
  const [header, ...rows] = parseCsv(wb.sample.licenceCsv);
  const column = header!.indexOf('Subtotal');
  const total = rows.reduce((sum, r) => sum.plus(r[column]!), new Decimal(0));
  expect(licences['cspb_totalbilled']).toBe(total.toNumber());
  expect(licences['cspb_linecount']).toBe(rows.length);
  expect(String(run['cspb_licencepullstatus'])).toBe(
    `Imported: ${rows.length} lines, $${total.toNumber().toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
  );
  const recon = await wb.org.retrieve<Record<string, unknown>>('cspb_reconciliationruns', String(run['_cspb_reconciliationrunid_value']));
  expect(recon['cspb_runstatus']).toBe(100000002);
  expect(run['cspb_openfindings']).toBe(recon['cspb_discrepancycount']);
  expect(String(run['cspb_summary'])).toMatch(/^Month-end of Microsoft invoice G0000012345 \(2026-10\):/);
});

test('a failed run restarts through the webhook host when Restart is set: the PostImage names the resume point', async () => {
  const other = 'G0000099999';
  const id = await wb!.org.create('cspb_monthendruns', { cspb_name: 'Not yet exported', cspb_invoicenumber: other });
  const settle = async (): Promise<Record<string, unknown>> => {
    for (let i = 0; i < 150; i++) {
      const row = await wb!.org.retrieve<Record<string, unknown>>('cspb_monthendruns', id);
      if ((row['cspb_runstatus'] === 100000002 || row['cspb_runstatus'] === 100000003) && row['cspb_restart'] === false) return row;
      await new Promise((r) => setTimeout(r, 1000));
    }
    throw new Error('the month-end run did not settle');
  };
  // Graph has no data for the invoice: the licence pull fails, and the run says why.
  const failed = await settle();
  expect(failed).toMatchObject({ cspb_runstatus: 100000003, cspb_step: 100000000 });
  expect(String(failed['cspb_error'])).toMatch(/^Licence pull: Microsoft's export failed: No data available/);
  // Microsoft has the data now (ten of the sample's lines, as that invoice); finance sets Restart.
  const lines = csvToGraphLines(wb!.sample.licenceCsv)
    .slice(0, 10)
    .map((l) => l.replaceAll(wb!.graphDemo!.invoice, other));
  wb!.graphDemo!.fake.setDataset('billed-reconciliation', other, { lines });
  await wb!.org.update('cspb_monthendruns', id, { cspb_restart: true });
  const done = await settle();
  expect(done['cspb_error']).toBeNull();
  expect(done).toMatchObject({ cspb_runstatus: 100000002, cspb_restart: false });
  const licences = await wb!.org.retrieve<Record<string, unknown>>('cspb_billingimports', String(done['_cspb_licenceimportid_value']));
  expect(licences).toMatchObject({ cspb_invoicenumber: other, cspb_linecount: 10 });
});
