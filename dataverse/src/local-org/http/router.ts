import { DataverseError, type EntityRecord } from '../../client/types';
import type { Scope } from '../engine';
import { badRequest, resourceNotFound } from '../errors';
import { parseKeySegment, type ParsedKey } from '../keys';
import type { LocalOrg } from '../local-org';
import type { TableMeta } from '../metadata';
import { asDataverseError } from '../org-client';
import { etagOf, project, runQuery } from '../query/execute';
import { nextPageQuery, parseQueryString, splitTopLevel } from '../query/options';
import { parseBatch, writeBatchResponse, type BatchResponseItem, type BatchRequestPart, type ResponsePart } from './multipart';
import { demand, demandRead, demandWrite, privilegeOf, type Caller } from '../security';

/**
 * The Web API routes of the local org (`/api/data/v9.2/...`), answering as Dataverse does:
 * status codes, OData-EntityId, ETags, conditional headers, Prefer preferences, error bodies.
 */
export interface ApiRequest {
  readonly method: string;
  /** Path after `/api/data/v9.2/`, still percent-encoded. */
  readonly path: string;
  /** Query string without `?`. */
  readonly query: string;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

type Exec = <T>(fn: (scope: Scope) => Promise<T>) => Promise<T>;

const JSON_TYPE = 'application/json; odata.metadata=minimal';
const API_PREFIX = /^(?:[a-z]+:\/\/[^/]+)?\/?(?:api\/data\/v\d+\.\d+\/)?/i;

export function errorResponse(error: DataverseError): ApiResponse {
  const headers: Record<string, string> = { 'Content-Type': JSON_TYPE };
  if (error.retryAfterMs !== undefined) headers['Retry-After'] = String(Math.ceil(error.retryAfterMs / 1000));
  return { status: error.status || 500, headers, body: JSON.stringify({ error: { code: error.code ?? '0x80040216', message: error.message } }) };
}

function json(status: number, value: unknown, headers: Record<string, string> = {}): ApiResponse {
  return { status, headers: { 'Content-Type': JSON_TYPE, ...headers }, body: JSON.stringify(value) };
}

function parsePrefer(header: string | undefined): { representation: boolean; maxPageSize?: number; continueOnError: boolean } {
  const items = (header ?? '').split(',').map((s) => s.trim());
  const size = items.find((i) => i.startsWith('odata.maxpagesize='));
  const n = size ? Number(size.slice('odata.maxpagesize='.length).replace(/"/g, '')) : undefined;
  return {
    representation: items.includes('return=representation'),
    ...(n && n > 0 ? { maxPageSize: n } : {}),
    continueOnError: items.includes('odata.continue-on-error'),
  };
}

/** A $batch part acts as the batch's caller (its MSCRMCallerID applies to every operation in it). */
function withCallerOf(batch: ApiRequest, part: ApiRequest): ApiRequest {
  const id = batch.headers['mscrmcallerid'];
  return id === undefined ? part : { ...part, headers: { ...part.headers, mscrmcallerid: id } };
}

function parseBody(body: string): EntityRecord {
  if (!body.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw badRequest(`The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw badRequest('The request body must be a JSON object.');
  return parsed as EntityRecord;
}

interface Resource {
  readonly name: string;
  readonly key?: ParsedKey;
  readonly action?: string;
}

function parsePath(path: string): Resource {
  const segments = splitTopLevel(path, '/').map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw badRequest(`The path has a malformed %-escape: '${s}'.`);
    }
  });
  if (segments.length === 0 || segments.length > 2) throw resourceNotFound(path);
  const m = /^([A-Za-z_$][A-Za-z0-9_.]*)(?:\((.*)\))?$/.exec(segments[0]!);
  if (!m) throw resourceNotFound(segments[0]!);
  const action = segments[1]?.replace(/^Microsoft\.Dynamics\.CRM\./, '');
  return { name: m[1]!, ...(m[2] !== undefined && m[2] !== '' ? { key: parseKeySegment(m[2]) } : {}), ...(action ? { action } : {}) };
}

export class Router {
  constructor(
    private readonly org: LocalOrg,
    /** `http://127.0.0.1:port/api/data/v9.2/` */
    private readonly base: () => string,
  ) {}

  private get engine() {
    return this.org.engine;
  }

  private readonly standalone: Exec = (fn) => this.engine.transaction(fn);

  /** Any failure becomes the Web API's error response. */
  async handle(req: ApiRequest, exec: Exec = this.standalone): Promise<ApiResponse> {
    try {
      return await this.route(req, exec);
    } catch (error) {
      return errorResponse(asDataverseError(error));
    }
  }

  /**
   * The calling user: the one MSCRMCallerID names ("Impersonate another user using the Web API",
   * learn.microsoft.com/power-apps/developer/data-platform/webapi/impersonate-another-user-web-api),
   * else the system. An id that is no user of the org is refused.
   */
  private callerOf(req: ApiRequest): Caller | undefined {
    const id = req.headers['mscrmcallerid'];
    if (id === undefined || id === '') return undefined;
    const caller = this.org.user(id);
    if (!caller) throw new DataverseError(`The MSCRMCallerID ${id} is not a user of this organization.`, 403, '0x80040220');
    return caller;
  }

  private authorize(caller: Caller | undefined, method: string, meta: TableMeta, key: Resource['key'], body: string | undefined): void {
    if (!caller) return;
    if (method === 'GET') return demandRead(caller, meta);
    if (method === 'DELETE') return demand(caller, privilegeOf('Delete', meta));
    const record = parseBody(body ?? '');
    if (method === 'POST') return demandWrite(caller, 'Create', meta, record, this.org.metadata);
    if (method === 'PATCH')
      return demandWrite(caller, key !== undefined && this.engine.findRow(meta, key) ? 'Write' : 'Create', meta, record, this.org.metadata);
  }

  private entityId(meta: TableMeta, id: string): string {
    return `${this.base()}${meta.entitySet}(${id})`;
  }

  /** Throws on failure (a change set relies on it to roll back). */
  async route(req: ApiRequest, exec: Exec): Promise<ApiResponse> {
    if (req.path === '$batch') {
      if (req.method !== 'POST') throw badRequest('$batch takes POST.');
      return this.batch(req);
    }
    const resource = parsePath(req.path);
    const caller = this.callerOf(req);
    if (resource.name === 'WhoAmI' && req.method === 'GET') {
      return json(200, {
        '@odata.context': `${this.base()}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
        BusinessUnitId: '00000000-0000-0000-0000-00000000b001',
        UserId: caller?.id ?? '00000000-0000-0000-0000-00000000a001',
        OrganizationId: '00000000-0000-0000-0000-00000000c001',
      });
    }
    const meta = this.org.metadata.tryBySet(resource.name);
    if (!meta) {
      if (req.method !== 'POST' || resource.key !== undefined || resource.action !== undefined) throw resourceNotFound(resource.name);
      return this.action(resource.name.replace(/^Microsoft\.Dynamics\.CRM\./, ''), parseBody(req.body), exec);
    }
    if (resource.action) {
      if (req.method !== 'POST') throw badRequest(`${resource.action} takes POST.`);
      const body = parseBody(req.body);
      if (caller && (resource.action === 'CreateMultiple' || resource.action === 'UpsertMultiple') && Array.isArray(body['Targets']))
        for (const t of body['Targets'] as EntityRecord[])
          for (const right of resource.action === 'CreateMultiple' ? (['Create'] as const) : (['Create', 'Write'] as const))
            demandWrite(caller, right, meta, t, this.org.metadata);
      return this.boundAction(meta, resource, body, exec);
    }
    const query = parseQueryString(req.query);
    this.authorize(caller, req.method, meta, resource.key, req.body);
    const prefer = parsePrefer(req.headers['prefer']);
    const { store, metadata } = this.engine;
    switch (req.method) {
      case 'GET': {
        if (resource.key === undefined) {
          return exec(async () => {
            const page = runQuery(store, metadata, meta, { ...query, ...(prefer.maxPageSize ? { pageSize: prefer.maxPageSize } : {}) });
            const rest = { ...query, skipToken: undefined };
            return json(200, {
              '@odata.context': `${this.base()}$metadata#${meta.entitySet}`,
              value: page.value,
              ...(page.nextSkipToken ? { '@odata.nextLink': `${this.base()}${meta.entitySet}?${nextPageQuery(rest, page.nextSkipToken)}` } : {}),
            });
          });
        }
        const key = resource.key;
        return exec(async () => {
          const row = this.engine.mustFindRow(meta, key);
          if (req.headers['if-none-match'] === etagOf(row)) return { status: 304, headers: {} };
          return json(200, {
            '@odata.context': `${this.base()}$metadata#${meta.entitySet}/$entity`,
            ...project(store, metadata, meta, row, query.select, query.expand),
          });
        });
      }
      case 'POST': {
        if (resource.key !== undefined) throw badRequest(`POST creates rows: address the collection '${meta.entitySet}', not one row.`);
        const body = parseBody(req.body);
        const pre = exec === this.standalone ? await this.engine.preValidate('Create', meta, body, undefined) : undefined;
        return exec(async (scope) => {
          const id = await this.engine.create(meta, body, scope, 1, {}, pre);
          const headers = { 'OData-EntityId': this.entityId(meta, id) };
          if (!prefer.representation) return { status: 204, headers };
          return json(
            201,
            {
              '@odata.context': `${this.base()}$metadata#${meta.entitySet}/$entity`,
              ...project(store, metadata, meta, store.mustGet(meta, id), query.select, query.expand),
            },
            headers,
          );
        });
      }
      case 'PATCH': {
        if (resource.key === undefined) throw badRequest(`PATCH needs a row: ${meta.entitySet}(<id or key>).`);
        const key = resource.key;
        const body = parseBody(req.body);
        const ifMatch = req.headers['if-match'];
        const ifNoneMatch = req.headers['if-none-match'];
        const existing = exec === this.standalone ? this.engine.findRow(meta, key) : undefined;
        const pre =
          exec === this.standalone ? await this.engine.preValidate(existing ? 'Update' : 'Create', meta, body, existing ? key : undefined) : undefined;
        return exec(async (scope) => {
          const result = await this.engine.upsert(meta, key, body, scope, 1, { ...(ifMatch ? { ifMatch } : {}), ...(ifNoneMatch ? { ifNoneMatch } : {}) }, pre);
          const headers = { 'OData-EntityId': this.entityId(meta, result.id) };
          if (!prefer.representation) return { status: 204, headers };
          const row = project(store, metadata, meta, store.mustGet(meta, result.id), query.select, query.expand);
          return json(result.created ? 201 : 200, { '@odata.context': `${this.base()}$metadata#${meta.entitySet}/$entity`, ...row }, headers);
        });
      }
      case 'DELETE': {
        if (resource.key === undefined) throw badRequest(`DELETE needs a row: ${meta.entitySet}(<id or key>).`);
        const key = resource.key;
        const ifMatch = req.headers['if-match'];
        const pre = exec === this.standalone ? await this.engine.preValidate('Delete', meta, {}, key) : undefined;
        return exec(async (scope) => {
          const row = this.engine.mustFindRow(meta, key);
          if (ifMatch && ifMatch !== '*' && ifMatch !== etagOf(row))
            throw new DataverseError(`The version of the existing record doesn't match the RowVersion property provided.`, 412, '0x80060882');
          await this.engine.delete(meta, row, scope, 1, pre);
          return { status: 204, headers: {} };
        });
      }
      default:
        throw badRequest(`Method ${req.method} is not supported on ${meta.entitySet}.`);
    }
  }

  private async boundAction(meta: TableMeta, resource: Resource, body: EntityRecord, exec: Exec): Promise<ApiResponse> {
    const name = resource.action!;
    if (name === 'CreateMultiple' || name === 'UpsertMultiple') {
      if (resource.key !== undefined) throw badRequest(`${name} is bound to the collection ${meta.entitySet}, not a row.`);
      const targets = body['Targets'];
      if (!Array.isArray(targets)) throw badRequest(`${name} needs a Targets array.`);
      return exec(async (scope) => {
        if (name === 'CreateMultiple') {
          const ids = await this.engine.createMultiple(meta, targets as EntityRecord[], scope, 1);
          return json(200, { '@odata.context': `${this.base()}$metadata#Microsoft.Dynamics.CRM.CreateMultipleResponse`, Ids: ids });
        }
        await this.engine.upsertMultiple(meta, undefined, targets as EntityRecord[], scope, 1);
        return { status: 204, headers: {} };
      });
    }
    return exec(async (scope) => {
      const id = resource.key === undefined ? undefined : this.engine.mustFindRow(meta, resource.key).id;
      const output = await this.engine.execute(name, body, scope, 1, { meta, ...(id ? { id } : {}) });
      return this.actionResponse(name, output);
    });
  }

  private action(name: string, body: EntityRecord, exec: Exec): Promise<ApiResponse> {
    return exec(async (scope) => this.actionResponse(name, await this.engine.execute(name, body, scope, 1)));
  }

  private actionResponse(name: string, output: Record<string, unknown>): ApiResponse {
    if (Object.keys(output).length === 0) return { status: 204, headers: {} };
    return json(200, { '@odata.context': `${this.base()}$metadata#Microsoft.Dynamics.CRM.${name}Response`, ...output });
  }

  // ---- $batch -------------------------------------------------------------------------------

  private subRequest(part: BatchRequestPart, ids: ReadonlyMap<string, string>): ApiRequest {
    let url = part.url.replace(API_PREFIX, '');
    const ref = /^\$(\w+)/.exec(url);
    if (ref) {
      const target = ids.get(ref[1]!);
      if (!target) throw badRequest(`Content-ID Reference: '$${ref[1]}' does not exist in the batch context.`);
      url = target + url.slice(ref[0].length);
    }
    let body = part.body;
    if (body && ids.size > 0 && body.includes('"$')) {
      const parsed = parseBody(body);
      for (const [k, v] of Object.entries(parsed)) {
        if (k.endsWith('@odata.bind') && typeof v === 'string' && /^\$\w+$/.test(v)) {
          const target = ids.get(v.slice(1));
          if (!target) throw badRequest(`Content-ID Reference: '${v}' does not exist in the batch context.`);
          parsed[k] = target;
        }
      }
      body = JSON.stringify(parsed);
    }
    const q = url.indexOf('?');
    return { method: part.method, path: q < 0 ? url : url.slice(0, q), query: q < 0 ? '' : url.slice(q + 1), headers: part.headers, body };
  }

  private toPart(res: ApiResponse, contentId?: string): ResponsePart {
    return { status: res.status, headers: res.headers, ...(res.body !== undefined ? { body: res.body } : {}), ...(contentId ? { contentId } : {}) };
  }

  /**
   * Requests run in order, each change set in one transaction. Without odata.continue-on-error the
   * first failure ends the batch and its status becomes the batch's (Dataverse answers 400 then).
   */
  private async batch(req: ApiRequest): Promise<ApiResponse> {
    const items = parseBatch(req.body, req.headers['content-type']);
    const continueOnError = parsePrefer(req.headers['prefer']).continueOnError;
    const out: BatchResponseItem[] = [];
    let failedStatus: number | undefined;
    for (const item of items) {
      if (item.kind === 'request') {
        const res = await this.handle(withCallerOf(req, this.subRequest(item.part, new Map())));
        out.push({ kind: 'response', part: this.toPart(res, item.part.contentId) });
        if (res.status >= 400 && !continueOnError) {
          failedStatus = res.status;
          break;
        }
        continue;
      }
      const ids = new Map<string, string>();
      let current: BatchRequestPart | undefined;
      try {
        const parts = await this.engine.transaction(async (scope) => {
          const responses: ResponsePart[] = [];
          for (const part of item.parts) {
            current = part;
            const res = await this.route(withCallerOf(req, this.subRequest(part, ids)), (fn) => fn(scope));
            const entity = res.headers['OData-EntityId'];
            if (part.contentId && entity) ids.set(part.contentId, entity.replace(API_PREFIX, ''));
            responses.push(this.toPart(res, part.contentId));
          }
          return responses;
        });
        out.push({ kind: 'changeset', parts });
      } catch (error) {
        // A failed change set answers with the one error, in place of all its responses.
        const res = errorResponse(asDataverseError(error));
        out.push({ kind: 'response', part: this.toPart(res, current?.contentId) });
        if (!continueOnError) {
          failedStatus = res.status;
          break;
        }
      }
    }
    const { contentType, body } = writeBatchResponse(out);
    return { status: failedStatus ?? 200, headers: { 'Content-Type': contentType }, body };
  }
}
