/**
 * Parity: the same partner and bills through the CLI (`npm run reconcile`, `npm run invoice`) and
 * through Dynamics (the local org with the suite's steps: billing imports, a reconciliation run,
 * invoice runs) give identical discrepancies and invoices, field by field, to the cent.
 * Partners are generated from seeds (scripts/sample-data, with `variety`): renewals, monthly,
 * annual and triennial plans, USD, EUR and JPY contracts (with their exchange rates), seat changes,
 * cancellations, Azure usage, and on most seeds a bill with one planted finding of
 * every kind (missing, extra, duplicated, shifted, mispriced lines...); every fourth seed is clean.
 * Three-way: both months' invoices are issued (Dynamics, numbered by issueDraft) or passed with
 * --invoices (CLI), so Microsoft cost that no customer line carries is revenue leakage on both paths.
 * Corrections: prices cut after November was issued give the same credit notes and supplements,
 * bound to the same issued rows, in Dynamics and in the CLI run on the org's snapshot.
 */
import { isExplained } from '../../core/src';
import { CspbInvoiceKind as InvoiceKind, CspbOfferBillingPlan as Plan } from '../../dataverse/generated';
import { CATEGORY } from '../../dataverse/src/runs';
import { generateSample } from '../../scripts/sample-data';
import { asStored, cliPath, correctionsStage, differences, dynamicsPath, withoutRun } from './support';

jest.setTimeout(120_000);

// The CLI prints a line per bill read on stderr; 150 of them would bury the test output.
beforeAll(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
afterAll(() => jest.restoreAllMocks());

/**
 * 50 seeds (CSPB_PARITY_SEEDS to change), every fourth clean. A random partner too small for one of
 * the plantings (the generator says "sample too small") is passed over for the next seed.
 */
function seeds(count: number): number[] {
  const out: number[] = [];
  for (let seed = 7_000; out.length < count; seed += 101) {
    try {
      generateSample({ seed, clean: seed % 4 === 0, variety: true });
      out.push(seed);
    } catch (error) {
      if (!/sample too small/.test((error as Error).message)) throw error;
    }
  }
  return out;
}
const SEEDS = seeds(Number(process.env['CSPB_PARITY_SEEDS'] ?? 50));

test.each(SEEDS)('parity of seed %i: every run completes, and Dynamics equals the CLI to the cent', async (seed) => {
  const sample = generateSample({ seed, clean: seed % 4 === 0, variety: true });
  const month = { snapshot: sample.snapshot, licenceCsv: sample.licenceCsv, usageCsv: sample.usageCsv };
  const cli = await cliPath(month);
  const dynamics = await dynamicsPath(month);
  expect(differences(withoutRun(cli), asStored(cli, dynamics)).map((d) => JSON.stringify(d))).toEqual([]);
  // Not vacuous: every planted kind of finding is among those stored, and some contract is invoiced.
  const stored = new Set([...cli.findings.values()].map((row) => row['cspb_category']));
  const planted = sample.planted.filter((p) => !isExplained(p.category)).map((p) => CATEGORY[p.category]);
  expect(planted.filter((c) => !stored.has(c))).toEqual([]);
  const leakage = [...dynamics.findings.values()].filter((row) => row['cspb_category'] === CATEGORY.revenueLeakage);
  if (seed % 4 === 0) {
    // A clean partner: every customer has a contract, every subscription is on an issued invoice.
    expect(sample.planted).toEqual([]);
    expect(leakage).toEqual([]);
  } else {
    expect(planted.length).toBeGreaterThan(5);
    // Customers without a contract are invoiced by nobody: their Microsoft cost is leakage, and the run's total says so.
    expect(leakage.length).toBeGreaterThan(0);
    expect(dynamics.totals['cspb_totalleakage']).toBeGreaterThan(0);
  }
  expect(cli.invoices.size).toBeGreaterThan(0);
  // Not vacuous either: EUR and JPY invoices (yen in whole units), and triennial subscriptions invoiced.
  const invoices = [...cli.invoices.values()];
  expect(new Set(invoices.map(({ invoice }) => invoice['cspb_currencycode']))).toEqual(new Set(['USD', 'EUR', 'JPY']));
  for (const { invoice } of invoices.filter(({ invoice }) => invoice['cspb_currencycode'] === 'JPY'))
    expect(Number.isInteger(invoice['cspb_total'])).toBe(true);
  const triennialOffers = new Set(sample.snapshot.tables.cspb_offer.filter((o) => o.cspb_billingplan === Plan.Triennial).map((o) => o.cspb_offerid));
  const triennial = new Set(
    sample.snapshot.tables.cspb_subscription.filter((x) => triennialOffers.has(x._cspb_offerid_value ?? '')).map((x) => x.cspb_subscriptionid),
  );
  expect(invoices.some(({ lines }) => lines.some((l) => triennial.has(String(l['_cspb_subscriptionid_value']))))).toBe(true);

  // Corrections after issue: Dynamics' credit notes and supplements equal the CLI's from the org's snapshot.
  const corrections = await correctionsStage(dynamics.org, month);
  expect(differences(corrections.cli, asStored(corrections.cli, corrections.dynamics)).map((d) => JSON.stringify(d))).toEqual([]);
  // Every partner has invoiced active subscriptions: the stage is never empty.
  expect(corrections.changed).toBeGreaterThan(0);
  {
    const kinds = [...corrections.cli.invoices.values()].map(({ invoice }) => invoice['cspb_kind']);
    expect(kinds).toContain(InvoiceKind.CreditNote);
    expect([...corrections.cli.invoices.values()].every(({ invoice }) => typeof invoice['_cspb_creditofid_value'] === 'string')).toBe(true);
  }
});
