export * from './types';
export * from './oauth';
export * from './post';
export * from './business-central';
export * from './xero';
export * from './quickbooks';
export * from './settings';
export * from './post-period';
