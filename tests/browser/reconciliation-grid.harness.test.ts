import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser, SCREENSHOT_DIR, type Browser } from '../support/browser';
import { startHarness, type Harness } from '../support/pcf-harness';

/**
 * The built ReconciliationGrid in pcf-start's real harness, in Debian's chromium: a CSV fed to the
 * data set through the harness's file input must come back as the grid's rows and count.
 */
const FIXTURE = join(__dirname, 'fixtures/discrepancies.csv');
const [header, ...lines] = readFileSync(FIXTURE, 'utf8').trim().split('\n');
const expectedRows = lines.map((line) => line.split(','));

jest.setTimeout(90_000);

let harness: Harness;
let browser: Browser;

beforeAll(async () => {
  harness = await startHarness('ReconciliationGrid');
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
  await harness?.stop();
});

it('renders the records of a CSV fed to its data set, under a header that counts them', async () => {
  const { page } = browser;
  await page.goto(harness.url);
  await page.getByText('records', { exact: false }).first().waitFor();

  await page.locator('input[type=file]').setInputFiles(FIXTURE);
  // One type picker per CSV column follows the form-factor picker; numbers as numbers.
  const types = ['SingleLine.Text', 'SingleLine.Text', 'SingleLine.Text', 'Whole.None', 'Decimal'];
  const selects = page.locator('select');
  await expect_countAtLeast(selects, types.length + 1);
  for (const [i, type] of types.entries()) await selects.nth(i + 1).selectOption(type);
  await page.getByRole('button', { name: 'Apply' }).click();

  const count = page.getByTestId('record-count');
  await count.filter({ hasText: `${expectedRows.length} records` }).waitFor({ timeout: 10_000 });

  const headers = await page.locator('[role=columnheader]').allInnerTexts();
  expect(headers.map((h) => h.trim()).filter(Boolean)).toEqual(header!.split(','));

  const rows = page.locator('[role=row]').filter({ has: page.locator('[role=gridcell]') });
  expect(await rows.count()).toBe(expectedRows.length);
  for (const [i, expected] of expectedRows.entries()) {
    const cells = (await rows.nth(i).locator('[role=gridcell]').allInnerTexts()).map((c) => c.trim());
    // The harness formats numbers its own way; text columns must come back verbatim.
    expect(cells.slice(0, 3)).toEqual(expected.slice(0, 3));
    expect(Number(cells[3]!.replace(/[^\d.-]/g, ''))).toBe(Number(expected[3]));
  }

  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'reconciliation-grid-harness.png'), fullPage: true, animations: 'disabled' });
  expect(browser.blocked.every((url) => !url.includes('react'))).toBe(true);
});

/** Waits until a locator matches at least n elements (jest has no such matcher of its own). */
async function expect_countAtLeast(locator: import('playwright-core').Locator, n: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await locator.count()) < n) {
    if (Date.now() > deadline) throw new Error(`expected at least ${n} elements, found ${await locator.count()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
