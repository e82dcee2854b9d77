/**
 * The page the grid benchmark bundles (esbuild, React 16.14 / Fluent 8.29 from node_modules,
 * production builds): synthetic discrepancy records go through the control's own row adapter,
 * then the ReconciliationGrid view is rendered and timed in the page with performance.now().
 */
import * as React from 'react';
import * as ReactDOM from 'react-dom';
import { setIconOptions } from '@fluentui/react/lib/Styling';
import { ReconciliationGridView } from '../../pcf-controls/ReconciliationGrid/components/ReconciliationGridView';
import { type CellValue, type ReconRow, type SourceRecord } from '../../pcf-controls/ReconciliationGrid/model/rows';
import { DataSetPager, PAGE_SIZE, type PagedDataSet } from '../../pcf-controls/ReconciliationGrid/model/paging';
import { EMPTY_ROW_SET, rowSetOf, type RowSet } from '../../pcf-controls/ReconciliationGrid/model/row-set';
import { categoriesOf, filterRows, flattenTree, groupOrdered, groupTree, linesOf, NO_FILTER, totalsOf } from '../../pcf-controls/ReconciliationGrid/model/view';
import { Random } from '../../scripts/sample-data/random';
import { CspbDiscrepancyCategory, CspbDiscrepancyResolutionStatus } from '../../dataverse/generated/cspb_discrepancy';

declare global {
  interface Window {
    __strings: Record<string, string>;
    __bench: {
      /** The control's own pager (model/paging.ts) fed a data set whose 5,000-record pages arrive one at a time: each update timed, the last apart. */
      build(count: number): { ms: number; lastPageMs: number; rows: number };
      /** withRowSet false: the view gets the rows alone and indexes them in the render. */
      render(withRowSet: boolean): Promise<number>;
      /** Clicks the element and times until the list has rendered the next frame. */
      timeClick(el: HTMLElement): Promise<number>;
      phases: { commit: number; frame: number };
      /** The view model's steps alone (no React) over all rows, then over one category. */
      model(): Record<string, number>;
    };
  }
}

// Dynamics registers Fluent's icon font; this page has none (no CDN), so silence the per-icon warnings.
setIconOptions({ disableWarnings: true });

const COLUMNS = [
  'cspb_name',
  'cspb_customerid',
  'cspb_vendorsubscriptionid',
  'cspb_productname',
  'cspb_chargetype',
  'cspb_chargestartdate',
  'cspb_chargeenddate',
  'cspb_referenceid',
  'cspb_billedquantity',
  'cspb_expectedquantity',
  'cspb_effectiveunitprice',
  'cspb_billedamount',
  'cspb_expectedamount',
  'cspb_variance',
  'cspb_category',
  'cspb_resolutionstatus',
  'cspb_currencycode',
];
const CATEGORIES = Object.values(CspbDiscrepancyCategory);
const STATUSES = Object.values(CspbDiscrepancyResolutionStatus);
const CHARGES = ['new', 'renew', 'cycleCharge', 'addQuantity', 'removeQuantity', 'cancelImmediate'];
const PRODUCTS = [
  'Microsoft 365 E3',
  'Microsoft 365 Business Premium',
  'Exchange Online (Plan 1)',
  'Teams Essentials',
  'Azure plan',
  'Dynamics 365 Sales Enterprise',
];

/** Deterministic synthetic records shaped like the discrepancy data set (raw numbers, formatted text). */
function syntheticRecords(count: number): SourceRecord[] {
  const rnd = Random.stream(42);
  const out: SourceRecord[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const customer = `Customer ${String(Math.floor(rnd() * 500)).padStart(3, '0')}`;
    const sub = `${customer.slice(-3)}-sub-${Math.floor(rnd() * 10)}`;
    const billedQty = Math.floor(rnd() * 50);
    const expectedQty = rnd() < 0.7 ? billedQty : Math.floor(rnd() * 50);
    const eup = Math.round(rnd() * 3600) / 100;
    const billed = Math.round(billedQty * eup * 100) / 100;
    const expected = Math.round(expectedQty * eup * 100) / 100;
    const day = 1 + Math.floor(rnd() * 28);
    const raw: Record<string, unknown> = {
      cspb_name: `D-${i}`,
      cspb_customerid: customer,
      cspb_vendorsubscriptionid: sub,
      cspb_productname: PRODUCTS[i % PRODUCTS.length],
      cspb_chargetype: CHARGES[Math.floor(rnd() * CHARGES.length)],
      cspb_chargestartdate: `10/${day}/2026`,
      cspb_chargeenddate: `11/${day}/2026`,
      cspb_referenceid: `ref-${(i * 7919) % count}`,
      cspb_billedquantity: billedQty,
      cspb_expectedquantity: expectedQty,
      cspb_effectiveunitprice: eup,
      cspb_billedamount: billed,
      cspb_expectedamount: expected,
      cspb_variance: Math.round((billed - expected) * 100) / 100,
      cspb_category: CATEGORIES[Math.floor(rnd() * CATEGORIES.length)],
      cspb_resolutionstatus: STATUSES[Math.floor(rnd() * STATUSES.length)],
      cspb_currencycode: 'USD',
    };
    out[i] = { id: `id-${i}`, get: (c: string): CellValue => ({ raw: raw[c] ?? null, formatted: raw[c] === undefined ? '' : String(raw[c]) }) };
  }
  return out;
}

/** Phases of the last timed action (ms from its start): React's synchronous commit, the next frame, after it. */
export const phases = { commit: 0, frame: 0 };

/** Resolves after the next animation frame and the task that follows it (the frame is painted). */
const nextFrame = (t0: number): Promise<void> =>
  new Promise((resolve) =>
    requestAnimationFrame(() => {
      phases.frame = performance.now() - t0;
      setTimeout(resolve, 0);
    }),
  );

let rows: readonly ReconRow[] = [];

/** The view given bare rows: indexing them (groups, totals, categories) happens inside the render. */
function BareRows(props: { rows: readonly ReconRow[] }): React.ReactElement {
  const set = React.useMemo(() => rowSetOf(props.rows), [props.rows]);
  return <ReconciliationGridView rowSet={set} strings={strings} actions={null} onExport={() => undefined} />;
}
let rowSet: RowSet = EMPTY_ROW_SET;
const root = document.getElementById('root')!;
const strings = (k: string): string => window.__strings[k] ?? k;

window.__bench = {
  build(count) {
    const records = syntheticRecords(count);
    const byId = new Map(records.map((r) => [r.id, r]));
    // The platform's data set as the control's pager sees it: one 5,000-record page more per loadNextPage.
    let loaded = Math.min(PAGE_SIZE, count);
    let ids: readonly string[] = records.slice(0, loaded).map((r) => r.id);
    let version = {};
    const dataset: PagedDataSet = {
      loading: false,
      get sortedRecordIds() {
        return ids;
      },
      get records() {
        return version;
      },
      columns: COLUMNS.map((name) => ({ name })),
      paging: {
        pageSize: PAGE_SIZE,
        get hasNextPage() {
          return loaded < count;
        },
        totalResultCount: count,
        setPageSize: () => undefined,
        loadNextPage: () => undefined,
      },
      record: (id) => byId.get(id)!,
    };
    const pager = new DataSetPager();
    pager.init(dataset);
    let ms = 0;
    let lastPageMs = 0;
    for (;;) {
      const t0 = performance.now();
      rowSet = pager.update(dataset).rowSet;
      lastPageMs = performance.now() - t0;
      ms += lastPageMs;
      if (loaded >= count) break;
      // The next page arrives: the platform returns every page so far, in a new records object.
      loaded = Math.min(loaded + PAGE_SIZE, count);
      ids = records.slice(0, loaded).map((r) => r.id);
      version = {};
    }
    rows = rowSet.rows;
    return { ms, lastPageMs, rows: rows.length };
  },
  async render(withRowSet) {
    const t0 = performance.now();
    ReactDOM.render(
      withRowSet ? <ReconciliationGridView rowSet={rowSet} strings={strings} actions={null} onExport={() => undefined} /> : <BareRows rows={rows} />,
      root,
    );
    phases.commit = performance.now() - t0;
    await nextFrame(t0);
    return performance.now() - t0;
  },
  phases,
  model() {
    const out: Record<string, number> = {};
    const time = <T,>(name: string, f: () => T): T => {
      const t0 = performance.now();
      const r = f();
      out[name] = Math.round((performance.now() - t0) * 10) / 10;
      return r;
    };
    // The view's pipeline: group every row once (data set order kept), then filter that order and regroup in one pass.
    const tree = time('group (one pass)', () => groupTree(rows, null));
    const ordered = time('display order', () => linesOf(tree));
    const all = time('filter (none)', () => filterRows(ordered, NO_FILTER));
    time('flatten', () => flattenTree(tree, new Set()));
    time('totals', () => totalsOf(all));
    time('customers', () => tree.map((c) => c.key));
    time('categories', () => categoriesOf(rows));
    const one = time('filter (category)', () => filterRows(ordered, { ...NO_FILTER, categories: ['quantityMismatch'] }));
    const t2 = time('regroup (category)', () => groupOrdered(one));
    time('flatten (category)', () => flattenTree(t2, new Set()));
    time('totals (category)', () => totalsOf(one));
    return out;
  },
  async timeClick(el) {
    const t0 = performance.now();
    el.click(); // a discrete React event: the state change renders and commits synchronously
    phases.commit = performance.now() - t0;
    await nextFrame(t0);
    return performance.now() - t0;
  },
};
