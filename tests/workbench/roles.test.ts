/**
 * The workbench as each person docs/ADMIN.md gives a role to, in chromium, with the server side in
 * webhook mode (host over HTTP acting as the integration user, queue on Azurite): the site map shows
 * what the role reads, each screen that role uses works, and the org refuses what the role lacks.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openBrowser, SCREENSHOT_DIR, wcagViolations, type Browser } from '../support/browser';
import { ACT_AS_COOKIE, startWorkbench, WORKBENCH_USERS, type Workbench } from '../../scripts/workbench/server';

jest.setTimeout(150_000);
jest.retryTimes(1, { logErrorsBeforeRetry: true });

let wb: Workbench;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  wb = await startWorkbench();
  browser = await openBrowser();
  page = browser.page;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await wb?.close();
});

const [SALES, FINANCE] = WORKBENCH_USERS;
const navItems = async (): Promise<string[]> =>
  (await page.locator('nav.sitemap a').evaluateAll((as) => as.map((a) => a.getAttribute('data-testid') ?? ''))).map((t) => t.replace('nav-', ''));

/** Signs in as that user: the cookie, then a fresh load of the shell (as a new session would). */
async function actAs(id: string): Promise<void> {
  await page.context().addCookies([{ name: ACT_AS_COOKIE, value: id, url: wb.url }]);
  await page.goto('about:blank');
}

test('Sales sees the sales tables only, and saves a seat change that the webhook host validates and records', async () => {
  await actAs(SALES.id);
  await page.goto(`${wb.url}#/list/cspb_subscription`);
  await page.getByTestId('list').waitFor();
  expect(await page.getByTestId('act-as').inputValue()).toBe(SALES.id);
  // Sales also reads the prices and deals it sells with: price lists, promotions, one-time charges.
  expect(await navItems()).toEqual([
    'account',
    'cspb_subscription',
    'cspb_subscriptionchange',
    'cspb_billingcontract',
    'cspb_pricelist',
    'cspb_pricelistitem',
    'cspb_promotion',
    'cspb_onetimecharge',
    'cspb_offer',
  ]);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'workbench-as-sales.png'), fullPage: true });

  const sub = (
    await wb.org.retrieveMultiple<Record<string, unknown>>('cspb_subscriptions', {
      filter: 'cspb_status eq 100000000 and cspb_customerunitprice ne null',
      top: 1,
    })
  ).value[0]!;
  const id = String(sub['cspb_subscriptionid']);
  const before = Number(sub['cspb_quantity']);
  await page.locator(`tr[data-id="${id}"]`).click();
  await page.locator('[data-id="cspb-sub-ledger"]').waitFor();
  await page.locator('[data-control="cspb_quantity"] input').fill(String(before + 1));
  await page.locator('[data-control="cspb_quantity"] input').press('Tab');
  await page.locator('[data-control="cspb_changereason"] input').fill('One more (as Sales)');
  await page.locator('[data-control="cspb_changereason"] input').press('Tab');
  await page.getByTestId('cmd-save').click();
  const deadline = Date.now() + 30_000;
  let recorded: Record<string, unknown> | undefined;
  while (!recorded && Date.now() < deadline) {
    recorded = (
      await wb.org.retrieveMultiple<Record<string, unknown>>('cspb_subscriptionchanges', {
        filter: `_cspb_subscriptionid_value eq ${id} and cspb_reason eq 'One more (as Sales)'`,
      })
    ).value[0];
    if (!recorded) await new Promise((r) => setTimeout(r, 200));
  }
  expect(recorded).toMatchObject({ cspb_quantitybefore: before, cspb_quantityafter: before + 1 });
  // Sales cannot open the bills, even by URL: the org refuses the read.
  await page.goto(`${wb.url}#/list/cspb_billingimport`);
  await page
    .getByText(/missing prvReadcspb_BillingImport privilege/)
    .first()
    .waitFor();
});

test('Finance sees reconciliation and invoicing, and opens imports and runs', async () => {
  await actAs(FINANCE.id);
  await page.goto(`${wb.url}#/list/cspb_billingimport`);
  await page
    .getByTestId('list')
    .waitFor()
    .catch(async (e: unknown) => {
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'workbench-as-finance-failure.png'), fullPage: true });
      throw e;
    });
  const items = await navItems();
  expect(items).toEqual(
    expect.arrayContaining([
      'cspb_billingimport',
      'cspb_billingline',
      'cspb_reconciliationrun',
      'cspb_discrepancy',
      'cspb_invoicerun',
      'cspb_invoice',
      'cspb_subscription',
    ]),
  );
  await page.goto(`${wb.url}#/list/cspb_reconciliationrun`);
  await page.getByTestId('list').waitFor();
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'workbench-as-finance.png'), fullPage: true });
  // Finance reads offers but cannot change them (docs/ADMIN.md): the form opens read-only and says why.
  const offer = (await wb.org.retrieveMultiple<Record<string, unknown>>('cspb_offers', { top: 1 })).value[0]!;
  await page.goto(`${wb.url}#/form/cspb_offer/${String(offer['cspb_offerid'])}`);
  await page.getByTestId('form-notifications').getByText('Read-only: your security role can read this record but not change it.').waitFor();
  expect(await page.locator('[data-control="cspb_name"] input').isDisabled()).toBe(true);
  expect(await page.getByTestId('cmd-save').isDisabled()).toBe(true);
});

/**
 * Every screen of every role: each site-map entry's list and the form of its first row open without
 * an error (a form's subgrids, lookups and scripts read only what the role may read). The roles are
 * the ones docs/ADMIN.md tells an admin to assign, read from the built managed zip.
 */
test.each(WORKBENCH_USERS.map((u) => [u.name, u.id] as const))(
  '%s opens every list, form and dashboard its site map shows, with no error and no WCAG 2.1 AA violation',
  async (name, id) => {
    await actAs(id);
    const persona = name.toLowerCase().replace(/[^a-z]+/g, '-');
    await page.goto(`${wb.url}#/`);
    await page.getByTestId('list').waitFor();
    const problems: string[] = [];
    const alerts = async (where: string) => {
      // Scripts and subgrids finish after the title shows (some forms poll a run's progress, so the
      // network never idles): give them a moment before reading alerts.
      await page.waitForTimeout(700);
      for (const text of await page.locator('[role=alert]').allInnerTexts()) problems.push(`${where}: ${text}`);
      // axe over the whole shell (site map, command bar, the list or form and its controls), and a screenshot of each screen.
      for (const v of await wcagViolations(page, '#app')) problems.push(`${where}: axe ${v}`);
      await page.screenshot({
        path: join(SCREENSHOT_DIR, `persona-${persona}-${where.replace(/[^a-z_]+/g, '-')}.png`),
        fullPage: true,
        animations: 'disabled',
      });
    };
    for (const table of await navItems()) {
      if (table.startsWith('dashboard-')) {
        await page.goto(`${wb.url}#/dashboard/${table.slice('dashboard-'.length)}`);
        await page.getByTestId(table).or(page.locator('[role=alert]')).first().waitFor({ timeout: 10_000 });
        await alerts(`dashboard ${table}`);
        continue;
      }
      await page.goto(`${wb.url}#/list/${table}`);
      await page.getByTestId('list').or(page.locator('[role=alert]')).first().waitFor({ timeout: 10_000 });
      await alerts(`list ${table}`);
      const rows = page.locator('[data-testid="list"] tr.row');
      const first = (await rows.count()) > 0 ? await rows.first().getAttribute('data-id') : null;
      if (!first) continue;
      await page.goto(`${wb.url}#/form/${table}/${first}`);
      await page.getByTestId('form-title').or(page.locator('[role=alert]')).first().waitFor({ timeout: 10_000 });
      await alerts(`form ${table}`);
    }
    expect(problems).toEqual([]);
  },
);
