/**
 * The workbench shell: site map, list views and main forms driven by the schema and the
 * solution's form definitions. Forms load their web resources and run their OnLoad handlers
 * against the real Xrm (xrm.ts); subgrids bound to a PCF control host the built control (pcf.ts).
 */
import { createWebApi, type Row, type WebApi } from './api';
import type { WbColumn, WbForm, WbMeta, WbSubgrid, WbTable } from '../meta-types';
import { chartSection, type ChartEnv } from './chart';
import { hostControl, loadScript, type Host } from './pcf';
import { alertDialog, confirmDialog, formatNumber, h } from './ui';
import { Decimal } from '../../../core/src/money';
import { formatDate, formatDateTime, formatMoney, localeOfLanguage } from '../../../core/src/format';
import { parseDate } from '../../../core/src/calendar';
import { Attribute, FormModel, dateOf, installXrm, isoOf, type LookupValue } from './xrm';

const IMPORT_RUNNING = [100000000, 100000001, 100000002];

let meta: WbMeta;
let webApi: WebApi;
let hosts: Host[] = [];
let timers: number[] = [];
/** The record a command created last (a command that starts a run opens it). */
let lastCreated: { entityType: string; id: string } | null = null;
/** The form on screen (Ctrl+S saves it; leaving it with unsaved changes asks first). */
let currentForm: FormModel | null = null;
/** The record a save just wrote: its reopened form says "Saved". */
let justSaved: string | null = null;
/** The hash on screen: where "Stay on this page" returns to. */
let shownHash = '';
const formIsDirty = (): boolean => currentForm !== null && [...currentForm.attributes.values()].some((a) => a.isDirty());
/** Bumped on every navigation: a slower, older view never replaces a newer one. */
let navigation = 0;
class Superseded extends Error {}

const app = (): HTMLElement => document.getElementById('app')!;
const tableOf = (logical: string): WbTable => {
  const t = meta.tables.find((x) => x.logicalName === logical);
  if (!t) throw new Error(`Unknown table ${logical}`);
  return t;
};
const bare = (id: string): string => id.replace(/[{}]/g, '').toLowerCase();

/** Values a new record's form starts with (formParameters), by table, taken when that form opens. */
const pendingParameters = new Map<string, Record<string, unknown>>();

export function openForm(entityName: string, entityId?: string, formParameters?: Record<string, unknown>): Promise<void> {
  if (!entityId && formParameters) pendingParameters.set(entityName, formParameters);
  location.hash = entityId ? `#/form/${entityName}/${bare(entityId)}` : `#/new/${entityName}`;
  return Promise.resolve();
}

function layout(active: string, content: HTMLElement, token: number): void {
  if (token !== navigation) throw new Superseded();
  for (const host of hosts) host.destroy();
  hosts = [];
  for (const t of timers) clearInterval(t);
  timers = [];
  const nav = h('nav', { class: 'sitemap', 'aria-label': 'Site map' });
  // As the app's site map does, only what the user's role lets them read.
  const readable = new Set(currentUser().readable);
  for (const group of meta.siteMap) {
    // A dashboard shows when every table its charts read is readable.
    const items = group.items.filter((item) => (item.tables ?? [item.table]).every((t) => readable.has(t)));
    if (items.length === 0) continue;
    nav.append(h('h3', {}, group.title));
    for (const item of items) {
      const key = item.dashboard ? `dashboard-${item.dashboard}` : item.table;
      const href = item.dashboard ? `#/dashboard/${item.dashboard}` : `#/list/${item.table}`;
      nav.append(
        h('a', { href, class: key === active ? 'active' : '', 'data-testid': `nav-${key}`, ...(key === active ? { 'aria-current': 'page' } : {}) }, item.title),
      );
    }
  }
  app().replaceChildren(
    h('header', { class: 'top' }, meta.appTitle, h('span', { class: 'org' }, `local org · ${location.host}`), actAsPicker(), languagePicker()),
    nav,
    h('main', {}, content),
  );
}

/** `$expand` of the lookups among `columns`, selecting each target's primary name. */
function expandOf(table: WbTable, columns: readonly string[]): string {
  return table.columns
    .filter((c) => c.type === 'lookup' && columns.includes(c.name))
    .map((c) => `${c.navigationProperty ?? c.schemaName}($select=${tableOf(c.target!).primaryName})`)
    .join(',');
}

function lookupNames(table: WbTable, row: Row): Record<string, string> {
  const names: Record<string, string> = {};
  for (const c of table.columns) {
    if (c.type !== 'lookup') continue;
    const e = row[c.navigationProperty ?? c.schemaName] as Row | null | undefined;
    const v = e?.[tableOf(c.target!).primaryName];
    if (typeof v === 'string') names[c.readName] = v;
  }
  return names;
}

function display(column: WbColumn | undefined, row: Row, names: Record<string, string>, name: string): string {
  const raw = column ? row[column.readName] : row[name];
  if (raw === null || raw === undefined) return '';
  // createdon / modifiedon: instants, on the user's clock (the zone the workbench's userSettings reports).
  if (!column)
    return name.endsWith('on') && typeof raw === 'string'
      ? formatDateTime(new Date(raw), localeOfLanguage(meta.languageId), -new Date(raw).getTimezoneOffset())
      : String(raw);
  switch (column.type) {
    case 'choice':
      return column.options?.find((o) => o.value === raw)?.label ?? String(raw);
    case 'boolean':
      return raw ? (column.trueLabel ?? 'Yes') : (column.falseLabel ?? 'No');
    case 'lookup':
      return names[column.readName] ?? String(raw);
    case 'money': {
      // The one formatting module, in the user's language, with the row's currency.
      const currency = typeof row['cspb_currencycode'] === 'string' ? (row['cspb_currencycode'] as string) : null;
      return formatMoney(new Decimal(String(raw)), currency, localeOfLanguage(meta.languageId), { code: true });
    }
    case 'dateOnly':
      return typeof raw === 'string' ? formatDate(parseDate(raw.slice(0, 10)), localeOfLanguage(meta.languageId)) : String(raw);
    case 'decimal':
    case 'wholeNumber':
      return formatNumber(Number(raw));
    default:
      return String(raw);
  }
}

/** A list's sort: the column and direction a header click chose (else the view's order). */
interface ListSort {
  readonly column: string;
  readonly descending: boolean;
}
const listSorts = new Map<string, ListSort>();
/** Lookups sort by their id in the Web API, not by the name shown: their headers do not sort. */
const sortable = (column: WbColumn | undefined, name: string): boolean =>
  column ? column.type !== 'lookup' && column.type !== 'memo' : name === 'createdon' || name === 'modifiedon';

function rowsTable(table: WbTable, columns: readonly string[], rows: Row[], testId: string, onSort?: (column: string) => void, sort?: ListSort): HTMLElement {
  const colDefs = columns.map((n) => table.columns.find((c) => c.name === n));
  const head = h(
    'tr',
    {},
    ...columns.map((n, i) => {
      const text = colDefs[i]?.display ?? (n === 'createdon' ? 'Created on' : n);
      const numeric = colDefs[i] && ['money', 'decimal', 'wholeNumber'].includes(colDefs[i]!.type);
      if (!onSort || !sortable(colDefs[i], n)) return h('th', { scope: 'col', class: numeric ? 'num' : '' }, text);
      const active = sort?.column === n;
      // A button in the header, as the model-driven grid's column header menu: keyboard reachable, state in aria-sort.
      const button = h('button', { class: 'sort', type: 'button', 'data-testid': `sort-${n}` }, text, active ? (sort!.descending ? ' ↓' : ' ↑') : '');
      button.onclick = () => onSort(n);
      return h('th', { scope: 'col', class: numeric ? 'num' : '', 'aria-sort': active ? (sort!.descending ? 'descending' : 'ascending') : 'none' }, button);
    }),
  );
  const body = rows.map((row) => {
    const names = lookupNames(table, row);
    const tr = h(
      'tr',
      { class: 'row', 'data-id': String(row[table.primaryId]), tabindex: '0' },
      ...columns.map((n, i) => {
        const c = colDefs[i];
        return h('td', { class: c && ['money', 'decimal', 'wholeNumber'].includes(c.type) ? 'num' : '' }, display(c, row, names, n));
      }),
    );
    tr.onclick = () => void openForm(table.logicalName, String(row[table.primaryId]));
    tr.onkeydown = (e) => {
      if (e.key === 'Enter') void openForm(table.logicalName, String(row[table.primaryId]));
    };
    return tr;
  });
  return h('table', { class: 'list', 'data-testid': testId }, h('thead', {}, head), h('tbody', {}, ...body));
}

/** The Quick Find filter of a search text over the table's find columns ("begins with", as Quick Find matches by default). */
function quickFindFilter(table: WbTable, text: string): string {
  const literal = text.trim().replace(/'/g, "''");
  if (!literal) return '';
  return `(${table.findColumns.map((c) => `startswith(${c},'${literal}')`).join(' or ')})`;
}

const CHART_PANE = 'cspb-chart-pane';
const listSearch = new Map<string, string>();

async function listView(logical: string): Promise<void> {
  const token = navigation;
  currentForm = null;
  const table = tableOf(logical);
  const columns = table.listColumns;
  const hasCurrency = table.columns.some((c) => c.name === 'cspb_currencycode');
  const select = [
    ...new Set([table.primaryId, ...(hasCurrency ? ['cspb_currencycode'] : []), ...columns.map((n) => table.columns.find((c) => c.name === n)?.readName ?? n)]),
  ];
  const expand = expandOf(table, columns);
  const sort = listSorts.get(logical);
  const search = listSearch.get(logical) ?? '';
  const filter = quickFindFilter(table, search);
  const orderBy = sort ? `${sort.column} ${sort.descending ? 'desc' : 'asc'}` : table.listOrderBy;
  const page = await webApi.retrieveMultipleRecords(
    logical,
    `?$select=${select.join(',')}${expand ? `&$expand=${expand}` : ''}${filter ? `&$filter=${encodeURIComponent(filter)}` : ''}&$orderby=${orderBy}`,
    250,
  );
  const bar = h('div', { class: 'commandbar', role: 'toolbar', 'aria-label': 'Commands' });
  const newButton = h('button', { 'data-testid': 'cmd-new' }, '+ New');
  newButton.onclick = () => void openForm(logical);
  bar.append(newButton);
  for (const command of meta.listCommands.filter((c) => c.table === logical)) {
    const b = h('button', { 'data-testid': `cmd-${command.id}` }, command.label);
    b.onclick = () => void runListCommand(command.library, command.functionName, b);
    bar.append(b);
  }
  if (logical === 'cspb_billingimport' && !meta.controls.some((c) => c.available && c.constructorName === 'BillingImport')) bar.append(...uploadButton());
  const charts = meta.charts.filter((c) => c.table === logical);
  const paneOpen = charts.length > 0 && sessionStorage.getItem(CHART_PANE) === 'open';
  if (charts.length > 0) {
    const toggle = h('button', { 'data-testid': 'cmd-show-chart', 'aria-pressed': String(paneOpen) }, paneOpen ? 'Hide chart' : 'Show chart');
    toggle.onclick = () => {
      sessionStorage.setItem(CHART_PANE, paneOpen ? 'closed' : 'open');
      void route();
    };
    bar.append(toggle);
  }
  const searchBox = h('input', {
    type: 'search',
    class: 'quickfind',
    'data-testid': 'quick-find',
    'aria-label': `Search ${table.plural.toLowerCase()}`,
    placeholder: `Search ${table.plural.toLowerCase()}`,
  });
  searchBox.value = search;
  searchBox.onkeydown = (e) => {
    if (e.key !== 'Enter') return;
    listSearch.set(logical, searchBox.value);
    void route();
  };
  bar.append(searchBox);
  const onSort = (column: string) => {
    const now = listSorts.get(logical);
    listSorts.set(logical, {
      column: table.columns.find((c) => c.name === column)?.readName ?? column,
      descending: now?.column === column ? !now.descending : false,
    });
    void route();
  };
  const shownSort = sort ? { column: table.columns.find((c) => c.readName === sort.column)?.name ?? sort.column, descending: sort.descending } : undefined;
  const list = rowsTable(table, columns, page.entities, 'list', onSort, shownSort);
  if (page.entities.length === 0) {
    // The headers stay (what the list would show) with what to do next in the body, as the grid's empty state.
    const text = search ? `No ${table.plural.toLowerCase()} begin with "${search}".` : table.emptyText;
    const cell = h('td', { colspan: String(columns.length), class: 'empty', role: 'status', 'data-testid': 'list-empty' }, text);
    list.querySelector('tbody')!.append(h('tr', {}, cell));
  }
  let pane: HTMLElement | null = null;
  if (paneOpen) {
    const picked = charts.find((c) => c.key === sessionStorage.getItem(`${CHART_PANE}-${logical}`)) ?? charts[0]!;
    const picker = h('select', { 'aria-label': 'Chart', 'data-testid': 'chart-picker' }, ...charts.map((c) => h('option', { value: c.key }, c.name)));
    picker.value = picked.key;
    picker.onchange = () => {
      sessionStorage.setItem(`${CHART_PANE}-${logical}`, picker.value);
      void route();
    };
    pane = h(
      'aside',
      { class: 'chart-pane', 'aria-label': 'Chart pane', 'data-testid': 'chart-pane' },
      charts.length > 1 ? picker : null,
      await chartSection(picked, chartEnv()),
    );
  }
  layout(
    logical,
    h(
      'div',
      {},
      bar,
      h('h1', { class: 'title' }, table.plural),
      h(
        'p',
        { class: 'subtitle', 'data-testid': 'list-count' },
        `${page.entities.length}${page.nextLink ? '+' : ''} ${page.entities.length === 1 && !page.nextLink ? 'row' : 'rows'}`,
      ),
      h('div', { class: pane ? 'list-with-chart' : '' }, h('div', { class: 'list-holder' }, list), pane),
    ),
    token,
  );
}

function chartEnv(): ChartEnv {
  return { meta, webApi, locale: localeOfLanguage(meta.languageId), tableOf };
}

/** A dashboard of the solution: its charts, two per row, as the dashboard's form lays them out. */
async function dashboardView(key: string): Promise<void> {
  const token = navigation;
  currentForm = null;
  const dashboard = meta.dashboards.find((d) => d.key === key);
  if (!dashboard) throw new Error(`Unknown dashboard ${key}`);
  const charts = dashboard.charts.map((c) => meta.charts.find((x) => x.key === c)!);
  const sections = await Promise.all(charts.map((c) => chartSection(c, chartEnv())));
  layout(
    `dashboard-${key}`,
    h(
      'div',
      { 'data-testid': `dashboard-${key}` },
      h('h1', { class: 'title' }, dashboard.name),
      h('p', { class: 'subtitle' }, dashboard.description),
      h('div', { class: 'dashboard' }, ...sections),
    ),
    token,
  );
}

/** The bill upload (no BillingImport control built): posts the file; the server creates the import, the import plug-in parses it. */
function uploadButton(): HTMLElement[] {
  const input = h('input', { type: 'file', accept: '.csv,.json,.txt', 'data-testid': 'upload-bill', style: 'display:none', id: 'upload-bill' });
  const label = h('label', { class: 'button', for: 'upload-bill' }, 'Upload bill');
  input.onchange = async () => {
    const file = input.files?.[0];
    if (!file) return;
    const response = await fetch(`${meta.uploadUrl}?name=${encodeURIComponent(file.name)}`, { method: 'POST', body: file });
    const json = (await response.json()) as { id?: string; error?: { message?: string } };
    if (!response.ok || !json.id) {
      await alertDialog(json.error?.message ?? `Upload failed (${response.status}).`, 'Upload');
      return;
    }
    await openForm('cspb_billingimport', json.id);
  };
  return [label, input];
}

function fieldInput(attr: Attribute, column: WbColumn | undefined): HTMLElement {
  const v = attr.value;
  const commit = (value: unknown) => {
    attr.value = value;
    attr.fire();
  };
  if (!column) return h('input', { type: 'text', disabled: '', value: v instanceof Date ? isoOf(v) : String(v ?? '') });
  switch (column.type) {
    case 'choice': {
      const select = h(
        'select',
        { name: column.name },
        h('option', { value: '' }, '--'),
        ...(column.options ?? []).map((o) => h('option', { value: String(o.value) }, o.label)),
      );
      select.value = v === null || v === undefined ? '' : String(v);
      select.onchange = () => commit(select.value === '' ? null : Number(select.value));
      return select;
    }
    case 'boolean': {
      const select = h(
        'select',
        { name: column.name },
        h('option', { value: 'true' }, column.trueLabel ?? 'Yes'),
        h('option', { value: 'false' }, column.falseLabel ?? 'No'),
      );
      select.value = v ? 'true' : 'false';
      select.onchange = () => commit(select.value === 'true');
      return select;
    }
    case 'dateOnly': {
      const input = h('input', { type: 'date', name: column.name });
      input.value = v instanceof Date ? isoOf(v) : '';
      input.onchange = () => commit(input.value ? dateOf(input.value) : null);
      return input;
    }
    case 'lookup': {
      const ref = Array.isArray(v) ? (v[0] as LookupValue | undefined) : undefined;
      const link = h('a', { 'data-testid': `lookup-${column.name}` }, ref?.name ?? '');
      if (ref) link.onclick = () => void openForm(ref.entityType, ref.id);
      return h('div', { class: 'lookup' }, ref ? link : '—');
    }
    case 'memo': {
      const area = h('textarea', { name: column.name, rows: '3' });
      area.value = v === null || v === undefined ? '' : String(v);
      area.onchange = () => commit(area.value === '' ? null : area.value);
      return area;
    }
    case 'money': {
      // As Dynamics shows money: the currency's decimals, grouped, with its code, in the user's
      // language (the one formatting module); the plain number while it is edited.
      const currency = String(attr.form.attributes.get('cspb_currencycode')?.value ?? '');
      const locale = localeOfLanguage(meta.languageId);
      const shown = () =>
        attr.value === null || attr.value === undefined || attr.value === ''
          ? ''
          : formatMoney(new Decimal(String(attr.value)), currency || null, locale, { code: true });
      const input = h('input', { type: 'text', inputmode: 'decimal', name: column.name });
      input.value = shown();
      input.onfocus = () => {
        if (!input.disabled) input.value = attr.value === null || attr.value === undefined ? '' : String(attr.value);
      };
      input.onblur = () => {
        if (document.activeElement !== input && attr.value !== null && attr.value !== undefined) input.value = shown();
      };
      input.onchange = () => {
        const text = input.value.replace(/[^\d.-]/g, '');
        commit(text === '' ? null : Number(text));
      };
      return input;
    }
    case 'wholeNumber':
    case 'decimal': {
      const input = h('input', { type: 'number', step: column.type === 'wholeNumber' ? '1' : 'any', name: column.name });
      input.value = v === null || v === undefined ? '' : String(v);
      input.onchange = () => commit(input.value === '' ? null : Number(input.value));
      return input;
    }
    default: {
      const input = h('input', { type: 'text', name: column.name });
      input.value = v === null || v === undefined ? '' : String(v);
      input.onchange = () => commit(input.value === '' ? null : input.value);
      return input;
    }
  }
}

async function formView(logical: string, id: string | null): Promise<void> {
  const token = navigation;
  const table = tableOf(logical);
  const form: WbForm | undefined = meta.forms.find((f) => f.table === logical);
  const fields = form ? form.sections.flatMap((s) => s.fields) : [table.primaryName, ...table.listColumns];
  const effective: WbForm = form ?? {
    table: logical,
    name: table.display,
    sections: [{ name: 'general', label: 'General', fields, subgrids: [] }],
    libraries: [],
    handlers: [],
    fieldControls: {},
    readOnly: [],
    commands: [],
  };
  let row: Row | null = null;
  if (id) {
    const expand = expandOf(table, fields);
    row = await webApi.retrieveRecord(logical, id, expand ? `?$expand=${expand}` : undefined);
  }
  const names = row ? lookupNames(table, row) : {};
  const fieldEls = new Map<string, HTMLElement>();
  const notes = h('div', { class: 'notifications', 'data-testid': 'form-notifications' });
  const subgridLoaders = new Map<string, () => Promise<void>>();

  const renderField = (name: string) => {
    const holder = fieldEls.get(name);
    const attr = model.attributes.get(name);
    const control = model.controls.get(name);
    if (!holder || !attr || !control) return;
    const column = table.columns.find((c) => c.name === name);
    const bound = effective.fieldControls[name];
    const pcf = bound ? meta.controls.find((c) => c.name === bound.control && c.available) : undefined;
    if (bound && pcf) {
      // A PCF control replaces the input: hosted once, its outputs set the attribute.
      if (holder.dataset['pcf']) return;
      holder.dataset['pcf'] = pcf.constructorName;
      const box = h('div', { class: 'pcf-host', 'data-pcf': pcf.constructorName });
      holder.replaceChildren(h('label', {}, control.label), box);
      holder.style.gridColumn = '1 / -1';
      void hostControl(box, {
        meta,
        webApi,
        control: pcf,
        target: table,
        lookup: '',
        parentId: id ?? '',
        dataSet: '',
        viewColumns: [],
        openForm: (e, i) => openForm(e, i),
        field: {
          property: bound.property,
          value: attr.value,
          setValue: (v) => {
            attr.value = v;
            attr.fire();
          },
        },
      }).then(
        (host) => hosts.push(host),
        (e: unknown) => model.scriptError(e),
      );
      return;
    }
    const input = fieldInput(attr, column);
    if (control.disabled) input.setAttribute('disabled', '');
    // The label names its input (what a screen reader announces, and a click on it focuses the field).
    const inputId = `field-${name}`;
    if (input.matches('input, select, textarea')) input.id = inputId;
    const label = h(
      'label',
      { for: inputId },
      control.label,
      attr.required === 'required' ? h('span', { class: 'req' }, '*') : attr.required === 'recommended' ? h('span', { class: 'req' }, '+') : null,
    );
    const controlNotes = [...control.notes.values()].map((n) => h('div', { class: 'control-note', role: 'alert' }, n));
    holder.replaceChildren(label, input, ...controlNotes);
    holder.style.display = control.visible ? '' : 'none';
  };
  const renderNotes = () => {
    notes.replaceChildren(
      ...[...model.notifications.entries()].map(([nid, n]) =>
        h('div', { class: `notification ${n.level}`, 'data-id': nid, role: n.level === 'ERROR' ? 'alert' : 'status' }, n.message),
      ),
    );
  };

  const model: FormModel = new FormModel(meta, table, effective, row, names, {
    attributeChanged: (n) => renderField(n),
    controlChanged: (n) => renderField(n),
    notificationsChanged: () => renderNotes(),
    persist: async (body, currentId) => {
      if (currentId) {
        if (Object.keys(body).length > 0) await webApi.updateRecord(logical, currentId, body);
        return currentId;
      }
      return (await webApi.createRecord(logical, body)).id;
    },
    reload: async (savedId) => {
      // The reopened form is the saved record: nothing unsaved to ask about, and it says it saved.
      currentForm = null;
      justSaved = bare(savedId);
      if (location.hash === `#/form/${logical}/${bare(savedId)}`) await route();
      else await openForm(logical, savedId);
    },
    refreshSubgrid: async (gridId) => {
      await subgridLoaders.get(gridId)?.();
    },
  });

  currentForm = model;
  // A role without Write on the table reads the record: every field disabled and said so (Dynamics
  // renders a form read-only for a user who cannot update the record).
  const readOnlyRecord = id !== null && !currentUser().writable.includes(logical);
  if (readOnlyRecord) {
    for (const control of model.controls.values()) control.disabled = true;
    model.setNotification('Read-only: your security role can read this record but not change it.', 'INFO', 'workbench-readonly');
  }
  if (!id) {
    const parameters = pendingParameters.get(logical);
    pendingParameters.delete(logical);
    if (parameters) model.applyParameters(parameters);
  }
  const title = row ? String(row[table.primaryName] ?? '') : `New ${table.display}`;
  const bar = h('div', { class: 'commandbar', role: 'toolbar' });
  const save = h('button', { 'data-testid': 'cmd-save' }, 'Save');
  save.onclick = () => void model.save().catch(() => undefined);
  const refresh = h('button', { 'data-testid': 'cmd-refresh' }, 'Refresh');
  refresh.onclick = () => void route();
  save.title = 'Save (Ctrl+S)';
  if (readOnlyRecord) save.setAttribute('disabled', '');
  bar.append(save, refresh);
  if (id && justSaved === bare(id)) bar.append(h('span', { class: 'saved', role: 'status', 'data-testid': 'saved-notice' }, 'Saved'));
  justSaved = null;
  for (const command of effective.commands) {
    const b = h('button', { 'data-testid': `cmd-${command.id}` }, command.label);
    b.onclick = () => void runCommand(model, command.library, command.functionName, b);
    b.toggleAttribute('disabled', !row);
    bar.append(b);
  }

  const content = h(
    'div',
    {},
    bar,
    h('h1', { class: 'title', 'data-testid': 'form-title' }, title),
    h('p', { class: 'subtitle' }, `${table.display} · ${effective.name}`),
    notes,
  );

  if (logical === 'cspb_billingimport' && row) content.append(importProgress(row, id!));
  if (logical === 'cspb_reconciliationrun' && id) content.append(await runVarianceChart(id));

  for (const section of effective.sections) {
    const s = h('section', { class: 'formsection', 'data-section': section.name }, h('h2', {}, section.label));
    if (section.fields.length > 0) {
      const grid = h('div', { class: 'fields' });
      for (const name of section.fields) {
        const holder = h('div', { class: 'field', 'data-control': name });
        fieldEls.set(name, holder);
        grid.append(holder);
      }
      s.append(grid);
    }
    for (const sub of section.subgrids) {
      const holder = h('div', { class: 'subgrid', 'data-subgrid': sub.id, 'data-testid': `subgrid-${sub.id}` }, h('h3', {}, sub.label));
      s.append(holder);
      if (id) subgridLoaders.set(sub.id, () => renderSubgrid(holder, sub, id));
      else holder.append(h('div', { class: 'empty' }, 'Save the record to see its related rows.'));
    }
    content.append(s);
  }
  layout(logical, content, token);
  for (const name of fieldEls.keys()) renderField(name);
  renderNotes();
  await Promise.all([...subgridLoaders.values()].map((load) => load().catch((e: unknown) => model.scriptError(e))));

  // Libraries in order, then the OnLoad handlers, as the form XML lists them.
  for (const lib of effective.libraries) await loadScript(`/WebResources/${lib}`);
  for (const handler of effective.handlers.filter((x) => x.event === 'onload')) {
    try {
      const fn = resolveFunction(handler.functionName);
      const result = fn(model.eventContext(null));
      if (result instanceof Promise) await result.catch((e: unknown) => model.scriptError(e));
    } catch (e) {
      model.scriptError(e);
    }
  }
  for (const handler of effective.handlers.filter((x) => x.event === 'onchange' && x.attribute)) {
    model.attributes.get(handler.attribute!)?.handlers.push((ctx) => resolveFunction(handler.functionName)(ctx));
  }
  document.body.dataset['formReady'] = `${logical}:${id ?? 'new'}:${Date.now()}`;
}

/** Variance by category of one run: the solution's chart over this run's findings only. */
async function runVarianceChart(runId: string): Promise<HTMLElement> {
  const chart = meta.charts.find((c) => c.key === 'variancebycategory')!;
  // This run's findings, whether or not it is its month's latest.
  const ofRun = { ...chart, name: 'Variance by category (this run)' };
  delete (ofRun as { latestRunThrough?: unknown }).latestRunThrough;
  const section = await chartSection(ofRun, chartEnv(), `_cspb_runid_value eq ${runId}`);
  section.setAttribute('data-testid', 'variance-chart');
  return section;
}

function resolveFunction(name: string): (...args: unknown[]) => unknown {
  let target: unknown = window;
  for (const part of name.split('.')) target = (target as Record<string, unknown> | undefined)?.[part];
  if (typeof target !== 'function') throw new Error(`${name} is not a function (is its library loaded?)`);
  return target as (...args: unknown[]) => unknown;
}

async function runCommand(model: FormModel, library: string, functionName: string, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  try {
    await loadScript(`/WebResources/${library}`);
    lastCreated = null;
    const result = await resolveFunction(functionName)(model.context());
    // A command that created a run record opens it (what the user goes to see next).
    const created = lastCreated as { entityType: string; id: string } | null;
    if (typeof result === 'string' && created && bare(created.id) === bare(result)) await openForm(created.entityType, result);
  } catch (e) {
    model.scriptError(e);
  } finally {
    button.disabled = false;
  }
}

/** A list command (HomepageGrid): no record, no parameter; what it opens, it opens through Xrm.Navigation. */
async function runListCommand(library: string, functionName: string, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  try {
    await loadScript(`/WebResources/${library}`);
    await resolveFunction(functionName)();
  } catch (e) {
    await alertDialog(e instanceof Error ? e.message : String(e), 'Error');
  } finally {
    button.disabled = false;
  }
}

function importProgress(row: Row, id: string): HTMLElement {
  const status = tableOf('cspb_billingimport').columns.find((c) => c.name === 'cspb_importstatus');
  const label = (v: unknown) => status?.options?.find((o) => o.value === v)?.label ?? String(v);
  const step = (v: unknown) => (({ 100000000: 10, 100000001: 40, 100000002: 75 }) as Record<number, number>)[Number(v)] ?? 100;
  const text = h('span', { 'data-testid': 'import-status' }, `Import status: ${label(row['cspb_importstatus'])}`);
  const fill = h('div', { style: `width:${step(row['cspb_importstatus'])}%` });
  const counts = h(
    'div',
    { 'data-testid': 'import-counts' },
    `Rows read ${String(row['cspb_rowsread'] ?? 0)} · accepted ${String(row['cspb_rowsaccepted'] ?? 0)} · rejected ${String(row['cspb_rowsrejected'] ?? 0)} · lines ${String(row['cspb_linecount'] ?? 0)}`,
  );
  const panel = h('div', { class: 'import-progress', 'data-testid': 'import-progress' }, text, counts, h('div', { class: 'bar' }, fill));
  if (IMPORT_RUNNING.includes(Number(row['cspb_importstatus']))) {
    const timer = window.setInterval(() => {
      void webApi.retrieveRecord('cspb_billingimport', id, '?$select=cspb_importstatus').then((r) => {
        text.textContent = `Import status: ${label(r['cspb_importstatus'])}`;
        fill.style.width = `${step(r['cspb_importstatus'])}%`;
        if (!IMPORT_RUNNING.includes(Number(r['cspb_importstatus']))) {
          clearInterval(timer);
          void route();
        }
      });
    }, 500);
    timers.push(timer);
  }
  return panel;
}

async function renderSubgrid(holder: HTMLElement, sub: WbSubgrid, parentId: string): Promise<void> {
  const target = tableOf(sub.targetTable);
  const control = sub.control ? meta.controls.find((c) => c.name === sub.control!.name && c.available) : undefined;
  const header = holder.firstElementChild;
  if (control) {
    const box = h('div', { class: 'pcf-host', 'data-pcf': control.constructorName });
    holder.replaceChildren(...(header ? [header] : []), box);
    const host = await hostControl(box, {
      meta,
      webApi,
      control,
      target,
      lookup: sub.lookup,
      parentId,
      dataSet: sub.control!.dataSet,
      viewColumns: sub.viewColumns,
      openForm: (e, i) => openForm(e, i),
    });
    hosts.push(host);
    return;
  }
  const columns = sub.viewColumns.length > 0 ? sub.viewColumns : target.listColumns;
  const expand = expandOf(target, columns);
  const page = await webApi.retrieveMultipleRecords(
    sub.targetTable,
    `?$filter=_${sub.lookup}_value eq ${parentId}${expand ? `&$expand=${expand}` : ''}&$orderby=${sub.viewOrderBy || target.listOrderBy}`,
    250,
  );
  holder.replaceChildren(
    ...(header ? [header] : []),
    page.entities.length === 0 ? h('div', { class: 'empty' }, 'No rows.') : rowsTable(target, columns, page.entities, `grid-${sub.id}`),
  );
}

/** A navigation away from a form with unsaved changes asks first; "Stay" puts the address back. */
async function leaveOrStay(): Promise<void> {
  if (location.hash === shownHash) return;
  if (formIsDirty()) {
    const target = location.hash;
    history.replaceState(null, '', shownHash);
    const { confirmed } = await confirmDialog(
      'This record has unsaved changes. Leave this page and lose them?',
      'Unsaved changes',
      'Leave this page',
      'Stay on this page',
    );
    if (!confirmed) return;
    currentForm = null;
    history.replaceState(null, '', target);
  }
  await route();
}

async function route(): Promise<void> {
  shownHash = location.hash;
  navigation++;
  const parts = location.hash.replace(/^#\/?/, '').split('/');
  try {
    if (parts[0] === 'form' && parts[1] && parts[2]) await formView(parts[1], parts[2]);
    else if (parts[0] === 'dashboard' && parts[1]) await dashboardView(parts[1]);
    else if (parts[0] === 'new' && parts[1]) await formView(parts[1], null);
    else
      await listView(
        parts[0] === 'list' && parts[1] ? parts[1] : (meta.siteMap[0]?.items.find((i) => i.table === 'cspb_subscription')?.table ?? 'cspb_subscription'),
      );
  } catch (e) {
    if (e instanceof Superseded) return;
    console.error(e);
    app().append(h('div', { class: 'notification ERROR', role: 'alert' }, e instanceof Error ? e.message : String(e)));
  }
}

/** Who the browser is: the cookie the server's proxy turns into MSCRMCallerID (a session's identity in Dynamics). */
const ACT_AS = 'cspb-act-as';
const actingAsId = (): string | undefined => new RegExp(`(?:^|;\\s*)${ACT_AS}=([0-9a-f-]{36})`).exec(document.cookie)?.[1];

function currentUser(): WbMeta['users'][number] {
  const id = actingAsId();
  return meta.users.find((u) => u.id === id) ?? meta.users[meta.users.length - 1]!;
}

function actAs(id: string): void {
  document.cookie = `${ACT_AS}=${id}; path=/; SameSite=Strict`;
}

/**
 * The user's language (Dynamics: Personalization settings > Languages; here a cookie): what
 * userSettings.languageId says to the form scripts and controls, and what the lists format in.
 */
const LANGUAGE = 'cspb-language';
const LANGUAGES: ReadonlyArray<{ readonly id: number; readonly name: string }> = [
  { id: 1033, name: 'English' },
  { id: 1031, name: 'Deutsch' },
  { id: 1036, name: 'Français' },
  { id: 1041, name: '日本語' },
];
const chosenLanguage = (): number | undefined => {
  const id = Number(new RegExp(`(?:^|;\\s*)${LANGUAGE}=(\\d+)`).exec(document.cookie)?.[1]);
  return LANGUAGES.some((l) => l.id === id) ? id : undefined;
};

function languagePicker(): HTMLElement {
  const select = h(
    'select',
    { 'data-testid': 'language', 'aria-label': 'Language', class: 'act-as' },
    ...LANGUAGES.map((l) =>
      h('option', { value: String(l.id), lang: localeOfLanguage(l.id), ...(l.id === meta.languageId ? { selected: 'selected' } : {}) }, l.name),
    ),
  ) as HTMLSelectElement;
  select.addEventListener('change', () => {
    document.cookie = `${LANGUAGE}=${select.value}; path=/; SameSite=Strict`;
    location.reload();
  });
  return h('label', { class: 'org' }, 'Language ', select);
}

function actAsPicker(): HTMLElement {
  const select = h(
    'select',
    { 'data-testid': 'act-as', 'aria-label': 'Act as', class: 'act-as' },
    ...meta.users.map((u) => h('option', { value: u.id, ...(u.id === currentUser().id ? { selected: 'selected' } : {}) }, u.name)),
  ) as HTMLSelectElement;
  select.addEventListener('change', () => {
    actAs(select.value);
    location.hash = '#/';
    location.reload();
  });
  return h('label', { class: 'org' }, 'Acting as ', select);
}

async function main(): Promise<void> {
  meta = (await (await fetch('/workbench/meta.json')).json()) as WbMeta;
  const language = chosenLanguage();
  if (language !== undefined) meta = { ...meta, languageId: language };
  document.documentElement.lang = localeOfLanguage(meta.languageId);
  // First visit: the admin (the last of the users), so every request names a user whose role applies.
  if (!meta.users.some((u) => u.id === actingAsId())) actAs(currentUser().id);
  const base = createWebApi(meta);
  webApi = {
    ...base,
    createRecord: async (entity, data) => {
      const r = await base.createRecord(entity, data);
      lastCreated = { entityType: entity, id: r.id };
      return r;
    },
  };
  installXrm(meta, webApi, { openForm: (o, parameters) => openForm(o.entityName, o.entityId, parameters) });
  window.addEventListener('hashchange', () => void leaveOrStay());
  // As the model-driven form: Ctrl+S (Cmd+S) saves, and leaving with unsaved changes asks first.
  document.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's' && currentForm) {
      e.preventDefault();
      // The field being typed in commits first (its change event fires on blur), as a click on Save does.
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
      void currentForm.save().catch(() => undefined);
    }
  });
  window.addEventListener('beforeunload', (e) => {
    if (formIsDirty()) e.preventDefault();
  });
  shownHash = location.hash;
  await route();
}

void main();
