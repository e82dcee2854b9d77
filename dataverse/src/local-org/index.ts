export { LocalOrg, type LocalOrgOptions, type OpenOptions } from './local-org';
export { MAX_DEPTH, type AsyncFailure, type MessageHandler, type Mode, type PluginContext, type PluginHandler, type PluginStep, type Stage } from './pipeline';
export { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, SnapshotError, type ImportOptions, type ImportSummary, type Snapshot, type SnapshotIssue } from './snapshot';
export { ErrorCodes } from './errors';
export { OrgMetadata, type TableMeta } from './metadata';
export { registerServiceEndpoint, endpointUnavailable, type Delivery, type ServiceEndpointOptions } from './webhook/service-endpoint';
export { remoteExecutionContext, EMPTY_GUID, PAYLOAD_LIMIT_BYTES } from './webhook/remote-context';
export { tablesFromCustomizations, CustomizationsError } from './customizations-metadata';
