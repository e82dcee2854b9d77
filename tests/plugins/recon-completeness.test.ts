/**
 * The Dynamics reconciliation run checks the bill is whole before it reconciles, with the check
 * `npm run reconcile --invoice-total` makes (one path: core checkCompleteness): an import whose
 * invoice total (typed in on the import, or read from Partner Center's invoice JSON) its lines do
 * not add up to stops the run with the difference; the right total lets it run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importBytes } from '../../core/src/import';
import { CspbReconciliationRunRunStatus as RunStatus } from '../../dataverse/generated';
import { LocalOrg } from '../../dataverse/src/local-org';
import { importSummaryColumns } from '../../dataverse/src/mappers/import-summary';
import { importBillFile } from '../support/import-bill';
import { MemoryBillFileSource, registerPlugins } from '../../plugins/src';
import { IncompleteBill, reconcileFiles } from '../../scripts/reconcile';
import { generateSample } from '../../scripts/sample-data';
import { parseCsv } from '../../scripts/sample-data/csv-records';

jest.setTimeout(120_000);

const sample = generateSample({ clean: true });
const [header, ...rows] = parseCsv(sample.licenceCsv);
const totalCents = rows.reduce((sum, r) => sum + Math.round(Number(r[header!.indexOf('Total')]) * 100), 0);
const money = (cents: number) => (cents / 100).toFixed(2);

async function importedOrg(): Promise<{ org: LocalOrg; importId: string }> {
  const org = new LocalOrg({ now: () => new Date('2026-11-05T12:00:00Z') });
  const files = new MemoryBillFileSource();
  registerPlugins(org, { billFiles: files, today: () => '2026-11-05' });
  await org.importSnapshot(sample.snapshot);
  const importId = '0b9a3c0e-0000-4000-8000-000000000301';
  await importBillFile(org, files, importId, 'nce-invoice-2026-10.csv', new Uint8Array(Buffer.from(sample.licenceCsv, 'utf8')));
  return { org, importId };
}

async function run(org: LocalOrg, importId: string): Promise<Record<string, unknown>> {
  const id = await org.create('cspb_reconciliationruns', {
    cspb_name: 'October',
    'cspb_ImportId@odata.bind': `/cspb_billingimports(${importId})`,
    cspb_currencycode: 'USD',
  });
  await org.asyncIdle();
  return org.retrieve<Record<string, unknown>>('cspb_reconciliationruns', id);
}

it('an invoice total the lines do not add up to stops the run with the difference the CLI reports; the right total runs', async () => {
  const { org, importId } = await importedOrg();
  const wrong = totalCents + 5000;
  await org.update('cspb_billingimports', importId, { cspb_invoicetotal: Number(money(wrong)) });
  const failed = await run(org, importId);
  expect(failed['cspb_runstatus']).toBe(RunStatus.Failed);
  expect(String(failed['cspb_error'])).toMatch(/^The bill is not complete; nothing was reconciled\. -50\.00: invoice G0000012345: total /);
  expect(await org.retrieveMultiple('cspb_discrepancies', { filter: `_cspb_runid_value eq ${String(failed['cspb_reconciliationrunid'])}` })).toMatchObject({
    value: [],
  });

  // The CLI, same file and total: the same difference.
  const dir = mkdtempSync(join(tmpdir(), 'cspb-complete-dv-'));
  try {
    const bill = join(dir, 'nce-invoice-2026-10.csv');
    const snapshot = join(dir, 'org.json');
    writeFileSync(bill, sample.licenceCsv);
    writeFileSync(snapshot, JSON.stringify(sample.snapshot));
    const error = await reconcileFiles({ bills: [bill], org: snapshot, invoiceTotals: [`G0000012345=${money(wrong)}`] }).catch((e: unknown) => e);
    expect((error as IncompleteBill).report.differences.map((d) => d.difference.toFixed(2))).toEqual(['-50.00']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // A tolerance on the run as wide as the gap, or the right total: the run completes.
  const tolerant = await org.create('cspb_reconciliationruns', {
    cspb_name: 'October, tolerant',
    'cspb_ImportId@odata.bind': `/cspb_billingimports(${importId})`,
    cspb_currencycode: 'USD',
    cspb_completenesstolerance: 50,
  });
  await org.asyncIdle();
  expect((await org.retrieve<Record<string, unknown>>('cspb_reconciliationruns', tolerant))['cspb_runstatus']).toBe(RunStatus.Completed);
  await org.update('cspb_billingimports', importId, { cspb_invoicetotal: Number(money(totalCents)) });
  expect((await run(org, importId))['cspb_runstatus']).toBe(RunStatus.Completed);
});

it("Partner Center's invoice JSON states the total: the import keeps it (and never blanks one typed in)", () => {
  const json = JSON.stringify({
    totalCount: 2,
    items: [
      { id: 'G000773581', invoiceDate: '2026-11-05T00:00:00Z', totalCharges: 793.0, currencyCode: 'USD', attributes: { objectType: 'Invoice' } },
      {
        invoiceNumber: 'G000773581',
        subscriptionId: '9d7d1f3d-c8de-461c-db6d-91debd5129f0',
        chargeType: 'new',
        chargeStartDate: '2026-10-01T00:00:00Z',
        chargeEndDate: '2026-10-31T00:00:00Z',
        quantity: 10,
        subtotal: 720,
        taxTotal: 73,
        totalForCustomer: 793,
        currency: 'USD',
        attributes: { objectType: 'OneTimeInvoiceLineItem' },
      },
    ],
  });
  const result = importBytes(new TextEncoder().encode(json), { fileName: 'invoice.json' });
  expect(result.summary.failed).toBe(false);
  expect(importSummaryColumns(result)).toMatchObject({ cspb_invoicenumber: 'G000773581', cspb_invoicetotal: 793 });
  const csv = importBytes(new TextEncoder().encode(sample.licenceCsv), { fileName: 'bill.csv' });
  expect('cspb_invoicetotal' in importSummaryColumns(csv)).toBe(false);
});
