/** The local org's Web API over fetch, with Xrm.WebApi's and context.webAPI's shapes on top. */
import type { WbMeta, WbTable } from '../meta-types';

export const API = '/api/data/v9.2/';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Row = Record<string, unknown>;

export async function api(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: unknown; headers: Headers }> {
  const response = await fetch(path.startsWith('http') || path.startsWith('/') ? path : API + path, {
    method,
    headers: { Accept: 'application/json', 'OData-Version': '4.0', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const json: unknown = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = (json as { error?: { message?: string; code?: string } } | null)?.error;
    throw new ApiError(error?.message ?? `${method} ${path}: ${response.status}`, response.status, error?.code);
  }
  return { status: response.status, json, headers: response.headers };
}

const bare = (id: string): string => id.replace(/[{}]/g, '').toLowerCase();

/** Xrm.WebApi / ComponentFramework.WebApi over the local org (entity logical names, OData query strings). */
export function createWebApi(meta: WbMeta) {
  const table = (logical: string): WbTable => {
    const t = meta.tables.find((x) => x.logicalName === logical);
    if (!t) throw new ApiError(`Unknown table ${logical}`, 404);
    return t;
  };
  const query = (options?: string): string => (!options ? '' : options.startsWith('?') ? options : `?${options}`);
  const idFromHeader = (value: string | null): string => /\(([0-9a-fA-F-]{36})\)\s*$/.exec(value ?? '')?.[1] ?? '';
  return {
    async createRecord(entityLogicalName: string, data: Row): Promise<{ id: string; entityType: string }> {
      const r = await api('POST', table(entityLogicalName).entitySet, data);
      return { id: idFromHeader(r.headers.get('OData-EntityId')), entityType: entityLogicalName };
    },
    async updateRecord(entityLogicalName: string, id: string, data: Row): Promise<{ id: string; entityType: string }> {
      await api('PATCH', `${table(entityLogicalName).entitySet}(${bare(id)})`, data, { 'If-Match': '*' });
      return { id: bare(id), entityType: entityLogicalName };
    },
    async deleteRecord(entityLogicalName: string, id: string): Promise<{ id: string; entityType: string }> {
      await api('DELETE', `${table(entityLogicalName).entitySet}(${bare(id)})`);
      return { id: bare(id), entityType: entityLogicalName };
    },
    async retrieveRecord(entityLogicalName: string, id: string, options?: string): Promise<Row> {
      return (await api('GET', `${table(entityLogicalName).entitySet}(${bare(id)})${query(options)}`)).json as Row;
    },
    async retrieveMultipleRecords(entityLogicalName: string, options?: string, maxPageSize?: number): Promise<{ entities: Row[]; nextLink?: string }> {
      const path =
        options && /^https?:/.test(options) ? new URL(options).pathname + new URL(options).search : `${table(entityLogicalName).entitySet}${query(options)}`;
      const r = await api('GET', path, undefined, maxPageSize ? { Prefer: `odata.maxpagesize=${maxPageSize}` } : {});
      const page = r.json as { value: Row[]; '@odata.nextLink'?: string };
      return { entities: page.value, ...(page['@odata.nextLink'] ? { nextLink: page['@odata.nextLink'] } : {}) };
    },
  };
}
export type WebApi = ReturnType<typeof createWebApi>;

/** Every row of a query, following nextLink. */
export async function retrieveAll(webApi: WebApi, table: string, options: string): Promise<Row[]> {
  const rows: Row[] = [];
  let page = await webApi.retrieveMultipleRecords(table, options, 5000);
  rows.push(...page.entities);
  while (page.nextLink) {
    page = await webApi.retrieveMultipleRecords(table, page.nextLink, 5000);
    rows.push(...page.entities);
  }
  return rows;
}
