import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/** A fresh harness page with a CSV fed to the control's data set (typed as TYPES), once it shows `count` records. */
async function loadCsv(file: string, count: number): Promise<void> {
  const { page } = browser;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(harness.url);
  await page.getByTestId('record-count').waitFor();
  await page.locator('input[type=file]').setInputFiles(file);
  const selects = page.locator('select');
  await expect_countAtLeast(selects, TYPES.length + 1);
  for (const [i, type] of TYPES.entries()) await selects.nth(i + 1).selectOption(type);
  await page.getByRole('button', { name: 'Apply' }).click();
  await page
    .getByTestId('record-count')
    .filter({ hasText: `${count} of ${count} records` })
    .waitFor({ timeout: 20_000 });
  // The harness keeps its form factor across loads (the first test ends on Phone): the desktop's columns.
  await selects.nth(0).selectOption({ label: 'Web' });
  await page.waitForFunction(() => document.querySelectorAll('[role=columnheader]').length > 4, undefined, { timeout: 10_000 });
}

/** The lines (rows with cells) rendered, in display order. */
const lineRows = () => browser.page.locator('[role=treegrid] [role=row][data-id]');
/** The data ids of the lines rendered, in display order. */
const lineIds = async (): Promise<string[]> => lineRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id') ?? ''));
/** The data ids of the selected lines, in display order. */
const selectedIds = async (): Promise<string[]> =>
  browser.page.locator('[role=treegrid] [role=row][aria-selected=true]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id') ?? ''));
/** The focused row: its data id (a line), or its group header's text; and how many rows are tab stops. */
const focusedRow = async (): Promise<{ id: string | null; rowIndex: string | null; text: string; isRow: boolean; tabStops: number }> =>
  browser.page.evaluate(() => {
    const el = document.activeElement;
    return {
      id: el?.getAttribute('data-id') ?? null,
      rowIndex: el?.getAttribute('aria-rowindex') ?? null,
      text: (el?.textContent ?? '').trim(),
      isRow: el?.getAttribute('role') === 'row',
      tabStops: document.querySelectorAll('[role=treegrid] [role=row][tabindex="0"]').length,
    };
  });

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

  // Keyboard: arrow keys move between rows (roving tabindex), Enter selects the focused line.
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

it('selects ranges with Shift + click, Ctrl + Shift + click, Shift + arrows and Ctrl + A, in the order shown', async () => {
  const { page } = browser;
  await loadCsv(FIXTURE, 6);
  await expect_countAtLeast(lineRows(), 6);
  // Display order: Adventure Works, Contoso (two lines), Fabrikam (two subscriptions), Northwind.
  const ids = await lineIds();
  expect(ids).toHaveLength(6);
  expect(new Set(ids).size).toBe(6);
  expect((await lineRows().nth(1).innerText()).replace(/\s+/g, ' ')).toContain('addQuantity');
  expect((await lineRows().nth(4).innerText()).replace(/\s+/g, ' ')).toContain('Negative margin');
  const line = (i: number) => lineRows().nth(i).locator('[role=gridcell]').nth(2);

  // Shift + click: the lines between the anchor and the clicked line, across three group headers.
  await line(1).click();
  await line(4).click({ modifiers: ['Shift'] });
  expect(await selectedIds()).toEqual(ids.slice(1, 5));
  expect(await page.locator('[role=treegrid] [role=row]:not([data-id])[aria-selected=true]').count()).toBe(0);
  expect(await text('selection-count')).toBe('4 selected lines');
  // Shift + click draws from the same anchor again (upwards now), replacing the range.
  await line(0).click({ modifiers: ['Shift'] });
  expect(await selectedIds()).toEqual(ids.slice(0, 2));
  // Shift + click selects no text across the rows.
  expect(await page.evaluate(() => String(window.getSelection() ?? ''))).toBe('');

  // Ctrl + click moves the anchor; Ctrl + Shift + click adds the range to what is selected.
  await line(0).click();
  await line(3).click({ modifiers: ['Control'] });
  expect(await selectedIds()).toEqual([ids[0], ids[3]]);
  await line(5).click({ modifiers: ['Control', 'Shift'] });
  expect(await selectedIds()).toEqual([ids[0], ids[3], ids[4], ids[5]]);
  // A plain Shift + click from that anchor replaces it all.
  await line(2).click({ modifiers: ['Shift'] });
  expect(await selectedIds()).toEqual([ids[2], ids[3]]);

  // Range screenshot: Contoso's removeQuantity line through Fabrikam's both subscriptions.
  await line(1).click();
  await line(4).click({ modifiers: ['Shift'] });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page
    .locator('div:has(> [data-testid=record-count])')
    .first()
    .screenshot({ path: join(SCREENSHOT_DIR, 'reconciliation-grid-harness-range.png'), animations: 'disabled' });

  // Arrow keys: focus moves row by row, group headers included, and the one tab stop follows it.
  await line(2).click();
  expect(await focusedRow()).toMatchObject({ id: ids[2], isRow: true, tabStops: 1 });
  await page.keyboard.press('ArrowDown');
  expect(await focusedRow()).toMatchObject({ id: null, isRow: true, tabStops: 1, text: expect.stringContaining('Fabrikam Inc') });
  await page.keyboard.press('ArrowDown');
  expect(await focusedRow()).toMatchObject({ id: null, text: expect.stringContaining('sub-fabrikam-bp') });
  await page.keyboard.press('ArrowDown');
  expect(await focusedRow()).toMatchObject({ id: ids[3], tabStops: 1 });
  await page.keyboard.press('ArrowUp');
  expect(await focusedRow()).toMatchObject({ id: null, text: expect.stringContaining('sub-fabrikam-bp') });
  await page.keyboard.press('ArrowDown');
  // Arrows move focus only: the selection stays on the clicked line.
  expect(await selectedIds()).toEqual([ids[2]]);

  // Shift + Down extends from the anchor (the clicked line), over the subscription header to the next line.
  await page.keyboard.press('Shift+ArrowDown');
  expect(await focusedRow()).toMatchObject({ id: ids[4], tabStops: 1 });
  expect(await selectedIds()).toEqual(ids.slice(2, 5));
  await page.keyboard.press('Shift+ArrowUp');
  expect(await focusedRow()).toMatchObject({ id: ids[3] });
  expect(await selectedIds()).toEqual(ids.slice(2, 4));
  // Shift + End: to the last line.
  await page.keyboard.press('Shift+End');
  expect(await focusedRow()).toMatchObject({ id: ids[5] });
  expect(await selectedIds()).toEqual(ids.slice(2));

  // Home and End: the first row (a customer header) and the last.
  await page.keyboard.press('Home');
  expect(await focusedRow()).toMatchObject({ id: null, isRow: true, text: expect.stringContaining('Adventure Works') });
  await page.keyboard.press('End');
  expect(await focusedRow()).toMatchObject({ id: ids[5], tabStops: 1 });
  // Space selects the focused line alone (Enter did, above); Ctrl + A every line shown.
  await page.keyboard.press('Space');
  expect(await selectedIds()).toEqual([ids[5]]);
  await page.keyboard.press('Control+a');
  expect(await selectedIds()).toEqual(ids);
  expect(await text('selection-count')).toBe('6 selected lines');
  expect(await page.evaluate(() => String(window.getSelection() ?? ''))).toBe('');
  // Ctrl + A over a filter: only the lines shown.
  await page.getByPlaceholder(/Search customer/).fill('fabrikam');
  await page.getByTestId('record-count').filter({ hasText: '2 of 6 records' }).waitFor();
  await line(0).click();
  await page.keyboard.press('Control+a');
  expect(await selectedIds()).toEqual(ids.slice(3, 5));
  expect(await text('selection-count')).toBe('2 selected lines');
  // Tab leaves the grid from its one tab stop; Shift + Tab comes back to it.
  await page.keyboard.press('Tab');
  expect((await focusedRow()).isRow).toBe(false);
  await page.keyboard.press('Shift+Tab');
  expect(await focusedRow()).toMatchObject({ id: ids[3], isRow: true });

  // Still no WCAG failures with a range selected and a row focused.
  expect(await wcagViolations(page, 'div:has(> [data-testid=record-count])')).toEqual([]);
});

it('scrolls the focused row into view when keys move focus through a long, virtualised grid', async () => {
  const { page } = browser;
  // 400 lines in 40 customers: far more than the list renders at once.
  const dir = mkdtempSync(join(tmpdir(), 'cspb-grid-'));
  const file = join(dir, 'long.csv');
  const lines = ['Customer,Subscription,ChargeType,ChargeStart,BilledQuantity,ExpectedQuantity,Billed,Expected,Variance,Margin,Category,Status'];
  for (let i = 0; i < 400; i++) {
    const c = String(Math.floor(i / 10)).padStart(2, '0');
    lines.push(`Customer ${c},sub-${c},usage${String(i % 10)},3/1/2022,1,1,1.00,0.00,1.00,,revenueLeakage,Open`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  try {
    await loadCsv(file, 400);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await expect_countAtLeast(lineRows(), 1);
  const inView = () =>
    page.evaluate(() => {
      const r = document.activeElement!.getBoundingClientRect();
      return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
    });
  await lineRows().first().locator('[role=gridcell]').nth(2).click();
  // Virtualised: a fraction of the 400 lines is in the page.
  expect(await lineRows().count()).toBeLessThan(200);
  // End: the last row, which the list had not rendered, is rendered, focused and on screen.
  await page.keyboard.press('End');
  await page.waitForFunction(
    () => (document.activeElement?.textContent ?? '').includes('usage9') && document.activeElement?.getAttribute('role') === 'row',
    undefined,
    {
      timeout: 10_000,
    },
  );
  // 40 customer and 40 subscription headers and 400 lines, after the column header row.
  expect(await focusedRow()).toMatchObject({ isRow: true, tabStops: 1, rowIndex: '481' });
  expect(await inView()).toBe(true);
  // Home: back to the first row (Customer 00's header), on screen.
  await page.keyboard.press('Home');
  await page.waitForFunction(
    () => (document.activeElement?.textContent ?? '').includes('Customer 00') && document.activeElement?.getAttribute('role') === 'row',
    undefined,
    {
      timeout: 10_000,
    },
  );
  expect(await inView()).toBe(true);
  // Arrow Down, row by row past the first screen: the focused row is always on screen.
  for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowDown');
  // 40 rows down: Customer 00's to 02's headers and lines (12 rows each), Customer 03's two headers, its third line.
  expect(await focusedRow()).toMatchObject({ isRow: true, tabStops: 1, rowIndex: '42', text: expect.stringContaining('usage2') });
  expect(await inView()).toBe(true);
  // Ctrl + A selects all 400 lines, rendered or not.
  await page.keyboard.press('Control+a');
  expect(await text('selection-count')).toBe('400 selected lines');
});

it('resizes a column by dragging its header handle and from the keyboard, fits it on double-click and Enter, and keeps widths for the session', async () => {
  const { page } = browser;
  // A width an earlier attempt stored would be read back on load: start from the defaults.
  await page.evaluate(() => sessionStorage.clear()).catch(() => undefined);
  // The fixture and a line with the longest category label there is.
  const dir = mkdtempSync(join(tmpdir(), 'cspb-grid-'));
  const file = join(dir, 'resize.csv');
  writeFileSync(
    file,
    `${readFileSync(FIXTURE, 'utf8').trimEnd()}\nLitware,sub-litware-e5,cycleCharge,3/1/2022,20,20,300.00,0.00,300.00,,cancelledButBilled,Open\n`,
  );
  try {
    await loadCsv(file, 7);
    // Finance's laptop width.
    await page.setViewportSize({ width: 1366, height: 800 });
    await expect_countAtLeast(lineRows(), 7);

    const handle = page.getByTestId('resize-category');
    const header = page.locator('[role=columnheader]').filter({ has: handle });
    const colIndex = await header.getAttribute('aria-colindex');
    const cell = lineRows().filter({ hasText: 'Cancelled in CRM but still billed' }).locator(`[role=gridcell][aria-colindex="${colIndex}"]`);
    const otherCell = lineRows().first().locator(`[role=gridcell][aria-colindex="${colIndex}"]`);
    const width = async (l: import('playwright-core').Locator): Promise<number> => l.evaluate((el) => el.getBoundingClientRect().width);
    const clipped = async (l: import('playwright-core').Locator): Promise<boolean> => l.evaluate((el) => el.scrollWidth > el.clientWidth);
    const scroller = page.getByTestId('grid').locator('xpath=..');
    const scrollWidth = async (): Promise<number> => scroller.evaluate((el) => el.scrollWidth);
    const valueNow = async (): Promise<number> => Number(await handle.getAttribute('aria-valuenow'));
    expect(await cell.innerText()).toBe('Cancelled in CRM but still billed');
    expect(await handle.getAttribute('aria-label')).toBe('Resize Category');
    expect(await handle.getAttribute('aria-orientation')).toBe('vertical');
    const before = { header: await width(header), cell: await width(cell), other: await width(otherCell), scroll: await scrollWidth() };
    expect(await valueNow()).toBe(Math.round(before.header));

    // Drag the handle 120 px to the right, the grid scrolled to its end so the handle has room on screen.
    await scroller.evaluate((el) => (el.scrollLeft = el.scrollWidth));
    await handle.scrollIntoViewIfNeeded();
    const box = (await handle.boundingBox())!;
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    expect(x + 120).toBeLessThan(1366);
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 60, y, { steps: 4 });
    await page.mouse.move(x + 120, y + 30, { steps: 4 }); // off the handle and the header: the drag is captured
    await page.mouse.up();
    expect(await width(header)).toBeCloseTo(before.header + 120, 0);
    expect(await width(cell)).toBeCloseTo(before.cell + 120, 0);
    expect(await width(otherCell)).toBeCloseTo(before.other + 120, 0);
    expect(await valueNow()).toBe(Math.round(before.header) + 120);
    expect(await clipped(cell)).toBe(false);
    // The grid is 120 px wider and still scrolls sideways to its end; the drag sorted nothing.
    expect(await scrollWidth()).toBe(before.scroll + 120);
    expect(await scroller.evaluate((el) => ((el.scrollLeft = el.scrollWidth), el.scrollLeft + el.clientWidth))).toBe(before.scroll + 120);
    expect(await header.getAttribute('aria-sort')).toBe('none');
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page
      .locator('div:has(> [data-testid=record-count])')
      .first()
      .screenshot({ path: join(SCREENSHOT_DIR, 'reconciliation-grid-harness-resized.png'), animations: 'disabled' });

    // Keyboard: the handle takes focus (Tab order: after its header's sort button); Right and Left by 10 px, with Shift by 50.
    await page.getByTestId('column-category').focus();
    await page.keyboard.press('Tab');
    expect(await handle.evaluate((el) => el === document.activeElement)).toBe(true);
    const dragged = await width(header);
    await page.keyboard.press('ArrowRight');
    expect(await width(header)).toBeCloseTo(dragged + 10, 0);
    await page.keyboard.press('Shift+ArrowRight');
    expect(await width(header)).toBeCloseTo(dragged + 60, 0);
    expect(await width(cell)).toBeCloseTo(before.cell + 180, 0);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Shift+ArrowLeft');
    expect(await width(header)).toBeCloseTo(dragged, 0);
    expect(await valueNow()).toBe(Math.round(dragged));

    // Enter fits the column to its widest content shown: the longest label, unclipped and no wider than needed.
    await page.keyboard.press('Enter');
    const fitted = await width(header);
    const widest = await page.evaluate((col) => {
      const range = document.createRange();
      let w = 0;
      document.querySelectorAll(`[role=treegrid] [role=gridcell][aria-colindex="${col}"], [role=columnheader][aria-colindex="${col}"] button`).forEach((el) => {
        range.selectNodeContents(el);
        w = Math.max(w, range.getBoundingClientRect().width);
      });
      return w;
    }, colIndex);
    expect(fitted).toBe(Math.ceil(widest) + 16);
    expect(fitted).toBeLessThan(dragged);
    expect(await clipped(cell)).toBe(false);
    expect(await width(cell)).toBe(fitted);
    // Double-click fits too: the Status column, narrowed first until its labels are cut.
    const status = page.getByTestId('resize-status');
    const statusCells = lineRows().locator(
      `[role=gridcell][aria-colindex="${await page.locator('[role=columnheader]').filter({ has: status }).getAttribute('aria-colindex')}"]`,
    );
    await status.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowLeft');
    expect(await status.getAttribute('aria-valuenow')).toBe('48');
    expect(await statusCells.evaluateAll((cells) => cells.some((c) => c.scrollWidth > c.clientWidth))).toBe(true);
    await status.dblclick();
    expect(Number(await status.getAttribute('aria-valuenow'))).toBeGreaterThan(48);
    expect(await statusCells.evaluateAll((cells) => cells.filter((c) => c.scrollWidth > c.clientWidth).length)).toBe(0);
    const statusWidth = await status.getAttribute('aria-valuenow');

    // No WCAG failures with the handles in the headers (one focused).
    expect(await wcagViolations(page, 'div:has(> [data-testid=record-count])')).toEqual([]);

    // The widths outlast the control: a fresh load in the same session (the page reloaded, the data set fed again) keeps them.
    await loadCsv(file, 7);
    await expect_countAtLeast(lineRows(), 7);
    expect(Number(await handle.getAttribute('aria-valuenow'))).toBe(fitted);
    expect(await width(cell)).toBe(fitted);
    expect(await status.getAttribute('aria-valuenow')).toBe(statusWidth);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await page.evaluate(() => sessionStorage.clear()).catch(() => undefined);
  }
});

/** Waits until a locator matches at least n elements (jest has no such matcher of its own). */
async function expect_countAtLeast(locator: import('playwright-core').Locator, n: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await locator.count()) < n) {
    if (Date.now() > deadline) throw new Error(`expected at least ${n} elements, found ${await locator.count()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
