export { NodeDataverseClient, type NodeClientOptions } from './node-client';
export { clientCredentialsToken, deviceCodeToken, staticToken, type ClientCredentialsOptions, type DeviceCodeOptions, type TokenProvider } from './auth';
export { toDataverseError } from './errors';
