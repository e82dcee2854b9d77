/**
 * The accrual in Dynamics: an Accrual row (month, accrual date, the invoice import to close
 * against) queues the job, which writes the same lines `npm run accrual` computes (one path:
 * runAccrual and accrualLineRows), closed against the imported invoice; a re-delivered chunk writes
 * no second line. Against the sample partner's clean October bill, accrued on the 20th.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monthPeriod, parseDate } from '../../core/src';
import { CspbAccrualRunRunStatus as Status } from '../../dataverse/generated';
import { LocalOrg } from '../../dataverse/src/local-org';
import { accrualLineRows, runAccrual } from '../../dataverse/src/runs';
import { importBillFile } from '../support/import-bill';
import { MemoryBillFileSource, registerPlugins, runChunk } from '../../plugins/src';
import { writeSample } from '../../scripts/generate-sample';
import { readBill, readSnapshot } from '../../scripts/cli-inputs';
import { CHARTS } from '../../solution/src/charts';
import { wbChartOf } from '../../scripts/workbench/meta';
import { chartData, chartSelect } from '../../scripts/workbench/chart-data';

jest.setTimeout(120_000);

let dir: string;
let paths: ReturnType<typeof writeSample>;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cspb-accrual-dv-'));
  paths = writeSample(join(dir, 'clean'), { clean: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('writes the lines npm run accrual computes, closed against the imported invoice, and its totals', async () => {
  const org = new LocalOrg({ now: () => new Date('2026-11-05T12:00:00Z') });
  const files = new MemoryBillFileSource();
  registerPlugins(org, { billFiles: files, today: () => '2026-11-05' });
  await org.importSnapshot(JSON.parse(readFileSync(paths.snapshot, 'utf8')));
  const importId = '0b9a3c0e-0000-4000-8000-000000000501';
  await importBillFile(org, files, importId, 'nce-invoice-2026-10.csv', new Uint8Array(readFileSync(paths.licences)));
  const id = await org.create('cspb_accrualruns', {
    cspb_name: 'October as of the 20th',
    cspb_periodstart: '2026-10-01',
    cspb_asof: '2026-10-20',
    'cspb_ClosedImportId@odata.bind': `/cspb_billingimports(${importId})`,
  });
  await org.asyncIdle();
  expect(org.asyncFailures).toEqual([]);
  const run = await org.retrieve<Record<string, unknown>>('cspb_accrualruns', id);
  expect(run).toMatchObject({ cspb_runstatus: Status.Completed, cspb_error: null });

  // The CLI's computation, from the snapshot and the file.
  const cli = runAccrual({
    rows: readSnapshot(paths.snapshot),
    period: monthPeriod(2026, 10),
    asOf: parseDate('2026-10-20'),
    billed: (await readBill(paths.licences)).lines,
  });
  const expected = accrualLineRows(id, cli);
  const stored = (
    await org.retrieveMultiple<Record<string, unknown>>('cspb_accruallines', { filter: `_cspb_accrualrunid_value eq ${id}`, orderBy: ['cspb_linekey'] })
  ).value;
  const shape = (r: Record<string, unknown>) =>
    [
      r['cspb_linekey'],
      r['cspb_chargetype'],
      r['cspb_quantity'],
      r['cspb_amount'],
      r['cspb_billedamount'],
      r['cspb_difference'],
      r['cspb_explanation'] ?? null,
    ].join(' | ');
  expect(stored.map(shape)).toEqual(expected.map((e) => shape(e as Record<string, unknown>)));
  expect(run).toMatchObject({
    cspb_linecount: expected.length,
    cspb_accrued: `${cli.accrual.totals['USD']!.toFixed(2)} USD`,
    cspb_billed: `${cli.closed!.billed['USD']!.toFixed(2)} USD`,
    cspb_unexplained: '0.00 USD',
  });
  expect(String(run['cspb_notes'])).toMatch(/Azure plan subscription\(s\) bill usage the ledger does not know/);

  // A redelivered last chunk: no second line, and a line no longer computed (left by an earlier pass) goes.
  await org.create('cspb_accruallines', {
    cspb_name: 'stale',
    'cspb_AccrualRunId@odata.bind': `/cspb_accrualruns(${id})`,
    cspb_vendorsubscriptionid: 'gone',
    cspb_chargetype: 'cycleCharge',
    cspb_currencycode: 'USD',
    cspb_amount: 1,
    cspb_linekey: `${id}|gone|cyclecharge`,
  });
  await org.update('cspb_accrualruns', id, { cspb_runstatus: Status.Running, cspb_jobchunk: 0 });
  await runChunk({ v: 1, job: 'accrualrun', id, chunk: 0, correlationId: 'again' }, org, {});
  expect((await org.retrieveMultiple('cspb_accruallines', { filter: `_cspb_accrualrunid_value eq ${id}` })).value).toHaveLength(expected.length);
});

it('an accrual date outside its month fails saying so', async () => {
  const org = new LocalOrg({ now: () => new Date('2026-11-05T12:00:00Z') });
  registerPlugins(org, { billFiles: new MemoryBillFileSource(), today: () => '2026-11-05' });
  await org.importSnapshot(JSON.parse(readFileSync(paths.snapshot, 'utf8')));
  const id = await org.create('cspb_accrualruns', { cspb_name: 'Wrong', cspb_periodstart: '2026-10-01', cspb_asof: '2026-11-02' });
  await org.asyncIdle();
  expect(await org.retrieve<Record<string, unknown>>('cspb_accrualruns', id)).toMatchObject({
    cspb_runstatus: Status.Failed,
    cspb_error: 'The accrual date 2026-11-02 is not in the billing month 2026-10.',
  });
});

it("a newer accrual of the month becomes the one the chart sums: 'Latest accrual of its month' moves to it", async () => {
  const org = new LocalOrg({ now: () => new Date('2026-11-05T12:00:00Z') });
  const files = new MemoryBillFileSource();
  registerPlugins(org, { billFiles: files, today: () => '2026-11-05' });
  await org.importSnapshot(JSON.parse(readFileSync(paths.snapshot, 'utf8')));
  const importId = '0b9a3c0e-0000-4000-8000-000000000502';
  await importBillFile(org, files, importId, 'nce-invoice-2026-10.csv', new Uint8Array(readFileSync(paths.licences)));
  const accrue = async (asOf: string): Promise<string> => {
    const id = await org.create('cspb_accrualruns', {
      cspb_name: `October as of ${asOf}`,
      cspb_periodstart: '2026-10-01',
      cspb_asof: asOf,
      'cspb_ClosedImportId@odata.bind': `/cspb_billingimports(${importId})`,
    });
    await org.asyncIdle();
    expect(org.asyncFailures).toEqual([]);
    return id;
  };
  const first = await accrue('2026-10-20');
  expect(await org.retrieve<Record<string, unknown>>('cspb_accrualruns', first)).toMatchObject({ cspb_islatest: true });
  const second = await accrue('2026-10-31');
  expect(await org.retrieve<Record<string, unknown>>('cspb_accrualruns', first)).toMatchObject({ cspb_islatest: false });
  const latest = await org.retrieve<Record<string, unknown>>('cspb_accrualruns', second);
  expect(latest).toMatchObject({ cspb_islatest: true, cspb_runstatus: Status.Completed });

  // The shipped chart (as the workbench computes its aggregate fetch) over every accrual line in the org:
  // October counts once, the latest accrual's figures, accrued beside billed.
  const chart = wbChartOf(CHARTS.find((c) => c.key === 'accruedvsbilledbymonth')!);
  const lines = (await org.retrieveMultiple<Record<string, unknown>>('cspb_accruallines', { select: [...chartSelect(chart)] })).value;
  expect(new Set(lines.map((l) => l['_cspb_accrualrunid_value']))).toEqual(new Set([first, second]));
  const data = chartData(chart, lines, { latestRuns: new Set([second]), baseCurrency: 'USD', locale: 'en-US', blank: '(blank)' });
  const cli = runAccrual({
    rows: readSnapshot(paths.snapshot),
    period: monthPeriod(2026, 10),
    asOf: parseDate('2026-10-31'),
    billed: (await readBill(paths.licences)).lines,
  });
  expect(data.groups.map((g) => [g.key, ...g.values.map((v) => v?.toFixed(2))])).toEqual([
    ['2026-10', cli.accrual.totals['USD']!.toFixed(2), cli.closed!.billed['USD']!.toFixed(2)],
  ]);
  expect(latest['cspb_accrued']).toBe(`${cli.accrual.totals['USD']!.toFixed(2)} USD`);
});
