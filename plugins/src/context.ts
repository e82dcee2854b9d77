import type { EntityRecord } from '../../dataverse/src/client/types';
import { primaryIdOf, tables, extensions, type ColumnDef } from '../../dataverse/src/schema';

/**
 * Dataverse's RemoteExecutionContext as a webhook receives it (the JSON of
 * Microsoft.Xrm.Sdk.RemoteExecutionContext, DataContractJsonSerializer style): parameter and image
 * collections are `[{ key, value }]` lists, entities carry `Attributes` as `[{ key, value }]`, and
 * typed values carry `__type` (EntityReference, OptionSetValue, Money) or the `/Date(ms)/` form.
 * See learn.microsoft.com/power-apps/developer/data-platform/use-webhooks ("Request Body").
 */

export type StageName = 'PreValidation' | 'PreOperation' | 'PostOperation';
export type ModeName = 'sync' | 'async';

/** A typed value after parsing. */
export interface EntityReferenceValue {
  readonly kind: 'EntityReference';
  readonly id: string;
  readonly logicalName: string;
  readonly name: string | null;
}

export interface ParsedEntity {
  readonly logicalName: string;
  readonly id: string | undefined;
  /** Attributes with typed values unwrapped: references as EntityReferenceValue, option sets and money as numbers, dates as ISO strings. */
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly rowVersion: string | null;
}

/** The context a webhook delivered, typed. */
export interface WebhookContext {
  readonly messageName: string;
  readonly stage: StageName;
  readonly stageNumber: number;
  readonly mode: ModeName;
  readonly primaryEntityName: string;
  readonly primaryEntityId: string | undefined;
  readonly depth: number;
  readonly correlationId: string;
  readonly requestId: string | undefined;
  readonly operationId: string | undefined;
  readonly initiatingUserId: string | undefined;
  readonly userId: string | undefined;
  readonly organizationId: string | undefined;
  /** The step that called (OwningExtension, an sdkmessageprocessingstep), when given. */
  readonly owningExtensionId: string | undefined;
  /** The operations that caused this one (ParentContext, nearest first): message, table and row. */
  readonly parents: readonly ParentOperation[];
  /** InputParameters other than Target, unwrapped. */
  readonly inputParameters: Readonly<Record<string, unknown>>;
  readonly target: ParsedEntity | undefined;
  readonly preEntityImages: Readonly<Record<string, ParsedEntity>>;
  readonly postEntityImages: Readonly<Record<string, ParsedEntity>>;
}

export interface ParentOperation {
  readonly messageName: string;
  readonly primaryEntityName: string;
  readonly primaryEntityId: string | undefined;
}

/** A request body that is not a usable RemoteExecutionContext; `message` says why (answered as 400). */
export class ContextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContextError';
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';
const STAGES: Readonly<Record<number, StageName>> = { 10: 'PreValidation', 20: 'PreOperation', 40: 'PostOperation' };
const WCF_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: Record<string, unknown>): string | undefined {
  const t = value['__type'];
  return typeof t === 'string' ? t.split(':')[0] : undefined;
}

function guid(value: unknown, where: string, optional: true): string | undefined;
function guid(value: unknown, where: string, optional?: false): string;
function guid(value: unknown, where: string, optional = false): string | undefined {
  // An optional id Dataverse sends as the empty GUID is absent (OperationId of a synchronous step
  // names no system job; the Id of an entity not yet created).
  if ((value === null || value === undefined || value === EMPTY_GUID) && optional) return undefined;
  if (typeof value !== 'string' || !GUID.test(value)) throw new ContextError(`${where} must be a GUID, got ${JSON.stringify(value)?.slice(0, 80)}`);
  return value.toLowerCase();
}

/** `/Date(1506384247000)/` (or with an offset) as an ISO date-time, UTC. */
export function parseWcfDate(text: string): string | undefined {
  const m = WCF_DATE.exec(text);
  if (!m) return undefined;
  const date = new Date(Number(m[1]));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().replace(/\.000Z$/, 'Z');
}

/** One typed value of an attribute or parameter, unwrapped. */
export function parseValue(value: unknown, where: string): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return value;
  if (typeof value === 'string') return parseWcfDate(value) ?? value;
  if (Array.isArray(value)) return value.map((v, i) => parseValue(v, `${where}[${i}]`));
  if (!isObject(value)) throw new ContextError(`${where}: unsupported value`);
  switch (typeName(value)) {
    case 'EntityReference':
      return {
        kind: 'EntityReference',
        id: guid(value['Id'], `${where}.Id`),
        logicalName: typeof value['LogicalName'] === 'string' ? value['LogicalName'] : '',
        name: typeof value['Name'] === 'string' ? value['Name'] : null,
      } satisfies EntityReferenceValue;
    case 'OptionSetValue':
    case 'Money': {
      const v = value['Value'];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new ContextError(`${where}.Value must be a number`);
      return v;
    }
    case 'Entity':
      return parseEntity(value, where);
    default:
      // OptionSetValueCollection, EntityCollection and others: kept as sent.
      return value;
  }
}

function keyValueList(list: unknown, where: string): Array<{ key: string; value: unknown }> {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new ContextError(`${where} must be a list of { key, value }`);
  return list.map((item, i) => {
    if (!isObject(item) || typeof item['key'] !== 'string') throw new ContextError(`${where}[${i}] must be { key, value }`);
    return { key: item['key'], value: item['value'] };
  });
}

export function parseEntity(value: unknown, where: string): ParsedEntity {
  if (!isObject(value)) throw new ContextError(`${where} must be an entity object`);
  const logicalName = value['LogicalName'];
  if (typeof logicalName !== 'string' || logicalName === '') throw new ContextError(`${where}.LogicalName is missing`);
  const attributes: Record<string, unknown> = {};
  for (const { key, value: v } of keyValueList(value['Attributes'], `${where}.Attributes`)) attributes[key] = parseValue(v, `${where}.Attributes.${key}`);
  const id = value['Id'];
  return {
    logicalName,
    id: guid(id, `${where}.Id`, true),
    attributes,
    rowVersion: typeof value['RowVersion'] === 'string' ? value['RowVersion'] : null,
  };
}

function images(list: unknown, where: string): Record<string, ParsedEntity> {
  const out: Record<string, ParsedEntity> = {};
  for (const { key, value } of keyValueList(list, where)) out[key] = parseEntity(value, `${where}.${key}`);
  return out;
}

/** Parses the request body text; throws ContextError (never anything else) when it is unusable. */
export function parseRemoteExecutionContext(text: string): WebhookContext {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ContextError(`the body is not JSON (${(error as Error).message})`);
  }
  try {
    return fromJson(json);
  } catch (error) {
    if (error instanceof ContextError) throw error;
    throw new ContextError(`unusable context: ${(error as Error).message}`);
  }
}

function fromJson(json: unknown): WebhookContext {
  if (!isObject(json)) throw new ContextError('the body must be a JSON object (a RemoteExecutionContext)');
  const messageName = json['MessageName'];
  if (typeof messageName !== 'string' || messageName === '') throw new ContextError('MessageName is missing');
  const primaryEntityName = json['PrimaryEntityName'];
  if (typeof primaryEntityName !== 'string' || primaryEntityName === '') throw new ContextError('PrimaryEntityName is missing');
  const stageNumber = json['Stage'];
  if (typeof stageNumber !== 'number' || !STAGES[stageNumber]) throw new ContextError(`Stage must be 10, 20 or 40, got ${JSON.stringify(stageNumber)}`);
  const mode = json['Mode'];
  if (mode !== 0 && mode !== 1) throw new ContextError(`Mode must be 0 (sync) or 1 (async), got ${JSON.stringify(mode)}`);
  const depth = json['Depth'];
  if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 1)
    throw new ContextError(`Depth must be a positive integer, got ${JSON.stringify(depth)}`);
  const correlationId = guid(json['CorrelationId'], 'CorrelationId');

  const inputParameters: Record<string, unknown> = {};
  let target: ParsedEntity | undefined;
  for (const { key, value } of keyValueList(json['InputParameters'], 'InputParameters')) {
    if (key === 'Target' && isObject(value) && typeName(value) === 'Entity') target = parseEntity(value, 'InputParameters.Target');
    else inputParameters[key] = parseValue(value, `InputParameters.${key}`);
  }
  const owning = json['OwningExtension'];
  const parents: ParentOperation[] = [];
  for (let parent = json['ParentContext'], level = 0; isObject(parent) && level < 16; parent = parent['ParentContext'], level++) {
    const message = parent['MessageName'];
    const entity = parent['PrimaryEntityName'];
    if (typeof message !== 'string' || typeof entity !== 'string') break;
    parents.push({ messageName: message, primaryEntityName: entity, primaryEntityId: guid(parent['PrimaryEntityId'], 'ParentContext.PrimaryEntityId', true) });
  }
  return {
    messageName,
    stage: STAGES[stageNumber] as StageName,
    stageNumber,
    mode: mode === 0 ? 'sync' : 'async',
    primaryEntityName,
    primaryEntityId: guid(json['PrimaryEntityId'], 'PrimaryEntityId', true),
    depth,
    correlationId,
    requestId: guid(json['RequestId'], 'RequestId', true),
    operationId: guid(json['OperationId'], 'OperationId', true),
    initiatingUserId: guid(json['InitiatingUserId'], 'InitiatingUserId', true),
    userId: guid(json['UserId'], 'UserId', true),
    organizationId: guid(json['OrganizationId'], 'OrganizationId', true),
    owningExtensionId: isObject(owning) ? guid(owning['Id'], 'OwningExtension.Id', true) : undefined,
    parents,
    inputParameters,
    target,
    preEntityImages: images(json['PreEntityImages'], 'PreEntityImages'),
    postEntityImages: images(json['PostEntityImages'], 'PostEntityImages'),
  };
}

// ---- read shape ------------------------------------------------------------------------------

const columnsByTable = new Map<string, Map<string, ColumnDef>>();
for (const t of [...tables, ...extensions]) columnsByTable.set(t.logicalName, new Map(t.columns.map((c) => [c.logicalName, c])));
const primaryIds = new Map<string, string>([
  ...tables.map((t) => [t.logicalName, primaryIdOf(t)] as const),
  ...extensions.map((e) => [e.logicalName, e.primaryId] as const),
]);

/**
 * An entity's attributes in the Web API read shape the handlers (and the local org) use: lookups
 * as `_x_value` GUIDs, choices and money as numbers, date-only columns as 'YYYY-MM-DD' (Dataverse
 * sends a date-only value as midnight UTC), the primary id under `<table>id`. Attributes the
 * schema does not know (modifiedon, ownerid...) are kept under their own names.
 */
export function toReadShape(entity: ParsedEntity): EntityRecord {
  const columns = columnsByTable.get(entity.logicalName);
  const out: EntityRecord = {};
  for (const [name, value] of Object.entries(entity.attributes)) {
    const column = columns?.get(name);
    if (column?.type === 'lookup' || (!column && isReference(value))) {
      out[`_${name}_value`] = isReference(value) ? value.id : null;
    } else if (column?.type === 'dateOnly' && typeof value === 'string') {
      out[name] = value.slice(0, 10);
    } else {
      out[name] = isReference(value) ? value.id : value;
    }
  }
  const primaryId = primaryIds.get(entity.logicalName) ?? `${entity.logicalName}id`;
  if (entity.id !== undefined && out[primaryId] === undefined) out[primaryId] = entity.id;
  return out;
}

function isReference(value: unknown): value is EntityReferenceValue {
  return isObject(value) && value['kind'] === 'EntityReference';
}
