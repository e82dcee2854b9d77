import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser, SCREENSHOT_DIR, wcagViolations, type Browser } from '../support/browser';
import { startHarness, type Harness } from '../support/pcf-harness';

/**
 * The built BillingImport in pcf-start's harness, in chromium: a real Partner Center sample (the
 * documented NCE seat-change examples, March 2022) is parsed by the core importer inside the page
 * and its summary shown. The harness has no Web API, so creating lines is off and says why.
 */
const SAMPLE = join(__dirname, '../../../shared/samples/pc-docs-nce-scenarios/nce-seat-changes-march-2022.csv');

jest.setTimeout(60_000);
// A real browser on a loaded 2-core machine: one retry, with the first failure logged, so a timing
// hiccup is visible in the log without turning CI red.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

let harness: Harness;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(SAMPLE)) throw new Error(`missing shared sample ${SAMPLE}`);
  harness = await startHarness('BillingImport');
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
  await harness?.stop();
});

it('parses a real Partner Center sample in the page and shows its summary', async () => {
  const { page } = browser;
  // The workers the page starts (the parse worker is a blob: URL) and any fallback warning.
  const workers: string[] = [];
  const fallbacks: string[] = [];
  page.on('worker', (worker) => workers.push(worker.url()));
  page.on('console', (message) => {
    if (message.text().includes('parsing on the main thread')) fallbacks.push(message.text());
  });
  await page.goto(harness.url);
  await page.getByTestId('drop-zone').waitFor();
  await page.getByTestId('file-input').setInputFiles(SAMPLE);
  await page.getByTestId('summary').waitFor({ timeout: 15_000 });
  const text = async (id: string): Promise<string> => (await page.getByTestId(id).innerText()).trim();
  // Figures the core importer gives for this file in Node (same code, same bytes).
  expect(await text('summary-format')).toBe('Format: New-commerce invoice reconciliation (licence-based)');
  expect(await text('summary-period')).toBe('Period: 2022-03-05 – 2022-04-04');
  expect(await text('summary-rows')).toBe('11 rows read, 11 accepted, 0 rejected; 11 lines');
  expect(await text('summary-total')).toBe('Total: 275.23 USD');
  expect(await text('summary-hash')).toBe('SHA-256 06190bd01ed2033d1b76161c435fd1241e8bef077fa284c25373dff06c782b82');
  // Chromium can run the embedded blob: worker: the parse must have run there, not on the page.
  expect(await text('summary-parser')).toBe('Parsed on the worker.');
  expect(workers.length).toBeGreaterThan(0);
  expect(workers.every((url) => url.startsWith('blob:'))).toBe(true);
  expect(fallbacks).toEqual([]);
  expect(await page.getByTestId('create-lines').isDisabled()).toBe(true);
  expect(await text('write-unavailable')).toContain('Web API');
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'billing-import-harness.png'), fullPage: true, animations: 'disabled' });

  // Screen readers: axe-core (WCAG 2.1 A and AA rules) finds nothing wrong in the control.
  const violations = await wcagViolations(page, 'div:has(> [data-testid=drop-zone])');
  expect(violations).toEqual([]);
});
