/**
 * The workbench shell: site map, list views and main forms driven by the schema and the
 * solution's form definitions. Forms load their web resources and run their OnLoad handlers
 * against the real Xrm (xrm.ts); subgrids bound to a PCF control host the built control (pcf.ts).
 */
import { createWebApi, retrieveAll, type Row, type WebApi } from './api';
import type { WbChart, WbColumn, WbForm, WbMeta, WbSubgrid, WbTable } from '../meta-types';
import { hostControl, loadScript, type Host } from './pcf';
import { alertDialog, formatNumber, h } from './ui';
import { Decimal } from '../../../core/src/money';
import { formatMoney, localeOfLanguage } from '../../../core/src/format';
import { Attribute, FormModel, dateOf, installXrm, isoOf, type LookupValue } from './xrm';

const IMPORT_RUNNING = [100000000, 100000001, 100000002];

let meta: WbMeta;
let webApi: WebApi;
let hosts: Host[] = [];
let timers: number[] = [];
/** The record a command created last (a command that starts a run opens it). */
let lastCreated: { entityType: string; id: string } | null = null;
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

export function openForm(entityName: string, entityId?: string): Promise<void> {
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
    const items = group.items.filter((item) => readable.has(item.table));
    if (items.length === 0) continue;
    nav.append(h('h3', {}, group.title));
    for (const item of items)
      nav.append(h('a', { href: `#/list/${item.table}`, class: item.table === active ? 'active' : '', 'data-testid': `nav-${item.table}` }, item.title));
  }
  app().replaceChildren(
    h('header', { class: 'top' }, meta.appTitle, h('span', { class: 'org' }, `local org · ${location.host}`), actAsPicker()),
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
  if (!column) return name.endsWith('on') && typeof raw === 'string' ? raw.slice(0, 10) : String(raw);
  switch (column.type) {
    case 'choice':
      return column.options?.find((o) => o.value === raw)?.label ?? String(raw);
    case 'boolean':
      return raw ? (column.trueLabel ?? 'Yes') : (column.falseLabel ?? 'No');
    case 'lookup':
      return names[column.readName] ?? String(raw);
    case 'money':
      return formatNumber(Number(raw), 2);
    case 'decimal':
    case 'wholeNumber':
      return formatNumber(Number(raw));
    default:
      return String(raw);
  }
}

function rowsTable(table: WbTable, columns: readonly string[], rows: Row[], testId: string): HTMLElement {
  const colDefs = columns.map((n) => table.columns.find((c) => c.name === n));
  const head = h('tr', {}, ...columns.map((n, i) => h('th', {}, colDefs[i]?.display ?? (n === 'createdon' ? 'Created on' : n))));
  const body = rows.map((row) => {
    const names = lookupNames(table, row);
    const tr = h(
      'tr',
      { class: 'row', 'data-id': String(row[table.primaryId]) },
      ...columns.map((n, i) => {
        const c = colDefs[i];
        return h('td', { class: c && ['money', 'decimal', 'wholeNumber'].includes(c.type) ? 'num' : '' }, display(c, row, names, n));
      }),
    );
    tr.onclick = () => void openForm(table.logicalName, String(row[table.primaryId]));
    return tr;
  });
  return h('table', { class: 'list', 'data-testid': testId }, h('thead', {}, head), h('tbody', {}, ...body));
}

async function listView(logical: string): Promise<void> {
  const token = navigation;
  const table = tableOf(logical);
  const columns = table.listColumns;
  const select = [...new Set([table.primaryId, ...columns.map((n) => table.columns.find((c) => c.name === n)?.readName ?? n)])];
  const expand = expandOf(table, columns);
  const page = await webApi.retrieveMultipleRecords(
    logical,
    `?$select=${select.join(',')}${expand ? `&$expand=${expand}` : ''}&$orderby=${table.listOrderBy}`,
    250,
  );
  const bar = h('div', { class: 'commandbar', role: 'toolbar' });
  const newButton = h('button', { 'data-testid': 'cmd-new' }, '+ New');
  newButton.onclick = () => void openForm(logical);
  bar.append(newButton);
  if (logical === 'cspb_billingimport' && !meta.controls.some((c) => c.available && c.constructorName === 'BillingImport')) bar.append(...uploadButton());
  layout(
    logical,
    h(
      'div',
      {},
      bar,
      h('h1', { class: 'title' }, table.plural),
      h('p', { class: 'subtitle', 'data-testid': 'list-count' }, `${page.entities.length}${page.nextLink ? '+' : ''} rows`),
      ...(await Promise.all(meta.charts.filter((c) => c.table === logical).map(systemChart))),
      rowsTable(table, columns, page.entities, 'list'),
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

/** Variance by category over a run's discrepancies: a small SVG bar chart. */
async function varianceChart(runId: string): Promise<HTMLElement> {
  const table = tableOf('cspb_discrepancy');
  const category = table.columns.find((c) => c.name === 'cspb_category');
  const rows = await retrieveAll(webApi, 'cspb_discrepancy', `?$select=cspb_category,cspb_variance&$filter=_cspb_runid_value eq ${runId}`);
  const sums = new Map<string, number>();
  for (const r of rows) {
    const label = category?.options?.find((o) => o.value === r['cspb_category'])?.label ?? String(r['cspb_category']);
    sums.set(label, Math.round(((sums.get(label) ?? 0) + Number(r['cspb_variance'] ?? 0)) * 100) / 100);
  }
  const entries = [...sums.entries()].sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
  const section = h('section', { class: 'formsection chart', 'data-testid': 'variance-chart' }, h('h2', {}, 'Variance by category'));
  if (entries.length === 0) {
    section.append(h('div', { class: 'empty' }, 'No discrepancies.'));
    return section;
  }
  const max = Math.max(...entries.map(([, v]) => Math.abs(v)), 0.01);
  const rowH = 24;
  const labelW = 240;
  const barW = 420;
  const mid = labelW + barW / 2;
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('width', String(labelW + barW + 110));
  svg.setAttribute('height', String(entries.length * rowH + 10));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'Variance by category');
  const el = (tag: string, attrs: Record<string, string | number>, text?: string) => {
    const e = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    svg.append(e);
    return e;
  };
  el('line', { x1: mid, x2: mid, y1: 0, y2: entries.length * rowH, stroke: '#8a8886' });
  entries.forEach(([label, value], i) => {
    const w = (Math.abs(value) / max) * (barW / 2 - 4);
    const y = i * rowH + 4;
    el('text', { x: 0, y: y + 13 }, label);
    el('rect', {
      x: value >= 0 ? mid : mid - w,
      y,
      width: Math.max(w, 1),
      height: rowH - 8,
      fill: value >= 0 ? '#0f6cbd' : '#a4262c',
      'data-category': label,
      'data-value': value,
    });
    el('text', { x: labelW + barW + 6, y: y + 13 }, formatNumber(value, 2));
  });
  section.append(svg);
  return section;
}

/**
 * A system chart of the solution over every row of its table, as Dataverse draws it: the measure
 * aggregated per group (a month of a date, or a value), one series per currency for sums of money.
 */
async function systemChart(chart: WbChart): Promise<HTMLElement> {
  const currency = 'cspb_currencycode';
  const select = [chart.measure.attribute, chart.groupBy.attribute, ...(chart.byCurrency ? [currency] : [])];
  const rows = await retrieveAll(webApi, chart.table, `?$select=${select.join(',')}`);
  const options = tableOf(chart.table).columns.find((c) => c.name === chart.groupBy.attribute)?.options;
  const sums = new Map<string, number>();
  for (const r of rows) {
    const raw = r[chart.groupBy.attribute];
    const group =
      chart.groupBy.dateGrouping === 'month' && typeof raw === 'string' ? raw.slice(0, 7) : (options?.find((o) => o.value === raw)?.label ?? String(raw ?? ''));
    const label = chart.byCurrency ? `${group} ${String(r[currency] ?? '')}` : group;
    const value = chart.measure.aggregate === 'count' ? 1 : Number(r[chart.measure.attribute] ?? 0);
    // Cents as integers: the sum of amounts stays exact.
    sums.set(label, (sums.get(label) ?? 0) + Math.round(value * 100));
  }
  const section = h('section', { class: 'formsection chart', 'data-testid': `chart-${chart.key}` }, h('h2', {}, chart.name));
  const entries = [...sums.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  if (entries.length === 0) {
    section.append(h('div', { class: 'empty' }, 'No data.'));
    return section;
  }
  const max = Math.max(...entries.map(([, v]) => Math.abs(v)), 1);
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  const colW = 110;
  const height = 160;
  svg.setAttribute('width', String(entries.length * colW + 20));
  svg.setAttribute('height', String(height + 40));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', chart.name);
  const add = (tag: string, attrs: Record<string, string | number>, text?: string) => {
    const e = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    svg.append(e);
  };
  entries.forEach(([label, cents], i) => {
    const h2 = (Math.abs(cents) / max) * (height - 24);
    const x = 10 + i * colW;
    add('rect', { x, y: height - h2, width: colW - 30, height: Math.max(h2, 1), fill: '#0f6cbd', 'data-group': label, 'data-value': (cents / 100).toFixed(2) });
    add('text', { x, y: height - h2 - 4 }, formatNumber(cents / 100, 2));
    add('text', { x, y: height + 16 }, label);
  });
  section.append(svg);
  return section;
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
    const label = h(
      'label',
      {},
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
      if (location.hash === `#/form/${logical}/${bare(savedId)}`) await route();
      else await openForm(logical, savedId);
    },
    refreshSubgrid: async (gridId) => {
      await subgridLoaders.get(gridId)?.();
    },
  });

  const title = row ? String(row[table.primaryName] ?? '') : `New ${table.display}`;
  const bar = h('div', { class: 'commandbar', role: 'toolbar' });
  const save = h('button', { 'data-testid': 'cmd-save' }, 'Save');
  save.onclick = () => void model.save().catch(() => undefined);
  const refresh = h('button', { 'data-testid': 'cmd-refresh' }, 'Refresh');
  refresh.onclick = () => void route();
  bar.append(save, refresh);
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
  if (logical === 'cspb_reconciliationrun' && id) content.append(await varianceChart(id));

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

async function route(): Promise<void> {
  navigation++;
  const parts = location.hash.replace(/^#\/?/, '').split('/');
  try {
    if (parts[0] === 'form' && parts[1] && parts[2]) await formView(parts[1], parts[2]);
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
  installXrm(meta, webApi, { openForm: (o) => openForm(o.entityName, o.entityId) });
  window.addEventListener('hashchange', () => void route());
  await route();
}

void main();
