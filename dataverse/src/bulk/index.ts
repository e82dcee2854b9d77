export { writeBulk, type BulkProgress, type BulkResult, type BulkRowError, type BulkWriteOptions, type ParallelismHinted } from './bulk-writer';
export { retryDelay, withRetry, type RetryInfo, type RetryPolicy } from './retry';
export { keyFromRecord, keyPath, type KeyValues } from './record-key';
