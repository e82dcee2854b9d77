/**
 * Pages a data set in: asks for large pages, requests the next page (once per page) until the set
 * is complete or the cap is reached, and keeps every record seen, by id, across pages. Records are
 * accumulated here rather than trusted to the host's page range, so the grid shows the whole run
 * whether the platform returns all pages so far or only the newest. Rows are converted for new
 * records only: a 20-page run costs one conversion per record, not one per record per page.
 * Data that changes without a page having been asked for (a refresh, another view, the harness's
 * Apply, which reuses ids) is a new query: the rows are rebuilt from it.
 */
import { GroupKeys, toRows, type SourceRecord } from './rows';
import { EMPTY_ROW_SET, extendRowSet, type RowSet } from './row-set';

export const PAGE_SIZE = 5000;
/** Most records the grid holds (the browser keeps every row in memory); the rest are named, not shown. */
export const MAX_RECORDS = 100_000;

/** The slice of a PCF data set the pager reads. */
export interface PagedDataSet {
  readonly loading: boolean;
  readonly sortedRecordIds: readonly string[];
  readonly columns: readonly { readonly name: string }[];
  /** The host's records object: a new one (or a new sortedRecordIds) means the data changed. */
  readonly records?: unknown;
  readonly paging?: {
    readonly pageSize: number;
    readonly hasNextPage: boolean;
    readonly totalResultCount: number;
    setPageSize(size: number): void;
    loadNextPage(loadOnlyNewPage?: boolean): void;
  };
  record(id: string): SourceRecord;
}

export interface PageState {
  /** The rows so far, indexed by group and totalled, extended by each page (model/row-set.ts). */
  readonly rowSet: RowSet;
  /** A next page has been asked for (or the data set is loading): show "loading more". */
  readonly loading: boolean;
  /** The cap stopped paging: the server has more (count when known, else -1). */
  readonly cappedAt: number | null;
}

export class DataSetPager {
  private rowSet: RowSet = EMPTY_ROW_SET;
  private groups = new GroupKeys();
  private seen = new Set<string>();
  private requestedAt = -1;
  private pages = 0;
  private truncated = false;
  private pending = false;
  private seenIds: readonly string[] | null = null;
  private seenRecords: unknown = undefined;

  constructor(
    private readonly cap = MAX_RECORDS,
    private readonly pageSize = PAGE_SIZE,
  ) {}

  /** Called once, in init: larger pages mean fewer round trips. */
  init(dataset: PagedDataSet): void {
    if (dataset.paging && dataset.paging.pageSize < this.pageSize) dataset.paging.setPageSize(this.pageSize);
  }

  /** Forget what was paged in (after a refresh, a view or filter change of the host). */
  reset(): void {
    this.rowSet = EMPTY_ROW_SET;
    this.groups = new GroupKeys();
    this.seen = new Set();
    this.requestedAt = -1;
    this.pages = 0;
    this.truncated = false;
    this.pending = false;
    this.seenIds = null;
    this.seenRecords = undefined;
  }

  /** Pages loaded so far (requests made + the first). */
  get pagesRequested(): number {
    return this.pages;
  }

  update(dataset: PagedDataSet): PageState {
    if (!dataset.loading && (dataset.sortedRecordIds !== this.seenIds || dataset.records !== this.seenRecords)) {
      // Changed data: the page asked for, or (nothing asked for) a new query.
      if (!this.pending) this.reset();
      this.pending = false;
      this.seenIds = dataset.sortedRecordIds;
      this.seenRecords = dataset.records;
      this.merge(dataset);
    }
    const paging = dataset.paging;
    const more = !!paging && paging.hasNextPage;
    const capped = (more || this.truncated) && this.rowSet.rows.length >= this.cap;
    // A next page is requested once per page: when the records have grown since the last request.
    if (more && !capped && !dataset.loading && this.requestedAt !== this.rowSet.rows.length) {
      this.requestedAt = this.rowSet.rows.length;
      this.pages++;
      this.pending = true;
      paging!.loadNextPage();
    }
    const waiting = dataset.loading || (more && !capped && this.requestedAt === this.rowSet.rows.length);
    return { rowSet: this.rowSet, loading: waiting, cappedAt: capped ? (paging!.totalResultCount >= 0 ? paging!.totalResultCount : -1) : null };
  }

  private merge(dataset: PagedDataSet): void {
    const fresh: SourceRecord[] = [];
    for (const id of dataset.sortedRecordIds) {
      if (this.seen.has(id)) continue;
      if (this.rowSet.rows.length + fresh.length >= this.cap) {
        this.truncated = true;
        break;
      }
      this.seen.add(id);
      fresh.push(dataset.record(id));
    }
    if (fresh.length)
      this.rowSet = extendRowSet(
        this.rowSet,
        toRows(
          dataset.columns.map((c) => c.name),
          fresh,
          this.groups,
        ),
      );
  }
}
