import fc from 'fast-check';
import { GroupKeys, toRows, type ReconRow } from '../../pcf-controls/ReconciliationGrid/model/rows';
import { EMPTY_ROW_SET, extendRowSet, rowSetOf } from '../../pcf-controls/ReconciliationGrid/model/row-set';
import { categoriesOf, flattenTree, groupTree, linesOf, totalsOf, treeOf } from '../../pcf-controls/ReconciliationGrid/model/view';
import { CspbDiscrepancyCategory } from '../../dataverse/generated/cspb_discrepancy';
import { records } from './support';

const COLUMNS = [
  'cspb_customerid',
  'cspb_vendorsubscriptionid',
  'cspb_billedamount',
  'cspb_expectedamount',
  'cspb_variance',
  'cspb_category',
  'cspb_referenceid',
];
const CATEGORY_VALUES = Object.values(CspbDiscrepancyCategory);

const rawRow = fc.record({
  customer: fc.constantFrom('Contoso', 'Fabrikam', 'Northwind', ''),
  subscription: fc.constantFrom('sub-a', 'sub-b', 'sub-c'),
  billed: fc.integer({ min: -100000, max: 100000 }),
  expected: fc.integer({ min: -100000, max: 100000 }),
  category: fc.constantFrom(...CATEGORY_VALUES),
});

/** Rows of one data set built page by page (one GroupKeys, as the pager does), and the page lengths. */
function pagesOf(raw: { customer: string; subscription: string; billed: number; expected: number; category: number }[], cuts: number[]): ReconRow[][] {
  const groups = new GroupKeys();
  const bounds = [...new Set([0, ...cuts.map((c) => c % (raw.length + 1)), raw.length])].sort((a, b) => a - b);
  const pages: ReconRow[][] = [];
  for (let i = 1; i < bounds.length; i++) {
    const slice = raw.slice(bounds[i - 1], bounds[i]).map((r, j) => ({
      id: `r${bounds[i - 1]! + j}`,
      cspb_customerid: r.customer,
      cspb_vendorsubscriptionid: r.subscription,
      cspb_billedamount: `${r.billed / 100}`,
      cspb_expectedamount: `${r.expected / 100}`,
      cspb_variance: `${(r.billed - r.expected) / 100}`,
      cspb_category: r.category,
      cspb_referenceid: `ref-${bounds[i - 1]! + j}`,
    }));
    pages.push(toRows(COLUMNS, records(slice), groups));
  }
  return pages;
}

const label = (i: ReturnType<typeof flattenTree>[number]): string => (i.kind === 'line' ? i.id : `${i.kind}:${i.key}:${i.count}`);

describe('the row set the pager builds page by page', () => {
  it('gives the same groups, order, totals and categories as all the rows at once, and leaves earlier sets unchanged', () => {
    fc.assert(
      fc.property(fc.array(rawRow, { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 5 }), (raw, cuts) => {
        const pages = pagesOf(raw, cuts);
        const all = pages.flat();
        const sets = [EMPTY_ROW_SET];
        for (const page of pages) sets.push(extendRowSet(sets.at(-1)!, page));
        const set = sets.at(-1)!;
        expect(set.rows).toEqual(all);
        expect(flattenTree(treeOf(set.byGroup, set.rows, null), new Set()).map(label)).toEqual(flattenTree(groupTree(all, null), new Set()).map(label));
        const t = set.totals();
        const expected = totalsOf(all);
        expect([t.count, t.billed.toFixed(), t.expected.toFixed(), t.variance.toFixed(), t.leakage.toFixed(), t.margin.toFixed()]).toEqual([
          expected.count,
          expected.billed.toFixed(),
          expected.expected.toFixed(),
          expected.variance.toFixed(),
          expected.leakage.toFixed(),
          expected.margin.toFixed(),
        ]);
        expect([...set.categories].sort()).toEqual(categoriesOf(all).sort());
        // Each earlier set still holds exactly the rows it was built from.
        sets.forEach((s, i) => {
          const upTo = pages.slice(0, i).flat();
          expect(linesOf(treeOf(s.byGroup, s.rows, null)).length).toBe(upTo.length);
          expect(s.totals().count).toBe(upTo.length);
        });
      }),
    );
  });

  it("sorts a copy of a group's lines, never the set's own", () => {
    const rows = pagesOf(
      [
        { customer: 'Contoso', subscription: 'sub-a', billed: 300, expected: 0, category: CspbDiscrepancyCategory.PriceMismatch },
        { customer: 'Contoso', subscription: 'sub-a', billed: 100, expected: 0, category: CspbDiscrepancyCategory.PriceMismatch },
        { customer: 'Contoso', subscription: 'sub-a', billed: 200, expected: 0, category: CspbDiscrepancyCategory.PriceMismatch },
      ],
      [],
    ).flat();
    const set = rowSetOf(rows);
    const sorted = linesOf(treeOf(set.byGroup, set.rows, { key: 'billed', descending: false })).map((r) => r.id);
    expect(sorted).toEqual(['r1', 'r2', 'r0']);
    expect(linesOf(treeOf(set.byGroup, set.rows, null)).map((r) => r.id)).toEqual(['r0', 'r1', 'r2']);
  });
});
