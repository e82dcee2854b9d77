/**
 * Hosts a built PCF control: loads its bundle (pcf-scripts registers it through
 * `ComponentFramework.registerControl`), builds a `ComponentFramework.Context` over the local org
 * (data set of the subgrid's related rows, webAPI, resources, formatting, mode, navigation,
 * utils) and renders the control (a virtual control's updateView element with the platform's
 * React 16 / ReactDOM; a standard control into its container).
 */
import type { Row, WebApi } from './api';
import type { WbColumn, WbControl, WbMeta, WbTable } from '../meta-types';
import { alertDialog, confirmDialog, formatNumber } from './ui';
import { dateOf, globalContext, isoOf } from './xrm';

type ControlClass = new () => {
  init(context: unknown, notifyOutputChanged?: () => void, state?: unknown, container?: HTMLDivElement): void;
  updateView(context: unknown): unknown;
  destroy(): void;
  getOutputs?(): unknown;
};

const registry = new Map<string, ControlClass>();
const loading = new Map<string, Promise<void>>();
(window as unknown as { ComponentFramework: unknown }).ComponentFramework = {
  registerControl: (name: string, ctor: ControlClass) => void registry.set(name, ctor),
};

export function loadScript(src: string): Promise<void> {
  let p = loading.get(src);
  if (!p) {
    p = new Promise<void>((resolve, reject) => {
      const s = document.createElement('script');
      s.src = src;
      s.onload = () => resolve();
      s.onerror = () => reject(new Error(`Could not load ${src}`));
      document.head.append(s);
    });
    loading.set(src, p);
  }
  return p;
}

export interface Host {
  /** Reloads the data set and renders again. */
  refresh(): Promise<void>;
  destroy(): void;
}

export interface HostOptions {
  readonly meta: WbMeta;
  readonly webApi: WebApi;
  readonly control: WbControl;
  readonly target: WbTable;
  /** Lookup column on the target pointing at the form's row, and that row's id. */
  readonly lookup: string;
  readonly parentId: string;
  readonly dataSet: string;
  readonly viewColumns: readonly string[];
  readonly openForm: (entityName: string, entityId?: string) => Promise<void>;
  readonly onChanged?: () => void;
  /** A field control: the bound property, the column's value and where its outputs go (no data set). */
  readonly field?: { readonly property: string; readonly value: unknown; setValue(value: unknown): void };
}

function format(column: WbColumn, value: unknown, row: Row, names: Record<string, string>): string {
  if (value === null || value === undefined) return '';
  switch (column.type) {
    case 'choice':
      return column.options?.find((o) => o.value === value)?.label ?? String(value);
    case 'boolean':
      return value ? (column.trueLabel ?? 'Yes') : (column.falseLabel ?? 'No');
    case 'money':
      return `${String(row['cspb_currencycode'] ?? '')} ${formatNumber(Number(value), 2)}`.trim();
    case 'decimal':
    case 'wholeNumber':
      return formatNumber(Number(value));
    case 'lookup':
      return names[column.readName] ?? String(value);
    default:
      return String(value);
  }
}

/** Loads the control's bundle and renders it into `container`. */
export async function hostControl(container: HTMLElement, o: HostOptions): Promise<Host> {
  await loadScript(o.control.bundleUrl);
  const Ctor = registry.get(`${o.control.namespace}.${o.control.constructorName}`);
  if (!Ctor) throw new Error(`${o.control.name}: the bundle registered no control`);
  const React = (window as unknown as { Reactv16: { createElement: unknown } }).Reactv16;
  const ReactDOM = (window as unknown as { ReactDOMv16: { render(el: unknown, c: Element): void; unmountComponentAtNode(c: Element): void } }).ReactDOMv16;
  void React;
  const instance = new Ctor();
  const columnsByName = new Map(o.target.columns.map((c) => [c.name, c]));
  const columnNames = [...new Set([o.target.primaryName, ...o.viewColumns, ...o.target.columns.map((c) => c.name)])];
  const lookups = o.target.columns.filter((c) => c.type === 'lookup' && c.target);
  let pageSize = 5000;
  let rows: Row[] = [];
  let names: Array<Record<string, string>> = [];
  let isLoading = true;
  let selected: string[] = [];
  let updated: string[] = [o.dataSet];
  let width = container.clientWidth || 900;

  const expand = lookups
    .map((c) => {
      const t = o.meta.tables.find((x) => x.logicalName === c.target);
      return t ? `${c.navigationProperty ?? c.schemaName}($select=${t.primaryName})` : null;
    })
    .filter(Boolean)
    .join(',');
  const lookupNames = (fetched: Row[]): Array<Record<string, string>> =>
    fetched.map((r) => {
      const n: Record<string, string> = {};
      for (const c of lookups) {
        const t = o.meta.tables.find((x) => x.logicalName === c.target);
        const e = r[c.navigationProperty ?? c.schemaName] as Row | null | undefined;
        if (t && e && typeof e[t.primaryName] === 'string') n[c.readName] = e[t.primaryName] as string;
      }
      return n;
    });
  // Server-driven paging, as the platform's data set does: the first page of pageSize records,
  // then each loadNextPage follows the Web API's nextLink and adds a page (accumulated).
  let nextLink: string | undefined;
  const load = async (): Promise<void> => {
    if (o.field) {
      isLoading = false;
      return;
    }
    isLoading = true;
    const page = await o.webApi.retrieveMultipleRecords(
      o.target.logicalName,
      `?$filter=_${o.lookup}_value eq ${o.parentId}${expand ? `&$expand=${expand}` : ''}&$orderby=${o.target.primaryName} asc`,
      pageSize,
    );
    rows = page.entities;
    names = lookupNames(rows);
    nextLink = page.nextLink;
    isLoading = false;
  };
  const loadNext = async (): Promise<void> => {
    if (!nextLink) return;
    isLoading = true;
    const page = await o.webApi.retrieveMultipleRecords(o.target.logicalName, nextLink, pageSize);
    rows = rows.concat(page.entities);
    names = names.concat(lookupNames(page.entities));
    nextLink = page.nextLink;
    isLoading = false;
    updated = [o.dataSet];
    render();
  };

  const record = (row: Row, i: number) => {
    const id = String(row[o.target.primaryId]);
    return {
      getRecordId: () => id,
      getNamedReference: () => ({
        id: { guid: id },
        name: String(row[o.target.primaryName] ?? ''),
        etn: o.target.logicalName,
        entityType: o.target.logicalName,
      }),
      getValue: (column: string) => {
        const c = columnsByName.get(column);
        if (!c) return row[column] ?? null;
        const raw = row[c.readName];
        if (raw === null || raw === undefined) return null;
        if (c.type === 'lookup') return { id: { guid: String(raw) }, name: names[i]?.[c.readName] ?? '', etn: c.target, entityType: c.target };
        if (c.type === 'dateOnly') return dateOf(String(raw));
        return raw;
      },
      getFormattedValue: (column: string) => {
        const c = columnsByName.get(column);
        return c ? format(c, row[c.readName], row, names[i] ?? {}) : String(row[column] ?? '');
      },
      isDirty: () => false,
      isValid: () => true,
    };
  };

  const dataTypeOf = (c: WbColumn): string =>
    ({
      text: 'SingleLine.Text',
      memo: 'Multiple',
      wholeNumber: 'Whole.None',
      decimal: 'Decimal',
      money: 'Currency',
      choice: 'OptionSet',
      boolean: 'TwoOptions',
      dateOnly: 'DateAndTime.DateOnly',
      lookup: 'Lookup.Simple',
    })[c.type];

  let context: Record<string, unknown>;
  const render = (): void => {
    context = buildContext();
    const element = instance.updateView(context);
    if (o.control.controlType === 'virtual' && element) ReactDOM.render(element, container);
    updated = [];
  };
  const refresh = async (): Promise<void> => {
    await load();
    updated = [o.dataSet];
    render();
    o.onChanged?.();
  };

  const dataset = () => {
    const records: Record<string, unknown> = {};
    const sortedRecordIds: string[] = [];
    rows.forEach((r, i) => {
      const id = String(r[o.target.primaryId]);
      records[id] = record(r, i);
      sortedRecordIds.push(id);
    });
    return {
      loading: isLoading,
      error: false,
      errorMessage: '',
      innerError: '',
      columns: columnNames
        .map((name, order) => {
          const c = columnsByName.get(name);
          return c
            ? {
                name,
                displayName: c.display,
                dataType: dataTypeOf(c),
                alias: name,
                order,
                visualSizeFactor: 100,
                isHidden: false,
                isPrimary: name === o.target.primaryName,
              }
            : null;
        })
        .filter(Boolean),
      records,
      sortedRecordIds,
      sorting: [],
      filtering: { getFilter: () => null, addCondition: () => undefined, clearFilter: () => undefined, setFilter: () => undefined },
      linking: { getLinkedEntities: () => [], addLinkedEntity: () => undefined },
      paging: {
        pageSize,
        // The Web API gives no count without $count (the local org has none): unknown while pages remain.
        totalResultCount: nextLink ? -1 : rows.length,
        firstPageNumber: 1,
        lastPageNumber: 1,
        hasNextPage: !!nextLink,
        hasPreviousPage: false,
        loadNextPage: () => {
          isLoading = true;
          setTimeout(() => void loadNext().catch((e: unknown) => console.error(e)), 0);
        },
        loadPreviousPage: () => undefined,
        loadExactPage: () => undefined,
        reset: () => undefined,
        setPageSize: (n: number) => void (pageSize = n),
      },
      refresh: () => void refresh(),
      getTargetEntityType: () => o.target.logicalName,
      getTitle: () => o.target.plural,
      getViewId: () => '',
      openDatasetItem: (ref: { id: { guid: string } | string; etn?: string }) =>
        void o.openForm(ref.etn ?? o.target.logicalName, typeof ref.id === 'string' ? ref.id : ref.id.guid),
      getSelectedRecordIds: () => selected,
      setSelectedRecordIds: (ids: string[]) => void (selected = ids),
      clearSelectedRecordIds: () => void (selected = []),
      addColumn: () => undefined,
      delete: async (ids: string[]) => {
        for (const id of ids) await o.webApi.deleteRecord(o.target.logicalName, id);
      },
    };
  };

  const strings = o.control.strings;
  const buildContext = (): Record<string, unknown> => ({
    parameters: o.field
      ? Object.fromEntries(
          o.control.properties.map((p) => [
            p,
            p === o.field!.property
              ? {
                  raw: o.field!.value ?? null,
                  formatted: String(o.field!.value ?? ''),
                  error: false,
                  errorMessage: '',
                  attributes: {},
                  type: 'SingleLine.Text',
                }
              : { raw: null, formatted: '', error: false, errorMessage: '' },
          ]),
        )
      : { [o.dataSet]: dataset() },
    updatedProperties: updated,
    webAPI: {
      createRecord: (e: string, d: Row) => o.webApi.createRecord(e, d).then((r) => ({ id: r.id, entityType: r.entityType })),
      updateRecord: (e: string, id: string, d: Row) => o.webApi.updateRecord(e, id, d),
      deleteRecord: (e: string, id: string) => o.webApi.deleteRecord(e, id),
      retrieveRecord: (e: string, id: string, q?: string) => o.webApi.retrieveRecord(e, id, q),
      retrieveMultipleRecords: (e: string, q?: string, n?: number) => o.webApi.retrieveMultipleRecords(e, q, n),
    },
    resources: {
      getString: (key: string) => strings[key] ?? key,
      getResource: (_id: string, _ok: (d: string) => void, failure: () => void) => failure(),
    },
    formatting: {
      formatCurrency: (v: number, precision = 2, symbol = '') => `${symbol}${formatNumber(v, precision)}`,
      formatDecimal: (v: number, precision?: number) => formatNumber(v, precision),
      formatInteger: (v: number) => formatNumber(v, 0),
      formatDateShort: (d: Date) => isoOf(d),
      formatDateLong: (d: Date) => d.toDateString(),
      formatDateYearMonth: (d: Date) => isoOf(d).slice(0, 7),
      formatTime: (d: Date) => d.toISOString().slice(11, 16),
      formatLanguage: (v: number) => String(v),
      formatUserDateTimeToUTC: (d: Date) => d.toISOString(),
      formatUTCDateTimeToUserDate: (d: Date) => d,
      getWeekOfYear: () => 1,
      parseDateFromInput: (s: string) => new Date(s),
    },
    mode: {
      isControlDisabled: false,
      isVisible: true,
      label: o.target.plural,
      allocatedWidth: width,
      allocatedHeight: -1,
      trackContainerResize: () => undefined,
      setControlState: () => true,
      setFullScreen: () => undefined,
      contextInfo: { entityId: o.parentId, entityTypeName: o.target.logicalName, entityRecordName: '' },
    },
    navigation: {
      openForm: async (opts: { entityName: string; entityId?: string }) => {
        await o.openForm(opts.entityName, opts.entityId);
        return { savedEntityReference: [] };
      },
      openAlertDialog: (s: { text: string }) => alertDialog(s.text),
      openConfirmDialog: (s: { text: string }) => confirmDialog(s.text),
      openErrorDialog: (e: { message?: string }) => alertDialog(e.message ?? ''),
      openUrl: (u: string) => void window.open(u, '_blank', 'noopener'),
      openWebResource: () => undefined,
    },
    utils: {
      getEntityMetadata: async (entity: string) => {
        const t = o.meta.tables.find((x) => x.logicalName === entity);
        return {
          LogicalName: entity,
          EntitySetName: t?.entitySet,
          PrimaryIdAttribute: t?.primaryId,
          PrimaryNameAttribute: t?.primaryName,
          DisplayName: t?.display,
          Attributes: { get: (n: string) => t?.columns.find((c) => c.name === n) },
        };
      },
      hasEntityPrivilege: () => true,
      lookupObjects: async () => [],
    },
    client: { getFormFactor: () => 1, getClient: () => 'Web', isOffline: () => false, disableScroll: false, isNetworkAvailable: () => true },
    userSettings: {
      ...(globalContext(o.meta)['userSettings'] as object),
      numberFormattingInfo: { currencyDecimalDigits: 2, numberDecimalSeparator: '.', numberGroupSeparator: ',' },
    },
    device: { captureImage: async () => null, getBarcodeValue: async () => '', getCurrentPosition: async () => null, pickFile: async () => [] },
    factory: { requestRender: () => setTimeout(render, 0), getPopupService: () => ({}) },
    page: { entityId: o.parentId, entityTypeName: o.target.logicalName },
    copilot: undefined,
  });

  const ro = new ResizeObserver(() => {
    const w = container.clientWidth;
    if (w && Math.abs(w - width) > 4) {
      width = w;
      updated = ['layout'];
      render();
    }
  });
  ro.observe(container);

  context = buildContext();
  const notifyOutputChanged = (): void => {
    const outputs = (instance.getOutputs?.() ?? {}) as Record<string, unknown>;
    if (o.field && o.field.property in outputs) o.field.setValue(outputs[o.field.property] ?? null);
  };
  instance.init(context, notifyOutputChanged, {}, container as HTMLDivElement);
  await load();
  render();
  return {
    refresh,
    destroy: () => {
      ro.disconnect();
      instance.destroy();
      if (o.control.controlType === 'virtual') ReactDOM.unmountComponentAtNode(container);
    },
  };
}
