/**
 * What the workbench server tells the shell (GET /workbench/meta.json): tables and columns from
 * the schema, the site map, list views, main forms with their libraries, handlers and commands,
 * the PCF controls and the RESX strings. Pure types: shared by the server and the browser code.
 */
export interface WbOption {
  readonly value: number;
  readonly label: string;
}

export interface WbColumn {
  readonly name: string;
  /** The property a row carries on read (`_x_value` for lookups). */
  readonly readName: string;
  readonly schemaName: string;
  readonly type: 'text' | 'wholeNumber' | 'choice' | 'dateOnly' | 'lookup' | 'money' | 'decimal' | 'boolean' | 'memo';
  readonly display: string;
  readonly required: 'none' | 'recommended' | 'required';
  readonly options?: readonly WbOption[];
  readonly trueLabel?: string;
  readonly falseLabel?: string;
  /** Lookups: the target table and its entity set. */
  readonly target?: string;
  readonly targetSet?: string;
  /** Lookups: the navigation property a write binds through (`<nav>@odata.bind`). */
  readonly navigationProperty?: string;
  readonly maxLength?: number;
}

export interface WbTable {
  readonly logicalName: string;
  readonly entitySet: string;
  readonly display: string;
  readonly plural: string;
  readonly primaryId: string;
  readonly primaryName: string;
  readonly columns: readonly WbColumn[];
  /** Columns of the default (active) view. */
  readonly listColumns: readonly string[];
  /** The default view's sort, as a Web API $orderby (the solution's view decides the order, as in Dynamics). */
  readonly listOrderBy: string;
  /** The Quick Find view's find columns (text columns the search box searches). */
  readonly findColumns: readonly string[];
  /** What an empty list says (solution/src/views.ts EMPTY_TEXT). */
  readonly emptyText: string;
}

export interface WbSubgrid {
  readonly id: string;
  readonly label: string;
  readonly targetTable: string;
  /** The lookup column (logical name) on the target table that points at the form's row. */
  readonly lookup: string;
  readonly viewColumns: readonly string[];
  /** The subgrid's view sort as a $orderby; empty: the target's default. */
  readonly viewOrderBy: string;
  readonly control?: { readonly name: string; readonly dataSet: string };
}

export interface WbSection {
  readonly name: string;
  readonly label: string;
  readonly fields: readonly string[];
  readonly subgrids: readonly WbSubgrid[];
}

export interface WbCommand {
  readonly id: string;
  readonly label: string;
  readonly functionName: string;
  readonly library: string;
}

export interface WbForm {
  readonly table: string;
  readonly name: string;
  readonly sections: readonly WbSection[];
  readonly libraries: readonly string[];
  readonly handlers: ReadonlyArray<{ readonly event: string; readonly attribute?: string; readonly functionName: string; readonly library: string }>;
  readonly fieldControls: Readonly<Record<string, { readonly control: string; readonly property: string }>>;
  /** Columns the form shows read-only (the form XML's disabled controls). */
  readonly readOnly: readonly string[];
  readonly commands: readonly WbCommand[];
}

export interface WbControl {
  /** Name as forms reference it: `cspb_<namespace>.<constructor>`. */
  readonly name: string;
  readonly namespace: string;
  readonly constructorName: string;
  readonly controlType: string;
  readonly bundleUrl: string;
  readonly dataSets: readonly string[];
  readonly properties: readonly string[];
  readonly strings: Readonly<Record<string, string>>;
  readonly available: boolean;
}

export interface WbSiteMapGroup {
  readonly title: string;
  /** A table's list, or (with `dashboard`) a dashboard; `table` is then the first chart's table (what the role must read). */
  readonly items: ReadonlyArray<{
    readonly id: string;
    readonly title: string;
    readonly table: string;
    readonly dashboard?: string;
    readonly tables?: readonly string[];
  }>;
}

/** A person the workbench can act as, and the tables their role lets them read (the site map shows those). */
export interface WbUser {
  readonly id: string;
  readonly name: string;
  readonly readable: readonly string[];
  /** Tables the role may change (Write): the others' forms open read-only, as Dynamics renders them. */
  readonly writable: readonly string[];
}

/** A system chart the solution ships (solution/src/charts.ts), drawn in its table's chart pane and on dashboards. */
export interface WbChart {
  readonly table: string;
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly measures: ReadonlyArray<{ readonly attribute: string; readonly aggregate: 'sum' | 'count'; readonly label: string }>;
  readonly groupBy: { readonly attribute: string; readonly dateGrouping?: 'month' };
  readonly conditions: ReadonlyArray<{ readonly attribute: string; readonly value: number | boolean }>;
  /** Only rows of the latest run of each billing month, through this lookup to the run table (the chart's link-entity). */
  readonly latestRunThrough?: { readonly lookup: string; readonly run: string };
  readonly chartType: 'Bar' | 'Column';
  /** Sums of money split by currency, one series each (as the shipped chart's second group-by). */
  readonly byCurrency: boolean;
}

/** A dashboard of the solution (solution/src/dashboards.ts): its charts, two per row. */
export interface WbDashboard {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly charts: readonly string[];
}

export interface WbMeta {
  readonly appTitle: string;
  /** Buttons of the lists' command bars (the solution's HomepageGrid ribbon): they act on no record. */
  readonly listCommands: ReadonlyArray<WbCommand & { readonly table: string }>;
  readonly charts: readonly WbChart[];
  readonly dashboards: readonly WbDashboard[];
  /** The org's base currency (what `_base` amounts are in). */
  readonly baseCurrency: string;
  readonly users: readonly WbUser[];
  readonly siteMap: readonly WbSiteMapGroup[];
  readonly tables: readonly WbTable[];
  readonly forms: readonly WbForm[];
  readonly controls: readonly WbControl[];
  /** RESX web resources by web resource name (`cspb_/strings/forms.1033.resx`): key -> value. */
  readonly resx: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Billing imports are uploaded here when no BillingImport control is built. */
  readonly uploadUrl: string;
  readonly languageId: number;
}
