/**
 * The ReconciliationGrid bundle pages a large run through the workbench's data set, which pages
 * the way the platform's does: the first 5,000 records, then each loadNextPage follows the local
 * org's @odata.nextLink over HTTP (Prefer: odata.maxpagesize). 12,000 discrepancies: three pages.
 */
import { randomBytes } from 'node:crypto';
import type { Request } from 'playwright-core';
import { openBrowser, type Browser } from '../support/browser';
import { startWorkbench, type Workbench } from '../../scripts/workbench/server';
import { CspbDiscrepancyCategory, CspbDiscrepancyResolutionStatus } from '../../dataverse/generated/cspb_discrepancy';
import { CspbReconciliationRunRunStatus } from '../../dataverse/generated/cspb_reconciliationrun';

jest.setTimeout(150_000);
// A real browser on a loaded 2-core machine: one retry, with the first failure logged.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

const COUNT = 12_000;
let wb: Workbench;
let browser: Browser;

beforeAll(async () => {
  wb = await startWorkbench();
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
  await wb?.close();
});

test('a 12,000-discrepancy run arrives in three pages, each asked for once, and the grid holds every record once', async () => {
  const importId = await wb.org.create('cspb_billingimports', {
    cspb_name: 'paging',
    cspb_contenthash: randomBytes(32).toString('hex'),
    cspb_currencycode: 'USD',
  });
  const runId = await wb.org.create('cspb_reconciliationruns', {
    cspb_name: 'paging run',
    'cspb_ImportId@odata.bind': `/cspb_billingimports(${importId})`,
    cspb_runstatus: CspbReconciliationRunRunStatus.Completed,
    cspb_currencycode: 'USD',
  });
  // Creating a run starts the reconciliation plugin (async); let it finish before the run gets its discrepancies.
  await wb.org.asyncIdle();
  const accounts = (await wb.org.retrieveMultiple<{ accountid: string }>('accounts', { select: ['accountid'] })).value.map((a) => a.accountid);
  expect(accounts.length).toBeGreaterThan(10);
  // Variance i cents on line i: the grid's total is sum(1..12000) cents = 720,060.00.
  await wb.org.createMultiple(
    'cspb_discrepancies',
    Array.from({ length: COUNT }, (_, i) => ({
      cspb_name: `D-${String(i).padStart(5, '0')}`,
      'cspb_RunId@odata.bind': `/cspb_reconciliationruns(${runId})`,
      cspb_discrepancykey: `paging-${i}`,
      cspb_category: CspbDiscrepancyCategory.QuantityMismatch,
      cspb_resolutionstatus: CspbDiscrepancyResolutionStatus.Open,
      'cspb_CustomerId@odata.bind': `/accounts(${accounts[i % accounts.length]})`,
      cspb_vendorsubscriptionid: `sub-${i % 400}`,
      cspb_variance: (i + 1) / 100,
      cspb_currencycode: 'USD',
    })),
  );

  const page = browser.page;
  const requests: string[] = [];
  page.on('request', (r: Request) => {
    if (r.url().includes('/api/data/') && r.url().includes('cspb_discrepancies')) requests.push(decodeURIComponent(r.url()));
  });
  await page.goto(`${wb.url}#/form/cspb_reconciliationrun/${runId}`);
  const grid = page.locator('[data-pcf="ReconciliationGrid"]');
  await grid
    .getByTestId('record-count')
    .filter({ hasText: `${COUNT} of ${COUNT} records` })
    .waitFor({ timeout: 60_000 });
  expect(await grid.getByTestId('loading-more').count()).toBe(0);
  expect(await grid.getByTestId('capped').count()).toBe(0);
  expect((await grid.getByTestId('total-variance').innerText()).trim()).toBe('USD\u00a0720,060.00');

  // The grid's own requests: not the run form's chart (the solution's Variance by Category over this run, all its pages).
  const grid_ = requests.filter((u) => !u.includes('$top=1') && !u.includes('$select=cspb_discrepancyid,cspb_variance,cspb_category'));
  expect(grid_.filter((u) => u.includes('$skiptoken'))).toHaveLength(2);
  expect(grid_).toHaveLength(3);
});
