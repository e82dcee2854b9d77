/** @jest-environment jsdom */
import './fluent-cjs';
import { render, screen } from '@testing-library/react';
import { ReconciliationGrid } from '../../pcf-controls/ReconciliationGrid/index';
import { DataSetPager, type PagedDataSet } from '../../pcf-controls/ReconciliationGrid/model/paging';
import { records, resxStrings } from './support';

const strings = resxStrings('ReconciliationGrid');
const COLUMNS = ['cspb_customerid', 'cspb_vendorsubscriptionid', 'cspb_billedamount', 'cspb_expectedamount'];
/** 7 records the server returns 3 to a page: pages of 3, 3 and 1. */
const ALL = records(
  Array.from({ length: 7 }, (_, i) => ({
    id: `d${i + 1}`,
    cspb_customerid: `Customer ${i % 2}`,
    cspb_vendorsubscriptionid: `sub-${i}`,
    cspb_billedamount: `${i + 1}.10`,
    cspb_expectedamount: '1',
  })),
);

/**
 * A data set as model-driven apps page it: `loadNextPage` sets `loading`, and the next page
 * arrives in a later update; the host then returns the whole page range so far, or (a host that
 * loads only the new page, as `loadNextPage(true)` asks) the newest page alone.
 */
function fakeDataSet(pageSize = 3, newestOnly = false) {
  const state = { loaded: 1, loading: false, requests: 0, pageSize: 0 };
  const ids = (): string[] => ALL.slice(newestOnly ? (state.loaded - 1) * pageSize : 0, state.loaded * pageSize).map((r) => r.id);
  const byId = new Map(ALL.map((r) => [r.id, r]));
  const dataset = {
    get loading() {
      return state.loading;
    },
    get sortedRecordIds() {
      return ids();
    },
    columns: COLUMNS.map((name) => ({ name })),
    get records() {
      return Object.fromEntries(
        ids().map((id) => [id, { getValue: (c: string) => byId.get(id)!.get(c).raw, getFormattedValue: (c: string) => byId.get(id)!.get(c).formatted }]),
      );
    },
    paging: {
      get pageSize() {
        return state.pageSize;
      },
      totalResultCount: ALL.length,
      get hasNextPage() {
        return state.loaded * pageSize < ALL.length;
      },
      setPageSize: (n: number) => (state.pageSize = n),
      loadNextPage: () => {
        state.requests++;
        state.loading = true;
      },
    },
    getTargetEntityType: () => 'cspb_discrepancy',
    refresh: jest.fn(),
    /** The host delivers the requested page. */
    deliver: () => {
      state.loaded++;
      state.loading = false;
    },
  };
  return { dataset, state };
}

function fakeContext(dataset: unknown) {
  return {
    parameters: { records: dataset },
    mode: { trackContainerResize: () => undefined },
    // The harness's Web API: its methods throw, so actions are off.
    webAPI: { retrieveMultipleRecords: () => Promise.reject(new Error('not in the harness')) },
    factory: { requestRender: () => undefined },
    resources: { getString: strings },
    client: { getFormFactor: () => 1 },
    navigation: {},
    updatedProperties: ['dataset'],
  } as unknown as ComponentFramework.Context<never>;
}

const count = (): string => screen.getByTestId('record-count').textContent ?? '';

describe('ReconciliationGrid paging', () => {
  it.each([
    ['returns the pages so far', false],
    ['returns the newest page only', true],
  ])('pages through a 3-page data set whose host %s, showing "loading more" until the last page, and keeps every record', (_, newestOnly) => {
    const { dataset, state } = fakeDataSet(3, newestOnly);
    const control = new ReconciliationGrid();
    const context = fakeContext(dataset);
    control.init(context as never);
    expect(state.pageSize).toBe(5000); // larger pages asked for once

    const view = render(control.updateView(context as never));
    expect(count()).toBe('3 of 3 records (loading more…)');
    expect(state.requests).toBe(1);
    // An update while the page is loading asks for nothing more.
    view.rerender(control.updateView(context as never));
    expect(state.requests).toBe(1);
    expect(screen.getByTestId('loading-more')).toBeTruthy();

    dataset.deliver();
    view.rerender(control.updateView(context as never));
    expect(count()).toBe('6 of 6 records (loading more…)');
    expect(state.requests).toBe(2);

    dataset.deliver();
    view.rerender(control.updateView(context as never));
    expect(count()).toBe('7 of 7 records');
    expect(screen.queryByTestId('loading-more')).toBeNull();
    expect(state.requests).toBe(2);
    // Every record's money is in the totals: 1.10 + 2.10 + ... + 7.10 = 28.70.
    expect(screen.getByTestId('total-billed').textContent).toBe('28.70');
    expect(screen.queryByTestId('capped')).toBeNull();
  });

  it('stops at the cap and says how many records the server has', () => {
    const { dataset, state } = fakeDataSet();
    const pager = new DataSetPager(4, 3);
    const ds = {
      ...dataset,
      loading: false,
      columns: dataset.columns,
      paging: dataset.paging,
      record: (id: string) => ALL.find((r) => r.id === id)!,
    } as unknown as PagedDataSet;
    const view = (): PagedDataSet => ({
      ...ds,
      get loading() {
        return state.loading;
      },
      get sortedRecordIds() {
        return dataset.sortedRecordIds;
      },
    });
    let page = pager.update(view());
    expect(page).toMatchObject({ loading: true, cappedAt: null });
    dataset.deliver();
    page = pager.update(view());
    expect(page.rowSet.rows.map((r) => r.id)).toEqual(['d1', 'd2', 'd3', 'd4']);
    expect(page).toMatchObject({ loading: false, cappedAt: 7 });
    expect(state.requests).toBe(1); // no request past the cap
  });

  it('rebuilds when the data changes without a page asked for (refresh, new view, the harness reusing ids)', () => {
    const pager = new DataSetPager(100, 3);
    const ds = (ids: string[], source = ALL): PagedDataSet => ({
      loading: false,
      sortedRecordIds: ids,
      columns: COLUMNS.map((name) => ({ name })),
      record: (id) => source.find((r) => r.id === id)!,
    });
    const first = ds(['d1', 'd2']);
    expect(pager.update(first).rowSet.rows).toHaveLength(2);
    const rows = pager.update(first).rowSet.rows;
    expect(pager.update(first).rowSet.rows).toBe(rows); // unchanged data: no work
    expect(pager.update(ds(['d5', 'd6'])).rowSet.rows.map((r) => r.id)).toEqual(['d5', 'd6']);
    // Same ids, other values (pcf-start names its rows id0, id1, ... for every CSV applied).
    const renamed = records([
      { id: 'd5', cspb_customerid: 'Contoso Ltd' },
      { id: 'd6', cspb_customerid: 'Fabrikam' },
    ]);
    expect(pager.update(ds(['d5', 'd6'], renamed)).rowSet.rows.map((r) => r.customer)).toEqual(['Contoso Ltd', 'Fabrikam']);
  });
});
