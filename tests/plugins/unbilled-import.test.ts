/**
 * Unbilled file imports (issue 21): Partner Center's unbilled reconciliation file, imported by hand
 * with Bill kind = Unbilled, is a preview of the open month. It is never summed with the month's
 * billed invoice; a newer unbilled import of the month supersedes the older (file or Graph pull
 * alike, by creation order, so an older version finishing late does not push the newer aside); and
 * an accrual closed against it compares it line by line.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { Decimal } from '../../core/src';
import {
  CspbAccrualRunRunStatus as AccrualStatus,
  CspbBillingImportBillKind as BillKind,
  CspbBillingImportImportStatus as ImportStatus,
} from '../../dataverse/generated';
import { LocalOrg } from '../../dataverse/src/local-org';
import { supersedeOlderUnbilled } from '../../dataverse/src/imports/unbilled';
import { importBillFile, reconcileImport } from '../support/import-bill';
import { MemoryBillFileSource, registerPlugins } from '../../plugins/src';
import { writeSample } from '../../scripts/generate-sample';

jest.setTimeout(120_000);

let dir: string;
let licences: string;
let snapshot: unknown;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cspb-unbilled-'));
  const paths = writeSample(join(dir, 'clean'), { clean: true });
  licences = readFileSync(paths.licences, 'utf8');
  snapshot = JSON.parse(readFileSync(paths.snapshot, 'utf8'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The licence file's header and its first `rows` data rows: a preview that has seen part of the month. */
const firstRows = (rows: number): Uint8Array => {
  const lines = licences.split(/\r?\n/);
  return new Uint8Array(Buffer.from(`${lines.slice(0, rows + 1).join('\r\n')}\r\n`, 'utf8'));
};

async function sampleOrg(): Promise<{ org: LocalOrg; files: MemoryBillFileSource }> {
  // A clock that moves: each import is created a second after the one before.
  let tick = Date.parse('2026-10-25T08:00:00Z');
  const org = new LocalOrg({ now: () => new Date((tick += 1000)) });
  const files = new MemoryBillFileSource();
  registerPlugins(org, { billFiles: files, today: () => '2026-10-25' });
  await org.importSnapshot(snapshot as Parameters<LocalOrg['importSnapshot']>[0]);
  return { org, files };
}

/** An unbilled file: attached to an import of kind Unbilled, read by the import job. */
async function importUnbilled(org: LocalOrg, files: MemoryBillFileSource, id: string, bytes: Uint8Array, name: string): Promise<void> {
  files.put(id, { fileName: `${name}.csv`, bytes });
  await org.create('cspb_billingimports', {
    cspb_billingimportid: id,
    cspb_name: name,
    cspb_contenthash: createHash('sha256').update(bytes).digest('hex'),
    cspb_currencycode: 'USD',
    cspb_billkind: BillKind.Unbilled,
  });
  await org.asyncIdle();
  expect(org.asyncFailures).toEqual([]);
}

const importRow = (org: LocalOrg, id: string) => org.retrieve<Record<string, unknown>>('cspb_billingimports', id);

const V1 = '0b9a3c0e-0000-4000-8000-000000000601';
const V2 = '0b9a3c0e-0000-4000-8000-000000000602';
const BILLED = '0b9a3c0e-0000-4000-8000-000000000603';

test('a newer unbilled file supersedes the older; neither is summed with the billed invoice, nor the invoice into them', async () => {
  const { org, files } = await sampleOrg();
  await importUnbilled(org, files, V1, firstRows(20), 'October preview, 20th');
  expect(await importRow(org, V1)).toMatchObject({ cspb_importstatus: ImportStatus.Completed, cspb_billkind: BillKind.Unbilled, cspb_linecount: 20 });
  await importUnbilled(org, files, V2, firstRows(35), 'October preview, 25th');
  expect(await importRow(org, V2)).toMatchObject({ cspb_importstatus: ImportStatus.Completed, cspb_linecount: 35 });
  expect(await importRow(org, V1)).toMatchObject({ cspb_importstatus: ImportStatus.Superseded });

  await importBillFile(org, files, BILLED, 'nce-invoice-2026-10.csv', new Uint8Array(Buffer.from(licences, 'utf8')));
  const billed = await importRow(org, BILLED);
  // A file imported without a kind is an invoice: it supersedes no preview.
  expect(billed).toMatchObject({ cspb_importstatus: ImportStatus.Completed });
  expect(billed['cspb_billkind']).not.toBe(BillKind.Unbilled);
  expect(await importRow(org, V2)).toMatchObject({ cspb_importstatus: ImportStatus.Completed });

  const billedRun = await reconcileImport(org, BILLED);
  expect(billedRun['cspb_totalbilled']).toBe(billed['cspb_totalbilled']);
  const previewRun = await reconcileImport(org, V2);
  // The preview alone: its 35 lines, less than the invoice.
  expect(previewRun['cspb_totalbilled']).toBe((await importRow(org, V2))['cspb_totalbilled']);
  expect(new Decimal(String(previewRun['cspb_totalbilled'])).lessThan(String(billed['cspb_totalbilled']))).toBe(true);
});

test('an older unbilled version finishing after a newer one does not supersede it', async () => {
  const { org } = await sampleOrg();
  // Two finished previews of October, created in order; the older is told to supersede last.
  const older = await org.create('cspb_billingimports', {
    cspb_name: 'older',
    cspb_contenthash: 'a'.repeat(64),
    cspb_currencycode: 'USD',
    cspb_periodstart: '2026-10-01',
    cspb_billkind: BillKind.Unbilled,
    cspb_importstatus: ImportStatus.Completed,
  });
  const newer = await org.create('cspb_billingimports', {
    cspb_name: 'newer',
    cspb_contenthash: 'b'.repeat(64),
    cspb_currencycode: 'USD',
    cspb_periodstart: '2026-10-01',
    cspb_billkind: BillKind.Unbilled,
    cspb_importstatus: ImportStatus.Completed,
  });
  const otherCurrency = await org.create('cspb_billingimports', {
    cspb_name: 'EUR',
    cspb_contenthash: 'c'.repeat(64),
    cspb_currencycode: 'EUR',
    cspb_periodstart: '2026-10-01',
    cspb_billkind: BillKind.Unbilled,
    cspb_importstatus: ImportStatus.Completed,
  });
  expect(await supersedeOlderUnbilled(org, older)).toEqual([]);
  expect(await importRow(org, newer)).toMatchObject({ cspb_importstatus: ImportStatus.Completed });
  expect(await supersedeOlderUnbilled(org, newer)).toEqual(['older']);
  expect(await importRow(org, older)).toMatchObject({ cspb_importstatus: ImportStatus.Superseded });
  // Another currency's preview is another preview.
  expect(await importRow(org, otherCurrency)).toMatchObject({ cspb_importstatus: ImportStatus.Completed });
});

test('an accrual closed against the unbilled import compares it line by line', async () => {
  const { org, files } = await sampleOrg();
  await importUnbilled(org, files, V1, firstRows(35), 'October preview');
  const preview = await importRow(org, V1);
  const id = await org.create('cspb_accrualruns', {
    cspb_name: 'October as of the 25th, against the preview',
    cspb_periodstart: '2026-10-01',
    cspb_asof: '2026-10-25',
    'cspb_ClosedImportId@odata.bind': `/cspb_billingimports(${V1})`,
  });
  await org.asyncIdle();
  expect(org.asyncFailures).toEqual([]);
  expect(await org.retrieve<Record<string, unknown>>('cspb_accrualruns', id)).toMatchObject({ cspb_runstatus: AccrualStatus.Completed });
  const lines = (await org.retrieveMultiple<Record<string, unknown>>('cspb_accruallines', { filter: `_cspb_accrualrunid_value eq ${id}` })).value;
  // Every line carries what the preview billed beside what was accrued; the billed column adds up to the preview's total.
  expect(lines.every((l) => l['cspb_billedamount'] !== null && l['cspb_difference'] !== null)).toBe(true);
  const billed = lines.reduce((s, l) => s.plus(String(l['cspb_billedamount'])), new Decimal(0));
  expect(billed.toFixed(2)).toBe(new Decimal(String(preview['cspb_totalbilled'])).toFixed(2));
  // Lines the preview has not seen yet are accrued and not billed: the difference names them.
  expect(lines.some((l) => Number(l['cspb_billedamount']) === 0 && Number(l['cspb_amount']) > 0)).toBe(true);
});
