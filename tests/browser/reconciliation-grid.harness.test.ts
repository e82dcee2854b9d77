import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser, SCREENSHOT_DIR, wcagViolations, type Browser } from '../support/browser';
import { startHarness, type Harness } from '../support/pcf-harness';

/**
 * The built ReconciliationGrid in pcf-start's real harness, in Debian's chromium: a CSV of
 * discrepancies fed to its data set must come back grouped by customer and subscription, with
 * exact totals, and filter by search and by category.
 */
const FIXTURE = join(__dirname, 'fixtures/discrepancies.csv');
// Customer,Subscription,ChargeType,ChargeStart,BilledQuantity,ExpectedQuantity,Billed,Expected,Variance,Category,Status
const TYPES = [
  'SingleLine.Text',
  'SingleLine.Text',
  'SingleLine.Text',
  'SingleLine.Text',
  'Whole.None',
  'Whole.None',
  'Decimal',
  'Decimal',
  'Decimal',
  'SingleLine.Text',
  'SingleLine.Text',
];

jest.setTimeout(90_000);
// A real browser on a loaded 2-core machine: one retry, with the first failure logged, so a timing
// hiccup is visible in the log without turning CI red.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

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

const text = async (testId: string): Promise<string> => (await browser.page.getByTestId(testId).innerText()).trim();

it('renders, totals and filters the discrepancies of a CSV fed to its data set', async () => {
  const { page } = browser;
  await page.goto(harness.url);
  await page.getByTestId('record-count').waitFor();

  await page.locator('input[type=file]').setInputFiles(FIXTURE);
  const selects = page.locator('select');
  await expect_countAtLeast(selects, TYPES.length + 1);
  for (const [i, type] of TYPES.entries()) await selects.nth(i + 1).selectOption(type);
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.getByTestId('record-count').filter({ hasText: '6 of 6 records' }).waitFor({ timeout: 10_000 });

  // Grouped by customer (sorted) then subscription; every line rendered (the virtualised list
  // renders its first page, measures, then fills the viewport).
  const lines = page.locator('[role=row]').filter({ has: page.locator('[role=gridcell]') });
  await expect_countAtLeast(lines, 6);
  const customers = (await page.getByTestId('group-customer').getByTestId('group-label').allInnerTexts()).map((t) => t.trim());
  expect(customers).toEqual(['Adventure Works', 'Contoso Ltd', 'Fabrikam Inc', 'Northwind Traders']);
  expect(await page.getByTestId('group-subscription').count()).toBe(5);
  expect(await lines.count()).toBe(6);
  const contosoAdd = (await lines.filter({ hasText: 'addQuantity' }).locator('[role=gridcell]').allInnerTexts()).map((c) => c.trim());
  expect(contosoAdd).toEqual(expect.arrayContaining(['addQuantity', '3/7/2022', '12', '10', '0.10', '0.20', '-0.10', 'Quantity mismatch', 'Open']));

  // Exact totals (decimal.js): 0.10 + 0.20 + 550 + 45.70 + 200 + 0 = 796.00, etc.; the margin is its own column.
  expect(await text('total-billed')).toBe('796.00');
  expect(await text('total-expected')).toBe('208.68');
  expect(await text('total-variance')).toBe('587.32');
  expect(await text('total-leakage')).toBe('550.00');
  expect(await text('total-margin')).toBe('-5.70');
  // The harness has no Web API: actions are off and say why.
  expect(await text('actions-unavailable')).toContain('no Web API');
  expect(await page.getByTestId('action-accept').isDisabled()).toBe(true);

  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'reconciliation-grid-harness.png'), fullPage: true, animations: 'disabled' });

  // Screen readers: axe-core (WCAG 2.1 A and AA rules) finds nothing wrong in the control.
  const violations = await wcagViolations(page, 'div:has(> [data-testid=record-count])');
  expect(violations).toEqual([]);
  expect(await page.locator('[role=treegrid] [role=row][aria-level="1"][aria-expanded="true"]').count()).toBe(4);

  // Keyboard: arrow keys move between rows (Fluent's FocusZone), Enter selects the focused line.
  // Contoso's addQuantity line, then its removeQuantity line just below it.
  await lines.nth(1).focus();
  await page.keyboard.press('ArrowDown');
  const focused = await page.evaluate(() => document.activeElement?.closest('[role=row]')?.textContent ?? '');
  expect(focused).toBe(await lines.nth(2).textContent());
  expect(focused).toContain('removeQuantity');
  await page.keyboard.press('Enter');
  expect(await page.evaluate(() => document.activeElement?.closest('[role=row]')?.getAttribute('aria-selected'))).toBe('true');
  expect(await page.locator('[role=row][aria-selected=true]').count()).toBe(1);

  // Search.
  await page.getByPlaceholder(/Search customer/).fill('contoso');
  await page.getByTestId('record-count').filter({ hasText: '2 of 6 records' }).waitFor();
  expect(await text('total-billed')).toBe('0.30');
  expect(await text('total-variance')).toBe('0.00');
  await page.getByPlaceholder(/Search customer/).fill('');
  await page.getByTestId('record-count').filter({ hasText: '6 of 6 records' }).waitFor();

  // Category filter (Fluent multi-select dropdown, keyboard-operable listbox).
  await page.getByTestId('filter-category').click();
  const option = (name: string) => page.getByRole('listbox').getByText(name, { exact: true });
  await option('Vendor cost never re-billed').click();
  await option('Negative margin').click();
  await page.keyboard.press('Escape');
  await page.getByTestId('record-count').filter({ hasText: '2 of 6 records' }).waitFor();
  expect(await text('total-billed')).toBe('595.70');
  expect(await text('total-variance')).toBe('555.70');
  expect(await lines.count()).toBe(2);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'reconciliation-grid-harness-filtered.png'), fullPage: true, animations: 'disabled' });
  expect(browser.blocked.every((url) => !url.includes('react'))).toBe(true);
  // The icon font came from the local package, not the CDN (no icon fetch was blocked). Segoe UI,
  // the text font, is not redistributable: the page falls back to the system font.
  expect(browser.blocked.filter((url) => /fabric-icons/.test(url))).toEqual([]);
  expect(browser.servedLocally.some((url) => /fabric-icons/.test(url))).toBe(true);

  // The phone form factor (the harness's own switch): the four columns that matter on a small screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await selects.nth(0).selectOption({ label: 'Phone' });
  const headers = page.locator('[role=columnheader]');
  await headers.filter({ hasText: 'Variance' }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[role=columnheader]').length === 4, undefined, { timeout: 10_000 });
  expect((await headers.allInnerTexts()).map((t) => t.trim())).toEqual(['Charge type', 'Variance', 'Category', 'Status']);
  expect(await lines.count()).toBe(2);
  expect((await lines.first().locator('[role=gridcell]').allInnerTexts()).length).toBe(4);
  const groupTotals = (await page.getByTestId('group-subscription').first().innerText()).replace(/\s+/g, ' ');
  expect(groupTotals).toContain('Variance 550.00');
  expect(groupTotals).not.toContain('Billed');
  // The control alone (the harness around it is not built for a phone's width).
  await page
    .locator('div:has(> [data-testid=record-count])')
    .first()
    .screenshot({ path: join(SCREENSHOT_DIR, 'reconciliation-grid-harness-phone.png'), animations: 'disabled' });
});

/** Waits until a locator matches at least n elements (jest has no such matcher of its own). */
async function expect_countAtLeast(locator: import('playwright-core').Locator, n: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await locator.count()) < n) {
    if (Date.now() > deadline) throw new Error(`expected at least ${n} elements, found ${await locator.count()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
