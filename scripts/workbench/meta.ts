/**
 * Builds the shell's metadata (meta-types.ts) from the same sources the solution is packed
 * from: the schema (through the local org's metadata), the hand-kept forms, views, site map and
 * command bar, the built PCF manifests and the RESX web resources.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ColumnDef } from '../../dataverse/src/schema/types';
import { extensions, tables as schemaTables } from '../../dataverse/src/schema';
import type { LocalOrg } from '../../dataverse/src/local-org';
import { readNameOf } from '../../dataverse/src/local-org/metadata';
import { FORMS } from '../../solution/src/forms';
import { SITE_MAP, APP } from '../../solution/src/app-module';
import { EMPTY_TEXT, views } from '../../solution/src/views';
import { FORM_COMMANDS, GRID_COMMANDS, libraryOf } from '../../solution/src/ribbon';
import { CHARTS, seriesByCurrency, type ChartDef } from '../../solution/src/charts';
import { DASHBOARDS, chartsOf } from '../../solution/src/dashboards';
import { stringResources, WEBRESOURCE_OUT_DIR } from '../../webresources/src/bundles';
import { pcfControls, PCF_OUT_DIR } from '../pcf-controls';
import type { WbChart, WbColumn, WbControl, WbForm, WbMeta, WbTable } from './meta-types';

const decode = (text: string): string =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&amp;/g, '&');

/** key -> value of a RESX document (`<data name="k"><value>v</value></data>`). */
export function parseResx(xml: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of xml.matchAll(/<data\s+name="([^"]+)"[^>]*>\s*<value>([\s\S]*?)<\/value>/g)) out[decode(m[1]!)] = decode(m[2]!);
  return out;
}

function column(c: ColumnDef, targetSet: (table: string) => string | undefined): WbColumn {
  const base = { name: c.logicalName, readName: readNameOf(c), schemaName: c.schemaName, type: c.type, display: c.displayName, required: c.required };
  switch (c.type) {
    case 'choice':
      return { ...base, options: c.options.map((o) => ({ value: o.value, label: o.label })) };
    case 'boolean':
      return { ...base, trueLabel: c.trueLabel, falseLabel: c.falseLabel };
    case 'lookup':
      return { ...base, target: c.target, targetSet: targetSet(c.target) ?? c.targetEntitySet, navigationProperty: c.navigationProperty };
    case 'text':
    case 'memo':
      return { ...base, maxLength: c.maxLength };
    default:
      return base;
  }
}

/** Data-set and property names of a built ControlManifest.xml. */
function manifestOf(xml: string): { controlType: string; dataSets: string[]; properties: string[] } {
  return {
    controlType: /control-type="([^"]+)"/.exec(xml)?.[1] ?? 'standard',
    dataSets: [...xml.matchAll(/<data-set\s+name="([^"]+)"/g)].map((m) => m[1]!),
    properties: [...xml.matchAll(/<property\s+name="([^"]+)"/g)].map((m) => m[1]!),
  };
}

/** A view's orders as a Web API $orderby: lookups sort by their `_x_value` property. */
function orderByOf(
  orders: ReadonlyArray<{ readonly attribute: string; readonly descending: boolean }>,
  table: { readonly columns: ReadonlyMap<string, unknown> },
): string {
  return orders.map((o) => `${table.columns.has(`_${o.attribute}_value`) ? `_${o.attribute}_value` : o.attribute} ${o.descending ? 'desc' : 'asc'}`).join(',');
}

/** A shipped chart as the shell draws it. */
export function wbChartOf(c: ChartDef): WbChart {
  return {
    table: c.table,
    key: c.key,
    name: c.name,
    description: c.description,
    measures: c.measures,
    groupBy: c.groupBy,
    conditions: c.conditions ?? [],
    ...(c.latestRunThrough ? { latestRunThrough: c.latestRunThrough } : {}),
    chartType: c.chartType,
    byCurrency: seriesByCurrency(c),
  };
}

export function buildMeta(org: LocalOrg, root: string, uploadUrl: string, userIds: readonly string[] = []): WbMeta {
  const all = org.metadata.all;
  const setOf = (logical: string) => all.find((t) => t.logicalName === logical)?.entitySet;
  const tables: WbTable[] = all.map((t) => {
    const active = views.find((v) => v.table === t.logicalName && v.key === 'active');
    const cols = [...t.columns.values()];
    const display = t.logicalName === 'account' ? 'Customer' : tableDisplay(t.logicalName);
    return {
      logicalName: t.logicalName,
      entitySet: t.entitySet,
      display,
      plural: t.logicalName === 'account' ? 'Customers' : tablePlural(t.logicalName),
      primaryId: t.primaryId,
      primaryName: t.primaryName,
      columns: cols.map((c) => column(c, setOf)),
      listColumns: active ? active.columns.map((c) => c.name) : [t.primaryName, ...cols.slice(1, 5).map((c) => c.logicalName)],
      listOrderBy: active ? orderByOf(active.orders, t) : `${t.primaryName} asc`,
      findColumns: views.find((v) => v.table === t.logicalName && v.key === 'quickfind')?.findColumns ?? [t.primaryName],
      emptyText: EMPTY_TEXT[t.logicalName] ?? `No ${tablePlural(t.logicalName).toLowerCase()} yet.`,
    };
  });
  const lookupOf = (target: string, relationship: string): string => {
    const t = all.find((x) => x.logicalName === target);
    const c = t ? [...t.columns.values()].find((col) => col.type === 'lookup' && col.relationshipName === relationship) : undefined;
    if (!c) throw new Error(`workbench: no lookup on ${target} for relationship ${relationship}`);
    return c.logicalName;
  };
  const forms: WbForm[] = FORMS.map((f) => ({
    table: f.table,
    name: f.name,
    sections: f.sections.map((s) => ({
      name: s.name,
      label: s.label,
      fields: s.fields ?? [],
      subgrids: (s.subgrids ?? []).map((g) => {
        const view = views.find((v) => v.table === g.targetTable && v.key === g.view);
        return {
          id: g.id,
          label: g.label,
          targetTable: g.targetTable,
          lookup: lookupOf(g.targetTable, g.relationshipName),
          viewColumns: view ? view.columns.map((c) => c.name) : [],
          viewOrderBy: view ? orderByOf(view.orders, all.find((x) => x.logicalName === g.targetTable)!) : '',
          ...(g.control ? { control: { name: g.control.name, dataSet: g.control.dataSet } } : {}),
        };
      }),
    })),
    libraries: f.libraries,
    handlers: f.handlers.map((h) => ({ event: h.event, functionName: h.functionName, library: h.library, ...(h.attribute ? { attribute: h.attribute } : {}) })),
    fieldControls: f.fieldControls ?? {},
    readOnly: f.readOnly ?? [],
    commands: FORM_COMMANDS.filter((c) => c.table === f.table).map((c) => ({ id: c.id, label: c.label, functionName: c.functionName, library: libraryOf(c) })),
  }));
  const controls: WbControl[] = pcfControls.map((c) => {
    const dir = join(root, PCF_OUT_DIR, c.constructorName);
    const manifestFile = join(dir, 'ControlManifest.xml');
    const available = existsSync(join(dir, 'bundle.js')) && existsSync(manifestFile);
    const manifest = available ? manifestOf(readFileSync(manifestFile, 'utf8')) : { controlType: 'standard', dataSets: [], properties: [] };
    const stringsDir = join(dir, 'strings');
    const resx = existsSync(stringsDir) ? readdirSync(stringsDir).find((f) => f.endsWith('.1033.resx')) : undefined;
    return {
      name: `cspb_${c.namespace}.${c.constructorName}`,
      namespace: c.namespace,
      constructorName: c.constructorName,
      controlType: manifest.controlType,
      bundleUrl: `/pcf/${c.constructorName}/bundle.js`,
      dataSets: manifest.dataSets,
      properties: manifest.properties,
      strings: resx ? parseResx(readFileSync(join(stringsDir, resx), 'utf8')) : {},
      available,
    };
  });
  const resx: Record<string, Record<string, string>> = {};
  for (const r of stringResources) {
    const file = join(root, WEBRESOURCE_OUT_DIR, r.webResourceName);
    const source = existsSync(file) ? file : join(root, r.file);
    if (existsSync(source)) resx[r.webResourceName] = parseResx(readFileSync(source, 'utf8'));
  }
  const users = userIds.map((id) => {
    const user = org.user(id);
    if (!user) throw new Error(`workbench: ${id} is not a user of the org`);
    return {
      id: user.id,
      name: user.name,
      readable: all.filter((t) => user.privileges.has(`prvRead${t.schemaName}`)).map((t) => t.logicalName),
      writable: all.filter((t) => user.privileges.has(`prvWrite${t.schemaName}`)).map((t) => t.logicalName),
    };
  });
  return {
    appTitle: APP.displayName,
    listCommands: GRID_COMMANDS.map((c) => ({ table: c.table, id: c.id, label: c.label, functionName: c.functionName, library: libraryOf(c) })),
    charts: CHARTS.map(wbChartOf),
    dashboards: DASHBOARDS.map((d) => ({ key: d.key, name: d.name, description: d.description, charts: d.charts })),
    baseCurrency: org.baseCurrency,
    users,
    siteMap: SITE_MAP.flatMap((area) =>
      area.groups.map((g) => ({
        title: g.title,
        items: g.subAreas.map((s) => {
          if (!s.dashboard) return { id: s.id, title: s.title, table: s.entity ?? '' };
          const tables = [...new Set(chartsOf(DASHBOARDS.find((d) => d.key === s.dashboard)!).map((c) => c.table))];
          return { id: s.id, title: s.title, table: tables[0]!, dashboard: s.dashboard, tables };
        }),
      })),
    ),
    tables,
    forms,
    controls,
    resx,
    uploadUrl,
    languageId: 1033,
  };
}

function tableDisplay(logical: string): string {
  return schemaTables.find((t) => t.logicalName === logical)?.displayName ?? extensions.find((t) => t.logicalName === logical)?.displayName ?? logical;
}
function tablePlural(logical: string): string {
  return schemaTables.find((t) => t.logicalName === logical)?.pluralName ?? tableDisplay(logical);
}
