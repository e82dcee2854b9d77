import { Decimal } from '../../core/src/money';
import { amountOf, categoryOf, GroupKeys, mapColumns, toRows, type ReconRow } from '../../pcf-controls/ReconciliationGrid/model/rows';
import {
  filterRows,
  flattenTree,
  formatMoney,
  groupOrdered,
  groupTree,
  linesOf,
  NO_FILTER,
  sortRows,
  totalsOf,
} from '../../pcf-controls/ReconciliationGrid/model/view';
import { rowsToCsv } from '../../pcf-controls/ReconciliationGrid/model/csv';
import { FINDINGS_CSV_HEADER } from '../../dataverse/src/mappers/findings-csv';
import { fixedText } from '../../pcf-controls/ReconciliationGrid/model/exact';
import { CspbDiscrepancyCategory, CspbDiscrepancyResolutionStatus } from '../../dataverse/generated/cspb_discrepancy';
import { records } from './support';

const DATASET_COLUMNS = [
  'cspb_name',
  'cspb_customerid',
  'cspb_vendorsubscriptionid',
  'cspb_subscriptionid',
  'cspb_chargetype',
  'cspb_billedquantity',
  'cspb_expectedquantity',
  'cspb_billedamount',
  'cspb_expectedamount',
  'cspb_variance',
  'cspb_margin',
  'cspb_category',
  'cspb_resolutionstatus',
  'cspb_currencycode',
  'cspb_referenceid',
];

function discrepancyRows(): ReconRow[] {
  const raw = [
    {
      id: 'd1',
      cspb_customerid: 'Contoso',
      cspb_vendorsubscriptionid: 'sub-a',
      cspb_chargetype: 'addQuantity',
      cspb_billedquantity: 12,
      cspb_expectedquantity: 10,
      cspb_billedamount: 0.1,
      cspb_expectedamount: 0.2,
      cspb_variance: -0.1,
      cspb_category: CspbDiscrepancyCategory.QuantityMismatch,
      cspb_resolutionstatus: CspbDiscrepancyResolutionStatus.Open,
      cspb_currencycode: 'USD',
      cspb_referenceid: 'ref-2',
    },
    {
      id: 'd2',
      cspb_customerid: 'Contoso',
      cspb_vendorsubscriptionid: 'sub-a',
      cspb_chargetype: 'removeQuantity',
      cspb_billedquantity: 10,
      cspb_expectedquantity: 10,
      cspb_billedamount: 0.2,
      cspb_expectedamount: 0.1,
      cspb_variance: 0.1,
      cspb_category: CspbDiscrepancyCategory.PriceMismatch,
      cspb_resolutionstatus: CspbDiscrepancyResolutionStatus.Accepted,
      cspb_currencycode: 'USD',
      cspb_referenceid: 'ref-1',
    },
    {
      id: 'd3',
      cspb_customerid: 'Fabrikam',
      cspb_vendorsubscriptionid: 'sub-b',
      cspb_chargetype: 'cycleCharge',
      cspb_billedamount: 100.7,
      cspb_expectedamount: 0,
      cspb_variance: 100.7,
      cspb_category: CspbDiscrepancyCategory.RevenueLeakage,
      cspb_resolutionstatus: CspbDiscrepancyResolutionStatus.Open,
      cspb_currencycode: 'USD',
      cspb_referenceid: 'ref-3',
    },
    {
      id: 'd4',
      cspb_customerid: 'Fabrikam',
      cspb_vendorsubscriptionid: 'sub-c',
      cspb_chargetype: 'new',
      // Sold below cost: billed (cost) 7.3, expected (customer revenue) 5, variance +2.3, margin -2.3.
      cspb_billedamount: 7.3,
      cspb_expectedamount: 5,
      cspb_variance: 2.3,
      cspb_margin: -2.3,
      cspb_category: CspbDiscrepancyCategory.NegativeMargin,
      cspb_resolutionstatus: CspbDiscrepancyResolutionStatus.Resolved,
      cspb_currencycode: 'USD',
      cspb_referenceid: 'ref-4',
    },
  ];
  return toRows(DATASET_COLUMNS, records(raw));
}

describe('rows from a discrepancy data set', () => {
  it('groups by the CRM names, else the bill customer and vendor subscription id, never a record id', () => {
    const columns = ['cspb_customerid', 'cspb_customername', 'cspb_subscriptionid', 'cspb_vendorsubscriptionid', 'cspb_rule', 'cspb_explanation'];
    const cells: Record<string, Record<string, { raw: unknown; formatted: string }>> = {
      k1: {
        cspb_customerid: { raw: '0b9a3c0e-0000-4000-8000-000000000001', formatted: 'Contoso Ltd' },
        cspb_subscriptionid: { raw: '0b9a3c0e-0000-4000-8000-0000000000aa', formatted: 'Contoso M365 BS' },
        cspb_vendorsubscriptionid: { raw: 'sub-a', formatted: 'sub-a' },
        cspb_rule: { raw: 'Unit price cut to cents, times quantity', formatted: '' },
      },
      // A customer CRM does not know: the lookup is empty, the bill's name is kept.
      k2: {
        cspb_customerid: { raw: '0b9a3c0e-0000-4000-8000-000000000002', formatted: '' },
        cspb_customername: { raw: 'Unlisted Customer Ltd', formatted: '' },
        cspb_vendorsubscriptionid: { raw: 'sub-ghost', formatted: '' },
      },
    };
    const source = Object.keys(cells).map((id) => ({ id, get: (c: string) => cells[id]![c] ?? { raw: null, formatted: '' } }));
    const rows = toRows(columns, source).map((r) => [r.customer, r.subscription, r.rule]);
    expect(rows).toEqual([
      ['Contoso Ltd', 'Contoso M365 BS', 'Unit price cut to cents, times quantity'],
      ['Unlisted Customer Ltd', 'sub-ghost', ''],
    ]);
  });

  it('maps logical names, choice values and numbers', () => {
    const rows = discrepancyRows();
    expect(rows[0]).toMatchObject({
      id: 'd1',
      customer: 'Contoso',
      subscription: 'sub-a',
      category: 'quantityMismatch',
      status: 'open',
      chargeType: 'addQuantity',
    });
    expect(fixedText(rows[0]!.billedQuantity!)).toBe('12');
    expect(rows[1]!.status).toBe('accepted');
    expect(rows[2]!.category).toBe('revenueLeakage');
    expect(rows[3]!.status).toBe('resolved');
  });

  it('reads the harness CSV spelling (header names, labels, formatted text)', () => {
    const map = mapColumns(['Customer', 'Subscription', 'Charge Type', 'Billed', 'Expected', 'Variance', 'Category', 'Status']);
    expect(map).toMatchObject({ customer: 'Customer', chargeType: 'Charge Type', billed: 'Billed', category: 'Category' });
    expect(categoryOf({ raw: 'Quantity mismatch', formatted: 'Quantity mismatch' })).toBe('quantityMismatch');
    expect(categoryOf({ raw: 'revenueLeakage', formatted: '' })).toBe('revenueLeakage');
    expect(categoryOf({ raw: 'something else', formatted: 'something else' })).toBeNull();
  });

  it('parses formatted money exactly, with separators, symbols and accounting negatives', () => {
    const text = (raw: unknown, formatted: string): string | null => {
      const f = amountOf({ raw, formatted });
      return f === null ? null : fixedText(f);
    };
    expect(text(null, '$1,234.56')).toBe('1234.56');
    expect(text(null, '($12.30)')).toBe('-12.3');
    expect(text(null, '-0.01 €')).toBe('-0.01');
    expect(text(0.1, 'ignored')).toBe('0.1');
    expect(text(1e-7, 'ignored')).toBe('0.0000001');
    expect(text(1.5e21, 'ignored')).toBe('1500000000000000000000');
    expect(text('12345678901234567.89', '')).toBe('12345678901234567.89');
    expect(text(Number.NaN, '')).toBeNull();
    expect(text('', '')).toBeNull();
  });

  it('derives the variance when the data set has none', () => {
    const rows = toRows(['Billed', 'Expected'], records([{ Billed: '10.10', Expected: '7.05' }]));
    expect(fixedText(rows[0]!.variance)).toBe('3.05');
  });
});

describe('filter, sort, group, totals', () => {
  it('totals exactly where floats would not (0.1 + 0.2)', () => {
    const t = totalsOf(discrepancyRows());
    expect(t.billed.toString()).toBe('108.3');
    expect(t.expected.toString()).toBe('5.3');
    expect(t.variance.toString()).toBe('103');
    expect(t.leakage.toString()).toBe('100.7');
    expect(t.margin.toString()).toBe('-2.3');
    expect(0.1 + 0.2).not.toBe(0.3); // why decimal.js
    const pair = totalsOf(discrepancyRows().slice(0, 2));
    expect(pair.billed.toString()).toBe('0.3');
  });

  it('filters by category, status, customer and search text, combined', () => {
    const rows = discrepancyRows();
    expect(filterRows(rows, NO_FILTER)).toHaveLength(4);
    expect(filterRows(rows, { ...NO_FILTER, categories: ['revenueLeakage', 'negativeMargin'] }).map((r) => r.id)).toEqual(['d3', 'd4']);
    expect(filterRows(rows, { ...NO_FILTER, statuses: ['open'] }).map((r) => r.id)).toEqual(['d1', 'd3']);
    expect(filterRows(rows, { ...NO_FILTER, customers: ['Contoso'], statuses: ['accepted'] }).map((r) => r.id)).toEqual(['d2']);
    expect(filterRows(rows, { ...NO_FILTER, search: 'CYCLE' }).map((r) => r.id)).toEqual(['d3']);
    expect(filterRows(rows, { ...NO_FILTER, search: 'never re-billed' }).map((r) => r.id)).toEqual(['d3']); // category label
  });

  it('sorts by money as numbers and keeps wipe/recreate pairs by reference id otherwise', () => {
    const rows = discrepancyRows();
    expect(sortRows(rows.slice(), { key: 'variance', descending: false }).map((r) => r.id)).toEqual(['d1', 'd2', 'd4', 'd3']);
    expect(sortRows(rows.slice(), { key: 'variance', descending: true }).map((r) => r.id)).toEqual(['d3', 'd4', 'd2', 'd1']);
    expect(sortRows(rows.slice(), { key: 'margin', descending: false }).map((r) => r.id)[0]).toBe('d4');
    expect(sortRows(rows.slice(), null).map((r) => r.referenceId)).toEqual(['ref-1', 'ref-2', 'ref-3', 'ref-4']);
  });

  it('groups by customer then subscription as a flat list; collapsing hides members', () => {
    const sorted = sortRows(discrepancyRows(), null);
    const items = flattenTree(groupTree(sorted, 'keep'), new Set());
    expect(items.map((i) => (i.kind === 'line' ? i.id : `${i.kind}:${i.label}:${i.count}`))).toEqual([
      'customer:Contoso:2',
      'subscription:sub-a:2',
      'd2',
      'd1',
      'customer:Fabrikam:2',
      'subscription:sub-b:1',
      'd3',
      'subscription:sub-c:1',
      'd4',
    ]);
    const collapsed = flattenTree(groupTree(sorted, 'keep'), new Set(['Contoso', 'Fabrikam\u0001sub-b']));
    expect(collapsed.map((i) => (i.kind === 'line' ? i.id : i.label))).toEqual(['Contoso', 'Fabrikam', 'sub-b', 'sub-c', 'd4']);
  });

  it('groups in one pass keeping the data set order; a filter of that order regroups to the same groups', () => {
    const rows = discrepancyRows();
    const label = (i: ReturnType<typeof flattenTree>[number]): string => (i.kind === 'line' ? i.id : `${i.kind}:${i.label}:${i.count}`);
    const tree = groupTree(rows, null);
    // No sort: lines in the order given (d1 before d2), groups by name.
    expect(flattenTree(tree, new Set()).map(label)).toEqual([
      'customer:Contoso:2',
      'subscription:sub-a:2',
      'd1',
      'd2',
      'customer:Fabrikam:2',
      'subscription:sub-b:1',
      'd3',
      'subscription:sub-c:1',
      'd4',
    ]);
    const ordered = linesOf(tree);
    expect(flattenTree(groupOrdered(ordered), new Set()).map(label)).toEqual(flattenTree(tree, new Set()).map(label));
    const open = filterRows(ordered, { ...NO_FILTER, statuses: ['open'] });
    expect(flattenTree(groupOrdered(open), new Set()).map(label)).toEqual(
      flattenTree(groupTree(filterRows(rows, { ...NO_FILTER, statuses: ['open'] }), null), new Set()).map(label),
    );
    // A column sort sorts inside each subscription.
    expect(linesOf(groupTree(rows, { key: 'variance', descending: true })).map((r) => r.id)).toEqual(['d2', 'd1', 'd3', 'd4']);
  });

  it('shares one group key per subscription across the pages of a data set, and groups rows built apart by text in their order', () => {
    const columns = ['Customer', 'Subscription', 'Billed'];
    const page = (ids: string[], sub: string): ReturnType<typeof records> =>
      records(ids.map((id) => ({ id, Customer: 'Contoso', Subscription: sub, Billed: '1' })));
    const groups = new GroupKeys();
    const first = toRows(columns, page(['p1', 'p2'], 'sub-a'), groups);
    const second = toRows(columns, page(['p3'], 'sub-a'), groups);
    expect(second[0]!.group).toBe(first[0]!.group);
    expect(second[0]!.customer).toBe(first[0]!.customer);
    // Rows of one subscription built without a shared GroupKeys, interleaved: one group, the rows' order kept.
    const apart = [
      toRows(columns, page(['a1'], 'sub-a'))[0]!,
      toRows(columns, page(['b1'], 'sub-b'))[0]!,
      toRows(columns, page(['a2'], 'sub-a'))[0]!,
      toRows(columns, page(['a3'], 'sub-a'))[0]!,
    ];
    expect(apart[0]!.group).not.toBe(apart[2]!.group);
    const tree = groupTree(apart, null);
    expect(tree).toHaveLength(1);
    expect(tree[0]!.subscriptions.map((s) => [s.label, s.lines.map((r) => r.id)])).toEqual([
      ['sub-a', ['a1', 'a2', 'a3']],
      ['sub-b', ['b1']],
    ]);
  });

  it('formats money with exact digits', () => {
    expect(formatMoney(new Decimal('1234567.5'), 'USD')).toBe('USD\u00a01,234,567.50');
    expect(formatMoney(new Decimal('1234567.5'), 'EUR', 'de-DE')).toBe('1.234.567,50\u00a0EUR');
    expect(formatMoney(new Decimal('1234567'), 'JPY', 'ja-JP')).toBe('JPY\u00a01,234,567');
    expect(formatMoney(new Decimal('-0.125'))).toBe('-0.125');
  });
});

describe('CSV export', () => {
  it('neutralises formulas in every text cell and quotes separators', () => {
    const rows = toRows(
      ['Customer', 'Subscription', 'Product', 'Billed', 'Expected', 'Category'],
      records([{ Customer: '=HYPERLINK("http://x")', Subscription: '+1', Product: 'A, "B"', Billed: '1.10', Expected: '1', Category: '@SUM(A1)' }]),
    );
    const csv = rowsToCsv(rows).split('\r\n');
    // The one findings CSV (the run form's command-bar export writes the same header): labels, not logical names.
    expect(csv[0]).toBe(FINDINGS_CSV_HEADER.join(','));
    expect(csv[0]).toMatch(/^Customer name,Vendor subscription id,Product,.*,Category,Status,Resolution note,Decision from,Rule,Explanation$/);
    expect(csv[1]).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(csv[1]).toContain(`,'+1,`);
    expect(csv[1]).toContain(`"A, ""B"""`);
    expect(csv[1]).toContain(`'@SUM(A1)`);
    expect(csv[1]).toContain(',1.1,1,0.1,');
  });
});
