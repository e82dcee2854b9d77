import type { EntityRecord } from '../../client/types';
import type { OrgMetadata, TableMeta } from '../metadata';
import type { PluginContext } from '../pipeline';

/**
 * A PluginContext as Dataverse posts it to a webhook: the JSON of RemoteExecutionContext
 * (DataContractJsonSerializer style) shaped as Microsoft's example body on "Use webhooks to create
 * external handlers for server events" (learn.microsoft.com/power-apps/developer/data-platform/use-webhooks,
 * "Request Body"; tests/plugins/fixtures/ms-docs-contact-update-async.json): parameter and image
 * collections as `[{ key, value }]`, entities with `__type` and `Attributes`, typed values as
 * `EntityReference`, `OptionSetValue`, `Money` and `/Date(ms)/`. OperationId is the async step's
 * system job, and the empty GUID for a synchronous step (no system job exists).
 */
export const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';
const CONTRACTS = 'http:\\/\\/schemas.microsoft.com\\/xrm\\/2011\\/Contracts';
const typeTag = (name: string) => `${name}:http://schemas.microsoft.com/xrm/2011/Contracts`;
void CONTRACTS;

export interface RemoteIdentity {
  readonly organizationId: string;
  readonly organizationName: string;
  readonly businessUnitId: string;
  readonly userId: string;
  /** The step (sdkmessageprocessingstep id) that posts. */
  readonly stepId: string;
  /** The async step's system job; undefined for a synchronous step. */
  readonly operationId: string | undefined;
}

const STAGE_NUMBER: Readonly<Record<string, number>> = { PreValidation: 10, PreOperation: 20, PostOperation: 40 };
const wcfDate = (iso: string): string => `/Date(${Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso)})/`;

/** One attribute value in its DataContract form, typed by the table's metadata. */
function typedValue(meta: TableMeta | undefined, metadata: OrgMetadata, name: string, value: unknown): { key: string; value: unknown } {
  const column = meta?.readColumns.get(name);
  if (value === null || value === undefined) return { key: column?.logicalName ?? name, value: null };
  if (column?.type === 'lookup') {
    return {
      key: column.logicalName,
      value: { __type: typeTag('EntityReference'), Id: value, KeyAttributes: [], LogicalName: column.target, Name: null, RowVersion: null },
    };
  }
  if (column?.type === 'choice') return { key: name, value: { __type: typeTag('OptionSetValue'), Value: value } };
  if (column?.type === 'money') return { key: name, value: { __type: typeTag('Money'), Value: value } };
  if (column?.type === 'dateOnly' && typeof value === 'string') return { key: name, value: wcfDate(value) };
  if ((name === 'createdon' || name === 'modifiedon') && typeof value === 'string') return { key: name, value: wcfDate(value) };
  void metadata;
  return { key: name, value };
}

function entity(metadata: OrgMetadata, logicalName: string, id: string | undefined, record: EntityRecord, only?: readonly string[]): Record<string, unknown> {
  const meta = metadata.tryByLogical(logicalName);
  const wanted = only ? new Set(only) : undefined;
  const attributes = Object.entries(record)
    .filter(([name]) => !name.startsWith('@'))
    .map(([name, value]) => typedValue(meta, metadata, name, value))
    .filter((a) => !wanted || wanted.has(a.key) || a.key === meta?.primaryId);
  return {
    __type: typeTag('Entity'),
    Attributes: attributes,
    EntityState: null,
    FormattedValues: [],
    Id: id ?? EMPTY_GUID,
    KeyAttributes: [],
    LogicalName: logicalName,
    RelatedEntities: [],
    RowVersion: typeof record['versionnumber'] === 'number' ? String(record['versionnumber']) : null,
  };
}

export interface ImageSpec {
  readonly name: string;
  readonly type: 'pre' | 'post';
  /** Logical names of the columns the image carries. */
  readonly attributes: readonly string[];
}

/** The body Dataverse posts for one step of one operation. */
export function remoteExecutionContext(
  context: PluginContext,
  metadata: OrgMetadata,
  identity: RemoteIdentity,
  images: readonly ImageSpec[],
): Record<string, unknown> {
  const table = context.primaryEntityName;
  const imageList = (type: 'pre' | 'post') =>
    images
      .filter((i) => i.type === type)
      .flatMap((i) => {
        const source = (type === 'pre' ? context.preEntityImages : context.postEntityImages)[i.name];
        return source ? [{ key: i.name, value: entity(metadata, table, context.primaryEntityId, source, i.attributes) }] : [];
      });
  const target =
    context.messageName === 'Create' || context.messageName === 'Update' ? entity(metadata, table, context.primaryEntityId, context.target) : undefined;
  return {
    BusinessUnitId: identity.businessUnitId,
    CorrelationId: context.correlationId,
    Depth: context.depth,
    InitiatingUserId: identity.userId,
    InputParameters: target ? [{ key: 'Target', value: target }] : [],
    IsExecutingOffline: false,
    IsInTransaction: context.mode === 'sync' && context.stage !== 'PreValidation',
    IsOfflinePlayback: false,
    IsolationMode: 1,
    MessageName: context.messageName,
    Mode: context.mode === 'sync' ? 0 : 1,
    OperationCreatedOn: `/Date(${Date.now()})/`,
    OperationId: identity.operationId ?? EMPTY_GUID,
    OrganizationId: identity.organizationId,
    OrganizationName: identity.organizationName,
    OutputParameters: Object.entries(context.outputParameters).map(([key, value]) => ({ key, value })),
    OwningExtension: { Id: identity.stepId, KeyAttributes: [], LogicalName: 'sdkmessageprocessingstep', Name: null, RowVersion: null },
    ParentContext: null,
    PostEntityImages: imageList('post'),
    PreEntityImages: imageList('pre'),
    PrimaryEntityId: context.primaryEntityId ?? EMPTY_GUID,
    PrimaryEntityName: table,
    RequestId: null,
    SecondaryEntityName: 'none',
    SharedVariables: [...context.sharedVariables.entries()].map(([key, value]) => ({ key, value })),
    Stage: STAGE_NUMBER[context.stage],
    UserId: identity.userId,
  };
}

/**
 * Over 256 KB Dataverse removes ParentContext, InputParameters and the images and says so in the
 * x-ms-dynamics-msg-size-exceeded header ("Use webhooks", "Request Body": "If the size of the
 * entire HTTP payload exceeds 256 KB, the x-ms-dynamics-msg-size-exceeded header is included and
 * the following properties of RemoteExecutionContext are removed").
 */
export const PAYLOAD_LIMIT_BYTES = 256 * 1024;

export function trimmed(body: Record<string, unknown>): Record<string, unknown> {
  return { ...body, ParentContext: null, InputParameters: [], PreEntityImages: [], PostEntityImages: [] };
}
