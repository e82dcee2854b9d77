/**
 * `npm run renewals`: the sample partner's renewals of the next 60 days priced by the margin rules
 * set on its offers and contracts (the snapshot's columns), with Microsoft's price on the renewal
 * day from a price list; the ones below their floor first. Expectations computed here by hand.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CspbBillingContractMarginRule } from '../../dataverse/generated';
import { writeMarginRulesFixture } from '../support/margin-rules-fixture';
import { reviewText } from '../../scripts/renewals';
import { InputError } from '../../scripts/cli-inputs';

let dir: string;
let snapshot: string;
let sheet: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cspb-renewals-'));
  ({ snapshot, sheet } = writeMarginRulesFixture(dir));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("prices each renewal by its rule from Microsoft's price on the renewal day; below the floor first", async () => {
  const text = await reviewText(['--org', snapshot, '--as-of', '2026-11-01', '--price-sheet', sheet]);
  const lines = text.split('\n').slice(1);
  // Business Standard at a fixed 16.00 on a 15.00 cost: margin 1.00 = 6.25% < 10%: every one below, listed first.
  const standard = lines.filter((l) => l.includes("offer 'Microsoft 365 Business Standard"));
  expect(standard.length).toBeGreaterThan(0);
  for (const l of standard) expect(l).toMatch(/^ {2}BELOW FLOOR .*renews at 16\.00 USD \(offer '.*': fixed 16\.00\); margin 1\.00 USD \(6\.25%, floor 10%\)$/);
  const firstOk = lines.findIndex((l) => !l.startsWith('  BELOW FLOOR'));
  expect(lines.slice(firstOk).some((l) => l.startsWith('  BELOW FLOOR'))).toBe(false);
  // Business Basic monthly: before November 10 cost 7.20 -> 8.64 (16.67%); from then 7.70 -> 9.24 (16.67%): above 15%.
  const monthlyBasic = lines.filter((l) => l.includes("offer 'Microsoft 365 Business Basic (P1M, monthly)'"));
  expect(monthlyBasic.length).toBeGreaterThan(0);
  for (const l of monthlyBasic) {
    const day = /renews (\d{4}-\d{2}-\d{2})/.exec(l)![1]!;
    if (day < '2026-11-10') expect(l).toMatch(/cost 7\.20 USD \(.*row 2 .*renews at 8\.64 USD .*margin 1\.44 USD \(16\.67%, floor 15%\)$/);
    else expect(l).toMatch(/cost 7\.70 USD \(.*row 3 .*renews at 9\.24 USD .*margin 1\.54 USD \(16\.67%, floor 15%\)$/);
    expect(l.startsWith('  BELOW FLOOR')).toBe(false);
  }
  expect(text.split('\n')[0]).toMatch(new RegExp(`^Renewals in the next 60 days as of 2026-11-01: \\d+, ${standard.length} below their margin floor$`));
  const onlyBelow = await reviewText(['--org', snapshot, '--as-of', '2026-11-01', '--price-sheet', sheet, '--below-floor']);
  expect(onlyBelow.split('\n').slice(1)).toEqual(standard);
});

it('a rule without its number is refused, naming the row and column', async () => {
  const data = JSON.parse(readFileSync(snapshot, 'utf8')) as { tables: Record<string, Array<Record<string, unknown>>> };
  Object.assign(data.tables['cspb_billingcontract']![0]!, { cspb_marginrule: CspbBillingContractMarginRule.DiscountOffErp, cspb_marginpercent: null });
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify(data));
  await expect(reviewText(['--org', bad, '--as-of', '2026-11-01'])).rejects.toThrow(InputError);
  await expect(reviewText(['--org', bad, '--as-of', '2026-11-01'])).rejects.toThrow(
    /cspb_billingcontract .*\.cspb_marginpercent: a discount-off-ERP margin rule needs its percent/,
  );
});
