export * from './types';
export * from './odata';
