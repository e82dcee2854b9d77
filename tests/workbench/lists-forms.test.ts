/**
 * Model-driven basics of the workbench's lists and forms, in chromium against the sample org:
 * Quick Find over the view's find columns, header sorting, the empty state, Ctrl+S with its saved
 * notice, and the prompt before unsaved changes are lost. Each outcome is checked in the org.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openBrowser, SCREENSHOT_DIR, type Browser } from '../support/browser';
import { startWorkbench, type Workbench } from '../../scripts/workbench/server';
import { CspbInvoiceKind } from '../../dataverse/generated/cspb_invoice';

jest.setTimeout(120_000);
jest.retryTimes(1, { logErrorsBeforeRetry: true });

let wb: Workbench;
let browser: Browser;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  wb = await startWorkbench();
  browser = await openBrowser();
  page = browser.page;
  page.on('pageerror', (e) => errors.push(e.message));
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await wb?.close();
});

type Row = Record<string, unknown>;
const rows = async (set: string, filter?: string): Promise<Row[]> => (await wb.org.retrieveMultiple<Row>(set, filter ? { filter } : {})).value;
const shownIds = (): Promise<string[]> => page.locator('[data-testid="list"] tr.row').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id') ?? ''));

test('Quick Find searches the view’s find columns; an empty result says so', async () => {
  const subs = await rows('cspb_subscriptions');
  const vendorId = String(subs.find((s) => s['cspb_vendorsubscriptionid'])!['cspb_vendorsubscriptionid']);
  const prefix = vendorId.slice(0, 6);
  // Independent expectation: active subscriptions whose name or vendor subscription id begins with the text.
  const expected = subs
    .filter((s) => [s['cspb_name'], s['cspb_vendorsubscriptionid']].some((v) => typeof v === 'string' && v.toLowerCase().startsWith(prefix.toLowerCase())))
    .map((s) => String(s['cspb_subscriptionid']));
  expect(expected.length).toBeGreaterThan(0);
  await page.goto(`${wb.url}#/list/cspb_subscription`);
  await page.getByTestId('list').waitFor();
  await page.getByTestId('quick-find').fill(prefix);
  await page.getByTestId('quick-find').press('Enter');
  await page
    .getByTestId('list-count')
    .filter({ hasText: `${expected.length} ${expected.length === 1 ? 'row' : 'rows'}` })
    .waitFor();
  expect((await shownIds()).sort()).toEqual([...expected].sort());

  await page.getByTestId('quick-find').fill('zz-no-such-subscription');
  await page.getByTestId('quick-find').press('Enter');
  await page.getByTestId('list-empty').waitFor();
  expect(await page.getByTestId('list-empty').innerText()).toBe('No subscriptions begin with "zz-no-such-subscription".');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'workbench-list-empty-search.png'), fullPage: true });
  await page.getByTestId('quick-find').fill('');
  await page.getByTestId('quick-find').press('Enter');
  await page
    .getByTestId('list-count')
    .filter({ hasText: /^(?!0 rows)/ })
    .waitFor();
});

test('a column header sorts the list by that column, ascending then descending, and says so', async () => {
  await page.goto('about:blank'); // a fresh shell: no search left from another test
  await page.goto(`${wb.url}#/list/cspb_subscription`);
  await page.getByTestId('list').waitFor();
  const quantities = async () =>
    (await page.locator('[data-testid="list"] tr.row').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id') ?? ''))).length;
  expect(await quantities()).toBeGreaterThan(2);
  const byId = new Map((await rows('cspb_subscriptions')).map((s) => [String(s['cspb_subscriptionid']), Number(s['cspb_quantity'])]));
  const header = page.locator('th', { has: page.getByTestId('sort-cspb_quantity') });
  await page.getByTestId('sort-cspb_quantity').click();
  await page.locator('th[aria-sort="ascending"]').waitFor();
  const ascending = (await shownIds()).map((id) => byId.get(id)!);
  expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
  expect(ascending[0]).toBe(Math.min(...byId.values()));
  expect(await header.getAttribute('aria-sort')).toBe('ascending');
  await page.getByTestId('sort-cspb_quantity').click();
  await page.locator('th[aria-sort="descending"]').waitFor();
  const descending = (await shownIds()).map((id) => byId.get(id)!);
  expect(descending).toEqual([...descending].sort((a, b) => b - a));
  expect(descending[0]).toBe(Math.max(...byId.values()));
  // Lookups are not sortable from the header (the Web API would order them by id, not by the name shown).
  expect(await page.getByTestId('sort-cspb_customerid').count()).toBe(0);
});

test('Ctrl+S saves only the form’s changes and says Saved; leaving unsaved changes asks first, and Stay keeps them', async () => {
  const contract = (await rows('cspb_billingcontracts'))[0]!;
  const id = String(contract['cspb_billingcontractid']);
  const name = String(contract['cspb_name']);
  await page.goto(`${wb.url}#/form/cspb_billingcontract/${id}`);
  const nameInput = page.locator('[data-control="cspb_name"] input');
  await nameInput.waitFor();
  expect(await nameInput.inputValue()).toBe(name);

  // Typing, then leaving: the prompt; Stay keeps the page and the typed text, the org is untouched.
  await nameInput.fill(`${name} (renamed)`);
  await nameInput.press('Tab');
  await page.getByTestId('nav-cspb_subscription').click();
  await page.getByTestId('confirm-dialog').filter({ hasText: 'unsaved changes' }).waitFor();
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'workbench-unsaved-prompt.png'), fullPage: true });
  await page.getByTestId('dialog-cancel').click();
  expect(page.url()).toContain(`#/form/cspb_billingcontract/${id}`);
  expect(await nameInput.inputValue()).toBe(`${name} (renamed)`);
  expect((await wb.org.retrieve<Row>('cspb_billingcontracts', id))['cspb_name']).toBe(name);

  // Ctrl+S saves (while the cursor is still in the field) and the reopened form says so.
  await nameInput.fill(`${name} (saved)`);
  const before = (await wb.org.retrieve<Row>('cspb_billingcontracts', id))['modifiedon'];
  await nameInput.press('Control+s');
  await page.getByTestId('saved-notice').waitFor();
  const after = await wb.org.retrieve<Row>('cspb_billingcontracts', id);
  expect(after['cspb_name']).toBe(`${name} (saved)`);
  expect(after['modifiedon']).not.toBe(before);
  // Only the changed column was written: every other column reads as it did.
  for (const [k, v] of Object.entries(contract))
    if (!['cspb_name', 'modifiedon', 'versionnumber', '@odata.etag'].includes(k)) expect([k, after[k]]).toEqual([k, v]);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'workbench-saved.png'), fullPage: true });

  // A saved form leaves without asking; a changed one asked and Leave drops the change.
  await nameInput.fill(`${name} (dropped)`);
  await nameInput.press('Tab');
  await page.getByTestId('nav-cspb_subscription').click();
  await page.getByTestId('confirm-dialog').waitFor();
  await page.getByTestId('dialog-ok').click();
  await page.getByTestId('list').waitFor();
  expect((await wb.org.retrieve<Row>('cspb_billingcontracts', id))['cspb_name']).toBe(`${name} (saved)`);
  await page.getByTestId('nav-cspb_billingcontract').click();
  await page.getByTestId('list').waitFor();
  expect(await page.getByTestId('confirm-dialog').count()).toBe(0);
  expect(errors).toEqual([]);
});

test('Invoice a period (the Invoice runs list): last month for every contract, or another month on a prefilled new run', async () => {
  const today = new Date();
  const first = new Date(Date.UTC(today.getFullYear(), today.getMonth() - 1, 1));
  const last = new Date(Date.UTC(today.getFullYear(), today.getMonth(), 0));
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  const monthText = first.toLocaleDateString('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' });

  // "Another month…": a new invoice run opens with last month filled in (formParameters), nothing saved yet.
  await page.goto(`${wb.url}#/list/cspb_invoicerun`);
  await page.getByTestId('list').waitFor();
  const runsBefore = (await rows('cspb_invoiceruns')).length;
  await page.getByTestId('cmd-InvoicePeriod').click();
  await page.getByTestId('confirm-dialog').filter({ hasText: monthText }).waitFor();
  await page.getByTestId('dialog-cancel').click();
  await page.waitForURL(/#\/new\/cspb_invoicerun$/);
  await page.locator('[data-control="cspb_periodend"] input').waitFor();
  expect(await page.locator('[data-control="cspb_periodstart"] input').inputValue()).toBe(iso(first));
  expect(await page.locator('[data-control="cspb_periodend"] input').inputValue()).toBe(iso(last));
  expect(await page.locator('[data-control="cspb_name"] input').inputValue()).toContain(monthText);
  expect((await rows('cspb_invoiceruns')).length).toBe(runsBefore);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'workbench-invoice-period-form.png'), fullPage: true });

  // Confirmed: one run of last month with no contract (every contract due), completed, opened.
  await page.getByTestId('nav-cspb_invoicerun').click();
  await page.getByTestId('confirm-dialog').waitFor(); // the prefilled form's values are unsaved changes
  await page.getByTestId('dialog-ok').click();
  await page.getByTestId('list').waitFor();
  await page.getByTestId('cmd-InvoicePeriod').click();
  await page.getByTestId('confirm-dialog').filter({ hasText: monthText }).waitFor();
  await page.getByTestId('dialog-ok').click();
  // The run's outcome, in words, then the run opens.
  await page.getByTestId('alert-dialog').filter({ hasText: monthText }).waitFor({ timeout: 60_000 });
  await page.getByTestId('dialog-ok').click();
  await page.waitForURL(/#\/form\/cspb_invoicerun\/[0-9a-f-]{36}$/, { timeout: 60_000 });
  const runs = await rows('cspb_invoiceruns');
  expect(runs).toHaveLength(runsBefore + 1);
  const run = runs.find((r) => page.url().endsWith(String(r['cspb_invoicerunid'])))!;
  expect(run).toMatchObject({ cspb_periodstart: iso(first), cspb_periodend: iso(last), _cspb_contractid_value: null, cspb_runstatus: 100000002 });
  // When the sample partner already sent that month's invoices (they include the month before's Azure usage),
  // re-invoicing it without a usage bill leaves the usage as issued: no credit note, and the run says why.
  const sent = (await rows('cspb_invoices', `cspb_periodstart eq ${iso(first)} and cspb_invoicestatus eq 100000001`)).length;
  if (sent > 0) {
    const drafted = await rows('cspb_invoices', `_cspb_runid_value eq ${String(run['cspb_invoicerunid'])}`);
    expect(drafted.filter((i) => i['cspb_kind'] === CspbInvoiceKind.CreditNote)).toEqual([]);
    expect(String(run['cspb_warnings'])).toMatch(/no usage bill among the inputs for [A-Z][a-z]{2} \d{4}: its issued usage lines stand as issued/);
  }
  expect(errors).toEqual([]);
});

test('a French user reads money, dates and the form scripts’ texts in French (userSettings.languageId)', async () => {
  const invoice = (await rows('cspb_invoices')).find((i) => Number(i['cspb_total']) >= 1000)!;
  expect(invoice).toBeDefined();
  await page.goto(`${wb.url}#/list/cspb_invoice`);
  await page.getByTestId('language').selectOption('1036');
  await page.getByTestId('list').waitFor();
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr-FR');
  const cells = (await page.locator(`[data-testid="list"] tr[data-id="${String(invoice['cspb_invoiceid'])}"] td`).allInnerTexts()).map((t) =>
    t.replace(/[\u202f\u00a0]/g, ' '),
  );
  // Independent expectation: the total written by hand in French (space-grouped, comma decimals, the code after).
  const [whole, cents] = Number(invoice['cspb_total']).toFixed(2).split('.');
  const frenchTotal = `${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ' ')},${cents} ${String(invoice['cspb_currencycode'])}`;
  expect(cells).toContain(frenchTotal);
  // The period start as a French date ("1 oct. 2026").
  expect(cells.some((c) => /^\d{1,2} [a-zéû]+\.? \d{4}$/.test(c))).toBe(true);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'workbench-french-invoices.png'), fullPage: true });
  // Back to English for whoever comes next.
  await page.getByTestId('language').selectOption('1033');
  await page.getByTestId('list').waitFor();
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('en-US');
  expect(errors).toEqual([]);
});
