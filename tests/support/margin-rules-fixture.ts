import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CspbOfferMarginRule } from '../../dataverse/generated';
import { writeSample } from '../../scripts/generate-sample';

/**
 * The clean sample partner with margin rules on two offers and a price list whose price changes
 * mid-window (the renewal price review's hand-computed cases, tests/scripts/renewals.test.ts):
 * - Business Basic (monthly): 20% on cost, floor 15%; Microsoft's price 7.20, then 7.70 from November 10;
 * - Business Standard: a fixed 16.00, floor 10% (on a 15.00 cost: 6.25%, below the floor).
 */
export function writeMarginRulesFixture(dir: string): { snapshot: string; sheet: string } {
  const paths = writeSample(join(dir, 'clean'), { clean: true });
  const data = JSON.parse(readFileSync(paths.snapshot, 'utf8')) as { tables: Record<string, Array<Record<string, unknown>>> };
  for (const o of data.tables['cspb_offer']!) {
    if (o['cspb_name'] === 'Microsoft 365 Business Basic (P1M, monthly)')
      Object.assign(o, { cspb_marginrule: CspbOfferMarginRule.PercentOnCost, cspb_marginpercent: 20, cspb_marginfloor: 15 });
    if (String(o['cspb_name']).startsWith('Microsoft 365 Business Standard'))
      Object.assign(o, { cspb_marginrule: CspbOfferMarginRule.FixedPrice, cspb_marginfixedprice: 16, cspb_marginfloor: 10 });
  }
  const snapshot = join(dir, 'rules.json');
  writeFileSync(snapshot, JSON.stringify(data));
  const sheet = join(dir, 'prices.csv');
  writeFileSync(
    sheet,
    [
      'ProductId,SkuId,TermDuration,BillingPlan,Market,Currency,UnitPrice,EffectiveStartDate,EffectiveEndDate,ERP Price',
      'CFQ7TTC0LH18,0001,P1M,Monthly,US,USD,7.20,2020-01-01,2026-11-09,9.00',
      'CFQ7TTC0LH18,0001,P1M,Monthly,US,USD,7.70,2026-11-10,,9.60',
    ].join('\n') + '\n',
  );
  return { snapshot, sheet };
}
