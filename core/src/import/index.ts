// Bill import: streaming parsers for Partner Center and distributor files (see README.md).
export * from './types';
export * from './import-error';
export * from './fields';
export * from './formats';
export * from './detect';
export * from './profiles';
export * from './importer';
export * from './chunks';
export * from './stream-adapters';
export { Sha256, sha256Hex } from './sha256';
export { ExactSum, DecimalReader, parseDecimalText } from './exact-sum';
export { sniff } from './text-decoding';
export { readXlsxRows } from './xlsx';
export * from './chunk-plan';
export type { BucketState } from './usage-aggregator';
