export { serveLocalOrg, type LocalOrgServer, type ServeOptions } from './server';
export { FaultInjector, type Fault, type FaultOptions, type RequestStats } from './faults';
